/**
 * What bridge-core needs from Matrix, and nothing more. `apps/bridge` implements it with matrix-bot-sdk
 * against a real homeserver; tests use `createFakeMatrix()`. Every method acts as a given user (`asUser`):
 * the bridge bot or one of the ghosts in the appservice's namespace.
 *
 * Errors: implementations throw `MatrixPortError` with the homeserver's `errcode` when there is one, so callers
 * can tell "forbidden" from "down" without parsing messages.
 */
export interface MatrixPort {
  /** `@wechatbot:example.org`. */
  readonly botUserId: string;
  /** `example.org`. */
  readonly serverName: string;

  /** Registers the user if the homeserver does not know it yet (idempotent). */
  ensureRegistered(userId: string): Promise<void>;
  setDisplayName(userId: string, displayName: string): Promise<void>;
  setAvatarUrl(userId: string, mxcUri: string): Promise<void>;

  createRoom(asUser: string, options: MatrixCreateRoomOptions): Promise<string>;
  invite(asUser: string, roomId: string, userId: string): Promise<void>;
  join(asUser: string, roomId: string): Promise<void>;
  leave(asUser: string, roomId: string): Promise<void>;
  /** Users whose membership is `join`. */
  getJoinedMembers(roomId: string): Promise<string[]>;
  setState(asUser: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string>;

  /**
   * Sends a message-like event and returns its event id. `transactionId` makes a retried send idempotent on the
   * homeserver (the same id returns the same event instead of a second one).
   */
  sendEvent(
    asUser: string,
    roomId: string,
    type: string,
    content: Record<string, unknown>,
    options?: { readonly transactionId?: string; readonly timestamp?: number },
  ): Promise<string>;
  redact(asUser: string, roomId: string, eventId: string, reason?: string): Promise<string>;
  sendReadReceipt(asUser: string, roomId: string, eventId: string): Promise<void>;

  uploadContent(asUser: string, data: Uint8Array, mimeType: string, fileName?: string): Promise<string>;
  /** Refuses (`MatrixPortError` with errcode `M_TOO_LARGE`) before downloading more than `maxBytes`. */
  downloadContent(mxcUri: string, options: { readonly maxBytes: number }): Promise<{ data: Uint8Array; mimeType: string }>;
}

export interface MatrixCreateRoomOptions {
  readonly name?: string;
  readonly topic?: string;
  readonly invite?: readonly string[];
  readonly isDirect?: boolean;
  /** `private_chat` by default. */
  readonly preset?: 'private_chat' | 'trusted_private_chat' | 'public_chat';
  readonly initialState?: readonly { type: string; state_key: string; content: Record<string, unknown> }[];
  readonly powerLevelContentOverride?: Record<string, unknown>;
  /** `m.space` for Spaces. */
  readonly roomType?: string;
}

// The marker is read reflectively by isInstance (biome.json exempts this file from the unused-member rule).
const marker = Symbol.for('wechat.matrix-port-error');

export class MatrixPortError extends Error {
  private readonly [marker] = true;
  /** The homeserver's errcode (`M_FORBIDDEN`, `M_NOT_FOUND`, `M_LIMIT_EXCEEDED`, …), or `M_UNKNOWN`. */
  readonly errcode: string;
  /** HTTP status, when there was a response. */
  readonly statusCode: number | undefined;
  /** True for network failures, 429 and 5xx: the same call may succeed later. */
  readonly retryable: boolean;

  constructor({
    message,
    errcode,
    statusCode,
    cause,
  }: { message: string; errcode?: string; statusCode?: number; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'MatrixPortError';
    this.errcode = errcode ?? 'M_UNKNOWN';
    this.statusCode = statusCode;
    this.retryable = statusCode === undefined || statusCode === 429 || statusCode >= 500;
  }

  static isInstance(error: unknown): error is MatrixPortError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
