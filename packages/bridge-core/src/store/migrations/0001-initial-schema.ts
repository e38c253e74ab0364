import { type Kysely, sql } from 'kysely';

/**
 * The first schema. A migration is frozen once released: later changes go into new migrations, and this file
 * deliberately does not use the `Database` type (it describes the latest schema, not this one).
 *
 * Every index here serves a per-message lookup, so bridging one message costs O(1) in the number of portals
 * and messages stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('mxid', 'text', column => column.primaryKey())
    .addColumn('management_room_id', 'text')
    .addUniqueConstraint('users_management_room_id_key', ['management_room_id'])
    .execute();

  await db.schema
    .createTable('logins')
    .addColumn('id', 'text', column => column.primaryKey())
    .addColumn('owner_mxid', 'text', column => column.notNull())
    .addColumn('provider_id', 'text', column => column.notNull())
    .addColumn('self_contact_id', 'text')
    .addColumn('self_name', 'text')
    .addColumn('space_room_id', 'text')
    .addColumn('state', 'text', column => column.notNull())
    .addColumn('created_at', 'bigint', column => column.notNull())
    .execute();
  await db.schema.createIndex('logins_owner_mxid_idx').on('logins').column('owner_mxid').execute();

  // No foreign key to logins: a provider may persist session values while its login is still being created.
  await db.schema
    .createTable('session_storage')
    .addColumn('login_id', 'text', column => column.notNull())
    .addColumn('key', 'text', column => column.notNull())
    .addColumn('value', 'text', column => column.notNull())
    .addPrimaryKeyConstraint('session_storage_pkey', ['login_id', 'key'])
    .execute();

  // No foreign key to logins either: portals outlive their login, so a new login can take them over.
  await db.schema
    .createTable('portals')
    .addColumn('login_id', 'text', column => column.notNull())
    .addColumn('chat_key', 'text', column => column.notNull())
    .addColumn('chat_type', 'text', column => column.notNull().check(sql`chat_type in ('direct', 'room')`))
    .addColumn('chat_id', 'text', column => column.notNull())
    .addColumn('room_id', 'text', column => column.notNull())
    .addColumn('name', 'text')
    .addColumn('topic', 'text')
    .addColumn('avatar_ref', 'text')
    .addColumn('avatar_mxc', 'text')
    .addColumn('created_at', 'bigint', column => column.notNull())
    .addPrimaryKeyConstraint('portals_pkey', ['login_id', 'chat_key'])
    .addUniqueConstraint('portals_room_id_key', ['room_id'])
    .execute();

  await db.schema
    .createTable('ghosts')
    .addColumn('mxid', 'text', column => column.primaryKey())
    .addColumn('provider_id', 'text', column => column.notNull())
    .addColumn('contact_id', 'text', column => column.notNull())
    .addColumn('display_name', 'text')
    .addColumn('avatar_ref', 'text')
    .addColumn('avatar_mxc', 'text')
    .addColumn('registered', 'boolean', column => column.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('message_map')
    .addColumn('login_id', 'text', column => column.notNull())
    .addColumn('chat_key', 'text', column => column.notNull())
    .addColumn('wechat_message_id', 'text', column => column.notNull())
    .addColumn('room_id', 'text', column => column.notNull())
    .addColumn('event_id', 'text', column => column.notNull())
    .addColumn('sender_contact_id', 'text')
    .addColumn('direction', 'text', column => column.notNull().check(sql`direction in ('inbound', 'outbound')`))
    .addColumn('created_at', 'bigint', column => column.notNull())
    .addPrimaryKeyConstraint('message_map_pkey', ['login_id', 'wechat_message_id'])
    .addUniqueConstraint('message_map_event_id_key', ['event_id'])
    .execute();

  await db.schema
    .createTable('inbox')
    .addColumn('id', 'bigint', column => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('login_id', 'text', column => column.notNull())
    .addColumn('dedup_key', 'text', column => column.notNull())
    .addColumn('event', 'jsonb', column => column.notNull())
    .addColumn('status', 'text', column =>
      column.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', column => column.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'bigint', column => column.notNull())
    .addUniqueConstraint('inbox_login_id_dedup_key_key', ['login_id', 'dedup_key'])
    .execute();
  // Partial: done rows stay (they are the dedup record) but never slow down the replay of pending ones.
  await db.schema.createIndex('inbox_pending_idx').on('inbox').column('id').where(sql.ref('status'), '=', 'pending').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigint', column => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('event_id', 'text', column => column.notNull())
    .addColumn('room_id', 'text', column => column.notNull())
    .addColumn('event', 'jsonb', column => column.notNull())
    .addColumn('status', 'text', column =>
      column.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', column => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', column => column.notNull())
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'bigint', column => column.notNull())
    .addUniqueConstraint('outbox_event_id_key', ['event_id'])
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at', 'id']).execute();

  await db.schema
    .createTable('appservice_txn')
    .addColumn('txn_id', 'text', column => column.primaryKey())
    .addColumn('completed_at', 'bigint', column => column.notNull())
    .execute();

  await db.schema
    .createTable('kv')
    .addColumn('key', 'text', column => column.primaryKey())
    .addColumn('value', 'text', column => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'kv',
    'appservice_txn',
    'outbox',
    'inbox',
    'message_map',
    'ghosts',
    'portals',
    'session_storage',
    'logins',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
