import type { Logger } from '@wechat/provider-api';
import { NngError } from '../nng/nng-error.ts';
import type { Pair1Connection } from '../nng/pair1-connection.ts';
import { type DialPair1Options, dialPair1 } from '../nng/pair1-dialer.ts';
import { type DbValue, dbRowObject } from '../protocol/db-values.ts';
import { decodeResponse } from '../protocol/wcf-codec.ts';
import { wcfFunctionName, wcfFunctions as F } from '../protocol/wcf-functions.ts';
import type { RichText, RpcContact, UserInfo, WcfRequest, WcfResponse, WxMsg } from '../protocol/wcf-messages.ts';
import { wcfRequests as R } from '../protocol/wcf-requests.ts';
import { isWcfSuccess } from '../protocol/wcf-status.ts';
import { type Clock, sleep, systemClock } from './clock.ts';
import { type CallOptions, type CommandChannel, createCommandChannel } from './command-channel.ts';
import { statusError, transportError } from './wcf-errors.ts';

export type Dial = (options: DialPair1Options) => Promise<Pair1Connection>;

export interface WcfClientOptions {
  readonly host: string;
  /** The command port (WeChatFerry's default is 10086); messages come on the next one. */
  readonly port: number;
  /** Per request attempt. Default 5000 ms. */
  readonly requestTimeoutMs?: number;
  /** TCP connect plus SP handshake. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly clock?: Clock;
  readonly logger: Logger;
  /** Default: the pure-TS pair1 dialer. */
  readonly dial?: Dial;
  /**
   * The host starts listening on port+1 in a thread it spawns while answering ENABLE_RECV_TXT, so the first
   * dial may come too early. Attempts and pause between them; default 20 × 100 ms.
   */
  readonly messageDialAttempts?: number;
  readonly messageDialIntervalMs?: number;
  /** Aborts connecting. */
  readonly signal?: AbortSignal;
}

/** WeChatFerry's functions as the bridge uses them, over one connection to one host. */
export interface WcfClient {
  isLogin(): Promise<boolean>;
  getSelfWxid(): Promise<string>;
  getUserInfo(): Promise<UserInfo>;
  getContacts(): Promise<readonly RpcContact[]>;
  getDbNames(): Promise<readonly string[]>;
  execDbQuery(db: string, sql: string): Promise<Record<string, DbValue>[]>;
  /** The login QR code's URL; '' when logged in or when the host has none. */
  refreshQrcode(): Promise<string>;
  sendText(receiver: string, text: string, aters?: readonly string[]): Promise<void>;
  sendImage(receiver: string, windowsPath: string): Promise<void>;
  sendFile(receiver: string, windowsPath: string): Promise<void>;
  sendEmotion(receiver: string, windowsPath: string): Promise<void>;
  sendRichText(richText: RichText): Promise<void>;
  downloadAttach(id: string, thumb: string, extra: string): Promise<void>;
  decryptImage(src: string, windowsDir: string): Promise<string>;
  getAudioMsg(id: string, windowsDir: string): Promise<string>;
  acceptFriend(v3: string, v4: string, scene: number): Promise<void>;
  addRoomMembers(roomid: string, wxids: readonly string[]): Promise<void>;
  delRoomMembers(roomid: string, wxids: readonly string[]): Promise<void>;
  invRoomMembers(roomid: string, wxids: readonly string[]): Promise<void>;
  /** Any request, answered as the host answered it (status not interpreted). */
  call(request: WcfRequest, options?: CallOptions): Promise<WcfResponse>;

  /**
   * Starts the message push: DISABLE_RECV_TXT, ENABLE_RECV_TXT, then (and only then) dials port+1.
   * Disabling first is deliberate: the host answers a second ENABLE_RECV_TXT with 1 and then assigns a new
   * thread over its running one, which terminates the WeChat process (rpc_server.cpp,
   * `start_message_listener`). After DISABLE, ENABLE always starts from scratch.
   */
  startReceiving(onMessage: (message: WxMsg) => void): Promise<void>;
  /** DISABLE_RECV_TXT and closes the message connection. */
  stopReceiving(options?: CallOptions): Promise<void>;
  readonly isReceiving: boolean;

  /** Called once, when either connection closes for any reason but `close()`. */
  onClose(listener: (error: Error) => void): () => void;
  readonly isClosed: boolean;
  /** Closes both connections; resolves once the sockets are gone. */
  close(): Promise<void>;
}

