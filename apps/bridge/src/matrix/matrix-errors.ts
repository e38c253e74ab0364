import { MatrixPortError } from '@wechat/bridge-core';

/**
 * Converts whatever a homeserver call threw into a `MatrixPortError`. matrix-bot-sdk throws three shapes: a
 * `MatrixError` (JSON error body: errcode, statusCode), the raw `request` response object (a non-2xx answer
 * without a JSON errcode, e.g. a proxy's HTML 502), or the `request` library's network error (ECONNREFUSED,
 * ETIMEDOUT…). The checks are structural because bot-sdk's classes may come from another copy of the module.
 */
export function toMatrixPortError(error: unknown, action: string): MatrixPortError {
  if (MatrixPortError.isInstance(error)) return error;
  if (isRecord(error) && typeof error.statusCode === 'number') {
    const statusCode = error.statusCode;
    const body = isRecord(error.body) ? error.body : undefined;
    const errcode =
      typeof error.errcode === 'string' ? error.errcode : typeof body?.errcode === 'string' ? body.errcode : undefined;
    const detail = typeof body?.error === 'string' ? body.error : typeof error.error === 'string' ? error.error : undefined;
    const described = [errcode, detail].filter(part => part !== undefined).join(': ');
    return new MatrixPortError({
      message: `${action} failed: HTTP ${statusCode}${described === '' ? '' : ` ${described}`}`,
      ...(errcode === undefined ? {} : { errcode }),
      statusCode,
      // A raw response object drags a socket and a parser along; only real errors are worth keeping as cause.
      ...(error instanceof Error ? { cause: error } : {}),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MatrixPortError({ message: `${action} failed: ${message}`, cause: error });
}

/** A 2xx answer that lacks what the API promises (a proxy's HTML page, a broken server). */
export function unexpectedResponse(action: string, missing: string): MatrixPortError {
  return new MatrixPortError({ message: `${action} failed: the homeserver's answer has no ${missing}` });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
