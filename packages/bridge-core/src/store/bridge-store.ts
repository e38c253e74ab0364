import type { ChatRefV1, ContactId, MessageId, ProviderEventV1 } from '@wechat/provider-api';

/**
 * Everything bridge-core persists, behind one interface so the logic never sees SQL. The implementation is
 * kysely over PostgreSQL or embedded PGlite (`createKyselyBridgeStore`). All methods are safe to call from
 * several processes on one database: uniqueness is enforced by the database, not by memory.
 */
export interface BridgeStore {
  /**
   * Runs `work` in one database transaction, with a store bound to it: an error thrown by `work` rolls back
   * everything it wrote, and is rethrown. Inside `work`, use only the store it is given: PGlite has a single
   * connection, which the transaction holds, so a call through the outer store would wait forever. Called on a
   * bound store, it opens a savepoint (a nested transaction that can fail alone); do not run two at once on
   * the same bound store.
   */
  transaction<RESULT>(work: (store: BridgeStore) => Promise<RESULT>): Promise<RESULT>;

  readonly users: UserRepository;
  readonly logins: LoginRepository;
  readonly sessionStorage: SessionStorageRepository;
  readonly portals: PortalRepository;
  readonly ghosts: GhostRepository;
  readonly messages: MessageMapRepository;
  readonly inbox: InboxRepository;
  readonly outbox: OutboxRepository;
  readonly appserviceTransactions: AppserviceTransactionRepository;
  readonly kv: KeyValueRepository;

  /** Releases connections (PGlite: closes the database). Not available on a store bound to a transaction. */
  close(): Promise<void>;
}

export interface UserRecord {
  readonly mxid: string;
  /** The DM with the bot where commands and notices go. */
  readonly managementRoomId: string | null;
}

export interface UserRepository {
  get(mxid: string): Promise<UserRecord | undefined>;
  /** Creates the user or updates the management room. */
  upsert(user: UserRecord): Promise<void>;
  /** The user whose management room this is. */
  findByManagementRoom(roomId: string): Promise<UserRecord | undefined>;
}

export interface LoginRecord {
  /** Ours, stable: `<provider id>:<owner mxid>` for the first login of a user, opaque to callers. */
  readonly id: string;
  readonly ownerMxid: string;
  readonly providerId: string;
  /** The WeChat account's own contact id, once known. */
  readonly selfContactId: ContactId | null;
  readonly selfName: string | null;
  /** The per-login Space holding its portals. */
  readonly spaceRoomId: string | null;
  /** The last state the session reported, for `ping` and for restarts. */
  readonly state: string;
  readonly createdAt: number;
}

export interface LoginRepository {
  get(id: string): Promise<LoginRecord | undefined>;
  listByOwner(ownerMxid: string): Promise<LoginRecord[]>;
  /** Every login, to restart their sessions when the bridge starts. */
  listAll(): Promise<LoginRecord[]>;
  /** Creates the login or replaces its fields; `createdAt` keeps the first value. */
  upsert(login: LoginRecord): Promise<void>;
  /** Changes the given fields (`undefined` leaves one as it is, `null` clears it). */
  update(id: string, changes: Partial<Omit<LoginRecord, 'id' | 'ownerMxid' | 'createdAt'>>): Promise<void>;
  /** Deletes the login and its session storage (portals stay, so a new login can take them over). */
  delete(id: string): Promise<void>;
}

/** Backs each login's `SessionStorageV1` (login tokens, device ids). */
export interface SessionStorageRepository {
  get(loginId: string, key: string): Promise<string | undefined>;
  set(loginId: string, key: string, value: string): Promise<void>;
  delete(loginId: string, key: string): Promise<void>;
}

export interface PortalRecord {
  readonly loginId: string;
  /** `chatKey(chat)` from provider-api: `direct:<contact>` or `room:<room>`. */
  readonly chatKey: string;
  readonly chat: ChatRefV1;
  readonly roomId: string;
  readonly name: string | null;
  readonly topic: string | null;
  /** The provider's avatar ref last uploaded, and where it went, so unchanged avatars are not re-uploaded. */
  readonly avatarRef: string | null;
  readonly avatarMxc: string | null;
  readonly createdAt: number;
}

export interface PortalRepository {
  get(loginId: string, chatKey: string): Promise<PortalRecord | undefined>;
  getByRoomId(roomId: string): Promise<PortalRecord | undefined>;
  /**
   * Inserts the portal unless one exists for (loginId, chatKey); returns the one that is stored. Two processes
   * racing to create the same portal both get the winner's row (the loser must then discard its room).
   */
  insertIfAbsent(portal: PortalRecord): Promise<PortalRecord>;
  /** Changes the given fields (`undefined` leaves one as it is, `null` clears it). */
  update(
    loginId: string,
    chatKey: string,
    changes: Partial<Pick<PortalRecord, 'name' | 'topic' | 'avatarRef' | 'avatarMxc'>>,
  ): Promise<void>;
  listByLogin(loginId: string): Promise<PortalRecord[]>;
}

