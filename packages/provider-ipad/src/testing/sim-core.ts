import type { Logger } from '@wechat/provider-api';
import { addMsgData } from './add-msg.ts';
import type { CallbackTypeName } from './callback-envelope.ts';
import { callbackBodyText } from './callback-envelope.ts';
import type { CallbackPoster } from './callback-delivery.ts';
import type { MediaStore } from './media-store.ts';
import { msgSourceXml, systemMsgSource } from './message-xml.ts';
import type { SimIds } from './sim-ids.ts';
import type { SimWorld } from './sim-world.ts';

export type DeviceState = 'new' | 'online' | 'offline' | 'kicked' | 'logged-out';

/** A login in progress: a QR code (`getLoginQrCode`) or a confirm dialog on the phone (`dialogLogin`). */
export interface PendingLogin {
  readonly uuid: string;
  readonly kind: 'qr' | 'dialog';
  readonly createdAt: number;
  /** 0 not scanned, 1 scanned, 2 logged in, 4 cancelled (B.2). */
  status: 0 | 1 | 2 | 4;
  expired: boolean;
  polls: number;
}

/** A GeWe "device" (appId). */
export interface SimDevice {
  readonly appId: string;
  state: DeviceState;
  /** The account that last logged in on it. */
  wxid: string | undefined;
  login: PendingLogin | undefined;
}

/** An API call as the simulated service received it. */
export interface RecordedRequest {
  /** Relative to `/v2/api`, e.g. `/message/postText`. */
  readonly path: string;
  /** Parsed JSON (integers beyond 2^53 as bigint); undefined when the body was not JSON. */
  readonly body: unknown;
  readonly rawBody: string;
  /** The `X-GEWE-TOKEN` header. */
  readonly token: string | undefined;
  readonly at: number;
}

/** A message the bridge sent through the API, in a shape convenient for assertions. */
export interface SentMessage {
  readonly path: string;
  readonly appId: string;
  readonly toWxid: string;
  /** The MsgType of the message it became (1 text, 3 image, 34 voice, 43 video, 47 emoji, 42 card, 49 appmsg). */
  readonly msgType: number;
  /** As a decimal string; for `revokeMsg`, the id of the revoked message. */
  readonly newMsgId: string;
  readonly msgId: number;
  readonly createTime: number;
  readonly content?: string;
  /** `ats` split on commas. */
  readonly ats?: readonly string[];
  /** The bytes the simulator fetched from the media URL (or found for a forwarded XML). */
  readonly media?: Uint8Array;
  readonly mediaUrl?: string;
  readonly thumb?: Uint8Array;
  readonly fileName?: string;
  readonly voiceDurationMs?: number;
  readonly videoDurationSeconds?: number;
  readonly link?: { readonly title: string; readonly desc: string; readonly linkUrl: string; readonly thumbUrl: string };
  readonly xml?: string;
  /** The request body as parsed. */
  readonly body: Record<string, unknown>;
}

/** How an AddMsg is addressed; see `emitMessage`. */
export type MessageForm = 'standard' | 'legacy' | 'system-text' | 'system-xml';

export interface MessageSpec {
  /** The author (the account itself for echoes and messages sent from the phone). */
  readonly sender: string;
  /** The room id, or the other party of a private chat. */
  readonly chat: string;
  readonly msgType: number;
  /** The content without the group prefix. */
  readonly content: string;
  readonly form?: MessageForm;
  readonly imgStatus?: number;
  readonly imgBuf?: Uint8Array;
  readonly msgSource?: string;
  readonly pushContent?: string;
  /** Echoes reuse the id the send returned. */
  readonly newMsgId?: bigint;
  readonly msgId?: number;
  /** The reference revoke example carries a small (32-bit) NewMsgId; it is reproduced as such. */
  readonly smallNewMsgId?: boolean;
}

interface QueuedPush {
  readonly typeName: CallbackTypeName;
  readonly data: Record<string, unknown> | undefined;
  readonly newMsgId: string | undefined;
  readonly appId: string | undefined;
}

export interface SimCore {
  readonly ids: SimIds;
  readonly world: SimWorld;
  readonly media: MediaStore;
  readonly poster: CallbackPoster;
  readonly logger: Logger;
  readonly now: () => number;
  /** Used for media URLs the bridge asks the service to send (the real container fetches them too). */
  readonly fetch: typeof fetch;
  readonly mediaTimeoutMs: number;
  token: string;
  readonly devices: Map<string, SimDevice>;
  /** Callback URL per container token (`setCallback {token, callbackUrl}`). */
  readonly callbackUrls: Map<string, string>;
  lowerCaseKeys: boolean;
  legacyGroupForm: boolean;
  failHdDownloads: boolean;
  failNextCallbackSetup: boolean;
  autoLoginAfterPolls: number | undefined;
  readonly requests: RecordedRequest[];
  readonly sent: SentMessage[];
  /** The exact AddMsg body first delivered per NewMsgId, for `redeliver`. */
  readonly bodies: Map<string, string>;
  running: boolean;
  filePort: number;
  createTime(): number;
  fileBase(): string;
  /** The file-server URL of a head image, or '' when the contact has none. */
  avatarUrl(id: string, size: 'big' | 'small'): string;
  onlineDevice(): SimDevice | undefined;
  /**
   * Pushes a callback. Messages need an online device: while none is online, or the service is stopped, they
   * wait and are pushed when a device comes (back) online, like GeWe's sync after a reconnect.
   */
  push(
    typeName: CallbackTypeName,
    data: Record<string, unknown> | undefined,
    options?: { newMsgId?: string; appId?: string },
  ): Promise<void>;
  flushQueued(): Promise<void>;
  /** Builds, records and pushes an AddMsg; resolves with its NewMsgId as a decimal string. */
  emitMessage(spec: MessageSpec): Promise<string>;
}

