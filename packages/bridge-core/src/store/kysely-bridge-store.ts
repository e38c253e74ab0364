import { type ChatRefV1, chatKey, contactId, messageId, roomId } from '@wechat/provider-api';
import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  AppserviceTransactionRepository,
  BridgeStore,
  GhostRecord,
  GhostRepository,
  InboxEntry,
  InboxRepository,
  KeyValueRepository,
  LoginRecord,
  LoginRepository,
  MessageMapping,
  MessageMapRepository,
  OutboxEntry,
  OutboxRepository,
  PortalRecord,
  PortalRepository,
  SessionStorageRepository,
  UserRecord,
  UserRepository,
} from './bridge-store.ts';
import type {
  Database,
  GhostsTable,
  InboxTable,
  LoginsTable,
  MessageMapTable,
  OutboxTable,
  PortalsTable,
  UsersTable,
} from './database-schema.ts';
import { toJsonText, toSafeInteger, toStorableText } from './postgres-values.ts';

/**
 * The `BridgeStore` over kysely, for PostgreSQL and PGlite alike (open one with `openPostgresDatabase` or
 * `openPgliteDatabase`, then run `migrateToLatest`). Deduplicating inserts are single `insert … on conflict do
 * nothing` statements whose `returning` tells whether this caller's row went in, so two processes racing on
 * one database cannot both win. `close()` destroys `db`.
 */
export function createKyselyBridgeStore(db: Kysely<Database>): BridgeStore {
  return bindStore(db, 0);
}

/** `depth` counts the transactions `db` is nested in: 0 for the root store, 1 inside `transaction`, … */
function bindStore(db: Kysely<Database>, depth: number): BridgeStore {
  return {
    async transaction(work) {
      if (!db.isTransaction) return db.transaction().execute(transaction => work(bindStore(transaction, 1)));
      const savepoint = sql.id(`bridge_store_savepoint_${depth}`);
      await sql`savepoint ${savepoint}`.execute(db);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(bindStore(db, depth + 1));
      } catch (error) {
        await sql`rollback to savepoint ${savepoint}`.execute(db);
        throw error;
      }
      await sql`release savepoint ${savepoint}`.execute(db);
      return result;
    },
    users: createUserRepository(db),
    logins: createLoginRepository(db),
    sessionStorage: createSessionStorageRepository(db),
    portals: createPortalRepository(db),
    ghosts: createGhostRepository(db),
    messages: createMessageMapRepository(db),
    inbox: createInboxRepository(db),
    outbox: createOutboxRepository(db),
    appserviceTransactions: createAppserviceTransactionRepository(db),
    kv: createKeyValueRepository(db),
    async close() {
      if (depth > 0) throw new Error('close() the root store, not one bound to a transaction');
      await db.destroy();
    },
  };
}

/** Runs `work` atomically: in a new transaction, or in the one `db` is already bound to. */
function atomically<RESULT>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<RESULT>): Promise<RESULT> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function nullableText(text: string | null): string | null {
  return text === null ? null : toStorableText(text);
}

/** Drops the keys whose value is `undefined` (a `Partial` leaves those fields unchanged). */
function definedOnly<ROW extends object>(row: ROW): Partial<ROW> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as Partial<ROW>;
}

// ---------------------------------------------------------------------------------------------- users

function userFromRow(row: Selectable<UsersTable>): UserRecord {
  return { mxid: row.mxid, managementRoomId: row.management_room_id };
}

function createUserRepository(db: Kysely<Database>): UserRepository {
  return {
    async get(mxid) {
      const row = await db.selectFrom('users').selectAll().where('mxid', '=', mxid).executeTakeFirst();
      return row && userFromRow(row);
    },
    async upsert(user) {
      await db
        .insertInto('users')
        .values({ mxid: user.mxid, management_room_id: user.managementRoomId })
        .onConflict(conflict =>
          conflict.column('mxid').doUpdateSet(update => ({ management_room_id: update.ref('excluded.management_room_id') })),
        )
        .execute();
    },
    async findByManagementRoom(roomId) {
      const row = await db.selectFrom('users').selectAll().where('management_room_id', '=', roomId).executeTakeFirst();
      return row && userFromRow(row);
    },
  };
}

