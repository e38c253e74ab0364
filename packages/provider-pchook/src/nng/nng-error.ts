/**
 * What can go wrong on an NNG pair1 pipe. Transport-level on purpose: the WeChatFerry client turns these into
 * the contract's typed errors (`WechatProviderUnavailableError`), keeping the code as the cause.
 */
export type NngErrorCode =
  /** The peer's 8-byte SP header is not `00 53 50 00 … 00 00`. */
  | 'handshake-invalid'
  /** The peer speaks another SP protocol (nng: NNG-PEER-MISMATCH), e.g. legacy nanomsg PAIR v0 (0x10). */
  | 'peer-mismatch'
  /** pair1 takes one peer; this one arrived while another was attached (nng: NNG-PAIR-BUSY). */
  | 'peer-busy'
  /** A frame announced more than the configured maximum. */
  | 'message-too-large'
  /** A frame too short to hold the hop count, or a hop count above 0xff. */
  | 'frame-malformed'
  | 'connect-failed'
  | 'timeout'
  | 'closed';

export class NngError extends Error {
  readonly code: NngErrorCode;

  constructor(code: NngErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NngError';
    this.code = code;
  }

  static is(error: unknown, code?: NngErrorCode): error is NngError {
    return error instanceof NngError && (code === undefined || error.code === code);
  }
}
