// The WeCom provider end to end: the bridge's own CLI with `providers.wecom` pointing at the fake WeCom API, the
// fake's callback sender posting signed and encrypted callbacks, a real Synapse, and matrix-js-sdk as the user.
import {
  type CallbackSender,
  createCallbackSender,
  type FakeWecomServer,
  startFakeWecomServer,
} from '@wechat/provider-wecom/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Human } from './harness/human.ts';
import {
  isText,
  openManagementRoom,
  png1x1 as png,
  type Scenario,
  startScenario,
  startsWith,
  waitUntil,
} from './harness/scenario.ts';

const callbackToken = 'e2eCallbackToken';
const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

describe('the bridge with the WeCom provider (fake WeCom API)', () => {
  let scenario: Scenario;
  let human: Human;
  let wecom: FakeWecomServer;
  let members: CallbackSender;
  let managementRoom: string;
  let portal: string;
  const texts = () => wecom.sentMessages().filter(message => message.msgtype === 'text');

  beforeAll(async () => {
    wecom = await startFakeWecomServer();
    let callbackPort = 0;
    scenario = await startScenario({
      name: 'wecom',
      synapsePython: inject('synapsePython'),
      extraPorts: 1,
      providers: ([port = 0]) => {
        callbackPort = port;
        return {
          wecom: {
            enabled: true,
            corp_id: wecom.corpId,
            app_secret: wecom.secret,
            agent_id: wecom.agentId,
            api_base_url: wecom.url,
            callback: { port: callbackPort, host: '127.0.0.1', token: callbackToken, aes_key: aesKey },
          },
        };
      },
    });
    human = scenario.human;
    members = createCallbackSender({
      url: `http://127.0.0.1:${callbackPort}/callback`,
      token: callbackToken,
      aesKey,
      corpId: wecom.corpId,
      agentId: wecom.agentId,
    });
  }, 180_000);

  afterAll(async () => {
    await scenario?.stop();
    await wecom?.close();
  });

  it('logs in with the configured credentials, bound to the Matrix user who asked', async () => {
    managementRoom = await openManagementRoom(scenario);
    await human.sendText(managementRoom, 'login');
    await human.waitForEvent(managementRoom, startsWith('Logged in to WeChat as'), 30_000);
    expect(wecom.requests().some(request => request.path === 'agent/get')).toBe(true);
  });

  it('turns an encrypted callback text into a portal with the sender ghost; a reply reaches message/send', async () => {
    const delivery = await members.send({ type: 'text', from: 'zhangsan', content: '你好，来自企业微信' });
    expect(delivery.status).toBe(200);
    const space = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(space);
    portal = await human.waitForRoomInvite(scenario.setup.botUserId);
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
