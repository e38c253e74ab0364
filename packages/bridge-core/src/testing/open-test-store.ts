import type { BridgeStore } from '../store/bridge-store.ts';
import { createKyselyBridgeStore } from '../store/kysely-bridge-store.ts';
import { migrateToLatest } from '../store/migrate-to-latest.ts';
import { type Backend, pgliteBackend } from './test-databases.ts';

/**
 * A migrated store on a fresh database of `backend` (default: in-memory PGlite), for tests: the real SQL, gone on
 * `close()`.
 */
export async function openTestStore(backend: Backend = pgliteBackend): Promise<BridgeStore> {
  const database = await backend.create();
  await migrateToLatest(database.db);
  const store = createKyselyBridgeStore(database.db);
  // The store's close destroys the connection; the backend then drops what it created (a PostgreSQL schema).
  return {
    ...store,
    close: async () => {
      await database.dispose();
    },
  };
}
