import { Buffer } from 'node:buffer';
import {
  type ProviderEventV1,
  type SessionStateV1,
  WechatAuthenticationError,
  WechatConfigValidationError,
  WechatError,
  WechatInvalidArgumentError,
  WechatInvalidProviderError,
  WechatMediaTooLargeError,
  WechatNoSuchProviderError,
  WechatNotFoundError,
  WechatProviderLoadError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatRiskControlError,
  WechatUnsupportedCapabilityError,
  WechatUnsupportedSpecificationVersionError,
} from '@wechat/provider-api';

// What the remote mock server and its provider say to each other: JSON with two tagged shapes (bytes and typed
// errors), event ids, and the names of routes and headers. Both sides import this file, so they cannot drift.

/** The session methods a client may call through `POST /sessions/:key/call` (logins have their own routes). */
export const remoteSessionMethods = [
  'start',
  'stop',
  'logout',
  'getSelf',
  'getContact',
  'getRoom',
  'listRoomMembers',
  'sendMessage',
  'downloadMedia',
  'recallMessage',
  'listContacts',
  'setContactRemark',
  'listRooms',
  'createRoom',
  'inviteToRoom',
  'removeFromRoom',
  'renameRoom',
  'setRoomTopic',
  'leaveRoom',
  'acceptFriendRequest',
  'fetchHistory',
  'getRoomCapabilities',
  'checkHealth',
] as const;
export type RemoteSessionMethod = (typeof remoteSessionMethods)[number];

export const remoteLoginActions = ['start', 'next', 'cancel'] as const;
export type RemoteLoginAction = (typeof remoteLoginActions)[number];

/** Names the client session, so the server can tell a restarted app (a new device) from a reconnecting one. */
export const clientIdHeader = 'x-remote-mock-client';
/** The SSE header, also sent with calls: what the client has seen, so the server can answer with the rest. */
export const lastEventIdHeader = 'last-event-id';
/** Query parameter of `GET /sessions/:key/events`: this client starts the session and takes it over. */
export const claimParameter = 'claim';
/** The SSE event the server sends after the replay: the session's state now, so a reconnecting client resyncs. */
export const readyEventName = 'ready';

export interface RemoteReadyV1 {
  readonly state: SessionStateV1;
}

/**
 * An event id: `<epoch>:<sequence>`. The sequence increments per session; the epoch is random per session
 * record, so a client that reconnects to a restarted server learns that numbering began again instead of
 * discarding the new events as ones it has already seen.
 */
export interface RemoteEventId {
  readonly epoch: string;
  readonly sequence: number;
}

export function formatEventId(id: RemoteEventId): string {
  return `${id.epoch}:${id.sequence}`;
}

export function parseEventId(text: string | undefined): RemoteEventId | undefined {
  if (text === undefined) return undefined;
  const match = /^(.+):(\d{1,15})$/.exec(text);
  if (match === null) return undefined;
  return { epoch: match[1] as string, sequence: Number(match[2]) };
}

/** One provider event with its id, as streamed and as piggybacked on call answers. */
export interface RemoteEventV1 {
  readonly id: string;
  readonly event: ProviderEventV1;
}

/**
 * The answer to every call and login route: the result or the typed error, plus the session's events the
 * client has not acknowledged yet. Delivering them with the answer makes a call's effects (a `state-changed`
 * after `logout()`) visible when the call resolves, whatever the event stream is doing.
 */
export interface RemoteAnswerV1 {
  readonly result?: unknown;
  readonly error?: WechatError;
  readonly events?: readonly RemoteEventV1[];
}

// ── JSON ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A WechatError as data: the base fields plus its class's own (`capability`, `retryAfterMs`, `entity`, …). */
export interface SerializedWechatErrorV1 {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly providerId?: string;
  readonly [field: string]: unknown;
}

type Tagged = { readonly $bytes: string } | { readonly $error: SerializedWechatErrorV1 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `JSON.stringify` replacer: `Uint8Array` becomes `{ "$bytes": "<base64>" }` and a `WechatError`
 * `{ "$error": { name, code, … } }`, wherever they are. It looks at `this[key]`, the value before `toJSON`:
 * WechatError's own `toJSON` drops the class-specific fields, and Buffer's turns bytes into a number array.
 */
export function wireReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) {
    return { $bytes: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') } satisfies Tagged;
  }
  if (WechatError.isInstance(original)) return { $error: serializeWechatError(original) } satisfies Tagged;
  return value;
}

/** `JSON.parse` reviver, the inverse of `wireReplacer`: plain `Uint8Array`s (not Buffers) and typed errors. */
export function wireReviver(_key: string, value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  if (typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
  if (isRecord(value.$error) && typeof value.$error.name === 'string') {
    return deserializeWechatError(value.$error as unknown as SerializedWechatErrorV1);
  }
  return value;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, wireReplacer);
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, wireReviver);
}

