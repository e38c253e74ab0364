/** What went wrong, as a stable machine-readable code. */
export type VoiceConversionErrorCode = 'INVALID_SILK' | 'INVALID_OGG' | 'UNSUPPORTED_OPUS' | 'CODEC_FAILURE';

// A registry-wide symbol, so `isInstance` also recognises errors thrown by another copy of this package.
const voiceConversionErrorMarker = Symbol.for('wechat.voice.conversion-error');

/**
 * The only error the conversions and the Ogg/Opus readers throw for bad input or a failing codec.
 * `INVALID_SILK` / `INVALID_OGG`: the input is not what it claims to be (wrong magic, CRC mismatch, truncated).
 * `UNSUPPORTED_OPUS`: a well-formed Ogg Opus stream this package cannot decode (e.g. surround mapping).
 * `CODEC_FAILURE`: silk-wasm or libopus rejected the data or failed.
 */
export class VoiceConversionError extends Error {
  override readonly name = 'VoiceConversionError';
  readonly code: VoiceConversionErrorCode;
  readonly [voiceConversionErrorMarker] = true;

  constructor(code: VoiceConversionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  static isInstance(error: unknown): error is VoiceConversionError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[voiceConversionErrorMarker] === true;
  }
}

/** A short description of an unknown thrown value, for error messages. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
