import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder } from './callback-recorder.ts';
import { createGewechatSimulator, type GewechatSimulatorOptions } from './gewechat-simulator.ts';

interface CheckLogin {
  uuid: string;
  headImgUrl: string | null;
  nickName: string | null;
  expiredTime: number;
  status: number;
  loginInfo: { uin: number; wxid: string; nickName: string; mobile: string; alias: string } | null;
}
interface QrCode {
  appId: string;
  qrData: string;
  qrImgBase64: string;
  uuid: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: GewechatSimulatorOptions = {}) {
  const sim = await createGewechatSimulator(options);
  cleanups.push(() => sim.stop());
  // `null`: send no X-GEWE-TOKEN header.
  const api = <T>(path: string, body: unknown, token: string | null = sim.token) =>
    callGewechatApi<T>(sim.apiUrl, path, body, token === null ? {} : { token });
  return { sim, api };
}

function clock(start = 1_700_000_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('token and envelope (B.1)', () => {
  it('gives the token from /tools/getTokenId with {} and no header', async () => {
    const { sim, api } = await start({ token: 'c9ffbedb9aeb471db49d92453ea21a17' });
    const answer = await api<string>('/tools/getTokenId', {}, null);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ret: 200, msg: '执行成功', data: 'c9ffbedb9aeb471db49d92453ea21a17' });
    expect(sim.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/api$/);
    expect(sim.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/download$/);
    expect(sim.requests[0]).toMatchObject({ path: '/tools/getTokenId', body: {}, token: undefined });
  });

  it('answers a missing or wrong token with HTTP 200 and ret 500', async () => {
    const { api } = await start();
    const missing = await api('/login/getLoginQrCode', { appId: '' }, null);
    expect(missing.status).toBe(200);
    expect(JSON.parse(missing.text)).toEqual({ ret: 500, msg: 'header:X-GEWE-TOKEN 不可为空' });
    const wrong = await api('/login/getLoginQrCode', { appId: '' }, 'not-the-token');
    expect(wrong.status).toBe(200);
    expect(wrong.ret).toBe(500);
    expect(wrong.msg).toBe('HTTP HEADER: X-GEWE-TOKEN=not-the-token 不可用或已过期');
  });

  it('answers unknown paths with HTTP 404 / ret 404, malformed JSON with ret 500', async () => {
    const { sim, api } = await start();
    const unknown = await api('/message/postTelepathy', { appId: '' });
    expect(unknown.status).toBe(404);
    expect(unknown.ret).toBe(404);
    const malformed = await callGewechatApi(sim.apiUrl, '/login/checkOnline', undefined, {
      token: sim.token,
      rawBody: '{"appId":',
    });
    expect(malformed.status).toBe(200);
    expect(malformed.ret).toBe(500);
    expect(sim.requests.at(-1)).toMatchObject({ path: '/login/checkOnline', body: undefined, rawBody: '{"appId":' });
  });

  it('fails the next call of a path as told, once', async () => {
    const { sim, api } = await start();
    sim.failNext('/login/getLoginQrCode', { ret: 500, msg: '创建设备失败' });
    expect(JSON.parse((await api('/login/getLoginQrCode', { appId: '' })).text)).toEqual({ ret: 500, msg: '创建设备失败' });
    expect((await api('/login/getLoginQrCode', { appId: '' })).ret).toBe(200);
    sim.failNext('*', { httpStatus: 502 });
    expect((await api('/tools/getTokenId', {})).status).toBe(502);
    sim.failNext('/tools/getTokenId', { network: true });
    await expect(api('/tools/getTokenId', {})).rejects.toThrow();
  });
});

