// The PC-hook provider end to end: the bridge's own CLI with `providers.pchook` pointing at the WeChatFerry host
// simulator (NNG pair1 + protobuf, in this test process), a real Synapse, and matrix-js-sdk as the user.
import { startWcfHostSimulator, type WcfHostSimulator } from '@wechat/provider-pchook/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Human } from './harness/human.ts';
import {
  ghostOf as ghost,
  isText,
  openManagementRoom,
  type Scenario,
  startScenario,
  startsWith,
  waitUntil,
} from './harness/scenario.ts';

const alice = 'wxid_alice01';
const bob = 'wxid_bob02';
const room = '20983471@chatroom';

describe('the bridge with the PC-hook provider (WeChatFerry host simulator)', () => {
  let scenario: Scenario;
  let human: Human;
  let host: WcfHostSimulator;
  let managementRoom: string;
  let dmPortal: string;
  let groupPortal: string;
  const sentTexts = () => host.sent().flatMap(sent => (sent.kind === 'text' ? [sent] : []));

  beforeAll(async () => {
    host = await startWcfHostSimulator({
      self: { wxid: 'wxid_pc_self', name: 'PC Self' },
      contacts: [
        { wxid: alice, name: 'Alice Li' },
        { wxid: bob, name: 'Bob Wang' },
      ],
      rooms: [
        {
          id: room,
          name: 'Work Group',
          members: [
            { wxid: alice, nickname: 'Alice Li' },
            { wxid: bob, nickname: 'Bob Wang' },
            { wxid: 'wxid_pc_self', nickname: 'PC Self' },
          ],
        },
      ],
    });
    scenario = await startScenario({
      name: 'pchook',
      synapsePython: inject('synapsePython'),
      providers: () => ({
        pchook: { enabled: true, rpc_endpoint: host.endpoint, shared_dir: host.sharedDir, windows_dir: host.windowsDir },
      }),
    });
    human = scenario.human;
  }, 180_000);

  afterAll(async () => {
    await scenario?.stop();
    await host?.close();
  });

  it('detects that WeChat on the Windows host is logged in (no QR code needed)', async () => {
    managementRoom = await openManagementRoom(scenario);
    await human.sendText(managementRoom, 'login');
    await human.waitForEvent(managementRoom, startsWith('Logged in to WeChat as PC Self'), 30_000);
  });

  it('bridges a pushed text as the sender ghost, and a reply arrives as FUNC_SEND_TXT to the right receiver', async () => {
    await host.pushText({ sender: alice, content: 'hello from the PC' });
    const space = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(space);
    dmPortal = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(dmPortal);
    const message = await human.waitForEvent(dmPortal, isText('hello from the PC'));
    expect(message.sender).toBe(ghost(alice));
    expect((await human.client.getProfileInfo(ghost(alice))).displayname).toBe('Alice Li (WeChat)');

    await human.client.sendMessage(dmPortal, {
      msgtype: 'm.text',
      body: `> <${ghost(alice)}> hello from the PC\n\nhello back`,
      'm.relates_to': { 'm.in_reply_to': { event_id: message.event_id } },
    } as never);
    await waitUntil(() => sentTexts().some(sent => sent.text === 'hello back'), 'FUNC_SEND_TXT');
    expect(sentTexts().find(sent => sent.text === 'hello back')).toMatchObject({ receiver: alice });
    expect(host.requests().some(request => request.name === 'FUNC_SEND_TXT')).toBe(true);
  });

  it('bridges a group message with a mention of the account', async () => {
    await host.pushText({ sender: bob, roomid: room, content: '@PC Self\u2005please look', aters: ['wxid_pc_self'] });
    groupPortal = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(groupPortal);
    const message = await human.waitForEvent(groupPortal, event => String(event.content.body ?? '').includes('please look'));
    expect(message.sender).toBe(ghost(bob));
    expect(message.content['m.mentions']).toEqual({ user_ids: ['@human:localhost'] });
    expect(await human.roomState(groupPortal, 'm.room.name')).toEqual({ name: 'Work Group' });
  });

  it('survives the host going away and coming back without losing messages', async () => {
    await host.stop();
    const queued = await human.sendText(dmPortal, 'sent while the host was away');
    await human.waitForEvent(managementRoom, startsWith('⚠️ Lost the connection to WeChat'), 30_000);
    await host.restart();
    await human.waitForEvent(managementRoom, startsWith('✅ Reconnected'), 60_000);
    await waitUntil(() => sentTexts().some(sent => sent.text === 'sent while the host was away'), 'the queued message', 60_000);
    expect(sentTexts().filter(sent => sent.text === 'sent while the host was away')).toHaveLength(1);
    expect(queued).toMatch(/^\$/);
    await host.pushText({ sender: alice, content: 'after the host came back' });
    await human.waitForEvent(dmPortal, isText('after the host came back'), 30_000);
  });
});
