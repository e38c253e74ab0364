const marker = 'wechat.error';
const symbol = Symbol.for(marker);

export interface WechatErrorOptions {
  readonly message: string;
  readonly cause?: unknown;
  readonly providerId?: string;
}

/**
 * The base of every error this contract defines. Decisions (retry, failover, what to tell the user) are made
 * on `code` and `retryable`, never on the message text.
 *
 * `isInstance` checks a `Symbol.for` marker instead of the prototype chain, so it works when two copies of
 * this package are installed (a bot and a provider depending on different versions).
 */
export class WechatError extends Error {
  private readonly [symbol] = true;
  readonly code: string;
  /** True when the same call may succeed later, or through another provider. */
  readonly retryable: boolean;
  readonly providerId: string | undefined;

  constructor({
    name,
    code,
    message,
    retryable = false,
    providerId,
    cause,
  }: WechatErrorOptions & { readonly name: string; readonly code: string; readonly retryable?: boolean }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code;
    this.retryable = retryable;
    this.providerId = providerId;
  }

  static isInstance(error: unknown): error is WechatError {
    return WechatError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, markerName: string): boolean {
    const markerSymbol = Symbol.for(markerName);
    return (
      typeof error === 'object' &&
      error !== null &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }

  /** Plain data for logs and persisted outbox rows; the cause chain is reduced to messages. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable, providerId: this.providerId };
  }
}
