import type { Migration } from 'kysely/migration';
import * as initialSchema from './0001-initial-schema.ts';

/**
 * Every migration, in code: the bridge is bundled, so the migrator cannot scan a folder. Kysely applies them in
 * the order of their names; a new migration gets the next number and is added here.
 */
export const allMigrations: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
};
