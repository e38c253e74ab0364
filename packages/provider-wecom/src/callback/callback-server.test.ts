import { createRecordingLogger, type RecordedLogEntry } from '@wechat/provider-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCallbackSender } from '../testing/callback-sender.ts';
import { createBoundedSet } from './bounded-set.ts';
import { type CallbackServerOptions, createCallbackServer } from './callback-server.ts';
import type { CallbackFields } from './callback-xml.ts';

const corpId = 'ww1436e0e65a779aee';
const token = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const aesKey = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(overrides: Partial<CallbackServerOptions> = {}) {
  const logs: RecordedLogEntry[] = [];
  const received: CallbackFields[] = [];
  let clock = 1_476_422_779_000;
  const server = createCallbackServer({
    host: '127.0.0.1',
    port: 0,
    token,
    encodingAesKey: aesKey,
    corpId,
    now: () => clock,
    logger: createRecordingLogger(logs),
    onMessage: fields => {
      received.push(fields);
    },
    ...overrides,
  });
  const address = await server.listen();
  closers.push(() => server.close());
  const sender = createCallbackSender({ url: address.url, token, aesKey, corpId, now: () => clock });
  return {
    server,
    address,
    sender,
    logs,
    received,
    setClock: (ms: number) => {
      clock = ms;
    },
  };
}

const text = { type: 'text', from: 'ChenJiaShun', content: '你好' } as const;

describe('the callback server', () => {
  it('answers URL verification with the bare decrypted echostr', async () => {
    const { sender } = await start();
    const answer = await sender.verifyUrl({ echo: '1288432023552776189' });
    expect(answer).toEqual({ status: 200, body: '1288432023552776189', echo: '1288432023552776189' });
  });

  it('answers the official set 2 verification request exactly as WeCom sends it (URL-encoded echostr)', async () => {
    const { address } = await start();
    const echostr = 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
    const response = await fetch(
      `${address.url}?msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb&timestamp=1476416373&nonce=47744683&echostr=${encodeURIComponent(echostr)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe('1288432023552776189');
  });

  it('accepts the official set 2 message and emits it once', async () => {
    const { address, received } = await start();
    const encrypted =
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+';
    const response = await fetch(
      `${address.url}?msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914`,
      {
        method: 'POST',
        body: `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName>\n<Encrypt><![CDATA[${encrypted}]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>`,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toEqual({
      ToUserName: corpId,
      FromUserName: 'ChenJiaShun',
      CreateTime: '1476422779',
      MsgType: 'text',
      Content: '你好',
      MsgId: '1456453720',
      AgentID: '1000002',
    });
  });

  it('emits a replayed POST once, and still answers the retry with 200', async () => {
    const { sender, received, logs } = await start();
    const first = await sender.send(text);
    const retry = await sender.replay(first);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await vi.waitFor(() => expect(received).toHaveLength(1));
    await new Promise(resolve => setImmediate(resolve));
    expect(received).toHaveLength(1);
    expect(received[0]?.MsgId).toBe(first.msgId);
    expect(logs.some(entry => entry.message.includes('repeated'))).toBe(true);
  });

  it('keeps MsgId beyond 2^53 exact', async () => {
    const { sender, received } = await start();
    await sender.send({ ...text, msgId: '18446744073709551615' });
    await vi.waitFor(() => expect(received[0]?.MsgId).toBe('18446744073709551615'));
  });

  it('answers before processing finishes', async () => {
    let release!: () => void;
    let finished = false;
    const started = vi.fn();
    const { sender } = await start({
      onMessage: async () => {
        started();
        await new Promise<void>(resolve => {
          release = resolve;
        });
        finished = true;
      },
    });
    const delivery = await sender.send(text);
    expect(delivery.status).toBe(200);
    await vi.waitFor(() => expect(started).toHaveBeenCalledOnce());
    expect(finished).toBe(false);
    release();
    await vi.waitFor(() => expect(finished).toBe(true));
  });

  it.each([
    ['a bad signature', { tamper: 'signature' as const }, 403, 'bad-signature'],
    ['a payload for another corp id', { receiveId: 'ww0000000000000000' }, 403, 'wrong-receiver'],
    ['an envelope for another corp id', { toUserName: 'ww0000000000000000' }, 403, 'wrong-receiver'],
    ['a stale timestamp', { timestamp: 1_476_422_779 - 301 }, 403, 'stale'],
    ['a timestamp from the future', { timestamp: 1_476_422_779 + 301 }, 403, 'stale'],
  ])('refuses %s with a non-2xx and a log line, emitting nothing', async (_name, options, status, reason) => {
    const { sender, received, logs } = await start();
    const delivery = await sender.send(text, options);
    expect(delivery.status).toBe(status);
    await new Promise(resolve => setImmediate(resolve));
    expect(received).toHaveLength(0);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'wecom callback refused', fields: expect.objectContaining({ reason }) }),
    );
  });

  it('accepts a timestamp within the 5 minutes', async () => {
    const { sender, received } = await start();
    expect((await sender.send(text, { timestamp: 1_476_422_779 - 299 })).status).toBe(200);
    await vi.waitFor(() => expect(received).toHaveLength(1));
  });

  it('refuses a verification with a bad signature', async () => {
    const { sender } = await start();
    expect((await sender.verifyUrl({ tamper: 'signature' })).status).toBe(403);
  });

  it.each([
    ['no query', (url: string) => fetch(url, { method: 'POST', body: '<xml><Encrypt>x</Encrypt></xml>' }), 400],
    [
      'a body that is not XML',
      (url: string) => fetch(`${url}?msg_signature=a&timestamp=1&nonce=1`, { method: 'POST', body: 'hello' }),
      400,
    ],
    [
      'a DOCTYPE',
      (url: string) =>
        fetch(`${url}?msg_signature=a&timestamp=1&nonce=1`, {
          method: 'POST',
          body: '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>',
        }),
      400,
    ],
    ['another path', (url: string) => fetch(url.replace('/callback', '/other')), 404],
    ['another method', (url: string) => fetch(url, { method: 'PUT', body: '' }), 405],
    [
      'a body that is too large',
      (url: string) => fetch(`${url}?msg_signature=a&timestamp=1&nonce=1`, { method: 'POST', body: 'x'.repeat(300_000) }),
      413,
    ],
  ])('refuses %s', async (_name, request, status) => {
    const { address } = await start();
    expect((await request(address.url)).status).toBe(status);
  });

  it('keeps recognising retries across restarts when given a lasting set', async () => {
    const seen = createBoundedSet(16);
    const first = await start({ seen });
    const delivery = await first.sender.send(text);
    await vi.waitFor(() => expect(first.received).toHaveLength(1));
    await first.server.close();
    const second = await start({ seen });
    const replay = await second.sender.replay({
      ...delivery,
      request: { ...delivery.request, url: second.address.url + new URL(delivery.request.url).search },
    });
    expect(replay.status).toBe(200);
    await new Promise(resolve => setImmediate(resolve));
    expect(second.received).toHaveLength(0);
  });
});
