import {
  noopLogger,
  WechatAuthenticationError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
} from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { createWecomApiClient, type WecomApiClientOptions } from './wecom-api-client.ts';

type Answer = Response | (() => Response | Promise<Response>) | 'network';

interface Seen {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string | undefined;
}

/** A scripted WeCom: each path answers from its queue, then with its default. */
function scriptedWecom() {
  const seen: Seen[] = [];
  const queues = new Map<string, Answer[]>();
  let issued = 0;
  const json = (body: unknown, init: ResponseInit = {}) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' }, ...init });
  const defaults: Record<string, () => Response> = {
    '/cgi-bin/gettoken': () => json({ errcode: 0, errmsg: 'ok', access_token: `token-${++issued}`, expires_in: 7200 }),
    '/cgi-bin/message/send': () => json({ errcode: 0, errmsg: 'ok', msgid: 'msg-1' }),
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push({ path: url.pathname, query: url.searchParams, body: typeof init?.body === 'string' ? init.body : undefined });
    const answer = queues.get(url.pathname)?.shift() ?? defaults[url.pathname] ?? (() => new Response('', { status: 404 }));
    if (answer === 'network') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    return typeof answer === 'function' ? answer() : answer;
  };
  return {
    fetch,
    seen,
    json,
    queue: (path: string, ...answers: Answer[]) =>
      queues.set(`/cgi-bin/${path}`, [...(queues.get(`/cgi-bin/${path}`) ?? []), ...answers]),
    calls: (path: string) => seen.filter(request => request.path === `/cgi-bin/${path}`),
  };
}

function setup(overrides: Partial<WecomApiClientOptions> = {}) {
  const wecom = scriptedWecom();
  let clock = 1_700_000_000_000;
  const sleeps: number[] = [];
  const client = createWecomApiClient({
    baseUrl: 'https://qyapi.weixin.qq.com',
    corpId: 'ww0123456789abcdef',
    secret: 'the-app-secret-value',
    fetch: wecom.fetch,
    now: () => clock,
    sleep: async milliseconds => {
      sleeps.push(milliseconds);
    },
    logger: noopLogger,
    providerId: 'wecom',
    ...overrides,
  });
  return { wecom, client, sleeps, advance: (ms: number) => (clock += ms) };
}

const send = { operation: 'message/send', json: { touser: 'zhangsan', msgtype: 'text', agentid: 1, text: { content: 'hi' } } };

describe('the access token', () => {
  it('is fetched with the corp id and secret, cached, and sent with every call', async () => {
    const { wecom, client } = setup();
    await client.call(send);
    await client.call(send);
    const [gettoken] = wecom.calls('gettoken');
    expect(gettoken?.query.get('corpid')).toBe('ww0123456789abcdef');
    expect(gettoken?.query.get('corpsecret')).toBe('the-app-secret-value');
    expect(wecom.calls('gettoken')).toHaveLength(1);
    expect(wecom.calls('message/send').map(call => call.query.get('access_token'))).toEqual(['token-1', 'token-1']);
  });

  it('is refreshed before it expires', async () => {
    const { wecom, client, advance } = setup();
    await client.call(send);
    advance(7_200_000 - 30_000);
    await client.call(send);
    expect(wecom.calls('message/send').map(call => call.query.get('access_token'))).toEqual(['token-1', 'token-2']);
  });

  it.each([42001, 40014])('on %i mid-traffic is refreshed and the same call re-issued once, losing nothing', async errcode => {
    const { wecom, client } = setup();
    await client.call(send);
    wecom.queue('message/send', wecom.json({ errcode, errmsg: 'access_token expired' }));
    await expect(client.call(send)).resolves.toMatchObject({ msgid: 'msg-1' });
    const sends = wecom.calls('message/send');
    expect(sends.map(call => call.query.get('access_token'))).toEqual(['token-1', 'token-1', 'token-2']);
    expect(sends[2]?.body).toBe(sends[1]?.body);
  });

  it('is refreshed only once per call: a second refusal is a retryable error', async () => {
    const { wecom, client } = setup();
    wecom.queue(
      'message/send',
      wecom.json({ errcode: 42001, errmsg: 'expired' }),
      wecom.json({ errcode: 40014, errmsg: 'invalid' }),
    );
    const error = await client.call(send).catch((caught: unknown) => caught);
    expect(WechatRequestError.isInstance(error) && error.remoteCode).toBe(40014);
    expect(error).toMatchObject({ retryable: true });
    expect(wecom.calls('gettoken')).toHaveLength(2);
  });

  it('is fetched once for concurrent calls', async () => {
    const { wecom, client } = setup();
    await Promise.all([client.call(send), client.call(send), client.call(send)]);
    expect(wecom.calls('gettoken')).toHaveLength(1);
  });

  it('is forgotten by forgetToken()', async () => {
    const { wecom, client } = setup();
    await client.token();
    client.forgetToken();
    await client.call(send);
    expect(wecom.calls('gettoken')).toHaveLength(2);
  });

  it('cannot be had with a bad secret: WechatAuthenticationError, and the secret is not quoted', async () => {
    const { wecom, client } = setup();
    wecom.queue('gettoken', wecom.json({ errcode: 40001, errmsg: 'invalid credential, corpsecret the-app-secret-value' }));
    const error = await client.call(send).catch((caught: unknown) => caught);
    expect(WechatAuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    expect(String((error as Error).message)).not.toContain('the-app-secret-value');
    expect(wecom.calls('message/send')).toHaveLength(0);
  });
});

describe('errcode -1 (system busy)', () => {
  it('is retried with backoff and succeeds', async () => {
    const { wecom, client, sleeps } = setup();
    const busy = () => wecom.json({ errcode: -1, errmsg: 'system busy' });
    wecom.queue('message/send', busy(), busy());
    await expect(client.call(send)).resolves.toMatchObject({ msgid: 'msg-1' });
    expect(sleeps).toEqual([250, 500]);
  });

  it('is retried at most 3 times, then rejects retryable', async () => {
    const { wecom, client, sleeps } = setup();
    const busy = () => wecom.json({ errcode: -1, errmsg: 'system busy' });
    wecom.queue('message/send', busy(), busy(), busy(), busy(), busy());
    const error = await client.call(send).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REQUEST_FAILED', remoteCode: -1, retryable: true });
    expect(wecom.calls('message/send')).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 1_000]);
  });

  it('is retried on gettoken too', async () => {
    const { wecom, client } = setup();
    wecom.queue('gettoken', wecom.json({ errcode: -1, errmsg: 'system busy' }));
    await expect(client.token()).resolves.toBe('token-1');
  });
});

