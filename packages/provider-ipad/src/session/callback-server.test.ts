import { noopLogger } from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackServer } from './callback-server.ts';

describe('CallbackServer', () => {
  let server: CallbackServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const start = async (onCallback: (body: string) => void, now = () => Date.now()) => {
    server = new CallbackServer({ port: 0, host: '127.0.0.1', secret: 's3cret-path', logger: noopLogger, onCallback, now });
    await server.listen();
    return `http://127.0.0.1:${server.port}`;
  };

  it('acknowledges a callback on the secret path with 200 and hands the body on', async () => {
    const bodies: string[] = [];
    const base = await start(body => bodies.push(body));
    const response = await fetch(`${base}/callback/s3cret-path`, { method: 'POST', body: '{"TypeName":"Offline"}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect(bodies).toEqual(['{"TypeName":"Offline"}']);
  });

  it('refuses requests without the secret (GeWeChat signs nothing)', async () => {
    const bodies: string[] = [];
    const base = await start(body => bodies.push(body));
    expect((await fetch(`${base}/callback`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${base}/callback/guess`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(bodies).toEqual([]);
  });

  it('still answers 200 when handling throws, and keeps serving', async () => {
    const base = await start(() => {
      throw new Error('handler bug');
    });
    expect((await fetch(`${base}/cb/s3cret-path`, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await fetch(`${base}/cb/s3cret-path`, { method: 'POST', body: 'y' })).status).toBe(200);
  });

  it('refuses oversized bodies with 413', async () => {
    server = new CallbackServer({
      port: 0,
      host: '127.0.0.1',
      secret: 'k',
      logger: noopLogger,
      onCallback: () => undefined,
      maxBodyBytes: 10,
    });
    await server.listen();
    const response = await fetch(`http://127.0.0.1:${server.port}/k`, { method: 'POST', body: 'x'.repeat(100) });
    expect(response.status).toBe(413);
  });

  it('serves staged media under the secret until it expires', async () => {
    let now = 1_000;
    const base = await start(
      () => undefined,
      () => now,
    );
    const path = server?.stageMedia(new Uint8Array([1, 2, 3]), 'image/png', 'a/b.png') ?? '';
    expect(path).toMatch(/^media\/[0-9a-f-]{36}\/a_b\.png$/);
    const response = await fetch(`${base}/callback/s3cret-path/${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
    expect((await fetch(`${base}/callback/other/${path}`)).status).toBe(404);
    now += 16 * 60_000;
    expect((await fetch(`${base}/callback/s3cret-path/${path}`)).status).toBe(404);
  });
});
