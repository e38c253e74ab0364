import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './database-schema.ts';
import { allMigrations } from './migrations/all-migrations.ts';

/** A migration failed; the database is left as it was before it (each run is one transaction). */
export class StoreMigrationError extends Error {
  override readonly name = 'StoreMigrationError';
  /** The migration that failed, when one did (otherwise the migrator itself failed, e.g. on connecting). */
  readonly migrationName: string | undefined;

  constructor(migrationName: string | undefined, cause: unknown) {
    super(
      migrationName === undefined
        ? `database migration failed: ${String(cause instanceof Error ? cause.message : cause)}`
        : `database migration ${migrationName} failed: ${String(cause instanceof Error ? cause.message : cause)}`,
      { cause },
    );
    this.migrationName = migrationName;
  }
}

/**
 * Brings the schema up to date; returns the names of the migrations it applied (none when already current).
 * Run on every start.
 *
 * Safe when several processes start at once on one PostgreSQL database: kysely's migrator holds a session-level
 * advisory lock while it runs, and applies pending migrations in one transaction, so the second process waits
 * and then finds nothing to do. PGlite serves one process only (`openPgliteDatabase` enforces that) and runs
 * one connection, so concurrent calls inside that process queue up behind each other.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Without an explicit schema, kysely looks for its bookkeeping tables in *every* schema of the database and
  // would take another schema's (another bridge's, or another test run's) for ours.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new StoreMigrationError(undefined, new Error('no schema on the search_path exists; create it first'));

  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => allMigrations },
    migrationTableSchema: schema,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StoreMigrationError(results.find(result => result.status === 'Error')?.migrationName, error);
  }
  return results.filter(result => result.status === 'Success').map(result => result.migrationName);
}
