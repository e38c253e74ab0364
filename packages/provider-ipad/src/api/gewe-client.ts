import {
  type Logger,
  WechatAuthenticationError,
  type WechatError,
  WechatProviderUnavailableError,
  WechatRequestError,
} from '@wechat/provider-api';
import { idString, parseGeweJson } from './gewe-json.ts';
import { type HttpResponse, type HttpTransport, HttpTransportError } from './http-transport.ts';

export interface GeweClientOptions {
  /** `http://host:2531/v2/api`. */
  readonly apiEndpoint: string;
  /** `http://host:2532/download`. */
  readonly downloadEndpoint: string;
  readonly transport: HttpTransport;
  readonly providerId: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/** The file server's default address: the API host on port 2532 (reference B.1). */
export function defaultDownloadEndpoint(apiEndpoint: string): string {
  const url = new URL(apiEndpoint);
  url.port = '2532';
  url.pathname = '/download';
  return url.toString().replace(/\/$/, '');
}

/**
 * GeWeChat's HTTP API: every call is a POST with a JSON body and `X-GEWE-TOKEN`, answered with
 * `{ret, msg, data}` where only `ret == 200` is success, whatever the HTTP status (reference B.1).
 */
export class GeweClient {
  readonly #options: GeweClientOptions;
  #token: string | undefined;

  constructor(options: GeweClientOptions) {
    this.#options = options;
  }

  set token(token: string | undefined) {
    this.#token = token;
  }

  get token(): string | undefined {
    return this.#token;
  }

  /** `/tools/getTokenId`: the service's token, which changes when its container is reset. No header needed. */
  async fetchToken(signal?: AbortSignal): Promise<string> {
    const data = await this.#call('/tools/getTokenId', {}, { authenticated: false, ...(signal ? { signal } : {}) });
    const token = typeof data === 'string' ? data : undefined;
    if (token === undefined || token === '') {
      throw this.#requestError('/tools/getTokenId', 'the service answered without a token', { retryable: true });
    }
    return token;
  }

  /** One API call; resolves with `data`. */
  post<T = unknown>(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    return this.#call(path, body, { authenticated: true, ...(signal ? { signal } : {}) }) as Promise<T>;
  }

  /** GET a file the API named by a relative `fileUrl` (reference B.4, trap 14). */
  async download(fileUrl: string, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<HttpResponse> {
    const base = this.#options.downloadEndpoint.replace(/\/+$/, '');
    const url = /^https?:\/\//.test(fileUrl) ? new URL(fileUrl) : new URL(`${base}/${fileUrl.replace(/^\/+/, '')}`);
    return this.fetchUrl(url, 'download', options);
  }

  /** GET any URL (a CDN image, an avatar) with the same error mapping. */
  async fetchUrl(url: URL, operation: string, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await this.#options.transport({
        method: 'GET',
        url,
        timeoutMs: this.#options.timeoutMs ?? 60_000,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      });
    } catch (error) {
      throw this.#transportError(operation, error);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new WechatRequestError({
        operation,
        statusCode: response.status,
        message: `GeWeChat ${operation} failed: HTTP ${response.status} for ${url.pathname}.`,
        providerId: this.#options.providerId,
      });
    }
    return response;
  }

  async #call(
    path: string,
    body: Record<string, unknown>,
    { authenticated, signal }: { authenticated: boolean; signal?: AbortSignal },
  ): Promise<unknown> {
    if (authenticated && this.#token === undefined) {
      throw new WechatAuthenticationError({
        code: 'AUTH_REQUIRED',
        message: `GeWeChat ${path}: no token yet (the session has not started).`,
        providerId: this.#options.providerId,
      });
    }
    const url = new URL(`${this.#options.apiEndpoint.replace(/\/+$/, '')}${path}`);
    let response: HttpResponse;
    try {
      response = await this.#options.transport({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          ...(authenticated && this.#token !== undefined ? { 'X-GEWE-TOKEN': this.#token } : {}),
        },
        body: JSON.stringify(body),
        timeoutMs: this.#options.timeoutMs ?? 30_000,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw this.#transportError(path, error);
    }
    const text = Buffer.from(response.body).toString('utf8');
    let envelope: { ret?: unknown; msg?: unknown; data?: unknown };
    try {
      envelope = parseGeweJson(text) as typeof envelope;
    } catch {
      throw new WechatRequestError({
        operation: path,
        statusCode: response.status,
        message: `GeWeChat ${path}: the answer is not JSON (HTTP ${response.status}).`,
        responseBody: text.slice(0, 200),
        providerId: this.#options.providerId,
      });
    }
    const ret = typeof envelope?.ret === 'number' ? envelope.ret : Number(envelope?.ret);
    if (ret === 200) return envelope.data;
    const msg = typeof envelope?.msg === 'string' ? envelope.msg : '';
    this.#options.logger.debug({ path, ret, msg }, 'gewechat: call failed');
    throw this.#requestError(path, msg || `ret ${String(envelope?.ret)}`, {
      statusCode: response.status,
      remoteCode: Number.isFinite(ret) ? ret : String(envelope?.ret),
      // Every failure is ret 500 with free text (B.1): downloads that failed, a push that could not be
      // delivered, the device busy. Nothing says "permanent", so a bounded retry by the host is the safe choice;
      // other ret values (4xx-like) are not repeated.
      retryable: response.status >= 500 || ret >= 500,
    });
  }

  #requestError(
    operation: string,
    reason: string,
    extra: { statusCode?: number; remoteCode?: string | number; retryable: boolean },
  ): WechatRequestError {
    return new WechatRequestError({
      operation,
      message: `GeWeChat ${operation} failed: ${reason}`,
      providerId: this.#options.providerId,
      ...extra,
    });
  }

  #transportError(operation: string, error: unknown): WechatError {
    if (error instanceof HttpTransportError && error.kind === 'aborted') {
      return new WechatProviderUnavailableError({
        message: `GeWeChat ${operation}: the request was cancelled.`,
        providerId: this.#options.providerId,
        cause: error,
      });
    }
    if (error instanceof HttpTransportError && error.kind === 'too-large') {
      return new WechatRequestError({
        operation,
        message: `GeWeChat ${operation}: ${error.message}`,
        retryable: false,
        providerId: this.#options.providerId,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new WechatProviderUnavailableError({
      message: `The GeWeChat service cannot be reached (${operation}): ${reason}`,
      providerId: this.#options.providerId,
      cause: error,
    });
  }
}

/** Fields of a send's `data` (reference B.3); `newMsgId` is above 2^53, kept as a string. */
export interface GeweSendResult {
  readonly toWxid: string;
  readonly createTime: number;
  readonly msgId: string;
  readonly newMsgId: string;
  readonly type?: number;
}

export function readSendResult(data: unknown, operation: string, providerId: string): GeweSendResult {
  const record = (data ?? {}) as Record<string, unknown>;
  const newMsgId = idString(record.newMsgId);
  if (newMsgId === undefined) {
    throw new WechatRequestError({
      operation,
      message: `GeWeChat ${operation}: the answer has no newMsgId.`,
      retryable: false,
      providerId,
    });
  }
  return {
    toWxid: String(record.toWxid ?? ''),
    createTime: typeof record.createTime === 'number' ? record.createTime : 0,
    msgId: idString(record.msgId) ?? '0',
    newMsgId,
    ...(typeof record.type === 'number' ? { type: record.type } : {}),
  };
}
