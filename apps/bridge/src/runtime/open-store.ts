import {
  type BridgeStore,
  createKyselyBridgeStore,
  migrateToLatest,
  openPgliteDatabase,
  openPostgresDatabase,
} from '@wechat/bridge-core';
import type { AppConfig } from '../config/app-config-schema.ts';

/** Opens the configured database, brings its schema up to date, and returns the bridge store on it. */
export async function openStore(database: AppConfig['database']): Promise<BridgeStore> {
  const db =
    database.type === 'postgres'
      ? await openPostgresDatabase({ uri: database.uri as string })
      : await openPgliteDatabase({ path: database.path });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyBridgeStore(db);
}
