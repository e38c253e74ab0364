export type GeweCallbackErrorReason =
  /** The body is not JSON. */
  | 'invalid-json'
  /** The body is JSON but not an object. */
  | 'not-an-object'
  /** A known callback type lacks what it cannot do without (an AddMsg without ids or sender, a contact without user name). */
  | 'invalid-payload'
  /** A media ref this package did not mint (or from an incompatible version). */
  | 'foreign-media-ref'
  /** A friend-request id this package did not mint. */
  | 'foreign-request-id';

/**
 * Raised for input this package cannot make sense of at all. Not a `WechatError`: callers decide what it
 * means for them (a callback server logs and drops the body; `downloadMedia` maps it to a request error).
 */
export class GeweCallbackError extends Error {
  readonly reason: GeweCallbackErrorReason;

  constructor(reason: GeweCallbackErrorReason, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GeweCallbackError';
    this.reason = reason;
  }
}
