import { type Logger, WechatProviderUnavailableError, WechatRequestError } from '@wechat/provider-api';
import { createAccessTokenCache } from './access-token-cache.ts';
import { fileNameFromDisposition, isAttachment } from './content-disposition.ts';
import { isTokenErrcode, type WecomErrorContext, wecomError } from './wecom-errcodes.ts';
import { createWecomTransport } from './wecom-transport.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

/** One WeCom API call: a path under `/cgi-bin/`, with `access_token` added by the client. */
export interface WecomCall {
  /** The path under `/cgi-bin/`, e.g. `message/send`; also names the call in errors. */
  readonly operation: string;
  readonly method?: 'GET' | 'POST';
  readonly query?: Readonly<Record<string, string | number>>;
  readonly json?: unknown;
  /** Multipart bodies are rebuilt for every attempt. */
  readonly form?: () => FormData;
  /** The entity the call names, so "not found" errcodes become `WechatNotFoundError`. */
  readonly subject?: WecomErrorContext['subject'];
  /** The caller's cancellation (a download the host abandons). */
  readonly signal?: AbortSignal;
}

export interface WecomDownload {
  readonly data: Uint8Array;
  readonly contentType: string | undefined;
  readonly fileName: string | undefined;
}

export interface WecomApiClientOptions {
  /** `providers.wecom.api_base_url`, e.g. `https://qyapi.weixin.qq.com`. */
  readonly baseUrl: string;
  readonly corpId: string;
  readonly secret: string;
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch: token expiry is judged with it. */
  readonly now: () => number;
  /** Waits between retries; rejects when `signal` aborts (the session stopped). */
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  readonly logger: Logger;
  readonly providerId?: string;
  /** Waits before each retry of errcode -1; WeCom says at most 3 retries (reference A.1). */
  readonly busyRetryDelaysMs?: readonly number[];
  readonly refreshMarginMs?: number;
  readonly timeoutMs?: number;
}

export interface WecomApiClient {
  /** A JSON call; resolves with the body when errcode is 0, else rejects with the typed error. */
  call(call: WecomCall): Promise<JsonObject>;
  /** A binary download (`media/get`), whose errors come as JSON in a 200 (trap 8). */
  download(call: WecomCall): Promise<WecomDownload>;
  /** A plain GET of a public URL (avatars, `PicUrl`): no token, no errcodes. */
  fetchUrl(url: string, operation: string, signal?: AbortSignal): Promise<WecomDownload>;
  /** Fetches a token now (or returns the cached one): validates the credentials. */
  token(): Promise<string>;
  /** Logout: the cached token is forgotten. */
  forgetToken(): void;
  /** Stop: aborts every request in flight and every wait between retries. */
  abortAll(): void;
}

type Outcome<T> = { readonly ok: T } | { readonly errcode: number; readonly errmsg: string };

const defaultBusyRetryDelaysMs = [250, 500, 1_000];