// ── typed errors ─────────────────────────────────────────────────────────────────────────────────────────────

/** Every own enumerable field (the class-specific ones included), without the stack and the cause. */
export function serializeWechatError(error: WechatError): SerializedWechatErrorV1 {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    // The cause may be anything (a socket error, a cycle); its message already made it into `message`.
    if (key !== 'cause' && key !== 'stack' && value !== undefined) fields[key] = value;
  }
  return {
    ...fields,
    name: error.name,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.providerId === undefined ? {} : { providerId: error.providerId }),
  };
}

type Fields = SerializedWechatErrorV1;
const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const list = <T>(value: unknown): readonly T[] => (Array.isArray(value) ? (value as T[]) : []);
const provider = (fields: Fields) => (fields.providerId === undefined ? {} : { providerId: fields.providerId });

/**
 * One constructor call per class of @wechat/provider-api. Each class sets its own `Symbol.for` marker, so
 * `isInstance` holds on the rebuilt error; messages some classes compute are restored afterwards.
 */
const rebuilders: Readonly<Record<string, (fields: Fields) => WechatError>> = {
  WechatConfigValidationError: fields =>
    new WechatConfigValidationError({
      path: text(fields.path),
      issues: list(fields.issues),
      message: fields.message,
      ...provider(fields),
    }),
  WechatNoSuchProviderError: fields =>
    new WechatNoSuchProviderError({ providerId: text(fields.providerId), availableProviders: list(fields.availableProviders) }),
  WechatProviderLoadError: fields =>
    new WechatProviderLoadError({ moduleName: text(fields.moduleName), message: fields.message }),
  WechatUnsupportedSpecificationVersionError: fields =>
    new WechatUnsupportedSpecificationVersionError({
      received: fields.received,
      supported: list(fields.supported),
      ...provider(fields),
    }),
  WechatInvalidProviderError: fields => new WechatInvalidProviderError({ problems: list(fields.problems), ...provider(fields) }),
  WechatUnsupportedCapabilityError: fields =>
    new WechatUnsupportedCapabilityError({ capability: text(fields.capability), message: fields.message, ...provider(fields) }),
  WechatProviderUnavailableError: fields => new WechatProviderUnavailableError({ message: fields.message, ...provider(fields) }),
  WechatRateLimitedError: fields => {
    const retryAfterMs = number(fields.retryAfterMs);
    return new WechatRateLimitedError({
      message: fields.message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...provider(fields),
    });
  },
  WechatRiskControlError: fields => {
    const retryAfterMs = number(fields.retryAfterMs);
    return new WechatRiskControlError({
      rule: text(fields.rule) as WechatRiskControlError['rule'],
      message: fields.message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...provider(fields),
    });
  },
  WechatAuthenticationError: fields =>
    new WechatAuthenticationError({
      code: fields.code === 'CREDENTIALS_INVALID' ? 'CREDENTIALS_INVALID' : 'AUTH_REQUIRED',
      message: fields.message,
      ...provider(fields),
    }),
  WechatRequestError: fields => {
    const statusCode = number(fields.statusCode);
    const remoteCode =
      typeof fields.remoteCode === 'string' || typeof fields.remoteCode === 'number' ? fields.remoteCode : undefined;
    return new WechatRequestError({
      operation: text(fields.operation),
      message: fields.message,
      retryable: fields.retryable,
      ...(statusCode === undefined ? {} : { statusCode }),
      ...(remoteCode === undefined ? {} : { remoteCode }),
      ...(typeof fields.responseBody === 'string' ? { responseBody: fields.responseBody } : {}),
      ...provider(fields),
    });
  },
  WechatNotFoundError: fields =>
    new WechatNotFoundError({
      entity: text(fields.entity) as WechatNotFoundError['entity'],
      id: text(fields.id),
      ...provider(fields),
    }),
  WechatMediaTooLargeError: fields =>
    new WechatMediaTooLargeError({
      maxBytes: number(fields.maxBytes) ?? 0,
      actualBytes: number(fields.actualBytes) ?? 0,
      ...provider(fields),
    }),
  WechatInvalidArgumentError: fields =>
    new WechatInvalidArgumentError({ argument: text(fields.argument), message: fields.message, ...provider(fields) }),
};

/**
 * The same class with the same fields. A name this version does not know (a newer @wechat/provider-api)
 * becomes a plain `WechatError` that keeps the name, code, retryable and every field.
 */
export function deserializeWechatError(fields: SerializedWechatErrorV1): WechatError {
  const rebuild = Object.hasOwn(rebuilders, fields.name) ? rebuilders[fields.name] : undefined;
  const error =
    rebuild?.(fields) ??
    new WechatError({
      name: fields.name,
      code: fields.code,
      message: fields.message,
      retryable: fields.retryable,
      ...provider(fields),
    });
  // Messages, codes and `retryable` the constructors derive are overwritten with what the server had.
  return Object.assign(error, fields);
}