export function createSimCore(parts: {
  ids: SimIds;
  world: SimWorld;
  media: MediaStore;
  poster: CallbackPoster;
  logger: Logger;
  now: () => number;
  fetch: typeof fetch;
  mediaTimeoutMs: number;
  token: string;
  lowerCaseKeys: boolean;
  legacyGroupForm: boolean;
  autoLoginAfterPolls: number | undefined;
}): SimCore {
  const queue: QueuedPush[] = [];

  const deliver = async (item: QueuedPush, device: SimDevice): Promise<void> => {
    const body = callbackBodyText({
      typeName: item.typeName,
      appId: device.appId,
      wxid: core.world.self.wxid,
      data: item.data,
      lowerCaseKeys: core.lowerCaseKeys,
    });
    if (item.newMsgId !== undefined && !core.bodies.has(item.newMsgId)) core.bodies.set(item.newMsgId, body);
    await core.poster.post(core.callbackUrls.get(core.token), body, {
      typeName: item.typeName,
      ...(item.newMsgId !== undefined ? { newMsgId: item.newMsgId } : {}),
    });
  };

  const core: SimCore = {
    ...parts,
    devices: new Map(),
    callbackUrls: new Map(),
    failHdDownloads: false,
    failNextCallbackSetup: false,
    requests: [],
    sent: [],
    bodies: new Map(),
    running: false,
    filePort: 0,
    createTime: () => Math.floor(parts.now() / 1000),
    fileBase: () => `http://127.0.0.1:${core.filePort}`,
    avatarUrl(id, size) {
      const contact = core.world.contacts.get(id);
      if (contact && !contact.avatar) return '';
      const name = encodeURIComponent(id);
      return size === 'big' ? `${core.fileBase()}/avatar/${name}.png` : `${core.fileBase()}/avatar/small/${name}.png`;
    },
    onlineDevice() {
      for (const device of core.devices.values()) if (device.state === 'online') return device;
      return undefined;
    },
    async push(typeName, data, options = {}) {
      const item: QueuedPush = { typeName, data, newMsgId: options.newMsgId, appId: options.appId };
      const device = item.appId !== undefined ? core.devices.get(item.appId) : core.onlineDevice();
      if (!core.running || !device) {
        queue.push(item);
        return;
      }
      await deliver(item, device);
    },
    async flushQueued() {
      while (core.running && queue.length > 0) {
        const item = queue[0]!;
        const device = item.appId !== undefined ? core.devices.get(item.appId) : core.onlineDevice();
        if (!device) return;
        queue.shift();
        await deliver(item, device);
      }
    },
    async emitMessage(spec) {
      const self = core.world.self.wxid;
      const room = spec.chat.endsWith('@chatroom') ? spec.chat : undefined;
      const form = spec.form ?? (core.legacyGroupForm ? 'legacy' : 'standard');
      let from = spec.sender;
      let to = self;
      let content = spec.content;
      if (spec.sender === self && form !== 'system-text' && form !== 'system-xml') {
        to = spec.chat;
      } else if (form === 'system-text') {
        from = spec.chat;
      } else if (form === 'system-xml') {
        from = spec.chat;
        if (room) content = `${room}:\n${spec.content}`;
      } else if (room && form === 'legacy') {
        to = room;
      } else if (room) {
        from = room;
        content = `${spec.sender}:\n${spec.content}`;
      }
      const newMsgId = spec.newMsgId ?? (spec.smallNewMsgId ? BigInt(core.ids.msgId()) : core.ids.newMsgId());
      const msgId = spec.msgId ?? core.ids.msgId();
      const createTime = core.createTime();
      const system = form === 'system-text' || form === 'system-xml';
      const data = addMsgData({
        msgId,
        from,
        to,
        msgType: spec.msgType,
        content,
        status: system ? 4 : 3,
        imgStatus: spec.imgStatus ?? 1,
        ...(spec.imgBuf ? { imgBuf: spec.imgBuf } : {}),
        createTime,
        msgSource:
          spec.msgSource ??
          (system
            ? systemMsgSource
            : msgSourceXml({
                signature: core.ids.signature(),
                ...(room ? { memberCount: core.world.rooms.get(room)?.members.size ?? 0 } : {}),
              })),
        ...(spec.pushContent !== undefined ? { pushContent: spec.pushContent } : {}),
        newMsgId,
        msgSeq: core.ids.msgSeq(),
      });
      const id = newMsgId.toString();
      core.world.messages.set(id, {
        newMsgId: id,
        msgId,
        sender: spec.sender,
        chat: spec.chat,
        room,
        msgType: spec.msgType,
        content: spec.content,
        createTime,
        revoked: false,
      });
      await core.push('AddMsg', data, { newMsgId: id });
      return id;
    },
  };
  return core;
}
