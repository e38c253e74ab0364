// The WeCom provider end to end: the bridge's own CLI with `providers.wecom` pointing at the fake WeCom API, the
// fake's callback sender posting signed and encrypted callbacks, a real Synapse, and matrix-js-sdk as the user.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CallbackSender,
  createCallbackSender,
  type FakeWecomServer,
  startFakeWecomServer,
} from '@wechat/provider-wecom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BridgeProcess, type BridgeSetup, startBridge, writeBridgeConfig } from './harness/bridge-process.ts';
import { type EventJson, type Human, loginHuman } from './harness/human.ts';
import { freePort } from './harness/ports.ts';
import { type Synapse, startSynapse } from './harness/synapse.ts';

const callbackToken = 'e2eCallbackToken';
const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
/** A 1×1 PNG. */
const png = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCB3UNq9AAAAABJRU5ErkJggg==', 'base64'),
);

describe('the bridge with the WeCom provider (fake WeCom API)', () => {
  let dir: string;
  let setup: BridgeSetup;
  let synapse: Synapse;
  let wecom: FakeWecomServer;
  let members: CallbackSender;
  let bridge: BridgeProcess;
  let human: Human;
  let managementRoom: string;
  let portal: string;

  const isText = (body: string) => (event: EventJson) => event.type === 'm.room.message' && event.content.body === body;
  const waitUntil = async (condition: () => boolean, what: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  };
  const texts = () => wecom.sentMessages().filter(message => message.msgtype === 'text');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wechat-e2e-wecom-'));
    wecom = await startFakeWecomServer();
    const homeserverPort = await freePort();
    const callbackPort = await freePort();
    members = createCallbackSender({
      url: `http://127.0.0.1:${callbackPort}/callback`,
      token: callbackToken,
      aesKey,
      corpId: wecom.corpId,
      agentId: wecom.agentId,
    });
    setup = await writeBridgeConfig({
      dir,
      homeserverUrl: `http://127.0.0.1:${homeserverPort}`,
      settings: [
        [
          ['providers'],
          {
            wecom: {
              enabled: true,
              corp_id: wecom.corpId,
              app_secret: wecom.secret,
              agent_id: wecom.agentId,
              api_base_url: wecom.url,
              callback: { port: callbackPort, host: '127.0.0.1', token: callbackToken, aes_key: aesKey },
            },
          },
        ],
        [['bridge', 'permissions'], { '@human:localhost': 'user' }],
      ],
    });
    synapse = await startSynapse({
      registrationFiles: [setup.registrationFile],
      port: homeserverPort,
      python: inject('synapsePython'),
    });
    await synapse.registerUser('human', 'human-password-1');
    bridge = startBridge({ configFile: setup.configFile, cwd: dir });
    await bridge.waitForLog(/bridge started/, { timeoutMs: 60_000 });
    human = await loginHuman(synapse.baseUrl, 'human', 'human-password-1');
  }, 180_000);

  afterAll(async () => {
    await human?.stop();
    await bridge?.stop().catch(() => bridge.kill());
    await synapse?.stop();
    await wecom?.close();
    if (dir && !process.env.WECHAT_E2E_KEEP_DIRS) await rm(dir, { recursive: true, force: true });
  });

  it('logs in with the configured credentials, bound to the Matrix user who asked', async () => {
    managementRoom = await human.createDm(setup.botUserId);
    await human.waitForEvent(managementRoom, event => String(event.content.body ?? '').includes('WeChat bridge commands:'));
    await human.sendText(managementRoom, 'login');
    await human.waitForEvent(
      managementRoom,
      event => String(event.content.body ?? '').startsWith('Logged in to WeChat as'),
      30_000,
    );
    expect(wecom.requests().some(request => request.path === 'agent/get')).toBe(true);
  });

  it('turns an encrypted callback text into a portal with the sender ghost; a reply reaches message/send', async () => {
    const delivery = await members.send({ type: 'text', from: 'zhangsan', content: '你好，来自企业微信' });
    expect(delivery.status).toBe(200);
    const space = await human.waitForRoomInvite(setup.botUserId);
    await human.joinRoom(space);
    portal = await human.waitForRoomInvite(setup.botUserId);
    await human.joinRoom(portal);
    const message = await human.waitForEvent(portal, isText('你好，来自企业微信'));
    expect(message.sender).toBe('@wechat_zhangsan:localhost');
    expect((await human.client.getProfileInfo('@wechat_zhangsan:localhost')).displayname).toBe('张三 (WeChat)');

    await human.client.sendMessage(portal, {
      msgtype: 'm.text',
      body: '> <@wechat_zhangsan:localhost> 你好\n\nhello from Matrix',
      'm.relates_to': { 'm.in_reply_to': { event_id: message.event_id } },
    } as never);
    await waitUntil(
      () => texts().some(sent => (sent.content as { content?: string }).content === 'hello from Matrix'),
      'message/send',
    );
    expect(texts().find(sent => (sent.content as { content?: string }).content === 'hello from Matrix')).toMatchObject({
      api: 'message/send',
      touser: 'zhangsan',
      agentid: wecom.agentId,
    });

    // WeCom retries a callback it thinks was not answered in time: the same request again appears once.
    await members.replay(delivery);
    await members.send({ type: 'text', from: 'zhangsan', content: 'after the replay' });
    await human.waitForEvent(portal, isText('after the replay'));
    const copies = human.client
      .getRoom(portal)
      ?.getLiveTimeline()
      .getEvents()
      .filter(event => event.getContent().body === '你好，来自企业微信');
    expect(copies).toHaveLength(1);
  });

  it('bridges an image both ways', async () => {
    const mediaId = wecom.putMedia({ type: 'image', data: png, mimeType: 'image/png', fileName: 'dot.png' });
    await members.send({ type: 'image', from: 'zhangsan', mediaId, picUrl: wecom.picUrl(mediaId) });
    const image = await human.waitForEvent(portal, event => event.content.msgtype === 'm.image');
    expect([...(await human.download(String(image.content.url))).data]).toEqual([...png]);

    await human.sendMedia(portal, {
      msgtype: 'm.image',
      data: png,
      mimeType: 'image/png',
      fileName: 'reply.png',
      info: { w: 1, h: 1 },
    });
    await waitUntil(() => wecom.sentMessages().some(sent => sent.msgtype === 'image'), 'the image to reach message/send');
    const sent = wecom.sentMessages().find(message => message.msgtype === 'image');
    expect(sent).toMatchObject({ touser: 'zhangsan', agentid: wecom.agentId });
    const uploaded = wecom.media(String((sent?.content as { media_id?: string } | undefined)?.media_id));
    expect([...(uploaded?.data ?? [])]).toEqual([...png]);
  });

  it('refreshes a token that expires mid-traffic without losing or doubling a message', async () => {
    const tokensBefore = wecom.requests().filter(request => request.path === 'gettoken').length;
    wecom.expireToken({ answer: 42001 });
    await human.sendText(portal, 'after the token expired');
    await waitUntil(
      () => texts().some(sent => (sent.content as { content?: string }).content === 'after the token expired'),
      'the message after the refresh',
    );
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(texts().filter(sent => (sent.content as { content?: string }).content === 'after the token expired')).toHaveLength(1);
    expect(wecom.requests().filter(request => request.path === 'gettoken').length).toBe(tokensBefore + 1);
  });
});
