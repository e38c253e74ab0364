import { type Logger, noopLogger } from '@wechat/provider-api';
import { type ApiFailureSpec, createApiRequestHandler } from './api-server.ts';
import { type CallbackDelivery, createCallbackPoster } from './callback-delivery.ts';
import { contactHandlers } from './contact-api.ts';
import { currentLogin, pushOffline } from './device-lifecycle.ts';
import { downloadHandlers } from './download-api.ts';
import { createFileRequestHandler } from './file-server.ts';
import { groupHandlers } from './group-api.ts';
import { type HttpListener, listenHttp } from './http-listener.ts';
import { createEventControls, type EventControls } from './inbound-events.ts';
import { createReceiveControls, type ReceiveControls } from './inbound-messages.ts';
import { confirm, loginHandlers, scan } from './login-api.ts';
import { contentTypeOf, createMediaStore } from './media-store.ts';
import { messageHandlers } from './message-api.ts';
import { createSimCore, type DeviceState, type RecordedRequest, type SentMessage, type SimDevice } from './sim-core.ts';
import { createSimIds, type RandomBytes } from './sim-ids.ts';
import {
  createSimWorld,
  type SimContact,
  type SimContactInit,
  type SimFriendRequest,
  type SimRoomInit,
  type SimSelf,
} from './sim-world.ts';

export interface GewechatSimulatorOptions {
  /** The API port (default 0: any free port). A restarted simulator keeps the ports it had. */
  readonly apiPort?: number;
  /** The file-server port (default 0). */
  readonly filePort?: number;
  /** The container token (default: 32 random hex digits). */
  readonly token?: string;
  /** The account that logs in. Default `{ wxid: 'wxid_gewe_sim_self', nickName: 'GeWe Sim' }`. */
  readonly self?: {
    readonly wxid?: string;
    readonly nickName?: string;
    readonly alias?: string;
    readonly mobile?: string;
    readonly uin?: number;
  };
  /** The clock (ms). Inject one to expire QR codes without waiting. Default `Date.now`. */
  readonly now?: () => number;
  /** Log in on the Nth `checkLogin` poll (`true` = the first), as if the phone scanned and confirmed. */
  readonly autoLogin?: boolean | { readonly afterPolls: number };
  /** Callback envelopes with the newer builds' lower-case keys (`type_name`, `appid`, `wxid`, `data`). */
  readonly lowerCaseKeys?: boolean;
  /** Group messages in the older form (`ToUserName` = room, no sender prefix) by default. */
  readonly legacyGroupForm?: boolean;
  /** Used for callbacks and for the media URLs sends name. Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
  /** Random bytes behind every generated id. */
  readonly random?: RandomBytes;
  /** Per callback POST. Default 5000. */
  readonly callbackTimeoutMs?: number;
  /** Per media URL the simulator fetches. Default 10000. */
  readonly mediaTimeoutMs?: number;
}

export interface SimDeviceInfo {
  readonly appId: string;
  readonly state: DeviceState;
  readonly wxid: string | undefined;
}

export interface SimRoomSnapshot {
  readonly roomId: string;
  readonly name: string;
  readonly owner: string;
  readonly members: readonly { readonly wxid: string; readonly displayName: string | undefined; readonly inviter: string }[];
  readonly announcement: string | undefined;
}

export interface GewechatSimulator extends EventControls {
  /** `http://127.0.0.1:<apiPort>/v2/api` */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<filePort>/download` (append `/` and a `fileUrl`). */
  readonly downloadUrl: string;
  /** `http://127.0.0.1:<filePort>` */
  readonly fileServerUrl: string;
  readonly apiPort: number;
  readonly filePort: number;
  /** The current container token (changes on `resetContainer`). */
  readonly token: string;
  readonly running: boolean;
  /** The account, and `says()` for messages sent from its phone. */
  readonly self: Readonly<SimSelf> & { says(input: { readonly to: string; readonly text: string }): Promise<string> };
  /** The callback URL stored for the current token. */
  readonly callbackUrl: string | undefined;
  readonly devices: readonly SimDeviceInfo[];
  /** The online device's appId. */
  readonly appId: string | undefined;
  readonly requests: readonly RecordedRequest[];
  readonly sent: readonly SentMessage[];
  readonly deliveries: readonly CallbackDelivery[];
  readonly friendRequests: readonly SimFriendRequest[];
  readonly receive: ReceiveControls;

  start(): Promise<void>;
  /** Closes both servers and every socket; the world (contacts, rooms, devices, token) is kept for `start()`. */
  stop(): Promise<void>;
  /** Resolves once every echo and callback started so far was delivered. */
  idle(): Promise<void>;
  clearRecords(): void;
  /** The container state is lost: a new token, no devices, no downloaded files, no callback URL. */
  resetContainer(): void;