export function createWecomApiClient(options: WecomApiClientOptions): WecomApiClient {
  const { corpId, secret, logger, providerId } = options;
  const busyDelays = options.busyRetryDelaysMs ?? defaultBusyRetryDelaysMs;
  const base = new URL('/cgi-bin/', options.baseUrl);
  const transport = createWecomTransport({ fetch: options.fetch, timeoutMs: options.timeoutMs ?? 30_000, ...withProvider() });
  const waits = new Set<AbortController>();

  function withProvider(): { providerId?: string } {
    return providerId === undefined ? {} : { providerId };
  }

  // Responses are quoted in errors; they must never carry the secret or a token.
  const redact = (text: string) =>
    text
      .replaceAll(secret, '[redacted]')
      .replace(/access_token=[^&\s"]+/g, 'access_token=[redacted]')
      .slice(0, 300);

  const urlFor = (operation: string, query: Readonly<Record<string, string | number>> = {}) => {
    const url = new URL(operation, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    return url;
  };

  const readJson = async (response: Response, operation: string): Promise<JsonObject> => {
    const text = await response.text();
    if (response.status !== 200) {
      throw new WechatRequestError({
        operation,
        statusCode: response.status,
        responseBody: redact(text),
        message: `WeCom ${operation} answered HTTP ${response.status}`,
        ...withProvider(),
      });
    }
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as JsonObject;
    } catch {
      // Reported below.
    }
    // A proxy or gateway page instead of WeCom's JSON: the same call may well work again.
    throw new WechatRequestError({
      operation,
      statusCode: response.status,
      responseBody: redact(text),
      retryable: true,
      message: `WeCom ${operation} answered something that is not a JSON object`,
      ...withProvider(),
    });
  };

  const outcomeOf = (body: JsonObject): Outcome<JsonObject> => {
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    return errcode === 0 ? { ok: body } : { errcode, errmsg: redact(typeof body.errmsg === 'string' ? body.errmsg : '') };
  };

  /** Retries errcode -1 with backoff, at most `busyDelays.length` times; any other outcome is returned. */
  const withBusyRetries = async <T>(operation: string, attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    for (let retry = 0; ; retry++) {
      const outcome = await attempt();
      const delay = busyDelays[retry];
      if ('ok' in outcome || outcome.errcode !== -1 || delay === undefined) return outcome;
      logger.debug({ operation, retry: retry + 1, delayMs: delay }, 'WeCom is busy (errcode -1); retrying');
      await wait(operation, delay);
    }
  };

  const wait = async (operation: string, delay: number) => {
    const controller = new AbortController();
    waits.add(controller);
    try {
      await options.sleep(delay, controller.signal);
    } catch (error) {
      throw new WechatProviderUnavailableError({
        message: `WeCom ${operation}: the retry was cancelled (the session stopped)`,
        cause: error,
        ...withProvider(),
      });
    } finally {
      waits.delete(controller);
    }
  };

  const fail = (operation: string, outcome: { errcode: number; errmsg: string }, subject?: WecomCall['subject']) =>
    wecomError({ operation, ...outcome, ...withProvider(), ...(subject ? { subject } : {}) });

  const tokens = createAccessTokenCache({
    now: options.now,
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    fetchToken: async () => {
      logger.debug({ operation: 'gettoken' }, 'fetching a WeCom access token');
      const outcome = await withBusyRetries('gettoken', async () => {
        const url = urlFor('gettoken', { corpid: corpId, corpsecret: secret });
        return outcomeOf(await readJson(await transport.request(url, { method: 'GET' }, 'gettoken'), 'gettoken'));
      });
      if (!('ok' in outcome)) throw fail('gettoken', outcome);
      const { access_token: token, expires_in: expiresIn } = outcome.ok;
      if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number') {
        throw new WechatRequestError({
          operation: 'gettoken',
          statusCode: 200,
          retryable: true,
          message: 'WeCom gettoken answered without access_token and expires_in',
          ...withProvider(),
        });
      }
      return { token, expiresInSeconds: expiresIn };
    },
  });

  /**
   * The token loop: a token errcode (40014, 41001, 42001) refreshes the token and re-issues the same call once
   * (wechatpy's behaviour, trap 6), so a token WeCom expired early costs no message; -1 is retried with backoff.
   */
  const withToken = async <T>(call: WecomCall, attempt: (token: string) => Promise<Outcome<T>>): Promise<T> => {
    let refreshed = false;
    for (;;) {
      const token = await tokens.get();
      const outcome = await withBusyRetries(call.operation, () => attempt(token));
      if ('ok' in outcome) return outcome.ok;
      if (isTokenErrcode(outcome.errcode) && !refreshed) {
        refreshed = true;
        tokens.invalidate(token);
        logger.debug({ operation: call.operation, errcode: outcome.errcode }, 'WeCom refused the access token; refreshing it');
        continue;
      }
      throw fail(call.operation, outcome, call.subject);
    }
  };

  const send = (call: WecomCall, token: string) => {
    const url = urlFor(call.operation, { ...call.query, access_token: token });
    const method = call.method ?? (call.json === undefined && call.form === undefined ? 'GET' : 'POST');
    const init: RequestInit =
      call.form !== undefined
        ? { method, body: call.form() }
        : call.json !== undefined
          ? { method, body: JSON.stringify(call.json), headers: { 'content-type': 'application/json' } }
          : { method };
    return transport.request(url, init, call.operation, call.signal);
  };

  return {
    call: call => withToken(call, async token => outcomeOf(await readJson(await send(call, token), call.operation))),
    download: call =>
      withToken(call, async (token): Promise<Outcome<WecomDownload>> => {
        const response = await send(call, token);
        const contentType = response.headers.get('content-type') ?? undefined;
        const disposition = response.headers.get('content-disposition');
        if (response.status === 200 && !isAttachment(disposition) && /json|text\/plain/i.test(contentType ?? '')) {
          const outcome = outcomeOf(await readJson(response, call.operation));
          if (!('ok' in outcome)) return outcome;
          throw new WechatRequestError({
            operation: call.operation,
            statusCode: 200,
            retryable: false,
            message: `WeCom ${call.operation} answered JSON without an errcode instead of the file`,
            ...withProvider(),
          });
        }
        if (response.status !== 200 && response.status !== 206) await readJson(response, call.operation);
        const data = new Uint8Array(await response.arrayBuffer());
        return { ok: { data, contentType, fileName: fileNameFromDisposition(disposition) } };
      }),
    fetchUrl: async (url, operation, signal) => {
      const response = await transport.request(new URL(url), { method: 'GET' }, operation, signal);
      if (response.status !== 200) await readJson(response, operation);
      return {
        data: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? undefined,
        fileName: fileNameFromDisposition(response.headers.get('content-disposition')),
      };
    },
    token: () => tokens.get(),
    forgetToken: () => tokens.clear(),
    abortAll: () => {
      transport.abortAll();
      for (const controller of waits) controller.abort();
      waits.clear();
    },
  };
}