// --------------------------------------------------------------------------------------------- logins

function loginFromRow(row: Selectable<LoginsTable>): LoginRecord {
  return {
    id: row.id,
    ownerMxid: row.owner_mxid,
    providerId: row.provider_id,
    selfContactId: row.self_contact_id === null ? null : contactId(row.self_contact_id),
    selfName: row.self_name,
    spaceRoomId: row.space_room_id,
    state: row.state,
    createdAt: toSafeInteger(row.created_at),
  };
}

function createLoginRepository(db: Kysely<Database>): LoginRepository {
  return {
    async get(id) {
      const row = await db.selectFrom('logins').selectAll().where('id', '=', id).executeTakeFirst();
      return row && loginFromRow(row);
    },
    async listByOwner(ownerMxid) {
      const rows = await db
        .selectFrom('logins')
        .selectAll()
        .where('owner_mxid', '=', ownerMxid)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(loginFromRow);
    },
    async listAll() {
      const rows = await db.selectFrom('logins').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(loginFromRow);
    },
    async upsert(login) {
      await db
        .insertInto('logins')
        .values({
          id: login.id,
          owner_mxid: login.ownerMxid,
          provider_id: login.providerId,
          self_contact_id: login.selfContactId,
          self_name: nullableText(login.selfName),
          space_room_id: login.spaceRoomId,
          state: login.state,
          created_at: login.createdAt,
        })
        // created_at stays: it records when the login first appeared.
        .onConflict(conflict =>
          conflict.column('id').doUpdateSet(update => ({
            owner_mxid: update.ref('excluded.owner_mxid'),
            provider_id: update.ref('excluded.provider_id'),
            self_contact_id: update.ref('excluded.self_contact_id'),
            self_name: update.ref('excluded.self_name'),
            space_room_id: update.ref('excluded.space_room_id'),
            state: update.ref('excluded.state'),
          })),
        )
        .execute();
    },
    async update(id, changes) {
      const row: Updateable<LoginsTable> = definedOnly({
        provider_id: changes.providerId,
        self_contact_id: changes.selfContactId,
        self_name: changes.selfName === undefined ? undefined : nullableText(changes.selfName),
        space_room_id: changes.spaceRoomId,
        state: changes.state,
      });
      if (Object.keys(row).length === 0) return;
      await db.updateTable('logins').set(row).where('id', '=', id).execute();
    },
    async delete(id) {
      await atomically(db, async transaction => {
        await transaction.deleteFrom('session_storage').where('login_id', '=', id).execute();
        await transaction.deleteFrom('logins').where('id', '=', id).execute();
      });
    },
  };
}

