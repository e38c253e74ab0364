import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder } from './callback-recorder.ts';
import { createGewechatSimulator, type GewechatSimulatorOptions } from './gewechat-simulator.ts';
import { listenHttp } from './http-listener.ts';
import { parseJsonText } from './json-text.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: GewechatSimulatorOptions = {}) {
  const recorder = await createCallbackRecorder();
  cleanups.push(() => recorder.close());
  const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bot', nickName: 'Bot' }, ...options });
  cleanups.push(() => sim.stop());
  const api = <T>(path: string, body: unknown) => callGewechatApi<T>(sim.apiUrl, path, body, { token: sim.token });
  return { sim, recorder, api };
}

describe('setCallback (B.2, trap 10)', () => {
  it('POSTs the test body synchronously and stores the URL for the token', async () => {
    const { sim, recorder, api } = await setup();
    const answer = await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    expect(JSON.parse(answer.text)).toEqual({ ret: 200, msg: '操作成功' });
    // Already there when setCallback answered: the POST is synchronous.
    expect(recorder.received).toHaveLength(1);
    expect(JSON.parse(recorder.received[0]!.body)).toEqual({ testMsg: '回调地址链接成功！', token: sim.token });
    expect(recorder.received[0]!.contentType).toContain('application/json');
    expect(sim.callbackUrl).toBe(recorder.url);
    expect(sim.deliveries[0]).toMatchObject({ typeName: 'test', status: 200, ok: true });
  });

  it('answers "<url> push msg err" when the test POST fails', async () => {
    const { sim, recorder, api } = await setup();
    recorder.respondWith(500);
    const refused = await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    expect(JSON.parse(refused.text)).toEqual({ ret: 500, msg: `${recorder.url} push msg err` });
    expect(sim.callbackUrl).toBeUndefined();

    const closed = await listenHttp(0, (_request, response) => response.end());
    await closed.close();
    const unreachable = `http://127.0.0.1:${closed.port}/callback`;
    expect((await api('/tools/setCallback', { token: sim.token, callbackUrl: unreachable })).msg).toBe(
      `${unreachable} push msg err`,
    );

    recorder.respondWith(200);
    sim.failNextCallbackSetup();
    expect((await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url })).ret).toBe(500);
    expect((await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url })).ret).toBe(200);
  });
});

describe('callback delivery (B.6)', () => {
  it('records each delivery, failed ones included, and redelivers the exact same bytes', async () => {
    const { sim, recorder, api } = await setup();
    sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    await sim.loginDevice();

    recorder.respondWith(503);
    const newMsgId = await sim.receive.text({ from: 'wxid_alice', text: 'hello' });
    expect(sim.deliveries.at(-1)).toMatchObject({ typeName: 'AddMsg', newMsgId, status: 503, ok: false, redelivery: false });
    // Not retried on the spot.
    expect(sim.deliveries.filter(delivery => delivery.newMsgId === newMsgId)).toHaveLength(1);

    recorder.respondWith(200);
    const again = await sim.redeliver(newMsgId);
    expect(again).toMatchObject({ status: 200, ok: true, redelivery: true });
    const bodies = recorder.received.filter(callback => callback.body.includes(newMsgId)).map(callback => callback.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(() => sim.redeliver('1')).toThrow(/no callback/);
  });

  it('sends the lower-case envelope keys of newer builds when asked', async () => {
    const { sim, recorder, api } = await setup({ lowerCaseKeys: true });
    sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const appId = await sim.loginDevice();
    await sim.receive.text({ from: 'wxid_alice', text: 'hi' });
    const body = parseJsonText(recorder.received.at(-1)!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['type_name', 'appid', 'wxid', 'data']);
    expect(body).toMatchObject({ type_name: 'AddMsg', appid: appId, wxid: 'wxid_bot', data: { MsgType: 1 } });

    sim.useLowerCaseKeys(false);
    await sim.receive.text({ from: 'wxid_alice', text: 'hi again' });
    expect(Object.keys(JSON.parse(recorder.received.at(-1)!.body))).toEqual(['TypeName', 'Appid', 'Wxid', 'Data']);
  });

  it('records a delivery without callback URL as failed', async () => {
    const { sim } = await setup();
    sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
    await sim.loginDevice();
    await sim.receive.text({ from: 'wxid_alice', text: 'into the void' });
    expect(sim.deliveries.at(-1)).toMatchObject({ ok: false, error: 'no callback URL is set', status: undefined });
  });
});

describe('stop and start', () => {
  it('restarts on the same ports with the world kept, pushing what arrived while it was away', async () => {
    const { sim, recorder, api } = await setup();
    sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const appId = await sim.loginDevice();
    const { apiUrl, downloadUrl, token } = sim;

    await sim.stop();
    expect(sim.running).toBe(false);
    await expect(callGewechatApi(apiUrl, '/login/checkOnline', { appId }, { token })).rejects.toThrow();
    const whileAway = await sim.receive.text({ from: 'wxid_alice', text: 'while you were away' });
    expect(recorder.received.some(callback => callback.body.includes(whileAway))).toBe(false);

    await sim.start();
    expect(sim.apiUrl).toBe(apiUrl);
    expect(sim.downloadUrl).toBe(downloadUrl);
    expect(sim.token).toBe(token);
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(true);
    expect(recorder.received.some(callback => callback.body.includes(whileAway))).toBe(true);
  });

  it('queues messages while the account is offline and pushes them after reconnection', async () => {
    const { sim, recorder, api } = await setup();
    sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const appId = await sim.loginDevice();
    await sim.goOffline();
    const queued = await sim.receive.text({ from: 'wxid_alice', text: 'later' });
    expect(recorder.received.some(callback => callback.body.includes(queued))).toBe(false);
    await api('/login/reconnection', { appId });
    await sim.idle();
    expect(recorder.received.some(callback => callback.body.includes(queued))).toBe(true);
  });

  it('goOnline brings an offline device back; clearRecords forgets requests, sends and deliveries', async () => {
    const { sim, recorder, api } = await setup();
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const appId = await sim.loginDevice();
    await sim.goOffline();
    expect(sim.appId).toBeUndefined();
    await sim.goOnline();
    expect(sim.appId).toBe(appId);
    await api('/message/postText', { appId, toWxid: 'filehelper', content: 'x' });
    await sim.idle();
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(sim.sent).toHaveLength(1);
    sim.clearRecords();
    expect([sim.requests.length, sim.sent.length, sim.deliveries.length]).toEqual([0, 0, 0]);
  });
});
