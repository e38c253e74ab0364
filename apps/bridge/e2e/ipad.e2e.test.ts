// The iPad provider end to end: the bridge's own CLI with `providers.ipad` pointing at the GeWeChat simulator
// (running in this test process), a real Synapse, and matrix-js-sdk as the person in Element.
import { createGewechatSimulator, type GewechatSimulator } from '@wechat/provider-ipad/testing';
import { encode } from 'silk-wasm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Human } from './harness/human.ts';
import {
  ghostOf as ghost,
  isText,
  openManagementRoom,
  png1x1 as png,
  type Scenario,
  startScenario,
  startsWith,
  waitUntil,
} from './harness/scenario.ts';

const self = { wxid: 'wxid_e2e_self', nickName: 'E2E Self' };
const alice = 'wxid_alice01';
const bob = 'wxid_bob02';
const room = '34757816141@chatroom';

/** 24 kHz mono s16le: a tone a voice codec must really encode. */
function tone(seconds: number): Uint8Array {
  const samples = new Int16Array(Math.round(seconds * 24_000));
  for (let index = 0; index < samples.length; index++)
    samples[index] = Math.round(9_000 * Math.sin((2 * Math.PI * 330 * index) / 24_000));
  return new Uint8Array(samples.buffer);
}

describe('the bridge with the iPad provider (GeWeChat simulator)', () => {
  let scenario: Scenario;
  let sim: GewechatSimulator;
  let managementRoom: string;
  let dmPortal: string;
  let groupPortal: string;
  let human: Human;
  const sentTexts = () => sim.sent.filter(sent => sent.path === '/message/postText').map(sent => sent.content);

  beforeAll(async () => {
    sim = await createGewechatSimulator({ self });
    sim.addContact({ wxid: alice, nickName: 'Alice Li' });
    sim.addContact({ wxid: bob, nickName: 'Bob Wang' });
    sim.addRoom({
      roomId: room,
      name: 'Family Group',
      owner: alice,
      members: [{ wxid: alice }, { wxid: bob }, { wxid: self.wxid }],
    });
    scenario = await startScenario({
      name: 'ipad',
      synapsePython: inject('synapsePython'),
      extraPorts: 1,
      providers: ([callbackPort]) => ({
        ipad: {
          enabled: true,
          api_endpoint: sim.apiUrl,
          download_endpoint: sim.downloadUrl,
          callback_url: `http://127.0.0.1:${callbackPort}/callback`,
          callback_port: callbackPort,
          // A brand-new simulated account would otherwise stay silent for three days.
          risk_control: { new_account_silence_days: 0, message_interval_ms: 100 },
        },
      }),
    });
    human = scenario.human;
  }, 180_000);

  afterAll(async () => {
    await scenario?.stop();
    await sim?.stop();
  });

  it('logs in by QR code through GeWeChat', async () => {
    managementRoom = await openManagementRoom(scenario);
    await human.sendText(managementRoom, 'login');
    const qr = await human.waitForEvent(managementRoom, event => event.content.msgtype === 'm.image');
    expect(String(qr.content.body)).toMatch(/^Scan this QR code with WeChat to log in: http:\/\/weixin\.qq\.com\/x\//);
    sim.confirmLogin();
    await human.waitForEvent(managementRoom, startsWith('Logged in to WeChat as E2E Self'), 30_000);
  });

  it('creates a DM portal named after the contact, with the ghost named and pictured', async () => {
    await sim.receive.text({ from: alice, text: 'hello from GeWeChat' });
    const space = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(space);
    dmPortal = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(dmPortal);
    const message = await human.waitForEvent(dmPortal, isText('hello from GeWeChat'));
    expect(message.sender).toBe(ghost(alice));
    expect(await human.roomState(dmPortal, 'm.room.name')).toEqual({ name: 'Alice Li' });
    const profile = await human.client.getProfileInfo(ghost(alice));
    expect(profile.displayname).toBe('Alice Li (WeChat)');
    expect(String(profile.avatar_url)).toMatch(/^mxc:\/\/localhost\//);
  });

  it('creates a group portal with the sender as a ghost', async () => {
    await sim.receive.text({ from: bob, room, text: 'hi everyone' });
    groupPortal = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(groupPortal);
    const message = await human.waitForEvent(groupPortal, isText('hi everyone'));
    expect(message.sender).toBe(ghost(bob));
    expect(await human.roomState(groupPortal, 'm.room.name')).toEqual({ name: 'Family Group' });
  });

  it('bridges an image both ways', async () => {
    await sim.receive.image({ from: alice, data: png });
    const image = await human.waitForEvent(
      dmPortal,
      event => event.content.msgtype === 'm.image' && event.sender === ghost(alice),
    );
    const downloaded = await human.download(String(image.content.url));
    expect([...downloaded.data]).toEqual([...png]);

    await human.sendMedia(dmPortal, {
      msgtype: 'm.image',
      data: png,
      mimeType: 'image/png',
      fileName: 'dot.png',
      info: { w: 1, h: 1 },
    });
    await waitUntil(() => sim.sent.some(sent => sent.path === '/message/postImage'), 'postImage');
    const sent = sim.sent.find(record => record.path === '/message/postImage');
    expect(sent?.toWxid).toBe(alice);
    expect([...(sent?.media ?? [])]).toEqual([...png]);
  });

  it('delivers a voice message as Ogg Opus, marked as voice', async () => {
    const silk = (await encode(tone(2), 24_000)).data;
    await sim.receive.voice({ from: alice, data: silk, durationMs: 2000 });
    const voice = await human.waitForEvent(dmPortal, event => event.content.msgtype === 'm.audio');
    expect(voice.content).toMatchObject({ info: { mimetype: 'audio/ogg', duration: 2000 }, 'org.matrix.msc3245.voice': {} });
    const downloaded = await human.download(String(voice.content.url));
    expect(Buffer.from(downloaded.data.subarray(0, 4)).toString('latin1')).toBe('OggS');
  });

  it('delivers a file once it is complete', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 e2e');
    await sim.receive.file({ from: alice, fileName: 'report.pdf', data: pdf });
    const file = await human.waitForEvent(dmPortal, event => event.content.msgtype === 'm.file');
    expect(file.content.body).toBe('report.pdf');
    expect([...(await human.download(String(file.content.url))).data]).toEqual([...pdf]);
  });

  it('redacts on a WeChat recall, and recalls on WeChat when redacted in Matrix', async () => {
    const id = await sim.receive.text({ from: alice, text: 'take this back' });
    const event = await human.waitForEvent(dmPortal, isText('take this back'));
    await sim.recall({ newMsgId: id });
    await human.waitForEvent(
      dmPortal,
      redaction => redaction.type === 'm.room.redaction' && redaction.redacts === event.event_id,
    );

    const mine = await human.sendText(dmPortal, 'regret this');
    await waitUntil(() => sentTexts().includes('regret this'), 'the message to reach WeChat');
    const sentId = sim.sent.find(sent => sent.content === 'regret this')?.newMsgId;
    await human.redact(dmPortal, mine);
    await waitUntil(
      () => sim.sent.some(sent => sent.path === '/message/revokeMsg' && sent.newMsgId === sentId),
      'revokeMsg for the redacted message',
    );
  });

  it('shows a re-delivered callback once', async () => {
    const id = await sim.receive.text({ from: alice, text: 'delivered twice' });
    await human.waitForEvent(dmPortal, isText('delivered twice'));
    await sim.redeliver(id);
    await sim.receive.text({ from: alice, text: 'after the repeat' });
    await human.waitForEvent(dmPortal, isText('after the repeat'));
    const copies = human.client
      .getRoom(dmPortal)
      ?.getLiveTimeline()
      .getEvents()
      .filter(event => event.getContent().body === 'delivered twice');
    expect(copies).toHaveLength(1);
  });

  it('sends a Matrix reply to postText with the right toWxid', async () => {
    const quoted = await human.waitForEvent(groupPortal, isText('hi everyone'));
    await human.client.sendMessage(groupPortal, {
      msgtype: 'm.text',
      body: '> <@wechat_wxid__bob02:localhost> hi everyone\n\nhello Bob',
      'm.relates_to': { 'm.in_reply_to': { event_id: quoted.event_id } },
    } as never);
    await waitUntil(() => sentTexts().includes('hello Bob'), 'the reply to reach WeChat');
    expect(sim.sent.find(sent => sent.content === 'hello Bob')?.toWxid).toBe(room);
  });

  it('shows the traffic in /metrics and the login in /health', async () => {
    const metrics = await (await fetch(`${scenario.setup.metricsUrl}/metrics`)).text();
    const sample = (line: RegExp) => Number(line.exec(metrics)?.[1] ?? Number.NaN);
    expect(sample(/^mautrix_wechat_connected\{provider="ipad"\} (\d+)/m)).toBe(1);
    expect(sample(/^mautrix_wechat_messages_received_total\{provider="ipad",kind="text"\} (\d+)/m)).toBeGreaterThanOrEqual(5);
    expect(sample(/^mautrix_wechat_messages_sent_total\{provider="ipad",kind="text"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(sample(/^mautrix_wechat_media_bytes_total\{provider="ipad",direction="wechat-to-matrix"\} (\d+)/m)).toBeGreaterThan(0);
    expect(sample(/^mautrix_wechat_wechat_to_matrix_latency_seconds_count\{provider="ipad"\} (\d+)/m)).toBeGreaterThanOrEqual(5);
    const health = await fetch(`${scenario.setup.metricsUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      logins: [{ provider: 'ipad', activeProvider: 'ipad', state: 'connected', outboxDepth: 0 }],
    });
  });

  it('resumes after a restart without a new QR scan', async () => {
    expect(await scenario.bridge.stop()).toBe(0);
    await scenario.launch();
    await sim.receive.text({ from: alice, text: 'after the restart' });
    await human.waitForEvent(dmPortal, isText('after the restart'), 60_000);
    const qrCodes = human.client
      .getRoom(managementRoom)
      ?.getLiveTimeline()
      .getEvents()
      .filter(event => event.getContent().msgtype === 'm.image');
    expect(qrCodes).toHaveLength(1);
    expect(sim.requests.filter(request => request.path === '/login/getLoginQrCode')).toHaveLength(1);
  });
});