describe('failures', () => {
  it('maps a rate limit to WechatRateLimitedError', async () => {
    const { wecom, client } = setup();
    wecom.queue('message/send', wecom.json({ errcode: 45009, errmsg: 'api freq out of limit' }));
    expect(WechatRateLimitedError.isInstance(await client.call(send).catch((caught: unknown) => caught))).toBe(true);
  });

  it('maps "not found" to WechatNotFoundError when the call names its subject', async () => {
    const { wecom, client } = setup();
    wecom.queue('user/get', wecom.json({ errcode: 60111, errmsg: 'userid not found' }));
    const error = await client
      .call({ operation: 'user/get', query: { userid: 'ghost' }, subject: { entity: 'contact', id: 'ghost' } })
      .catch((caught: unknown) => caught);
    expect(WechatNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ entity: 'contact', id: 'ghost' });
  });

  it('reports no answer as the retryable WechatProviderUnavailableError', async () => {
    const { wecom, client } = setup();
    await client.token();
    wecom.queue('message/send', 'network');
    const error = await client.call(send).catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).not.toContain('access_token');
  });

  it('reports an HTTP error status with its retryability', async () => {
    const { wecom, client } = setup();
    wecom.queue('message/send', new Response('<html>bad gateway</html>', { status: 502 }));
    const error = await client.call(send).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REQUEST_FAILED', statusCode: 502, retryable: true });
  });

  it('reports a body that is not JSON as retryable', async () => {
    const { wecom, client } = setup();
    wecom.queue('message/send', new Response('<html>maintenance</html>', { status: 200 }));
    await expect(client.call(send)).rejects.toMatchObject({ code: 'REQUEST_FAILED', retryable: true });
  });

  it('cancels requests in flight on abortAll()', async () => {
    let started!: () => void;
    const began = new Promise<void>(resolve => {
      started = resolve;
    });
    const { client } = setup({
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          started();
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    const pending = client.token().catch((caught: unknown) => caught);
    await began;
    client.abortAll();
    const error = await pending;
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('cancelled');
  });
});

describe('media/get', () => {
  it('returns the bytes, the type and the file name', async () => {
    const { wecom, client } = setup();
    wecom.queue(
      'media/get',
      new Response(Uint8Array.of(1, 2, 3), {
        headers: { 'content-type': 'image/jpeg', 'content-disposition': 'attachment; filename="MEDIA_ID.jpg"' },
      }),
    );
    await expect(client.download({ operation: 'media/get', query: { media_id: 'MEDIA_ID' } })).resolves.toEqual({
      data: Uint8Array.of(1, 2, 3),
      contentType: 'image/jpeg',
      fileName: 'MEDIA_ID.jpg',
    });
  });

  it('reads errors from JSON in a 200 (trap 8), refreshing the token like any call', async () => {
    const { wecom, client } = setup();
    wecom.queue(
      'media/get',
      wecom.json({ errcode: 42001, errmsg: 'expired' }),
      wecom.json({ errcode: 40007, errmsg: 'invalid media_id' }),
    );
    const error = await client
      .download({ operation: 'media/get', query: { media_id: 'gone' }, subject: { entity: 'media', id: 'gone' } })
      .catch((caught: unknown) => caught);
    expect(WechatNotFoundError.isInstance(error)).toBe(true);
    expect(wecom.calls('gettoken')).toHaveLength(2);
  });

  it('keeps a JSON file that WeCom serves as an attachment', async () => {
    const { wecom, client } = setup();
    const file = JSON.stringify({ errcode: 1 });
    wecom.queue(
      'media/get',
      new Response(file, {
        headers: { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="data.json"' },
      }),
    );
    const download = await client.download({ operation: 'media/get', query: { media_id: 'm' } });
    expect(new TextDecoder().decode(download.data)).toBe(file);
  });
});

describe('timeouts', () => {
  it('gives up on a request that gets no answer in time', async () => {
    const { client } = setup({
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    const error = await client.token().catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('no answer within 20 ms');
  });
});