export async function connectWcfClient(options: WcfClientOptions): Promise<WcfClient> {
  const clock = options.clock ?? systemClock;
  const dial = options.dial ?? dialPair1;
  const logger = options.logger;
  const dialOptions = (port: number, signal?: AbortSignal): DialPair1Options => ({
    host: options.host,
    port,
    ...(options.connectTimeoutMs === undefined ? {} : { timeoutMs: options.connectTimeoutMs }),
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(signal === undefined ? {} : { signal }),
  });

  let commandConnection: Pair1Connection;
  try {
    commandConnection = await dial(dialOptions(options.port, options.signal));
  } catch (error) {
    throw transportError(`Cannot reach WeChatFerry at ${options.host}:${options.port}`, error);
  }
  const channel: CommandChannel = createCommandChannel({
    connection: commandConnection,
    clock,
    logger,
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
  });
  const closeListeners = new Set<(error: Error) => void>();
  const lifetime = new AbortController();
  let messageConnection: Pair1Connection | undefined;
  let closing = false;
  let reportedClose = false;

  const reportClose = (error: Error) => {
    if (closing || reportedClose) return;
    reportedClose = true;
    for (const listener of [...closeListeners]) listener(error);
  };
  void channel.closed.then(error => {
    reportClose(error ?? new NngError('closed', 'The WeChatFerry command connection closed'));
    // Without the command socket the push is unmanageable: close it too, so the owner starts over cleanly.
    messageConnection?.close();
  });

  const call = (request: WcfRequest, callOptions?: CallOptions) => channel.call(request, callOptions);
  const expectSuccess = async (request: WcfRequest, callOptions?: CallOptions): Promise<number> => {
    const response = await call(request, callOptions);
    const status = response.status ?? 0;
    if (!isWcfSuccess(request.func, status)) throw statusError(request.func, status);
    return status;
  };
  const text = async (request: WcfRequest) => (await call(request)).str ?? '';

  const dialMessages = async (): Promise<Pair1Connection> => {
    const attempts = options.messageDialAttempts ?? 20;
    const intervalMs = options.messageDialIntervalMs ?? 100;
    let lastError: unknown;
    for (let round = 0; round < attempts && !lifetime.signal.aborted; round++) {
      try {
        return await dial(dialOptions(options.port + 1, lifetime.signal));
      } catch (error) {
        lastError = error;
        if (!NngError.is(error, 'connect-failed')) break;
        await sleep(clock, intervalMs, lifetime.signal);
      }
    }
    throw transportError(`Cannot open WeChatFerry's message socket on port ${options.port + 1}`, lastError);
  };

  const client: WcfClient = {
    call,
    isLogin: async () => ((await call(R.isLogin())).status ?? 0) === 1,
    getSelfWxid: () => text(R.getSelfWxid()),
    getUserInfo: async () => {
      const ui = (await call(R.getUserInfo())).ui;
      return ui ?? { wxid: '', name: '', mobile: '', home: '', alias: '' };
    },
    getContacts: async () => (await call(R.getContacts())).contacts?.contacts ?? [],
    getDbNames: async () => (await call(R.getDbNames())).dbs?.names ?? [],
    execDbQuery: async (db, sql) => ((await call(R.execDbQuery(db, sql))).rows?.rows ?? []).map(dbRowObject),
    refreshQrcode: () => text(R.refreshQrcode()),
    sendText: async (receiver, message, aters = []) => {
      await expectSuccess(R.sendText(receiver, message, aters.join(',')));
    },
    sendImage: async (receiver, path) => {
      await expectSuccess(R.sendImage(receiver, path));
    },
    sendFile: async (receiver, path) => {
      await expectSuccess(R.sendFile(receiver, path));
    },
    sendEmotion: async (receiver, path) => {
      await expectSuccess(R.sendEmotion(receiver, path));
    },
    sendRichText: async richText => {
      await expectSuccess(R.sendRichText(richText));
    },
    downloadAttach: async (id, thumb, extra) => {
      await expectSuccess(R.downloadAttach(id, thumb, extra));
    },
    decryptImage: (src, dir) => text(R.decryptImage(src, dir)),
    getAudioMsg: (id, dir) => text(R.getAudioMsg(id, dir)),
    acceptFriend: async (v3, v4, scene) => {
      await expectSuccess(R.acceptFriend(v3, v4, scene));
    },
    addRoomMembers: async (roomid, wxids) => {
      await expectSuccess(R.addRoomMembers(roomid, wxids));
    },
    delRoomMembers: async (roomid, wxids) => {
      await expectSuccess(R.delRoomMembers(roomid, wxids));
    },
    invRoomMembers: async (roomid, wxids) => {
      await expectSuccess(R.invRoomMembers(roomid, wxids));
    },

    get isReceiving() {
      return messageConnection !== undefined && !messageConnection.isClosed;
    },
    async startReceiving(onMessage) {
      if (client.isReceiving) return;
      // 0: a listener was stopped; 1: none ran. Both leave the host ready for ENABLE.
      const disabled = (await call(R.disableRecvTxt())).status ?? 0;
      if (disabled < 0) throw statusError(F.FUNC_DISABLE_RECV_TXT, disabled);
      await expectSuccess(R.enableRecvTxt(false));
      const connection = await dialMessages();
      if (closing) {
        connection.close();
        throw transportError('The WeChatFerry client closed', new NngError('closed', 'closed while connecting'));
      }
      messageConnection = connection;
      connection.onMessage(body => {
        let response: WcfResponse;
        try {
          response = decodeResponse(body);
        } catch (error) {
          logger.warn({ error: String(error) }, 'dropped an undecodable WeChatFerry push');
          return;
        }
        if (response.func !== F.FUNC_ENABLE_RECV_TXT || response.wxmsg === undefined) {
          logger.debug({ func: wcfFunctionName(response.func) }, 'dropped a WeChatFerry push that carries no message');
          return;
        }
        onMessage(response.wxmsg);
      });
      void connection.closed.then(info => {
        if (messageConnection !== connection) return;
        messageConnection = undefined;
        reportClose(info.error ?? new NngError('closed', 'The WeChatFerry message connection closed'));
      });
    },
    async stopReceiving(callOptions) {
      const connection = messageConnection;
      messageConnection = undefined;
      try {
        if (!channel.isClosed) await call(R.disableRecvTxt(), callOptions);
      } finally {
        connection?.close();
        await connection?.closed;
      }
    },

    onClose(listener) {
      closeListeners.add(listener);
      return () => {
        closeListeners.delete(listener);
      };
    },
    get isClosed() {
      return closing || channel.isClosed;
    },
    async close() {
      closing = true;
      lifetime.abort();
      const message = messageConnection;
      messageConnection = undefined;
      message?.close();
      channel.close();
      await Promise.all([message?.closed, commandConnection.closed]);
      closeListeners.clear();
    },
  };
  return client;
}
