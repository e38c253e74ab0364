import { createHash, randomBytes } from 'node:crypto';
import type { Pair1Connection } from '../nng/pair1-connection.ts';
import { listenPair1, type Pair1Listener } from '../nng/pair1-listener.ts';
import { decodeRequest, encodeResponse } from '../protocol/wcf-codec.ts';
import { wcfFunctionName, wcfFunctions as F } from '../protocol/wcf-functions.ts';
import type { RpcContact, UserInfo, WcfRequest, WcfResponse, WxMsg } from '../protocol/wcf-messages.ts';
import { decodeDatImage, xorBytes } from '../provider/media/dat-image.ts';
import { windowsBaseName } from '../provider/media/windows-path.ts';
import { type EmojiCdn, startEmojiCdn } from './emoji-cdn.ts';
import { createHostFiles, genericPath, type HostFiles } from './host-files.ts';
import {
  emojiXml,
  fileXml,
  friendRequestXml,
  imageXml,
  linkXml,
  msgSourceXml,
  revokeXml,
  videoXml,
  voiceXml,
} from './push-content.ts';
import { findPortPair } from './port-pair.ts';
import { answerQuery } from './simulated-database.ts';
import type {
  SimFailure,
  SimOrigin,
  SimPushResult,
  SimRequestRecord,
  SimRoom,
  SimSentMessage,
  SimUndelivered,
  WcfHostSimulatorOptions,
} from './simulator-types.ts';

interface QueuedPush {
  readonly message: WxMsg;
  readonly settle: (delivered: boolean) => void;
}

interface Attachment {
  readonly windowsPath: string;
  readonly data: Uint8Array;
}

const defaultSelf: UserInfo = { wxid: 'wxid_self', name: 'Me', mobile: '', home: '', alias: '' };

const messageTypes: Readonly<Record<string, string>> = {
  '1': '文字',
  '3': '图片',
  '34': '语音',
  '37': '好友确认',
  '42': '名片',
  '43': '视频',
  '47': '石头剪刀布 | 表情图片',
  '48': '位置',
  '49': '共享实时位置、文件、转账、链接',
  '10000': '红包、系统消息',
  '10002': '撤回消息',
  '822083633': '引用消息',
};

/** The functions the real host's dispatcher knows; anything else is answered with a zero-length message. */
const knownFunctions: ReadonlySet<number> = new Set<number>(Object.values(F).filter(code => code !== F.FUNC_RESERVED));

function contactOf(contact: Partial<RpcContact> & { readonly wxid: string }): RpcContact {
  return { code: '', remark: '', name: '', country: '', province: '', city: '', gender: 0, ...contact };
}

/**
 * A WeChatFerry host in-process: the injected DLL's two NNG pair1 listeners (commands on `port`, pushes on
 * `port + 1` once FUNC_ENABLE_RECV_TXT succeeded), speaking `wcf.proto`, with a simulated WeChat account
 * behind them. Built from the reference notes and the host's sources, quirks included:
 *
 * - one request at a time; unknown functions get a zero-length reply; status conventions per function
 *   (sends 0, room members and friends 1, FUNC_REVOKE_MSG always -1 because the host never implemented it);
 * - a second FUNC_ENABLE_RECV_TXT while the push is running crashes the host (it does on Windows too);
 * - pushes wait `pushTimeoutMs` for a client on port+1 and are dropped after that;
 * - file paths are Windows paths, resolved through the shared directory (and WeChat's storage).
 */
export class WcfHostSimulator {
  readonly host: string;
  readonly pushTimeoutMs: number;
  /** The shared directory, here. */
  readonly sharedDir: string;
  /** The shared directory as the host names it. */
  readonly windowsDir: string;
  /** Set when the simulated host crashed; it then stops listening until `restart()`. */
  crashReason: string | undefined;

