import type { RoomCapabilitiesV1 } from './provider-v1-capabilities.ts';
import type { ContactV1, RoomMemberV1, RoomV1 } from './provider-v1-entities.ts';
import type { WechatError } from '../../errors/wechat-error.ts';
import type { ContactId, RoomId } from './provider-v1-ids.ts';
import type {
  FetchHistoryParamsV1,
  FetchHistoryResultV1,
  MediaDownloadV1,
  MediaRefV1,
  MessageRefV1,
  OutgoingMessageV1,
  SendMessageResultV1,
} from './provider-v1-message.ts';
import type { SessionStateV1 } from './provider-v1-state.ts';

/** Modelled on mautrix's LoginProcess: QR first, but any sequence of steps is allowed. */
export type LoginStepV1 =
  /** `data` is the text to encode as a QR code (a URL); `expiresAt` is milliseconds since the epoch. */
  | { readonly type: 'qr-code'; readonly data: string; readonly expiresAt?: number }
  /** The code was scanned; the user must confirm on the phone. */
  | { readonly type: 'waiting-for-confirmation'; readonly message: string; readonly name?: string; readonly avatarUrl?: string }
  | { readonly type: 'complete'; readonly self: ContactV1 };

/**
 * Every step a login process resolves with is also emitted as a `login-step` event, so hosts that only listen
 * to events see the same progress.
 */
export interface LoginProcessV1 {
  /** Begins the login and resolves with the first step (usually a QR code). Called once. */
  start(): Promise<LoginStepV1>;
  /**
   * Resolves with the next step: a refreshed QR code when the old one expired, `waiting-for-confirmation`,
   * or `complete`. Rejects with a typed error when the login fails, times out or is cancelled.
   */
  next(): Promise<LoginStepV1>;
  /** Abandons the login; a pending `next()` rejects with `WechatAuthenticationError` (`AUTH_REQUIRED`). Idempotent. */
  cancel(): Promise<void>;
}

export interface HealthReportV1 {
  readonly healthy: boolean;
  /** Round-trip time of the check, when measured. */
  readonly latencyMs?: number;
  readonly error?: WechatError;
  readonly details?: string;
}

/**
 * One WeChat account. Created by `ProviderV1.createSession`, which does no IO; connecting happens in `start()`.
 *
 * Rules (checked by @wechat/provider-testkit):
 * - A new session is `stopped`. `start()` on a started session does nothing.
 * - `start()` rejects only for programming and config errors. Connection problems are reported through
 *   `state-changed` events with a typed `error`, and the session keeps trying to recover by itself.
 * - A `state-changed` event is emitted for every real change, never for "changes" to the same state.
 * - Sending while not connected throws `WechatAuthenticationError` (`AUTH_REQUIRED`) when a login is needed,
 *   and the retryable `WechatProviderUnavailableError` otherwise (stopped, connecting, disconnected).
 * - Own sends are echoed as `message-received` with `isSelf: true`; the echo should carry the `messageId` the
 *   send returned when the remote side makes that possible (hosts de-duplicate on it).
 * - `stop()` is idempotent. After it resolves there are no timers, no sockets and no further `emit` calls.
 *   A stopped session can be started again.
 * - Every optional method exists if and only if its capability is not `none` (see `optionalMethodsV1`).
 * - Errors are `WechatError`s with the right `code` and `retryable`.
 */
export interface ProviderSessionV1 {
  readonly specificationVersion: 'v1';
  readonly providerId: string;
  /** The current state; no IO. Every change is also emitted as `state-changed`. */
  readonly state: SessionStateV1;

  start(): Promise<void>;
  stop(): Promise<void>;
  /** Ends the WeChat login (the device is signed out) and forgets the persisted session. Ends in `logged-out`. */
  logout(): Promise<void>;

  /** The logged-in account. Throws `WechatAuthenticationError` when not logged in. */
  getSelf(): Promise<ContactV1>;
  /** Throws `WechatNotFoundError` for an unknown id. */
  getContact(contactId: ContactId): Promise<ContactV1>;
  getRoom(roomId: RoomId): Promise<RoomV1>;
  listRoomMembers(roomId: RoomId): Promise<readonly RoomMemberV1[]>;
  sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1>;
  downloadMedia(media: MediaRefV1, options?: { readonly signal?: AbortSignal }): Promise<MediaDownloadV1>;

  /** `capabilities.login === 'interactive'`. */
  login?(): Promise<LoginProcessV1>;
  /** `capabilities.recall`. */
  recallMessage?(target: MessageRefV1): Promise<void>;
  /** `capabilities.contacts.list`. */
  listContacts?(): Promise<readonly ContactV1[]>;
  /** `capabilities.contacts.setRemark`. */
  setContactRemark?(contactId: ContactId, remark: string): Promise<void>;
  /** `capabilities.rooms.list`. */
  listRooms?(): Promise<readonly RoomV1[]>;
  /** `capabilities.rooms.create`. Resolves with the new room's id. */
  createRoom?(params: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId>;
  /** `capabilities.rooms.invite`. */
  inviteToRoom?(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void>;
  /** `capabilities.rooms.remove`. */
  removeFromRoom?(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void>;
  /** `capabilities.rooms.rename`. */
  renameRoom?(roomId: RoomId, name: string): Promise<void>;
  /** `capabilities.rooms.setTopic`: the group announcement. */
  setRoomTopic?(roomId: RoomId, topic: string): Promise<void>;
  /** `capabilities.rooms.leave`. */
  leaveRoom?(roomId: RoomId): Promise<void>;
  /** `capabilities.friendRequests`; `requestId` comes from a `friend-request-received` event. */
  acceptFriendRequest?(requestId: string): Promise<void>;
  /** `capabilities.history`. */
  fetchHistory?(params: FetchHistoryParamsV1): Promise<FetchHistoryResultV1>;

  /** Optional without a capability: narrows the static capabilities for one room. */
  getRoomCapabilities?(roomId: RoomId): Promise<RoomCapabilitiesV1>;
  /** Optional without a capability: an active health probe, used by @wechat/failover when present. */
  checkHealth?(): Promise<HealthReportV1>;
}