describe('login (B.2)', () => {
  it('goes through not scanned → scanned → logged in, with loginInfo only at status 2', async () => {
    const { sim, api } = await start({ self: { wxid: 'wxid_bot', nickName: 'Bot', alias: 'botalias', mobile: '13800000000' } });
    const qr = await api<QrCode>('/login/getLoginQrCode', { appId: '' });
    expect(qr.ret).toBe(200);
    const { appId, uuid, qrData, qrImgBase64 } = qr.data;
    expect(appId).toMatch(/^wx_[A-Za-z0-9_-]{21}$/);
    expect(qrData).toBe(`http://weixin.qq.com/x/${uuid}`);
    expect(qrImgBase64.startsWith('data:image/jpg;base64,/9j/')).toBe(true);

    const poll = async () => (await api<CheckLogin>('/login/checkLogin', { appId, uuid })).data;
    expect(await poll()).toEqual({ uuid, headImgUrl: null, nickName: null, expiredTime: 120, status: 0, loginInfo: null });
    sim.scanQrCode();
    const scanned = await poll();
    expect(scanned).toMatchObject({ status: 1, nickName: 'Bot', loginInfo: null });
    expect(scanned.headImgUrl).toMatch(/\/avatar\/wxid_bot\.png$/);
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(false);
    sim.confirmLogin();
    expect(await poll()).toMatchObject({
      status: 2,
      loginInfo: { wxid: 'wxid_bot', nickName: 'Bot', alias: 'botalias', mobile: '13800000000', uin: expect.any(Number) },
    });
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(true);
    expect(sim.appId).toBe(appId);
  });

  it('counts expiredTime down with the injected clock and expires the QR code', async () => {
    const time = clock();
    const { sim, api } = await start({ now: time.now });
    const { appId, uuid } = (await api<QrCode>('/login/getLoginQrCode', { appId: '' })).data;
    const poll = async () => (await api<CheckLogin>('/login/checkLogin', { appId, uuid })).data;
    time.advance(115_000);
    expect((await poll()).expiredTime).toBe(5);
    time.advance(5_000);
    expect(await poll()).toMatchObject({ expiredTime: 0, status: 0, loginInfo: null });
    expect(() => sim.confirmLogin(appId)).toThrow(/expired/);

    const fresh = (await api<QrCode>('/login/getLoginQrCode', { appId })).data;
    expect(fresh.appId).toBe(appId);
    expect(fresh.uuid).not.toBe(uuid);
    sim.expireQrCode();
    expect((await api<CheckLogin>('/login/checkLogin', { appId, uuid: fresh.uuid })).data.expiredTime).toBe(0);
  });

  it('reports a cancelled login as status 4', async () => {
    const { sim, api } = await start();
    const { appId, uuid } = (await api<QrCode>('/login/getLoginQrCode', { appId: '' })).data;
    sim.scanQrCode();
    sim.cancelLogin();
    expect((await api<CheckLogin>('/login/checkLogin', { appId, uuid })).data).toMatchObject({ status: 4, loginInfo: null });
    expect(() => sim.confirmLogin()).toThrow(/no login is waiting/);
  });

  it('logs in on the Nth poll with autoLogin', async () => {
    const { api } = await start({ autoLogin: { afterPolls: 3 } });
    const { appId, uuid } = (await api<QrCode>('/login/getLoginQrCode', { appId: '' })).data;
    const statuses: number[] = [];
    for (let poll = 0; poll < 3; poll++) statuses.push((await api<CheckLogin>('/login/checkLogin', { appId, uuid })).data.status);
    expect(statuses).toEqual([0, 1, 2]);
  });

  it('reuses an appId, rejects an unknown one, and lets a kicked account log in again on the same appId', async () => {
    const recorder = await createCallbackRecorder();
    cleanups.push(() => recorder.close());
    const { sim, api } = await start({ autoLogin: true, self: { wxid: 'wxid_bot' } });
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const first = (await api<QrCode>('/login/getLoginQrCode', { appId: '' })).data;
    await api('/login/checkLogin', { appId: first.appId, uuid: first.uuid });

    const unknown = await api('/login/getLoginQrCode', { appId: 'wx_doesNotExist_123456' });
    expect(JSON.parse(unknown.text)).toEqual({
      ret: 500,
      msg: '获取二维码失败',
      data: { code: '-1', msg: '[wx_doesNotExist_123456]设备不存在' },
    });

    await sim.kickDevice();
    const offline = await recorder.waitFor(callback => callback.body.includes('"Offline"'));
    expect(JSON.parse(offline.body)).toEqual({ TypeName: 'Offline', Appid: first.appId, Wxid: 'wxid_bot' });
    expect((await api<boolean>('/login/checkOnline', { appId: first.appId })).data).toBe(false);
    expect((await api<boolean>('/login/reconnection', { appId: first.appId })).data).toBe(false);

    const again = (await api<QrCode>('/login/getLoginQrCode', { appId: first.appId })).data;
    expect(again.appId).toBe(first.appId);
    const done = (await api<CheckLogin>('/login/checkLogin', { appId: first.appId, uuid: again.uuid })).data;
    expect(done.loginInfo?.wxid).toBe('wxid_bot');
    expect(sim.devices).toEqual([{ appId: first.appId, state: 'online', wxid: 'wxid_bot' }]);
  });

  it('goes offline and back with /login/reconnection; logout ends the session', async () => {
    const recorder = await createCallbackRecorder();
    cleanups.push(() => recorder.close());
    const { sim, api } = await start();
    await api('/tools/setCallback', { token: sim.token, callbackUrl: recorder.url });
    const appId = await sim.loginDevice();
    await sim.goOffline();
    expect(recorder.received.map(callback => JSON.parse(callback.body).TypeName ?? 'test ping')).toEqual([
      'test ping',
      'Offline',
    ]);
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(false);
    expect((await api<boolean>('/login/reconnection', { appId })).data).toBe(true);
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(true);

    const logout = await api('/login/logout', { appId });
    expect(JSON.parse(logout.text)).toEqual({ ret: 200, msg: '操作成功' });
    expect((await api<boolean>('/login/checkOnline', { appId })).data).toBe(false);
    const send = await api('/message/postText', { appId, toWxid: 'filehelper', content: 'hi', ats: '' });
    expect(send.ret).toBe(500);
    expect(send.msg).toBe('发送文字消息失败');
  });

  it('dialogLogin works only for a device that was logged in before', async () => {
    const { sim, api } = await start();
    const fresh = (await api<QrCode>('/login/getLoginQrCode', { appId: '' })).data;
    expect((await api('/login/dialogLogin', { appId: fresh.appId })).ret).toBe(500);
    const appId = await sim.loginDevice();
    await api('/login/logout', { appId });
    const dialog = await api<{ appId: string; uuid: string }>('/login/dialogLogin', { appId });
    expect(dialog.data.appId).toBe(appId);
    sim.confirmLogin(appId);
    expect((await api<CheckLogin>('/login/checkLogin', { appId, uuid: dialog.data.uuid })).data.status).toBe(2);
  });

  it('resetContainer changes the token and forgets the devices', async () => {
    const { sim, api } = await start();
    const appId = await sim.loginDevice();
    const oldToken = sim.token;
    sim.resetContainer();
    expect(sim.token).not.toBe(oldToken);
    expect((await api('/login/checkOnline', { appId }, oldToken)).msg).toContain('不可用或已过期');
    expect((await api<string>('/tools/getTokenId', {}, undefined)).data).toBe(sim.token);
    expect((await api('/login/checkOnline', { appId })).ret).toBe(500);
    expect(sim.devices).toEqual([]);
  });
});