  /** The phone scans the waiting QR code (status 1). */
  scanQrCode(appId?: string): void;
  /** The phone confirms (scanning first if needed): the next `checkLogin` reports status 2. */
  confirmLogin(appId?: string): void;
  /** The phone cancels: status 4. */
  cancelLogin(appId?: string): void;
  /** The QR code expires now (`expiredTime` 0); it can no longer be confirmed. */
  expireQrCode(appId?: string): void;
  /** A shortcut for harnesses: a new device, already logged in as the account. Resolves with its appId. */
  loginDevice(): Promise<string>;
  /** Sends `Offline`; `checkOnline` is false until `/login/reconnection` or `goOnline()`. */
  goOffline(): Promise<void>;
  /** The offline (or kicked) device is back online; queued messages are pushed. */
  goOnline(): Promise<void>;
  /** WeChat kicks the device (B.1: a new device's first night): `Offline`, and reconnection fails until a new QR login. */
  kickDevice(): Promise<void>;

  useLowerCaseKeys(on: boolean): void;
  /** `downloadImage` type 1 (HD) answers `{"ret":500,"msg":"下载图片失败"}` while on. */
  failHdDownloads(on: boolean): void;
  /** The next call of `path` (e.g. `/message/postText`, or `*` for any) answers this failure. */
  failNext(path: string, failure: ApiFailureSpec): void;
  /** The next `setCallback` fails with `<url> push msg err`, as if its test POST had failed. */
  failNextCallbackSetup(): void;

  addContact(contact: SimContactInit): void;
  addRoom(room: SimRoomInit): void;
  getContact(wxid: string): Readonly<SimContact> | undefined;
  getRoom(roomId: string): SimRoomSnapshot | undefined;
  /** Re-POSTs the exact body first delivered for this NewMsgId (B.6: GeWe re-delivers, hours later). */
  redeliver(newMsgId: string): Promise<CallbackDelivery>;
  /** Serves bytes from the file server and returns their URL, e.g. for `postImage {imgUrl}`. */
  hostFile(data: Uint8Array, fileName: string, contentType?: string): string;
}

/** Creates and starts a GeWeChat simulator. */
export async function createGewechatSimulator(options: GewechatSimulatorOptions = {}): Promise<GewechatSimulator> {
  const simulator = buildSimulator(options);
  await simulator.start();
  return simulator;
}

