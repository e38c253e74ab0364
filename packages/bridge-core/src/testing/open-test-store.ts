import type { BridgeStore } from '../store/bridge-store.ts';
import { createKyselyBridgeStore } from '../store/kysely-bridge-store.ts';
import { migrateToLatest } from '../store/migrate-to-latest.ts';
import { openPgliteDatabase } from '../store/open-database.ts';

/** A migrated store on in-memory PGlite, for tests: the real SQL, no server, gone on `close()`. */
export async function openTestStore(): Promise<BridgeStore> {
  const db = await openPgliteDatabase();
  await migrateToLatest(db);
  return createKyselyBridgeStore(db);
}
