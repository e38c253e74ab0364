import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { noopLogger, WechatProviderUnavailableError, WechatRequestError } from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pair1Connection } from '../nng/pair1-connection.ts';
import { listenPair1, type Pair1Listener } from '../nng/pair1-listener.ts';
import { decodeRequest, encodeResponse } from '../protocol/wcf-codec.ts';
import { wcfFunctionName, wcfFunctions as F } from '../protocol/wcf-functions.ts';
import type { WcfRequest, WxMsg } from '../protocol/wcf-messages.ts';
import { findPortPair } from '../testing/port-pair.ts';
import { startWcfHostSimulator, type WcfHostSimulator } from '../testing/wcf-host-simulator.ts';
import { connectWcfClient, type WcfClient, type WcfClientOptions } from './wcf-client.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: Parameters<typeof startWcfHostSimulator>[0] = {}): Promise<WcfHostSimulator> {
  const host = await startWcfHostSimulator({ pushTimeoutMs: 200, ...options });
  cleanups.push(() => host.close());
  return host;
}

async function client(port: number, options: Partial<WcfClientOptions> = {}): Promise<WcfClient> {
  const connected = await connectWcfClient({ host: '127.0.0.1', port, logger: noopLogger, ...options });
  cleanups.push(() => connected.close());
  return connected;
}

/** A hand-driven host: records requests and answers only when the test says so. */
async function manualHost(port = 0) {
  const listener: Pair1Listener = await listenPair1({ host: '127.0.0.1', port });
  cleanups.push(() => listener.close());
  const requests: WcfRequest[] = [];
  let peer: Pair1Connection | undefined;
  listener.onPeer(attached => {
    peer = attached;
    attached.onMessage(body => requests.push(decodeRequest(body)));
  });
  return {
    port: listener.port,
    requests,
    reply: (bytes: Uint8Array) => peer?.send(bytes),
    names: () => requests.map(request => wcfFunctionName(request.func)),
  };
}

describe('the command socket', () => {
  it('runs one request at a time, in order', async () => {
    const host = await manualHost();
    const wcf = await client(host.port);
    const first = wcf.isLogin();
    const second = wcf.getSelfWxid();
    await expect.poll(() => host.names()).toEqual(['FUNC_IS_LOGIN']);
    // The second request waits for the first answer, even while the socket is idle.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(host.names()).toEqual(['FUNC_IS_LOGIN']);
    host.reply(encodeResponse({ func: F.FUNC_IS_LOGIN, status: 1 }));
    await expect(first).resolves.toBe(true);
    await expect.poll(() => host.names()).toEqual(['FUNC_IS_LOGIN', 'FUNC_GET_SELF_WXID']);
    host.reply(encodeResponse({ func: F.FUNC_GET_SELF_WXID, str: 'wxid_self' }));
    await expect(second).resolves.toBe('wxid_self');
  });

  it('retries once after a timeout, and drops the late answer to the first attempt', async () => {
    const host = await manualHost();
    const wcf = await client(host.port, { requestTimeoutMs: 100 });
    const answer = wcf.getSelfWxid();
    await expect.poll(() => host.names(), { timeout: 2_000 }).toEqual(['FUNC_GET_SELF_WXID', 'FUNC_GET_SELF_WXID']);
    host.reply(encodeResponse({ func: F.FUNC_GET_SELF_WXID, str: 'wxid_self' }));
    await expect(answer).resolves.toBe('wxid_self');

    // A reply for another function is a late answer to something earlier: ignored, not taken for this one.
    const login = wcf.isLogin();
    await expect.poll(() => host.names().length).toBe(3);
    host.reply(encodeResponse({ func: F.FUNC_GET_SELF_WXID, str: 'stale' }));
    host.reply(encodeResponse({ func: F.FUNC_IS_LOGIN, status: 0 }));
    await expect(login).resolves.toBe(false);
  });

  it('gives up after the retry times out too, and resets the connection', async () => {
    const host = await manualHost();
    const wcf = await client(host.port, { requestTimeoutMs: 50 });
    const closed = new Promise<Error>(resolve => wcf.onClose(resolve));
    const error = await wcf.isLogin().catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('FUNC_IS_LOGIN within 50 ms (2 attempts)') });
    expect(host.names()).toEqual(['FUNC_IS_LOGIN', 'FUNC_IS_LOGIN']);
    await closed;
    await expect(wcf.getSelfWxid()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('turns a zero-length reply into a typed dispatch error', async () => {
    const host = await simulator();
    const wcf = await client(host.port);
    host.failNext('dispatch-error');
    const error = await wcf.sendText('wxid_alice', 'hi').catch((caught: unknown) => caught);
    expect(WechatRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'FUNC_SEND_TXT', remoteCode: 'dispatch-failed', retryable: true });
    // Functions the host does not know get the same zero-length answer.
    await expect(wcf.call({ func: 0x99 })).rejects.toMatchObject({ remoteCode: 'dispatch-failed' });
    await expect(wcf.isLogin()).resolves.toBe(true);
  });

  it('reads statuses per function: 0 for sends, 1 for room members, -1 for the unimplemented revoke', async () => {
    const host = await simulator({
      contacts: [{ wxid: 'wxid_alice', name: 'Alice' }],
      rooms: [{ id: 'r@chatroom', name: 'Room', members: [{ wxid: 'wxid_self', nickname: 'Me' }] }],
    });
    const wcf = await client(host.port);
    await expect(wcf.sendText('wxid_alice', 'hello')).resolves.toBeUndefined();
    await expect(wcf.sendText('wxid_alice', '')).rejects.toMatchObject({ remoteCode: -1, retryable: false });
    await expect(wcf.addRoomMembers('r@chatroom', ['wxid_alice'])).resolves.toBeUndefined();
    await expect(wcf.delRoomMembers('nobody@chatroom', ['wxid_alice'])).rejects.toMatchObject({ remoteCode: -1 });
    await expect(wcf.call({ func: F.FUNC_REVOKE_MSG, ui64: '8202522731445525542' })).resolves.toMatchObject({ status: -1 });
    expect(host.sent()).toEqual([expect.objectContaining({ kind: 'text', receiver: 'wxid_alice', text: 'hello', aters: [] })]);
  });

  it('reports a host that is not there as unavailable', async () => {
    const port = await findPortPair();
    const error = await connectWcfClient({ host: '127.0.0.1', port, logger: noopLogger }).catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
  });
});

