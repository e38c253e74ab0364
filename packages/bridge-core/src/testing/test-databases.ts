import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../store/database-schema.ts';
import { openPgliteDatabase, openPostgresDatabase } from '../store/open-database.ts';

/**
 * One suite, run on every backend the bridge supports: in-memory PGlite, and the PostgreSQL server on this
 * machine (127.0.0.1:5432, trust auth, database `test`; override with WECHAT_TEST_POSTGRES_URI). Each
 * PostgreSQL run works in a schema of its own, dropped afterwards.
 */

export interface TestDatabase {
  readonly db: Kysely<Database>;
  /** Another handle on the same database: another pool on PostgreSQL (as another process would have), the same instance on PGlite. */
  openPeer(): Promise<{ db: Kysely<Database>; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  /** A fresh, empty database (not migrated). */
  create(): Promise<TestDatabase>;
}

export const pgliteBackend: Backend = {
  name: 'PGlite (in memory)',
  async create() {
    const db = await openPgliteDatabase({ path: 'memory://' });
    return {
      db,
      openPeer: async () => ({ db, close: async () => {} }),
      dispose: () => db.destroy(),
    };
  },
};

export function postgresBackend(uri: string): Backend {
  return {
    name: 'PostgreSQL',
    async create() {
      const schema = `wechat_store_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: uri });
      await admin.connect();
      try {
        await admin.query(`create schema ${schema}`);
      } finally {
        await admin.end();
      }
      const url = new URL(uri);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const open = () => openPostgresDatabase({ uri: url.href, maxConnections: 4 });
      const db = await open();
      return {
        db,
        async openPeer() {
          const peer = await open();
          return { db: peer, close: () => peer.destroy() };
        },
        async dispose() {
          await db.destroy();
          const cleanup = new pg.Client({ connectionString: uri });
          await cleanup.connect();
          try {
            await cleanup.query(`drop schema ${schema} cascade`);
          } finally {
            await cleanup.end();
          }
        },
      };
    },
  };
}

/** The first URI that connects, or why none did. */
export async function findPostgres(): Promise<{ uri: string } | { reason: string }> {
  const candidates = process.env.WECHAT_TEST_POSTGRES_URI
    ? [process.env.WECHAT_TEST_POSTGRES_URI]
    : [...new Set(['postgres', userInfo().username])].map(user => `postgres://${user}@127.0.0.1:5432/test`);
  const failures: string[] = [];
  for (const uri of candidates) {
    const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { uri };
    } catch (error) {
      failures.push(`${uri}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { reason: `no PostgreSQL server answered (${failures.join('; ')})` };
}
