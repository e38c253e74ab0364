import type { ProviderEventV1 } from '@wechat/provider-api';
import type { ColumnType, GeneratedAlways, JSONColumnType } from 'kysely';
import type { MatrixEventJson } from './bridge-store.ts';

/**
 * The tables behind `BridgeStore`, as kysely sees them. Column names are snake_case; the repositories map rows
 * to the camelCase records of `bridge-store.ts`, so nothing outside `store/` depends on this file's shape.
 *
 * Every WeChat or Matrix identifier is `text`: WeChat message ids exceed 2^53 and must never pass through a JS
 * number. Timestamps are `bigint` milliseconds since the epoch.
 */
export interface Database {
  readonly users: UsersTable;
  readonly logins: LoginsTable;
  readonly session_storage: SessionStorageTable;
  readonly portals: PortalsTable;
  readonly ghosts: GhostsTable;
  readonly message_map: MessageMapTable;
  readonly inbox: InboxTable;
  readonly outbox: OutboxTable;
  readonly appservice_txn: AppserviceTxnTable;
  readonly kv: KvTable;
}

/**
 * A PostgreSQL `bigint` (int8) as the drivers return it: `pg` gives a string (int8 does not fit a JS number in
 * general), PGlite a number or, beyond 2^53, a bigint. Repositories convert explicitly with `toSafeInteger`.
 * Written as a number: every int8 here is a millisecond timestamp or a row id, far below 2^53.
 */
export type Int8 = ColumnType<string | number | bigint, number, number>;

/** The statuses shared by the inbox and the outbox (a `check` constraint in the schema). */
export type QueueStatus = 'pending' | 'done' | 'failed';

export interface UsersTable {
  readonly mxid: string;
  readonly management_room_id: string | null;
}

export interface LoginsTable {
  readonly id: string;
  readonly owner_mxid: string;
  readonly provider_id: string;
  readonly self_contact_id: string | null;
  readonly self_name: string | null;
  readonly space_room_id: string | null;
  readonly state: string;
  readonly created_at: Int8;
}

export interface SessionStorageTable {
  readonly login_id: string;
  readonly key: string;
  readonly value: string;
}

export interface PortalsTable {
  readonly login_id: string;
  readonly chat_key: string;
  /** `ChatRefV1` as two columns (`direct` + contact id, or `room` + room id). */
  readonly chat_type: 'direct' | 'room';
  readonly chat_id: string;
  readonly room_id: string;
  readonly name: string | null;
  readonly topic: string | null;
  readonly avatar_ref: string | null;
  readonly avatar_mxc: string | null;
  readonly created_at: Int8;
}

export interface GhostsTable {
  readonly mxid: string;
  readonly provider_id: string;
  readonly contact_id: string;
  readonly display_name: string | null;
  readonly avatar_ref: string | null;
  readonly avatar_mxc: string | null;
  readonly registered: boolean;
}

export interface MessageMapTable {
  readonly login_id: string;
  readonly chat_key: string;
  readonly wechat_message_id: string;
  readonly room_id: string;
  readonly event_id: string;
  readonly sender_contact_id: string | null;
  readonly direction: 'inbound' | 'outbound';
  readonly created_at: Int8;
}

export interface InboxTable {
  readonly id: GeneratedAlways<string | number | bigint>;
  readonly login_id: string;
  readonly dedup_key: string;
  /** `jsonb`; written as JSON text (see `toJsonText`). */
  readonly event: JSONColumnType<ProviderEventV1>;
  readonly status: ColumnType<QueueStatus, QueueStatus | undefined, QueueStatus>;
  readonly attempts: ColumnType<number, number | undefined, number>;
  readonly last_error: string | null;
  readonly received_at: Int8;
}

export interface OutboxTable {
  readonly id: GeneratedAlways<string | number | bigint>;
  readonly event_id: string;
  readonly room_id: string;
  /** `jsonb`; written as JSON text (see `toJsonText`). */
  readonly event: JSONColumnType<MatrixEventJson>;
  readonly status: ColumnType<QueueStatus, QueueStatus | undefined, QueueStatus>;
  readonly attempts: ColumnType<number, number | undefined, number>;
  readonly next_attempt_at: Int8;
  readonly last_error: string | null;
  readonly received_at: Int8;
}

export interface AppserviceTxnTable {
  readonly txn_id: string;
  readonly completed_at: Int8;
}

/** Small bridge-wide values (for example the last version that ran), as text the caller encodes. */
export interface KvTable {
  readonly key: string;
  readonly value: string;
}