describe('the message socket', () => {
  it('opens only after FUNC_ENABLE_RECV_TXT succeeded, which follows FUNC_DISABLE_RECV_TXT', async () => {
    // A hand-driven host on N and a plain TCP server on N+1 that notes when it is dialled.
    let dialledAt: number | undefined;
    const sockets = new Set<Socket>();
    const port = await findPortPair();
    const host = await manualHost(port);
    const messagePort = createServer(socket => {
      dialledAt ??= Date.now();
      sockets.add(socket);
      socket.on('error', () => {});
      socket.destroy();
    });
    messagePort.listen(port + 1, '127.0.0.1');
    await once(messagePort, 'listening');
    cleanups.push(() => new Promise(resolve => messagePort.close(resolve)));

    const wcf = await client(port, { messageDialAttempts: 1 });
    const receiving = wcf.startReceiving(() => {}).catch((caught: unknown) => caught);
    await expect.poll(() => host.names()).toEqual(['FUNC_DISABLE_RECV_TXT']);
    host.reply(encodeResponse({ func: F.FUNC_DISABLE_RECV_TXT, status: 1 }));
    await expect.poll(() => host.names()).toEqual(['FUNC_DISABLE_RECV_TXT', 'FUNC_ENABLE_RECV_TXT']);
    expect(host.requests[1]).toMatchObject({ flag: false });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(dialledAt).toBeUndefined();
    const enabledAt = Date.now();
    host.reply(encodeResponse({ func: F.FUNC_ENABLE_RECV_TXT, status: 0 }));
    await receiving; // the raw server is no pair1 peer: the dial itself fails, after it was made
    expect(dialledAt).toBeGreaterThanOrEqual(enabledAt);
  });

  it('receives pushes from the simulator, with 64-bit ids intact', async () => {
    const host = await simulator({ rooms: [{ id: '123@chatroom', name: 'R', members: [] }] });
    const wcf = await client(host.port);
    expect(host.receiving).toBe(false);
    const received: WxMsg[] = [];
    await wcf.startReceiving(message => received.push(message));
    expect(host.requests().map(request => request.name)).toEqual(['FUNC_DISABLE_RECV_TXT', 'FUNC_ENABLE_RECV_TXT']);
    await expect.poll(() => host.clientAttached).toEqual({ commands: true, messages: true });
    const pushed = await host.pushText({ sender: 'wxid_a', roomid: '123@chatroom', content: 'hi', aters: ['wxid_self'] });
    expect(pushed).toEqual({ id: '8202522731445525542', delivered: true });
    await expect
      .poll(() => received)
      .toEqual([
        expect.objectContaining({
          id: '8202522731445525542',
          is_group: true,
          roomid: '123@chatroom',
          sender: 'wxid_a',
          content: 'hi',
        }),
      ]);
    expect(received[0]?.xml).toContain('wxid_self');
  });

  it('never enables twice: restarting the push goes through DISABLE, so the host does not crash', async () => {
    const host = await simulator();
    const first = await client(host.port);
    await first.startReceiving(() => {});
    await first.close();
    // The host still pushes (nobody told it to stop); a new client must not send a bare ENABLE now.
    expect(host.receiving).toBe(true);
    const second = await client(host.port);
    const received: WxMsg[] = [];
    await second.startReceiving(message => received.push(message));
    expect(host.crashReason).toBeUndefined();
    await host.pushText({ sender: 'wxid_a', content: 'after' });
    await expect.poll(() => received.map(message => message.content)).toEqual(['after']);
  });

  it('the simulator crashes on a bare second ENABLE, as the real host does', async () => {
    const host = await simulator();
    const wcf = await client(host.port);
    await wcf.call({ func: F.FUNC_ENABLE_RECV_TXT, flag: false });
    await expect(wcf.call({ func: F.FUNC_ENABLE_RECV_TXT, flag: false })).resolves.toMatchObject({ status: 1 });
    await expect.poll(() => host.crashReason).toMatch(/terminated/);
  });

  it('drops pushes while no client is attached, after the push timeout', async () => {
    const host = await simulator({ pushTimeoutMs: 50 });
    const wcf = await client(host.port);
    await wcf.startReceiving(() => {});
    await wcf.close();
    await expect.poll(() => host.clientAttached.messages).toBe(false);
    await expect(host.pushText({ sender: 'wxid_a', content: 'lost' })).resolves.toMatchObject({ delivered: false });
    expect(host.dropped().map(message => message.content)).toEqual(['lost']);
  });

  it('reports the host going away through onClose', async () => {
    const host = await simulator();
    const wcf = await client(host.port);
    await wcf.startReceiving(() => {});
    const closed = new Promise<Error>(resolve => wcf.onClose(resolve));
    await host.stop();
    await expect(closed).resolves.toBeInstanceOf(Error);
    expect(wcf.isClosed).toBe(true);
  });
});
