import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Dialect, Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './database-schema.ts';
import { lockDirectory } from './directory-lock.ts';

export interface PgliteDatabaseOptions {
  /**
   * The directory holding the database (created when missing; relative to the working directory). `undefined`
   * or `memory://` keeps it in memory, gone on close (for tests).
   */
  readonly path?: string | undefined;
}

export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:5432/database`; `?options=-c%20search_path%3Dbridge` picks a schema. */
  readonly uri: string;
  /** Pool size; `pg`'s default (10) when absent. */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing a query, so an unreachable server is reported. */
  readonly connectionTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, a network blip). The pool drops that
   * connection and opens a new one on the next query; without a listener `pg` would crash the process.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
}

const memoryPath = 'memory://';

/**
 * Opens embedded PostgreSQL (PGlite) for the store: the default, so a first run needs no database server. One
 * process at a time per directory (enforced where possible, see `lockDirectory`); `destroy()` on the result
 * closes PGlite and releases the directory. Run `migrateToLatest` next.
 *
 * PGlite and its kysely dialect load on first use, so an installation on PostgreSQL never loads the WASM (and
 * the other way round for `pg`).
 */
export async function openPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Kysely<Database>> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  if (options.path === undefined || options.path === memoryPath) {
    return initialized(new Kysely<Database>({ dialect: new PGliteDialect(await PGlite.create()) }));
  }
  await mkdir(resolve(options.path), { recursive: true });
  // The real path, so two spellings of one directory (a symlink, `./data` and `data`) share one lock.
  const directory = await realpath(resolve(options.path));
  const lock = await lockDirectory(directory);
  let pglite: InstanceType<typeof PGlite> | undefined;
  try {
    pglite = await PGlite.create({ dataDir: directory });
    return await initialized(
      new Kysely<Database>({ dialect: releasingOnDestroy(new PGliteDialect(pglite), () => lock.release()) }),
    );
  } catch (error) {
    await pglite?.close().catch(() => {});
    await lock.release();
    throw error;
  }
}

/**
 * Kysely initialises its driver on the first query and skips the driver's `destroy()` when none ran; PGlite
 * would then stay open (and its directory locked) after `destroy()`. One query up front makes `destroy()`
 * always close it.
 */
async function initialized(db: Kysely<Database>): Promise<Kysely<Database>> {
  await sql`select 1`.execute(db);
  return db;
}

/**
 * Opens a PostgreSQL server through a `pg` pool. Several bridge processes may share the database: the store
 * and the migrator rely on its locks and constraints, not on memory. Run `migrateToLatest` next.
 */
export async function openPostgresDatabase(options: PostgresDatabaseOptions): Promise<Kysely<Database>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.uri,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  pool.on('error', error => options.onIdleConnectionError?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** `dialect`, with `release` run after its driver is destroyed (by `Kysely.destroy()`). */
function releasingOnDestroy(dialect: Dialect, release: () => Promise<void>): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: db => dialect.createIntrospector(db),
    createDriver() {
      const driver = dialect.createDriver();
      const destroy = driver.destroy.bind(driver);
      driver.destroy = async options => {
        try {
          await destroy(options);
        } finally {
          await release();
        }
      };
      return driver;
    },
  };
}