export interface GhostRecord {
  readonly mxid: string;
  readonly providerId: string;
  readonly contactId: ContactId;
  readonly displayName: string | null;
  readonly avatarRef: string | null;
  readonly avatarMxc: string | null;
  /** Whether the ghost is registered on the homeserver (it must be, before it is invited or sends). */
  readonly registered: boolean;
}

export interface GhostRepository {
  get(mxid: string): Promise<GhostRecord | undefined>;
  upsert(ghost: GhostRecord): Promise<void>;
}

export interface MessageMapping {
  readonly loginId: string;
  readonly chatKey: string;
  readonly wechatMessageId: MessageId;
  readonly roomId: string;
  readonly eventId: string;
  /** Who sent it on the WeChat side. */
  readonly senderContactId: ContactId | null;
  /** `inbound`: WeChat → Matrix; `outbound`: Matrix → WeChat. */
  readonly direction: 'inbound' | 'outbound';
  readonly createdAt: number;
}

export interface MessageMapRepository {
  /** Ignores a duplicate (same login + WeChat id, or same event id) and returns false for it. */
  insert(mapping: MessageMapping): Promise<boolean>;
  getByWechatId(loginId: string, wechatMessageId: MessageId): Promise<MessageMapping | undefined>;
  getByEventId(eventId: string): Promise<MessageMapping | undefined>;
}

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface InboxEntry {
  readonly id: number;
  readonly loginId: string;
  /** Provider-neutral identity of the event, e.g. `message:<id>` or `recall:<id>`; unique per login. */
  readonly dedupKey: string;
  /**
   * Stored as JSON. What PostgreSQL cannot store in text (U+0000, unpaired UTF-16 surrogates) comes back as
   * U+FFFD rather than failing the write.
   */
  readonly event: ProviderEventV1;
  readonly status: InboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly receivedAt: number;
}

export interface InboxRepository {
  /**
   * Records an event from WeChat before anything is sent to Matrix. Returns the new entry, or undefined when the
   * same (loginId, dedupKey) was already recorded (a re-delivery, or the same message through another provider).
   */
  enqueue(entry: {
    loginId: string;
    dedupKey: string;
    event: ProviderEventV1;
    receivedAt: number;
  }): Promise<InboxEntry | undefined>;
  /** Pending entries in arrival order (for replay after a crash). */
  listPending(limit: number): Promise<InboxEntry[]>;
  markDone(id: number): Promise<void>;
  /**
   * Records a failed attempt; `final` marks it failed for good (it will not be replayed). Ignored for an entry
   * that is no longer pending.
   */
  markAttemptFailed(id: number, error: string, final: boolean): Promise<void>;
  countPending(): Promise<number>;
}

export type OutboxStatus = 'pending' | 'done' | 'failed';

export interface OutboxEntry {
  readonly id: number;
  /** The Matrix event id: unique, so the same event arriving twice is stored once. */
  readonly eventId: string;
  readonly roomId: string;
  /** The Matrix event as received from the homeserver (stored as JSON, like `InboxEntry.event`). */
  readonly event: MatrixEventJson;
  readonly status: OutboxStatus;
  readonly attempts: number;
  /** Milliseconds since the epoch; entries are not retried before this. */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly receivedAt: number;
}

export interface OutboxRepository {
  /** Returns false for an event id that is already stored. Due at once (`nextAttemptAt = receivedAt`). */
  enqueue(entry: { eventId: string; roomId: string; event: MatrixEventJson; receivedAt: number }): Promise<boolean>;
  /** Pending entries due at `now`, in arrival order. */
  listDue(now: number, limit: number): Promise<OutboxEntry[]>;
  markDone(id: number): Promise<void>;
  /**
   * Schedules a retry at `nextAttemptAt`, or (`nextAttemptAt === null`) marks the entry failed for good.
   * Ignored for an entry that is no longer pending.
   */
  markAttemptFailed(id: number, error: string, nextAttemptAt: number | null): Promise<void>;
  /** Moves a pending entry's next attempt to `nextAttemptAt` without counting an attempt (it waits for something). */
  postpone(id: number, nextAttemptAt: number, reason: string): Promise<void>;
  countPending(): Promise<number>;
  /** Pending entries per login, for events in that login's portals (for `/health`). */
  countPendingByLogin(): Promise<ReadonlyMap<string, number>>;
}

export interface AppserviceTransactionRepository {
  isCompleted(txnId: string): Promise<boolean>;
  markCompleted(txnId: string, at: number): Promise<void>;
}

/** Small bridge-wide values, such as the version that last ran. Callers encode their values as text. */
export interface KeyValueRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A Matrix client-server event as JSON (`type`, `room_id`, `sender`, `event_id`, `content`, …). */
export type MatrixEventJson = Readonly<Record<string, unknown>> & {
  readonly type: string;
  readonly event_id: string;
  readonly room_id: string;
  readonly sender: string;
};
