import { placeholderJpeg } from './placeholder-images.ts';
import { ApiFailure, type ApiHandlers, detailFailure, requireDevice, text } from './api-types.ts';
import { testPingText } from './callback-envelope.ts';
import { advanceAutoLogin, completeLogin, isExpired, secondsLeft, startLogin } from './device-lifecycle.ts';
import type { SimCore, SimDevice } from './sim-core.ts';

/** Token, callback and login endpoints (B.1, B.2). */
export function loginHandlers(core: SimCore): ApiHandlers {
  const qrImage = `data:image/jpg;base64,${Buffer.from(placeholderJpeg()).toString('base64')}`;

  return {
    '/tools/getTokenId': () => ({ msg: '执行成功', data: core.token }),

    '/tools/setCallback': async body => {
      const token = text(body, 'token');
      const url = text(body, 'callbackUrl');
      if (token === '' || url === '') throw new ApiFailure('token和callbackUrl不能为空');
      // GeWe POSTs a test body to the URL before accepting it (B.2, trap 10).
      const failed = core.failNextCallbackSetup;
      core.failNextCallbackSetup = false;
      const delivery = failed ? undefined : await core.poster.post(url, testPingText(token), { typeName: 'test' });
      if (!delivery?.ok) throw new ApiFailure(`${url} push msg err`);
      core.callbackUrls.set(token, url);
      return {};
    },

    '/login/getLoginQrCode': body => {
      const appId = text(body, 'appId');
      let device: SimDevice | undefined;
      if (appId === '') {
        device = { appId: core.ids.appId(), state: 'new', wxid: undefined, login: undefined };
        core.devices.set(device.appId, device);
      } else {
        device = core.devices.get(appId);
        if (!device) throw detailFailure('获取二维码', `[${appId}]设备不存在`);
      }
      const login = startLogin(core, device, 'qr');
      return {
        data: { appId: device.appId, qrData: `http://weixin.qq.com/x/${login.uuid}`, qrImgBase64: qrImage, uuid: login.uuid },
      };
    },

    '/login/dialogLogin': body => {
      const device = requireDevice(core, body, '弹框登录');
      if (device.wxid === undefined) throw detailFailure('弹框登录', `[${device.appId}]设备未登录过微信`);
      const login = startLogin(core, device, 'dialog');
      return { data: { appId: device.appId, uuid: login.uuid } };
    },

    '/login/checkLogin': body => {
      const device = requireDevice(core, body, '检查登录');
      const login = device.login;
      const uuid = text(body, 'uuid');
      if (!login || login.uuid !== uuid) throw detailFailure('检查登录', `[${uuid}]二维码不存在`);
      login.polls++;
      advanceAutoLogin(core, device, login);
      const self = core.world.self;
      const seen = login.status === 1 || login.status === 2;
      return {
        data: {
          uuid: login.uuid,
          headImgUrl: seen ? core.avatarUrl(self.wxid, 'big') : null,
          nickName: seen ? self.nickName : null,
          expiredTime: secondsLeft(core, login),
          status: login.status,
          loginInfo:
            login.status === 2
              ? { uin: self.uin, wxid: self.wxid, nickName: self.nickName, mobile: self.mobile, alias: self.alias }
              : null,
        },
        after: () => core.flushQueued(),
      };
    },

    '/login/checkOnline': body => ({ data: requireDevice(core, body, '检查在线').state === 'online' }),

    '/login/reconnection': body => {
      const device = requireDevice(core, body, '断线重连');
      if (device.state === 'offline') device.state = 'online';
      return { data: device.state === 'online', after: () => core.flushQueued() };
    },

    '/login/logout': body => {
      const device = requireDevice(core, body, '退出登录');
      device.state = 'logged-out';
      device.login = undefined;
      return {};
    },
  };
}

/** Exposed for the controls: the phone scans, confirms, cancels. */
export function scan(core: SimCore, login: NonNullable<SimDevice['login']>): void {
  if (isExpired(core, login)) throw new Error('the QR code has expired; fetch a new one with getLoginQrCode');
  if (login.status === 0) login.status = 1;
}

export function confirm(core: SimCore, device: SimDevice, login: NonNullable<SimDevice['login']>): void {
  scan(core, login);
  completeLogin(core, device, login);
}
