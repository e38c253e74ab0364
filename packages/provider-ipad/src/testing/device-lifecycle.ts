import type { PendingLogin, SimCore, SimDevice } from './sim-core.ts';

/** The QR code lifetime (B.2: "expires after about 120 s"). */
export const qrLifetimeMs = 120_000;

export function isExpired(core: SimCore, login: PendingLogin): boolean {
  return login.expired || core.now() - login.createdAt >= qrLifetimeMs;
}

/** `checkLogin.expiredTime`: whole seconds left, 0 once expired. */
export function secondsLeft(core: SimCore, login: PendingLogin): number {
  if (isExpired(core, login)) return 0;
  return Math.max(0, Math.ceil((login.createdAt + qrLifetimeMs - core.now()) / 1000));
}

export function startLogin(core: SimCore, device: SimDevice, kind: PendingLogin['kind']): PendingLogin {
  const login: PendingLogin = { uuid: core.ids.qrUuid(), kind, createdAt: core.now(), status: 0, expired: false, polls: 0 };
  device.login = login;
  return login;
}

/** The login the phone would act on: the given device's, else the newest one still waiting. */
export function currentLogin(core: SimCore, appId?: string): { device: SimDevice; login: PendingLogin } {
  const candidates = [...core.devices.values()].filter(
    device => (appId === undefined || device.appId === appId) && device.login !== undefined,
  );
  const waiting = candidates
    .filter(device => device.login!.status === 0 || device.login!.status === 1)
    .sort((a, b) => b.login!.createdAt - a.login!.createdAt);
  const device = waiting[0];
  if (!device) {
    throw new Error(
      appId === undefined
        ? 'no login is waiting: call /login/getLoginQrCode (or dialogLogin) first'
        : `no login is waiting on device ${appId}`,
    );
  }
  return { device, login: device.login! };
}

/** The phone confirmed: the device is online as the account; another device of the account is kicked. */
export function completeLogin(core: SimCore, device: SimDevice, login: PendingLogin): void {
  login.status = 2;
  for (const other of core.devices.values()) {
    if (other !== device && other.state === 'online' && other.wxid === core.world.self.wxid) other.state = 'kicked';
  }
  device.state = 'online';
  device.wxid = core.world.self.wxid;
}

/** `checkLogin`'s progression under `autoLogin`: scanned on the poll before the Nth, logged in on the Nth. */
export function advanceAutoLogin(core: SimCore, device: SimDevice, login: PendingLogin): void {
  const after = core.autoLoginAfterPolls;
  if (after === undefined || isExpired(core, login) || login.status === 2 || login.status === 4) return;
  if (login.polls >= after) completeLogin(core, device, login);
  else if (login.polls === after - 1) login.status = 1;
}

/** The Offline callback (B.6): `{TypeName:"Offline", Appid, Wxid}` without data. */
export async function pushOffline(core: SimCore, device: SimDevice): Promise<void> {
  await core.push('Offline', undefined, { appId: device.appId });
}
