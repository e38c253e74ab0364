import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopLogger } from '@wechat/provider-api';
import { createBoundedSet } from '../callback/bounded-set.ts';
import { createCallbackServer } from '../callback/callback-server.ts';
import type { CallbackFields } from '../callback/callback-xml.ts';
import { interpretCallback } from '../inbound/interpret-callback.ts';
import { createWecomCrypto } from '../crypto/wecom-crypto.ts';
import { buildCallbackXml, cdata, type CallbackMessageInput } from './callback-message-xml.ts';
import { createCallbackSender } from './callback-sender.ts';

const corpId = 'ww7e5b6d3c2a1f0e9d';
const token = 'senderToken';
const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function receiver() {
  const received: CallbackFields[] = [];
  const server = createCallbackServer({
    host: '127.0.0.1',
    port: 0,
    token,
    encodingAesKey: aesKey,
    corpId,
    now: Date.now,
    logger: noopLogger,
    seen: createBoundedSet(64),
    onMessage: fields => {
      received.push(fields);
    },
  });
  const { url } = await server.listen();
  closers.push(() => server.close());
  return { url, received, sender: createCallbackSender({ url, token, aesKey, corpId, agentId: 1000002 }) };
}

const kinds: readonly [CallbackMessageInput, Record<string, unknown>][] = [
  [
    { type: 'text', from: 'zhangsan', content: 'a ]]> b' },
    { kind: 'text', text: 'a ]]> b' },
  ],
  [{ type: 'image', from: 'zhangsan', mediaId: 'M1', picUrl: 'https://p.example/1' }, { kind: 'image' }],
  [
    { type: 'voice', from: 'zhangsan', mediaId: 'M2' },
    { kind: 'voice', media: expect.objectContaining({ mimeType: 'audio/amr' }) },
  ],
  [{ type: 'video', from: 'zhangsan', mediaId: 'M3', thumbMediaId: 'T3' }, { kind: 'video' }],
  [
    { type: 'location', from: 'zhangsan', latitude: 23.134521, longitude: 113.358803, label: '广州' },
    { kind: 'location', location: { latitude: 23.134521, longitude: 113.358803, address: '广州' } },
  ],
  [
    { type: 'link', from: 'zhangsan', title: 'T', url: 'https://a.example/' },
    { kind: 'link', link: { url: 'https://a.example/', title: 'T' } },
  ],
];

describe('createCallbackSender', () => {
  it.each(kinds)('delivers %o so that the provider reads it back', async (message, content) => {
    const { sender, received } = await receiver();
    const delivery = await sender.send(message);
    expect(delivery.status).toBe(200);
    await expect.poll(() => received.length).toBe(1);
    const fields = received[0] ?? {};
    expect(fields).toMatchObject({
      ToUserName: corpId,
      FromUserName: 'zhangsan',
      MsgType: message.type,
      MsgId: delivery.msgId,
      AgentID: '1000002',
    });
    const [event] = interpretCallback(fields, { agentId: 1000002, now: Date.now }).events;
    expect(event).toMatchObject({ type: 'message-received', message: { id: delivery.msgId, content } });
  });

  it('delivers events without a MsgId', async () => {
    const { sender, received } = await receiver();
    const delivery = await sender.send({
      type: 'event',
      from: 'sys',
      event: 'change_contact',
      fields: { ChangeType: 'update_user', UserID: 'lisi' },
    });
    expect(delivery.msgId).toBeUndefined();
    await expect
      .poll(() => received[0])
      .toMatchObject({ MsgType: 'event', Event: 'change_contact', ChangeType: 'update_user', UserID: 'lisi' });
  });

  it('gives messages 64-bit ids above 2^53 by default', async () => {
    const { sender } = await receiver();
    const delivery = await sender.send({ type: 'text', from: 'a', content: 'b' });
    expect(BigInt(delivery.msgId ?? '0') > 2n ** 53n).toBe(true);
  });

  it('signs and encrypts as WXBizMsgCrypt does: the envelope decrypts with the corp id', async () => {
    const sender = createCallbackSender({
      url: 'http://127.0.0.1:1/callback',
      token,
      aesKey,
      corpId,
      now: () => 1_409_659_813_000,
    });
    const request = sender.prepare('<xml><Content>x</Content></xml>', { nonce: '1372623149' });
    const url = new URL(request.url);
    expect(url.searchParams.get('timestamp')).toBe('1409659813');
    const encrypted = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(request.body)?.[1] ?? '';
    const crypto = createWecomCrypto({ token, encodingAesKey: aesKey, receiveId: corpId });
    expect(
      crypto.decryptMessage(
        { signature: url.searchParams.get('msg_signature') ?? '', timestamp: '1409659813', nonce: '1372623149' },
        encrypted,
      ),
    ).toBe('<xml><Content>x</Content></xml>');
  });

  it('URL-encodes echostr in the verification GET, as WeCom does', async () => {
    let seenUrl = '';
    const server: Server = createServer((request, response) => {
      seenUrl = request.url ?? '';
      response.end('echo');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>(resolve => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const sender = createCallbackSender({ url: `http://127.0.0.1:${port}/callback`, token, aesKey, corpId });
    await sender.verifyUrl({ echo: '1616140317555161061' });
    const echostr = /echostr=([^&]*)/.exec(seenUrl)?.[1] ?? '';
    expect(echostr).not.toMatch(/[+/=]/);
    expect(decodeURIComponent(echostr)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});

describe('buildCallbackXml', () => {
  it('writes the documented element order of a text message', () => {
    expect(
      buildCallbackXml(
        { type: 'text', from: 'fromUser', content: 'this is a test' },
        { corpId: 'toUser', agentId: 1, createTime: 1348831860, msgId: '1234567890123456' },
      ),
    ).toBe(
      '<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId><AgentID>1</AgentID></xml>',
    );
  });

  it('splits ]]> across CDATA sections', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });
});
