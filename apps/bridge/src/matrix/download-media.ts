import { MatrixPortError } from '@wechat/bridge-core';
import { isRecord } from './matrix-errors.ts';

export interface DownloadMediaOptions {
  /** Client-server API base URL, without a trailing slash. */
  readonly homeserverUrl: string;
  /** The as_token: authenticated media needs a user, and the bare as_token acts as the bridge bot. */
  readonly accessToken: string;
  readonly mxcUri: string;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export interface DownloadedMedia {
  readonly data: Uint8Array;
  /** The media type without parameters, `application/octet-stream` when the homeserver gave none. */
  readonly mimeType: string;
}

/** Error bodies are small JSON; anything bigger is not worth reading. */
const maxErrorBodyBytes = 64 * 1024;

/**
 * Downloads through authenticated media (`/_matrix/client/v1/media/download`, Matrix 1.11) and falls back to
 * the legacy `/_matrix/media/v3/download` only when the homeserver does not know the new endpoint — a 404 for
 * media that does not exist is final. Streams the body and stops at `maxBytes`: a declared Content-Length over
 * the limit is refused before reading, a body that grows past it is aborted. bot-sdk's `downloadContent`
 * buffers the whole body with no limit, so this does not use it.
 */
export async function downloadMedia(options: DownloadMediaOptions): Promise<DownloadedMedia> {
  const { serverName, mediaId } = parseMxcUri(options.mxcUri);
  const action = `download ${options.mxcUri}`;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const mediaPath = `${encodeURIComponent(serverName)}/${encodeURIComponent(mediaId)}?allow_redirect=true`;
  const get = (url: string) => request(url, options.accessToken, signal, action);

  let response = await get(`${options.homeserverUrl}/_matrix/client/v1/media/download/${mediaPath}`);
  if (!response.ok) {
    const failure = await readFailure(response, action);
    if (!isUnknownEndpoint(failure)) throw failure;
    response = await get(`${options.homeserverUrl}/_matrix/media/v3/download/${mediaPath}`);
    if (!response.ok) throw await readFailure(response, action);
  }

  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(action, options.maxBytes, declared);
  }
  const data = await readLimited(response, options.maxBytes, action, signal);
  if (data === undefined) throw tooLarge(action, options.maxBytes, undefined);
  const contentType = response.headers.get('content-type');
  const mimeType = contentType?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
  return { data, mimeType };
}

export function parseMxcUri(mxcUri: string): { serverName: string; mediaId: string } {
  const match = /^mxc:\/\/([^/?#]+)\/([^/?#]+)$/.exec(mxcUri);
  if (match?.[1] === undefined || match[2] === undefined) {
    // 400, as the homeserver would answer: a malformed URI will not download on a retry either.
    throw new MatrixPortError({
      message: `Not an mxc:// URI: ${JSON.stringify(mxcUri)}`,
      errcode: 'M_INVALID_PARAM',
      statusCode: 400,
    });
  }
  return { serverName: match[1], mediaId: match[2] };
}

async function request(url: string, accessToken: string, signal: AbortSignal, action: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { authorization: `Bearer ${accessToken}` }, signal, redirect: 'follow' });
  } catch (error) {
    throw networkFailure(error, action);
  }
}

function networkFailure(error: unknown, action: string): MatrixPortError {
  const reason =
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? 'timed out'
      : error instanceof Error
        ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
        : String(error);
  return new MatrixPortError({ message: `${action} failed: ${reason}`, cause: error });
}

async function readFailure(response: Response, action: string): Promise<MatrixPortError> {
  let body: unknown;
  try {
    const bytes = await readLimited(response, maxErrorBodyBytes, action, undefined);
    body = bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    body = undefined;
  }
  const errcode = isRecord(body) && typeof body.errcode === 'string' ? body.errcode : undefined;
  const detail = isRecord(body) && typeof body.error === 'string' ? `: ${body.error}` : '';
  return new MatrixPortError({
    message: `${action} failed: HTTP ${response.status}${errcode === undefined ? '' : ` ${errcode}`}${detail}`,
    ...(errcode === undefined ? {} : { errcode }),
    statusCode: response.status,
  });
}

/** The homeserver does not implement authenticated media, as opposed to "this media does not exist". */
function isUnknownEndpoint(failure: MatrixPortError): boolean {
  if (failure.errcode === 'M_UNRECOGNIZED') return true;
  // A reverse proxy in front of an old homeserver answers unknown paths without a Matrix error body.
  return (failure.statusCode === 404 || failure.statusCode === 405) && failure.errcode === 'M_UNKNOWN';
}

/** The body, or undefined when it grew past `maxBytes` (then the download is aborted). */
async function readLimited(
  response: Response,
  maxBytes: number,
  action: string,
  signal: AbortSignal | undefined,
): Promise<Uint8Array | undefined> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } catch (error) {
    throw networkFailure(signal?.aborted ? (signal.reason ?? error) : error, action);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return data;
}

function tooLarge(action: string, maxBytes: number, declared: number | undefined): MatrixPortError {
  return new MatrixPortError({
    message: `${action} refused: ${declared === undefined ? 'the file is' : `the file has ${declared} bytes,`} over the limit of ${maxBytes} bytes`,
    errcode: 'M_TOO_LARGE',
    // 413 as the homeserver itself answers M_TOO_LARGE; it also marks the error as not retryable.
    statusCode: 413,
  });
}