function buildSimulator(options: GewechatSimulatorOptions): GewechatSimulator {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? noopLogger;
  const ids = createSimIds(options.random);
  const self: SimSelf = {
    wxid: options.self?.wxid ?? 'wxid_gewe_sim_self',
    nickName: options.self?.nickName ?? 'GeWe Sim',
    alias: options.self?.alias ?? '',
    mobile: options.self?.mobile ?? '',
    uin: options.self?.uin ?? 1_234_567_890,
  };
  const world = createSimWorld(self);
  const poster = createCallbackPoster({
    fetch: options.fetch ?? fetch,
    now,
    logger,
    timeoutMs: options.callbackTimeoutMs ?? 5000,
  });
  const autoLogin = options.autoLogin === true ? 1 : options.autoLogin ? Math.max(1, options.autoLogin.afterPolls) : undefined;
  const core = createSimCore({
    ids,
    world,
    media: createMediaStore(ids),
    poster,
    logger,
    now,
    fetch: options.fetch ?? fetch,
    mediaTimeoutMs: options.mediaTimeoutMs ?? 10_000,
    token: options.token ?? ids.token(),
    lowerCaseKeys: options.lowerCaseKeys ?? false,
    legacyGroupForm: options.legacyGroupForm ?? false,
    autoLoginAfterPolls: autoLogin,
  });

  const failures = new Map<string, ApiFailureSpec[]>();
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.catch(error => logger.error({ error }, 'gewechat simulator: background work failed'));
    background.add(settled);
    void settled.finally(() => background.delete(settled));
  };
  const handlers = {
    ...loginHandlers(core),
    ...messageHandlers(core),
    ...downloadHandlers(core),
    ...contactHandlers(core),
    ...groupHandlers(core),
  };
  const apiHandler = createApiRequestHandler(core, handlers, failures, track);
  const fileHandler = createFileRequestHandler(core);
  const events = createEventControls(core);
  let apiPort = options.apiPort ?? 0;
  let listeners: { api: HttpListener; file: HttpListener } | undefined;

  const latestDevice = (states: readonly DeviceState[]): SimDevice | undefined =>
    [...core.devices.values()].reverse().find(device => states.includes(device.state));

  const simulator: GewechatSimulator = {
    ...events,
    get apiUrl() {
      return `http://127.0.0.1:${apiPort}/v2/api`;
    },
    get downloadUrl() {
      return `${core.fileBase()}/download`;
    },
    get fileServerUrl() {
      return core.fileBase();
    },
    get apiPort() {
      return apiPort;
    },
    get filePort() {
      return core.filePort;
    },
    get token() {
      return core.token;
    },
    get running() {
      return core.running;
    },
    get self() {
      return { ...world.self, says: events.selfSays };
    },
    get callbackUrl() {
      return core.callbackUrls.get(core.token);
    },
    get devices() {
      return [...core.devices.values()].map(device => ({ appId: device.appId, state: device.state, wxid: device.wxid }));
    },
    get appId() {
      return core.onlineDevice()?.appId;
    },
    get requests() {
      return core.requests;
    },
    get sent() {
      return core.sent;
    },
    get deliveries() {
      return poster.deliveries;
    },
    get friendRequests() {
      return world.friendRequests;
    },
    receive: createReceiveControls(core),

    async start() {
      if (listeners) return;
      const api = await listenHttp(apiPort, apiHandler);
      let file: HttpListener;
      try {
        file = await listenHttp(
          options.filePort !== undefined && core.filePort === 0 ? options.filePort : core.filePort,
          fileHandler,
        );
      } catch (error) {
        await api.close();
        throw error;
      }
      listeners = { api, file };
      apiPort = api.port;
      core.filePort = file.port;
      core.running = true;
      // GeWe re-pushes what it could not deliver when it comes back (B.6).
      await core.flushQueued();
    },
    async stop() {
      if (!listeners) return;
      const { api, file } = listeners;
      listeners = undefined;
      core.running = false;
      poster.abortAll();
      while (background.size > 0) await Promise.allSettled([...background]);
      await poster.idle();
      await Promise.all([api.close(), file.close()]);
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await poster.idle();
    },
    clearRecords() {
      core.requests.length = 0;
      core.sent.length = 0;
      poster.deliveries.length = 0;
    },
    resetContainer() {
      core.token = ids.token();
      core.devices.clear();
      core.media.forgetDownloads();
    },

    scanQrCode(appId) {
      const { login } = currentLogin(core, appId);
      scan(core, login);
    },
    confirmLogin(appId) {
      const { device, login } = currentLogin(core, appId);
      confirm(core, device, login);
    },
    cancelLogin(appId) {
      currentLogin(core, appId).login.status = 4;
    },
    expireQrCode(appId) {
      currentLogin(core, appId).login.expired = true;
    },
    async loginDevice() {
      const device: SimDevice = { appId: ids.appId(), state: 'new', wxid: undefined, login: undefined };
      core.devices.set(device.appId, device);
      for (const other of core.devices.values()) if (other.state === 'online') other.state = 'kicked';
      device.state = 'online';
      device.wxid = world.self.wxid;
      await core.flushQueued();
      return device.appId;
    },
    async goOffline() {
      const device = core.onlineDevice();
      if (!device) throw new Error('no device is online');
      device.state = 'offline';
      await pushOffline(core, device);
    },
    async goOnline() {
      const device = latestDevice(['offline', 'kicked']);
      if (!device) throw new Error('no device is offline');
      device.state = 'online';
      await core.flushQueued();
    },
    async kickDevice() {
      const device = core.onlineDevice() ?? latestDevice(['offline']);
      if (!device) throw new Error('no device is logged in');
      device.state = 'kicked';
      await pushOffline(core, device);
    },

    useLowerCaseKeys(on) {
      core.lowerCaseKeys = on;
    },
    failHdDownloads(on) {
      core.failHdDownloads = on;
    },
    failNext(path, failure) {
      const key = path === '*' ? '*' : `/${path.replace(/^\/?(v2\/api\/)?/, '')}`;
      failures.set(key, [...(failures.get(key) ?? []), failure]);
    },
    failNextCallbackSetup() {
      core.failNextCallbackSetup = true;
    },

    addContact(contact) {
      world.upsertContact(contact, true);
    },
    addRoom(room) {
      world.addRoom(room);
    },
    getContact(wxid) {
      const contact = world.contacts.get(wxid);
      return contact ? { ...contact } : undefined;
    },
    getRoom(roomId) {
      const room = world.rooms.get(roomId);
      if (!room) return undefined;
      return {
        roomId: room.roomId,
        name: room.name,
        owner: room.owner,
        members: [...room.members.values()].map(member => ({ ...member })),
        announcement: room.announcement?.content,
      };
    },
    redeliver(newMsgId) {
      const body = core.bodies.get(newMsgId);
      if (body === undefined) throw new Error(`no callback was delivered for NewMsgId ${newMsgId}`);
      return poster.post(core.callbackUrls.get(core.token), body, { typeName: 'AddMsg', newMsgId, redelivery: true });
    },
    hostFile(data, fileName, contentType) {
      const path = `hosted/${ids.hex(8)}/${encodeURIComponent(fileName)}`;
      const ext = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1) : '';
      core.media.host(path, { data, contentType: contentType ?? contentTypeOf(ext) });
      return `${core.fileBase()}/${path}`;
    },
  };
  return simulator;
}