function createSessionStorageRepository(db: Kysely<Database>): SessionStorageRepository {
  return {
    async get(loginId, key) {
      const row = await db
        .selectFrom('session_storage')
        .select('value')
        .where('login_id', '=', loginId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.value;
    },
    async set(loginId, key, value) {
      await db
        .insertInto('session_storage')
        .values({ login_id: loginId, key, value })
        .onConflict(conflict =>
          conflict.columns(['login_id', 'key']).doUpdateSet(update => ({ value: update.ref('excluded.value') })),
        )
        .execute();
    },
    async delete(loginId, key) {
      await db.deleteFrom('session_storage').where('login_id', '=', loginId).where('key', '=', key).execute();
    },
  };
}

// -------------------------------------------------------------------------------------------- portals

function chatFromRow(row: Selectable<PortalsTable>): ChatRefV1 {
  return row.chat_type === 'direct'
    ? { type: 'direct', contactId: contactId(row.chat_id) }
    : { type: 'room', roomId: roomId(row.chat_id) };
}

function portalFromRow(row: Selectable<PortalsTable>): PortalRecord {
  return {
    loginId: row.login_id,
    chatKey: row.chat_key,
    chat: chatFromRow(row),
    roomId: row.room_id,
    name: row.name,
    topic: row.topic,
    avatarRef: row.avatar_ref,
    avatarMxc: row.avatar_mxc,
    createdAt: toSafeInteger(row.created_at),
  };
}

function createPortalRepository(db: Kysely<Database>): PortalRepository {
  const get = async (loginId: string, key: string) => {
    const row = await db
      .selectFrom('portals')
      .selectAll()
      .where('login_id', '=', loginId)
      .where('chat_key', '=', key)
      .executeTakeFirst();
    return row && portalFromRow(row);
  };
  return {
    get,
    async getByRoomId(roomId) {
      const row = await db.selectFrom('portals').selectAll().where('room_id', '=', roomId).executeTakeFirst();
      return row && portalFromRow(row);
    },
    async insertIfAbsent(portal) {
      // The key is derived from the chat; a mismatch would file the portal where no lookup finds it.
      if (portal.chatKey !== chatKey(portal.chat)) {
        throw new Error(`portal chatKey ${portal.chatKey} does not match its chat (${chatKey(portal.chat)})`);
      }
      // `on conflict do nothing` waits for a concurrent insert of the same key to commit, so when it inserts
      // nothing, the winner's row is committed and the following select (a new snapshot) sees it.
      const inserted = await db
        .insertInto('portals')
        .values({
          login_id: portal.loginId,
          chat_key: portal.chatKey,
          chat_type: portal.chat.type,
          chat_id: portal.chat.type === 'direct' ? portal.chat.contactId : portal.chat.roomId,
          room_id: portal.roomId,
          name: nullableText(portal.name),
          topic: nullableText(portal.topic),
          avatar_ref: portal.avatarRef,
          avatar_mxc: portal.avatarMxc,
          created_at: portal.createdAt,
        })
        .onConflict(conflict => conflict.columns(['login_id', 'chat_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return portalFromRow(inserted);
      const stored = await get(portal.loginId, portal.chatKey);
      if (!stored) throw new Error(`portal ${portal.loginId} ${portal.chatKey} conflicted but cannot be read back`);
      return stored;
    },
    async update(loginId, key, changes) {
      const row: Updateable<PortalsTable> = definedOnly({
        name: changes.name === undefined ? undefined : nullableText(changes.name),
        topic: changes.topic === undefined ? undefined : nullableText(changes.topic),
        avatar_ref: changes.avatarRef,
        avatar_mxc: changes.avatarMxc,
      });
      if (Object.keys(row).length === 0) return;
      await db.updateTable('portals').set(row).where('login_id', '=', loginId).where('chat_key', '=', key).execute();
    },
    async listByLogin(loginId) {
      const rows = await db
        .selectFrom('portals')
        .selectAll()
        .where('login_id', '=', loginId)
        .orderBy('created_at')
        .orderBy('chat_key')
        .execute();
      return rows.map(portalFromRow);
    },
  };
}

// --------------------------------------------------------------------------------------------- ghosts

function ghostFromRow(row: Selectable<GhostsTable>): GhostRecord {
  return {
    mxid: row.mxid,
    providerId: row.provider_id,
    contactId: contactId(row.contact_id),
    displayName: row.display_name,
    avatarRef: row.avatar_ref,
    avatarMxc: row.avatar_mxc,
    registered: row.registered,
  };
}

function createGhostRepository(db: Kysely<Database>): GhostRepository {
  return {
    async get(mxid) {
      const row = await db.selectFrom('ghosts').selectAll().where('mxid', '=', mxid).executeTakeFirst();
      return row && ghostFromRow(row);
    },
    async upsert(ghost) {
      await db
        .insertInto('ghosts')
        .values({
          mxid: ghost.mxid,
          provider_id: ghost.providerId,
          contact_id: ghost.contactId,
          display_name: nullableText(ghost.displayName),
          avatar_ref: ghost.avatarRef,
          avatar_mxc: ghost.avatarMxc,
          registered: ghost.registered,
        })
        .onConflict(conflict =>
          conflict.column('mxid').doUpdateSet(update => ({
            provider_id: update.ref('excluded.provider_id'),
            contact_id: update.ref('excluded.contact_id'),
            display_name: update.ref('excluded.display_name'),
            avatar_ref: update.ref('excluded.avatar_ref'),
            avatar_mxc: update.ref('excluded.avatar_mxc'),
            registered: update.ref('excluded.registered'),
          })),
        )
        .execute();
    },
  };
}

// ------------------------------------------------------------------------------------------- messages

function mappingFromRow(row: Selectable<MessageMapTable>): MessageMapping {
  return {
    loginId: row.login_id,
    chatKey: row.chat_key,
    wechatMessageId: messageId(row.wechat_message_id),
    roomId: row.room_id,
    eventId: row.event_id,
    senderContactId: row.sender_contact_id === null ? null : contactId(row.sender_contact_id),
    direction: row.direction,
    createdAt: toSafeInteger(row.created_at),
  };
}

function createMessageMapRepository(db: Kysely<Database>): MessageMapRepository {
  return {
    async insert(mapping) {
      const inserted = await db
        .insertInto('message_map')
        .values({
          login_id: mapping.loginId,
          chat_key: mapping.chatKey,
          wechat_message_id: mapping.wechatMessageId,
          room_id: mapping.roomId,
          event_id: mapping.eventId,
          sender_contact_id: mapping.senderContactId,
          direction: mapping.direction,
          created_at: mapping.createdAt,
        })
        // No conflict target: a duplicate on either unique key (WeChat id, or event id) is ignored.
        .onConflict(conflict => conflict.doNothing())
        .returning('login_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async getByWechatId(loginId, wechatMessageId) {
      const row = await db
        .selectFrom('message_map')
        .selectAll()
        .where('login_id', '=', loginId)
        .where('wechat_message_id', '=', wechatMessageId)
        .executeTakeFirst();
      return row && mappingFromRow(row);
    },
    async getByEventId(eventId) {
      const row = await db.selectFrom('message_map').selectAll().where('event_id', '=', eventId).executeTakeFirst();
      return row && mappingFromRow(row);
    },
  };
}

// ------------------------------------------------------------------------------------- inbox / outbox

function inboxEntryFromRow(row: Selectable<InboxTable>): InboxEntry {
  return {
    id: toSafeInteger(row.id),
    loginId: row.login_id,
    dedupKey: row.dedup_key,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    receivedAt: toSafeInteger(row.received_at),
  };
}

/**
 * `'pending'` written into the SQL rather than bound: the partial index `inbox_pending_idx` only serves a query
 * whose predicate visibly implies `status = 'pending'`, which a parameter does not once a plan is cached.
 */
const pendingLiteral = sql.lit('pending' as const);

function createInboxRepository(db: Kysely<Database>): InboxRepository {
  return {
    async enqueue(entry) {
      const row = await db
        .insertInto('inbox')
        .values({
          login_id: entry.loginId,
          dedup_key: entry.dedupKey,
          event: toJsonText(entry.event),
          received_at: entry.receivedAt,
        })
        .onConflict(conflict => conflict.columns(['login_id', 'dedup_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && inboxEntryFromRow(row);
    },
    async listPending(limit) {
      const rows = await db
        .selectFrom('inbox')
        .selectAll()
        .where('status', '=', pendingLiteral)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(inboxEntryFromRow);
    },
    async markDone(id) {
      await db.updateTable('inbox').set({ status: 'done' }).where('id', '=', id).execute();
    },
    async markAttemptFailed(id, error, final) {
      // Only a pending entry: a late report from a stale attempt must not revive or re-fail a settled one.
      await db
        .updateTable('inbox')
        .set(update => ({
          attempts: sql<number>`${update.ref('attempts')} + 1`,
          last_error: toStorableText(error),
          ...(final ? { status: 'failed' as const } : {}),
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    async countPending() {
      const { count } = await db
        .selectFrom('inbox')
        .select(select => select.fn.countAll<string | number | bigint>().as('count'))
        .where('status', '=', pendingLiteral)
        .executeTakeFirstOrThrow();
      return toSafeInteger(count);
    },
  };
}

function outboxEntryFromRow(row: Selectable<OutboxTable>): OutboxEntry {
  return {
    id: toSafeInteger(row.id),
    eventId: row.event_id,
    roomId: row.room_id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: toSafeInteger(row.next_attempt_at),
    lastError: row.last_error,
    receivedAt: toSafeInteger(row.received_at),
  };
}

function createOutboxRepository(db: Kysely<Database>): OutboxRepository {
  return {
    async enqueue(entry) {
      const inserted = await db
        .insertInto('outbox')
        .values({
          event_id: entry.eventId,
          room_id: entry.roomId,
          event: toJsonText(entry.event),
          next_attempt_at: entry.receivedAt,
          received_at: entry.receivedAt,
        })
        .onConflict(conflict => conflict.column('event_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async listDue(now, limit) {
      const rows = await db
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(outboxEntryFromRow);
    },
    async markDone(id) {
      await db.updateTable('outbox').set({ status: 'done' }).where('id', '=', id).execute();
    },
    async markAttemptFailed(id, error, nextAttemptAt) {
      // Only a pending entry: a late report from a stale attempt must not revive or re-fail a settled one.
      await db
        .updateTable('outbox')
        .set(update => ({
          attempts: sql<number>`${update.ref('attempts')} + 1`,
          last_error: toStorableText(error),
          ...(nextAttemptAt === null ? { status: 'failed' as const } : { next_attempt_at: nextAttemptAt }),
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    async postpone(id, nextAttemptAt, reason) {
      await db
        .updateTable('outbox')
        .set({ last_error: toStorableText(reason), next_attempt_at: nextAttemptAt })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    async countPending() {
      const { count } = await db
        .selectFrom('outbox')
        .select(select => select.fn.countAll<string | number | bigint>().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return toSafeInteger(count);
    },
    async countPendingByLogin() {
      const rows = await db
        .selectFrom('outbox')
        .innerJoin('portals', 'portals.room_id', 'outbox.room_id')
        .select(['portals.login_id as loginId', select => select.fn.countAll<string | number | bigint>().as('count')])
        .where('outbox.status', '=', 'pending')
        .groupBy('portals.login_id')
        .execute();
      return new Map(rows.map(row => [row.loginId, toSafeInteger(row.count)]));
    },
  };
}

// ------------------------------------------------------------------------------------- small records

function createAppserviceTransactionRepository(db: Kysely<Database>): AppserviceTransactionRepository {
  return {
    async isCompleted(txnId) {
      const row = await db.selectFrom('appservice_txn').select('txn_id').where('txn_id', '=', txnId).executeTakeFirst();
      return row !== undefined;
    },
    async markCompleted(txnId, at) {
      await db
        .insertInto('appservice_txn')
        .values({ txn_id: txnId, completed_at: at })
        .onConflict(conflict => conflict.column('txn_id').doNothing())
        .execute();
    },
  };
}

function createKeyValueRepository(db: Kysely<Database>): KeyValueRepository {
  return {
    async get(key) {
      const row = await db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(key, value) {
      await db
        .insertInto('kv')
        .values({ key, value })
        .onConflict(conflict => conflict.column('key').doUpdateSet(update => ({ value: update.ref('excluded.value') })))
        .execute();
    },
    async delete(key) {
      await db.deleteFrom('kv').where('key', '=', key).execute();
    },
  };
}