  #port: number;
  #files: HostFiles;
  #autoDownload: boolean;
  #commands: Pair1Listener | undefined;
  #messages: Pair1Listener | undefined;
  #listening = false;
  #queue: QueuedPush[] = [];
  #pumping = false;
  #pumpAbort = new AbortController();
  #serial: Promise<void> = Promise.resolve();
  #loggedIn: boolean;
  #self: UserInfo;
  #contacts: RpcContact[];
  #rooms: SimRoom[];
  #qrUrl = '';
  #nextId: bigint;
  #requests: SimRequestRecord[] = [];
  #sent: SimSentMessage[] = [];
  #undelivered: SimUndelivered[] = [];
  #dropped: WxMsg[] = [];
  #failures: SimFailure[] = [];
  #voices = new Map<string, Uint8Array>();
  #attachments = new Map<string, Attachment>();
  #friendRequests = new Map<string, { wxid: string; name: string }>();
  #cdn: EmojiCdn | undefined;
  #stopped = true;
  #closed = false;

  private constructor(options: WcfHostSimulatorOptions, files: HostFiles, port: number) {
    this.host = options.host ?? '127.0.0.1';
    this.pushTimeoutMs = options.pushTimeoutMs ?? 5_000;
    this.sharedDir = files.share.localDir;
    this.windowsDir = files.share.windowsDir;
    this.crashReason = undefined;
    this.#files = files;
    this.#port = port;
    this.#autoDownload = options.autoDownload ?? false;
    this.#loggedIn = options.loggedIn ?? true;
    this.#self = { ...defaultSelf, ...options.self };
    this.#self = { ...this.#self, home: this.#self.home || genericPath(files.home.windowsDir.replace(/\\[^\\]+$/, '')) };
    this.#rooms = [...(options.rooms ?? [])];
    this.#contacts = [
      ...(options.contacts ?? []).map(contact => contactOf({ wxid: '', ...contact })),
      ...this.#rooms.map(room => contactOf({ wxid: room.id, name: room.name })),
    ];
    this.#nextId = options.firstMessageId ?? 8_202_522_731_445_525_542n;
    this.refreshQrCode();
  }

  /** Starts a host listening on `127.0.0.1` (ephemeral ports unless `port` is given). */
  static async start(options: WcfHostSimulatorOptions = {}): Promise<WcfHostSimulator> {
    const files = await createHostFiles({
      ...(options.sharedDir === undefined ? {} : { sharedDir: options.sharedDir }),
      windowsDir: options.windowsDir ?? 'C:\\wcf-share',
      wechatFilesInShare: options.wechatFilesInShare ?? true,
      selfWxid: options.self?.wxid ?? defaultSelf.wxid,
    });
    const host = options.host ?? '127.0.0.1';
    try {
      const port = options.port ?? (await findPortPair(host));
      const simulator = new WcfHostSimulator(options, files, port);
      await simulator.restart();
      return simulator;
    } catch (error) {
      await files.dispose();
      throw error;
    }
  }

  /** The command port; pushes come on the next one. */
  get port(): number {
    return this.#port;
  }

  /** What `providers.pchook.rpc_endpoint` should say. */
  get endpoint(): string {
    return `tcp://${this.host}:${this.#port}`;
  }

  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  get self(): UserInfo {
    return this.#self;
  }

  /** The URL the current login QR code encodes (what FUNC_REFRESH_QRCODE answers while logged out). */
  get qrCodeUrl(): string {
    return this.#qrUrl;
  }

  /** Whether the message push is enabled (FUNC_ENABLE_RECV_TXT) and port+1 listening. */
  get receiving(): boolean {
    return this.#listening;
  }

  /** Whether a client is attached to the command port / the message port. */
  get clientAttached(): { readonly commands: boolean; readonly messages: boolean } {
    return { commands: this.#commands?.peer !== undefined, messages: this.#messages?.peer !== undefined };
  }

  /** Logs WeChat on the host in or out (the phone scanned the QR code; the account was signed out). */
  setLoggedIn(loggedIn: boolean): void {
    this.#loggedIn = loggedIn;
    if (!loggedIn) this.refreshQrCode();
  }

  /** Shows a new QR code, as WeChat does when the old one expires. */
  refreshQrCode(): string {
    this.#qrUrl = `http://weixin.qq.com/x/${randomBytes(12).toString('base64url')}`;
    return this.#qrUrl;
  }

  /** Every request received, oldest first. */
  requests(): readonly SimRequestRecord[] {
    return [...this.#requests];
  }

  /** Every message WeChat sent for the account, oldest first. */
  sent(): readonly SimSentMessage[] {
    return [...this.#sent];
  }

  /** Sends the host accepted but could not carry out (a path outside the shared directory, say). */
  undelivered(): readonly SimUndelivered[] {
    return [...this.#undelivered];
  }

  /** Pushes dropped because no client took them in time. */
  dropped(): readonly WxMsg[] {
    return [...this.#dropped];
  }

  /** Forgets the recorded requests, sends and drops, and any pending failure. */
  clearRecords(): void {
    this.#requests = [];
    this.#sent = [];
    this.#undelivered = [];
    this.#dropped = [];
    this.#failures = [];
  }

  /** The next request fails in this way (queued: several calls fail several requests). */
  failNext(failure: SimFailure): void {
    this.#failures.push(failure);
  }

  addContact(contact: Partial<RpcContact> & { readonly wxid: string }): void {
    this.#contacts = [...this.#contacts.filter(known => known.wxid !== contact.wxid), contactOf(contact)];
  }

  // ---------------------------------------------------------------------------------------------- pushes

  /** A text from `sender`; `aters` fill the `<atuserlist>` (the content should carry the `@name`s). */
  pushText(push: SimOrigin & { readonly content: string; readonly aters?: readonly string[] }): Promise<SimPushResult> {
    return this.#push(push, { type: 1, content: push.content, xml: msgSourceXml(push.aters ?? []) });
  }

  /** An image: its bytes XOR-ed into a `.dat` under WeChat's storage, `extra` naming it (PNG, JPEG or GIF). */
  async pushImage(push: SimOrigin & { readonly data: Uint8Array }): Promise<SimPushResult> {
    if (decodeDatImage(push.data) === undefined) throw new Error('WeChat .dat images must be PNG, JPEG or GIF');
    const name = randomBytes(16).toString('hex');
    const month = monthDir();
    const extra = this.#files.home.toWindows('FileStorage', 'MsgAttach', name.slice(0, 8), 'Image', month, `${name}.dat`);
    const thumb = this.#files.home.toWindows('FileStorage', 'MsgAttach', name.slice(0, 8), 'Thumb', month, `${name}_t.dat`);
    const key = randomBytes(1)[0] ?? 0x1e;
    await this.#files.write(extra, xorBytes(push.data, key));
    await this.#files.write(thumb, xorBytes(push.data, key));
    return this.#push(push, {
      type: 3,
      content: imageXml(push.data.byteLength),
      extra: genericPath(extra),
      thumb: genericPath(thumb),
    });
  }

  /** A voice message; FUNC_GET_AUDIO_MSG then writes `data` as `<dir>/<id>.mp3` (the real host transcodes SILK). */
  pushVoice(push: SimOrigin & { readonly data: Uint8Array; readonly durationMs?: number }): Promise<SimPushResult> {
    const id = this.#mintId();
    this.#voices.set(id, push.data);
    return this.#push(push, { id, type: 34, content: voiceXml(push.durationMs ?? 1_000, push.data.byteLength) });
  }

  /** A video: the thumbnail is on disk at once, the `.mp4` beside it after FUNC_DOWNLOAD_ATTACH. */
  async pushVideo(
    push: SimOrigin & { readonly data: Uint8Array; readonly durationMs?: number; readonly thumbnail?: Uint8Array },
  ): Promise<SimPushResult> {
    const id = this.#mintId();
    const name = randomBytes(16).toString('hex');
    const thumb = this.#files.home.toWindows('FileStorage', 'Video', monthDir(), `${name}.jpg`);
    await this.#files.write(thumb, push.thumbnail ?? Uint8Array.of(0xff, 0xd8, 0xff, 0xd9));
    await this.#attach(id, thumb.replace(/\.jpg$/, '.mp4'), push.data);
    return this.#push(push, {
      id,
      type: 43,
      content: videoXml(push.durationMs ?? 1_000, push.data.byteLength),
      thumb: genericPath(thumb),
    });
  }

  /** A file (app message type 6) at `FileStorage/File/<month>/<fileName>`, on disk after FUNC_DOWNLOAD_ATTACH. */
  async pushFile(push: SimOrigin & { readonly data: Uint8Array; readonly fileName: string }): Promise<SimPushResult> {
    const id = this.#mintId();
    const extra = this.#files.home.toWindows('FileStorage', 'File', monthDir(), push.fileName);
    await this.#attach(id, extra, push.data);
    return this.#push(push, { id, type: 49, content: fileXml(push.fileName, push.data.byteLength), extra: genericPath(extra) });
  }

  /** A sticker (type 47): its `cdnurl` is served by a small local HTTP server standing in for WeChat's CDN. */
  async pushSticker(push: SimOrigin & { readonly data: Uint8Array; readonly mimeType?: string }): Promise<SimPushResult> {
    this.#cdn ??= await startEmojiCdn(this.host);
    const md5 = createHash('md5').update(push.data).digest('hex');
    const url = this.#cdn.add(md5, push.data, push.mimeType ?? 'image/gif');
    return this.#push(push, { type: 47, content: emojiXml(push.sender, md5, push.data.byteLength, url) });
  }

  /** A link card (app message type 5). */
  pushLink(
    push: SimOrigin & { readonly url: string; readonly title: string; readonly description?: string; readonly thumbUrl?: string },
  ): Promise<SimPushResult> {
    return this.#push(push, { type: 49, content: linkXml(push) });
  }

  /** `sender` recalls `messageId` (a 10002 `revokemsg` system message). */
  pushRecall(push: SimOrigin & { readonly messageId: string; readonly name?: string }): Promise<SimPushResult> {
    const session = push.roomid ?? push.sender;
    return this.#push(push, {
      type: 10002,
      content: revokeXml(session, push.messageId, `"${push.name ?? push.sender}" 撤回了一条消息`),
    });
  }

  /** A system notice (type 10000) in a chat. */
  pushSystem(push: { readonly roomid: string; readonly text: string }): Promise<SimPushResult> {
    return this.#push({ sender: push.roomid, roomid: push.roomid }, { type: 10000, content: push.text });
  }

  /** A friend request (type 37, from `fmessage`); FUNC_ACCEPT_FRIEND with its v3/v4 then makes them a contact. */
  pushFriendRequest(push: { readonly wxid: string; readonly name: string; readonly greeting?: string }): Promise<SimPushResult> {
    const v3 = `v3_${randomBytes(8).toString('hex')}@stranger`;
    const v4 = `v4_${randomBytes(8).toString('hex')}@stranger`;
    this.#friendRequests.set(`${v3}|${v4}`, { wxid: push.wxid, name: push.name });
    return this.#push(
      { sender: 'fmessage' },
      { type: 37, content: friendRequestXml({ ...push, v3, v4, greeting: push.greeting ?? '', scene: 30 }) },
    );
  }

  /** Any message, as the hook would capture it. */
  pushMessage(message: Partial<WxMsg> & Pick<WxMsg, 'type' | 'roomid' | 'sender'>): Promise<SimPushResult> {
    const id = message.id ?? this.#mintId();
    return this.#enqueue({
      is_self: false,
      is_group: message.roomid.includes('@chatroom'),
      ts: Math.floor(Date.now() / 1000),
      content: '',
      sign: '',
      thumb: '',
      extra: '',
      xml: '',
      ...message,
      id,
    });
  }

  // ---------------------------------------------------------------------------------------------- lifecycle

  /** The host goes away (WeChat or the DLL restarted): both ports close, queued pushes are lost. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#listening = false;
    this.#pumpAbort.abort();
    for (const queued of this.#queue.splice(0)) queued.settle(false);
    const commands = this.#commands;
    const messages = this.#messages;
    this.#commands = undefined;
    this.#messages = undefined;
    await Promise.all([commands?.close(), messages?.close()]);
    await this.#serial;
  }

  /** Listens again on the same ports, as a re-injected host does; the push stays off until ENABLE_RECV_TXT. */
  async restart(): Promise<void> {
    if (this.#closed) throw new Error('The simulator is closed');
    if (!this.#stopped) await this.stop();
    this.crashReason = undefined;
    this.#pumpAbort = new AbortController();
    const commands = await listenPair1({ host: this.host, port: this.#port });
    commands.onPeer(peer => peer.onMessage(body => this.#receive(peer, body)));
    this.#commands = commands;
    this.#stopped = false;
  }

  /** Stops the host and removes the temporary directories; the simulator cannot be restarted after this. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.stop();
    this.#closed = true;
    await this.#cdn?.close();
    await this.#files.dispose();
  }

  // ---------------------------------------------------------------------------------------------- internals

  #mintId(): string {
    const id = this.#nextId;
    this.#nextId += 1n;
    return id.toString();
  }

  async #attach(id: string, windowsPath: string, data: Uint8Array): Promise<void> {
    this.#attachments.set(id, { windowsPath, data });
    if (this.#autoDownload) await this.#files.write(windowsPath, data);
  }

  #push(origin: SimOrigin, fields: Partial<WxMsg> & Pick<WxMsg, 'type' | 'content'>): Promise<SimPushResult> {
    const roomid = origin.roomid ?? origin.sender;
    const sender = origin.isSelf ? this.#self.wxid : origin.sender;
    return this.pushMessage({ ...fields, roomid, sender, is_self: origin.isSelf ?? false });
  }

  /** The hook captures a message only while the push is enabled; the send thread then waits for a client. */
  #enqueue(message: WxMsg): Promise<SimPushResult> {
    if (!this.#listening) return Promise.resolve({ id: message.id, delivered: false });
    return new Promise<SimPushResult>(resolve => {
      this.#queue.push({ message, settle: delivered => resolve({ id: message.id, delivered }) });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#listening && this.#queue.length > 0) {
        const listener = this.#messages;
        const next = this.#queue[0] as QueuedPush;
        let peer: Pair1Connection | undefined;
        if (listener !== undefined) {
          // The host's send timeout: a push nobody takes within it is dropped.
          const waiting = new AbortController();
          const timer = setTimeout(() => waiting.abort(), this.pushTimeoutMs);
          const signal = AbortSignal.any([waiting.signal, this.#pumpAbort.signal]);
          peer = await listener.waitForPeer(signal).catch(() => undefined);
          clearTimeout(timer);
        }
        if (!this.#listening || this.#queue[0] !== next) continue;
        this.#queue.shift();
        if (peer === undefined || peer.isClosed) {
          this.#dropped.push(next.message);
          next.settle(false);
          continue;
        }
        peer.send(encodeResponse({ func: F.FUNC_ENABLE_RECV_TXT, wxmsg: next.message }));
        next.settle(true);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #receive(peer: Pair1Connection, body: Uint8Array): void {
    // The host's command thread handles one request after the other.
    this.#serial = this.#serial.then(() => this.#handle(peer, body)).catch(() => undefined);
  }

  async #handle(peer: Pair1Connection, body: Uint8Array): Promise<void> {
    let request: WcfRequest;
    try {
      request = decodeRequest(body);
    } catch {
      if (!peer.isClosed) peer.send(new Uint8Array(0));
      return;
    }
    this.#requests.push({ name: wcfFunctionName(request.func), request, at: Date.now() });
    const failure = this.#failures.shift();
    if (failure === 'close') return peer.close();
    if (failure === 'no-reply') return;
    let reply: Uint8Array;
    if (failure === 'dispatch-error' || !knownFunctions.has(request.func)) reply = new Uint8Array(0);
    else if (failure !== undefined) reply = encodeResponse({ func: request.func, status: failure.status });
    else {
      const response = await this.#answer(request);
      reply = response === undefined ? new Uint8Array(0) : encodeResponse(response);
    }
    if (!peer.isClosed) peer.send(reply);
    if (request.func === F.FUNC_SHUTDOWN) setTimeout(() => void this.stop(), 100);
  }

  async #answer(request: WcfRequest): Promise<WcfResponse | undefined> {
    const func = request.func;
    const status = (value: number): WcfResponse => ({ func, status: value });
    const str = (value: string): WcfResponse => ({ func, str: value });
    const loggedIn = this.#loggedIn;
    switch (func) {
      case F.FUNC_IS_LOGIN:
        return status(loggedIn ? 1 : 0);
      case F.FUNC_GET_SELF_WXID:
        return str(loggedIn ? this.#self.wxid : '');
      case F.FUNC_GET_USER_INFO:
        return { func, ui: loggedIn ? this.#self : { wxid: '', name: '', mobile: '', home: '', alias: '' } };
      case F.FUNC_GET_MSG_TYPES:
        return { func, types: { types: messageTypes } };
      case F.FUNC_GET_CONTACTS:
        return { func, contacts: { contacts: loggedIn ? this.#contacts : [] } };
      case F.FUNC_GET_CONTACT_INFO:
        // Unimplemented on the host ("技术太菜，实现不了"): one contact with every field empty.
        return { func, contacts: { contacts: [contactOf({ wxid: '' })] } };
      case F.FUNC_GET_DB_NAMES:
        return { func, dbs: { names: loggedIn ? ['MicroMsg.db', 'ChatMsg.db', 'Misc.db', 'MSG0.db', 'MediaMSG0.db'] : [] } };
      case F.FUNC_GET_DB_TABLES:
        return { func, tables: { tables: [] } };
      case F.FUNC_EXEC_DB_QUERY:
        return {
          func,
          rows: {
            rows:
              loggedIn && request.query
                ? answerQuery(request.query.db, request.query.sql, { contacts: this.#contacts, rooms: this.#rooms })
                : [],
          },
        };
      case F.FUNC_REFRESH_QRCODE:
        return str(loggedIn ? '' : this.#qrUrl);
      case F.FUNC_ENABLE_RECV_TXT:
        return this.#enableReceiving();
      case F.FUNC_DISABLE_RECV_TXT:
        return status(await this.#disableReceiving());
      case F.FUNC_SEND_TXT:
        return status(await this.#sendText(request));
      case F.FUNC_SEND_IMG:
      case F.FUNC_SEND_FILE:
      case F.FUNC_SEND_EMOTION:
        return status(await this.#sendPath(request));
      case F.FUNC_SEND_RICH_TXT:
        return status(await this.#sendRichText(request));
      case F.FUNC_SEND_XML:
        return status(0);
      case F.FUNC_SEND_PAT_MSG:
      case F.FUNC_FORWARD_MSG:
        return status(loggedIn ? 1 : 0);
      case F.FUNC_DOWNLOAD_ATTACH:
        return status(await this.#downloadAttachment(request));
      case F.FUNC_DECRYPT_IMAGE:
        return str(await this.#decryptImage(request));
      case F.FUNC_GET_AUDIO_MSG:
        return str(await this.#audio(request));
      case F.FUNC_ACCEPT_FRIEND:
        return status(this.#acceptFriend(request));
      case F.FUNC_ADD_ROOM_MEMBERS:
      case F.FUNC_INV_ROOM_MEMBERS:
      case F.FUNC_DEL_ROOM_MEMBERS:
        return status(this.#changeMembers(request));
      // Present on the host, never implemented there: they answer -1.
      case F.FUNC_REVOKE_MSG:
      case F.FUNC_RECV_TRANSFER:
      case F.FUNC_REFRESH_PYQ:
        return status(-1);
      case F.FUNC_EXEC_OCR:
        return { func, ocr: { status: -1, result: '' } };
      case F.FUNC_SHUTDOWN:
        return status(0);
      default:
        return undefined;
    }
  }

  async #enableReceiving(): Promise<WcfResponse> {
    if (this.#listening) {
      // The host answers 1 and assigns a new std::thread over the running one: std::terminate, WeChat exits.
      this.crashReason = 'FUNC_ENABLE_RECV_TXT while the push was running: the host terminated';
      setTimeout(() => void this.stop(), 0);
      return { func: F.FUNC_ENABLE_RECV_TXT, status: 1 };
    }
    this.#listening = true;
    // The host starts listening on port+1 in the thread it spawns while answering.
    const messages = await listenPair1({ host: this.host, port: this.#port + 1 });
    if (!this.#listening || this.#stopped) {
      await messages.close();
      return { func: F.FUNC_ENABLE_RECV_TXT, status: -1 };
    }
    this.#messages = messages;
    messages.onPeer(() => void this.#pump());
    void this.#pump();
    return { func: F.FUNC_ENABLE_RECV_TXT, status: 0 };
  }

  async #disableReceiving(): Promise<number> {
    if (!this.#listening) return 1;
    this.#listening = false;
    this.#pumpAbort.abort();
    this.#pumpAbort = new AbortController();
    const messages = this.#messages;
    this.#messages = undefined;
    await messages?.close();
    // Messages the hook captured stay queued on the host and go out after the next ENABLE.
    return 0;
  }

  #echo(receiver: string, fields: Partial<WxMsg> & Pick<WxMsg, 'type' | 'content'>): string {
    const id = this.#mintId();
    void this.pushMessage({ ...fields, id, roomid: receiver, sender: this.#self.wxid, is_self: true });
    return id;
  }

  async #sendText(request: WcfRequest): Promise<number> {
    const txt = request.txt;
    if (!txt?.msg || !txt.receiver) return -1;
    // The host answers 0 whatever WeChat then does; logged out, nothing is sent.
    if (!this.#loggedIn) {
      this.#undelivered.push({ name: 'FUNC_SEND_TXT', request, reason: 'WeChat is not logged in' });
      return 0;
    }
    const aters = (txt.aters ?? '').split(',').filter(Boolean);
    const id = this.#echo(txt.receiver, { type: 1, content: txt.msg, xml: msgSourceXml(aters) });
    this.#sent.push({ kind: 'text', receiver: txt.receiver, id, text: txt.msg, aters });
    return 0;
  }

  async #sendPath(request: WcfRequest): Promise<number> {
    const file = request.file;
    if (!file?.path || !file.receiver) return -1;
    const name = wcfFunctionName(request.func);
    if (!this.#loggedIn) {
      this.#undelivered.push({ name, request, reason: 'WeChat is not logged in' });
      return 0;
    }
    const data = await this.#files.read(file.path);
    if (data === undefined) {
      this.#undelivered.push({ name, request, reason: `no file at ${file.path} on the host` });
      return 0;
    }
    const fileName = windowsBaseName(file.path);
    const kind = request.func === F.FUNC_SEND_IMG ? 'image' : request.func === F.FUNC_SEND_FILE ? 'file' : 'emotion';
    const fields =
      kind === 'image'
        ? { type: 3, content: imageXml(data.byteLength) }
        : kind === 'file'
          ? { type: 49, content: fileXml(fileName, data.byteLength) }
          : { type: 47, content: emojiXml(this.#self.wxid, createHash('md5').update(data).digest('hex'), data.byteLength, '') };
    const id = this.#echo(file.receiver, fields);
    this.#sent.push({ kind, receiver: file.receiver, id, data, fileName, windowsPath: file.path });
    return 0;
  }

  async #sendRichText(request: WcfRequest): Promise<number> {
    const rt = request.rt;
    if (!rt?.receiver) return -1;
    if (!this.#loggedIn) {
      this.#undelivered.push({ name: 'FUNC_SEND_RICH_TXT', request, reason: 'WeChat is not logged in' });
      return 0;
    }
    const id = this.#echo(rt.receiver, {
      type: 49,
      content: linkXml({ url: rt.url, title: rt.title, description: rt.digest, thumbUrl: rt.thumburl }),
    });
    this.#sent.push({ kind: 'rich-text', id, ...rt });
    return 0;
  }

  async #downloadAttachment(request: WcfRequest): Promise<number> {
    const att = request.att;
    if (!att || (!att.thumb && !att.extra)) return -1;
    const attachment = this.#attachments.get(att.id);
    if (attachment === undefined) {
      // Images are on disk already; the host answers 0 when the target exists.
      return att.extra && (await this.#files.exists(att.extra)) ? 0 : -1;
    }
    if (!(await this.#files.exists(attachment.windowsPath))) await this.#files.write(attachment.windowsPath, attachment.data);
    return 0;
  }

  async #decryptImage(request: WcfRequest): Promise<string> {
    const dec = request.dec;
    if (!dec) return '';
    const stored = await this.#files.read(dec.src);
    const decoded = stored === undefined ? undefined : decodeDatImage(stored);
    if (decoded === undefined) return '';
    const stem = windowsBaseName(dec.src).replace(/\.[^.]*$/, '');
    const target = `${dec.dst.replace(/[\\/]+$/, '')}\\${stem}.${decoded.extension}`;
    return (await this.#files.write(target, decoded.data)) ? genericPath(target) : '';
  }

  async #audio(request: WcfRequest): Promise<string> {
    const am = request.am;
    const voice = am === undefined ? undefined : this.#voices.get(am.id);
    if (am === undefined || voice === undefined) return '';
    const target = `${am.dir.replace(/[\\/]+$/, '')}\\${am.id}.mp3`;
    return (await this.#files.write(target, voice)) ? genericPath(target) : '';
  }

  #acceptFriend(request: WcfRequest): number {
    const v = request.v;
    const pendingRequest = v === undefined ? undefined : this.#friendRequests.get(`${v.v3}|${v.v4}`);
    if (v === undefined || pendingRequest === undefined) return 0;
    this.#friendRequests.delete(`${v.v3}|${v.v4}`);
    this.addContact({ wxid: pendingRequest.wxid, name: pendingRequest.name });
    return 1;
  }

  #changeMembers(request: WcfRequest): number {
    const m = request.m;
    const room = this.#rooms.find(candidate => candidate.id === m?.roomid);
    if (m === undefined || room === undefined) return -1;
    const wxids = m.wxids.split(',').filter(Boolean);
    const members =
      request.func === F.FUNC_DEL_ROOM_MEMBERS
        ? room.members.filter(member => !wxids.includes(member.wxid))
        : [
            ...room.members,
            ...wxids
              .filter(wxid => !room.members.some(member => member.wxid === wxid))
              .map(wxid => ({ wxid, nickname: this.#contacts.find(contact => contact.wxid === wxid)?.name ?? wxid })),
          ];
    this.#rooms = this.#rooms.map(candidate => (candidate === room ? { ...room, members } : candidate));
    return 1;
  }
}

function monthDir(): string {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Starts a simulated WeChatFerry host. See {@link WcfHostSimulator}. */
export function startWcfHostSimulator(options: WcfHostSimulatorOptions = {}): Promise<WcfHostSimulator> {
  return WcfHostSimulator.start(options);
}
