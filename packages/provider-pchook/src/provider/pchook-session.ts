import {
  type CompleteSessionV1,
  type ContactV1,
  type FetchHistoryResultV1,
  type HealthReportV1,
  isAllowedStateTransitionV1,
  type LoginProcessV1,
  type MediaDownloadV1,
  type MediaRefV1,
  type OutgoingMessageV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type RoomCapabilitiesV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  type SendMessageResultV1,
  type SessionStateV1,
  supportLevelOf,
  WechatAuthenticationError,
  type WechatError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import type { BackoffOptions } from '../client/backoff.ts';
import type { Clock } from '../client/clock.ts';
import { connectWcfClient, type Dial, type WcfClient } from '../client/wcf-client.ts';
import { pchookProviderId } from '../client/wcf-errors.ts';
import { createWcfLink, type WcfLink } from '../client/wcf-link.ts';
import type { WxMsg } from '../protocol/wcf-messages.ts';
import type { PchookConfig } from '../pchook-config.ts';
import { contactFromUserInfo, createDirectory, type Directory } from './directory.ts';
import { decodeFriendRequestId, mapWxMessage } from './inbound/map-wx-message.ts';
import { createLoginProcess } from './login-process.ts';
import { createMediaDownloader, type MediaDownloader } from './media/media-download.ts';
import { decodeMediaRef } from './media/media-ref.ts';
import { sweepOutgoingFiles } from './media/outgoing-files.ts';
import { createWindowsPathMapper, type WindowsPathMapper } from './media/windows-path.ts';
import { createEchoWaiter, type EchoWaiter } from './outbound/echo-waiter.ts';
import { sendOutgoing } from './outbound/send-message.ts';
import { pchookCapabilities } from './pchook-capabilities.ts';

/** Every delay the session uses; tests shorten them. */
export interface PchookTimings {
  /** Per request attempt on the command socket (one retry after a timeout). Default 5000 ms. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Between FUNC_IS_LOGIN heartbeats. Default 15 s. */
  readonly heartbeatIntervalMs: number;
  readonly backoff: BackoffOptions;
  /** Between FUNC_IS_LOGIN polls during a QR login. Default 1 s. */
  readonly loginPollIntervalMs: number;
  /** How often a pending login asks for a new QR code. Default 30 s. */
  readonly qrRefreshIntervalMs: number;
  /** How long a login may wait for the phone. Default 5 min. */
  readonly loginTimeoutMs: number;
  /** How long a send waits for its echo (to learn its id). Default 3 s. */
  readonly echoTimeoutMs: number;
  readonly mediaPollIntervalMs: number;
  readonly mediaTimeoutMs: number;
  readonly voiceTimeoutMs: number;
  /** How long `stop()` gives FUNC_DISABLE_RECV_TXT. Default 1 s. */
  readonly stopTimeoutMs: number;
  /** Staged outgoing files older than this are removed when a session starts. Default 1 day. */
  readonly outgoingRetentionMs: number;
}

export const defaultPchookTimings: PchookTimings = {
  requestTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  heartbeatIntervalMs: 15_000,
  backoff: { initialMs: 500, maxMs: 30_000, factor: 2 },
  loginPollIntervalMs: 1_000,
  qrRefreshIntervalMs: 30_000,
  loginTimeoutMs: 5 * 60_000,
  echoTimeoutMs: 3_000,
  mediaPollIntervalMs: 500,
  mediaTimeoutMs: 30_000,
  voiceTimeoutMs: 3_000,
  stopTimeoutMs: 1_000,
  outgoingRetentionMs: 24 * 60 * 60_000,
};

export interface PchookSessionDependencies {
  readonly clock: Clock;
  readonly random: () => number;
  readonly dial: Dial | undefined;
  readonly fetch: typeof globalThis.fetch;
  readonly timings: PchookTimings;
}

const authRequired = (message: string) =>
  new WechatAuthenticationError({ code: 'AUTH_REQUIRED', providerId: pchookProviderId, message });

function parseEndpoint(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint);
  return { host: url.hostname, port: Number(url.port) };
}

/**
 * One WeChat account behind one WeChatFerry host. States: `starting` → (`awaiting-login` →) `connecting` →
 * `connected`; the host going away gives `transient-disconnect` and a reconnect with backoff; WeChat logging
 * out on the host gives `logged-out` until it is logged in again (the session keeps watching).
 */
export class PchookSession implements CompleteSessionV1 {
  readonly specificationVersion = 'v1';
  readonly providerId = pchookProviderId;

  readonly #options: ProviderSessionOptionsV1<PchookConfig>;
  readonly #deps: PchookSessionDependencies;
  readonly #share: WindowsPathMapper | undefined;
  readonly #directory: Directory;
  readonly #media: MediaDownloader;
  readonly #echoes: EchoWaiter;
  #state: SessionStateV1 = 'stopped';
  #link: WcfLink | undefined;
  #client: WcfClient | undefined;
  #self: ContactV1 | undefined;
  /** Open while the session may emit; closed by stop() and logout(). */
  #emitting = false;
  #stopping: Promise<void> | undefined;
  #lifetime: AbortController | undefined;
  #serial: Promise<unknown> = Promise.resolve();
  /** The sweep of old staged files a start began; stop() waits for it. */
  #sweep: Promise<unknown> = Promise.resolve();

  constructor(options: ProviderSessionOptionsV1<PchookConfig>, deps: PchookSessionDependencies) {
    this.#options = options;
    this.#deps = deps;
    const { shared_dir: sharedDir, windows_dir: windowsDir } = options.config;
    this.#share =
      sharedDir !== undefined && windowsDir !== undefined ? createWindowsPathMapper(sharedDir, windowsDir) : undefined;
    this.#echoes = createEchoWaiter(deps.clock);
    this.#directory = createDirectory({
      client: () => this.#requireClient(),
      clock: deps.clock,
      self: () => this.#self,
    });
    this.#media = createMediaDownloader({
      share: this.#share,
      client: () => this.#requireClient(),
      clock: deps.clock,
      logger: options.logger,
      fetch: deps.fetch,
      pollIntervalMs: deps.timings.mediaPollIntervalMs,
      timeoutMs: deps.timings.mediaTimeoutMs,
      voiceTimeoutMs: deps.timings.voiceTimeoutMs,
    });
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  // ------------------------------------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.#stopping !== undefined) await this.#stopping;
    // No await from this check to `this.#link = …`: concurrent starts create one link.
    if (this.#link !== undefined || this.#options.signal?.aborted) return;
    const { timings, clock } = this.#deps;
    const { host, port } = parseEndpoint(this.#options.config.rpc_endpoint);
    const lifetime = new AbortController();
    this.#lifetime = lifetime;
    this.#emitting = true;
    this.#setState('starting');
    this.#link = createWcfLink({
      connect: signal =>
        connectWcfClient({
          host,
          port,
          logger: this.#options.logger,
          clock,
          signal,
          requestTimeoutMs: timings.requestTimeoutMs,
          connectTimeoutMs: timings.connectTimeoutMs,
          ...(this.#deps.dial === undefined ? {} : { dial: this.#deps.dial }),
        }),
      logger: this.#options.logger,
      clock,
      random: this.#deps.random,
      backoff: timings.backoff,
      heartbeatIntervalMs: timings.heartbeatIntervalMs,
      onUp: client => this.#onUp(client),
      onDown: error => this.#onDown(error),
      onHeartbeat: (loggedIn, client) => this.#onHeartbeat(loggedIn, client),
    });
    this.#link.start();
    if (this.#share !== undefined) {
      const share = this.#share;
      this.#sweep = sweepOutgoingFiles(share, timings.outgoingRetentionMs, clock.now()).then(
        removed => removed > 0 && this.#options.logger.debug({ removed }, 'removed old staged files'),
        () => undefined,
      );
    }
  }

  async stop(): Promise<void> {
    if (this.#stopping === undefined && this.#link !== undefined) {
      this.#stopping = this.#shutDown('stopped').finally(() => {
        this.#stopping = undefined;
      });
    }
    await this.#stopping;
    // Also after a logout() that was under way; a no-op when already stopped.
    if (this.#link === undefined) this.#settle('stopped');
  }

  /**
   * WeChatFerry has no logout function: WeChat on the host stays logged in. This detaches the session (the
   * message push is disabled, the connection closed) and forgets the account; `start()` attaches again.
   */
  async logout(): Promise<void> {
    if (this.#stopping !== undefined) await this.#stopping;
    if (this.#link !== undefined) {
      this.#stopping = this.#shutDown('logged-out').finally(() => {
        this.#stopping = undefined;
      });
      await this.#stopping;
    } else {
      this.#self = undefined;
      this.#settle('logged-out');
    }
  }

  /** The last state change of a stop or logout; nothing is emitted after it. */
  #settle(state: 'stopped' | 'logged-out'): void {
    this.#emitting = true;
    this.#setState(state);
    this.#emitting = false;
  }

  async #shutDown(finalState: 'stopped' | 'logged-out'): Promise<void> {
    const link = this.#link;
    this.#lifetime?.abort();
    this.#echoes.clear();
    const client = this.#client;
    if (client?.isReceiving && !client.isClosed) {
      // Politeness: without a client the host would keep capturing messages it then drops one by one.
      await client
        .stopReceiving({ timeoutMs: this.#deps.timings.stopTimeoutMs, retryOnTimeout: false })
        .catch((error: unknown) => this.#options.logger.debug({ error: String(error) }, 'FUNC_DISABLE_RECV_TXT failed'));
    }
    await link?.stop();
    await Promise.all([this.#serial.catch(() => undefined), this.#sweep]);
    this.#link = undefined;
    this.#client = undefined;
    if (finalState === 'logged-out') this.#self = undefined;
    this.#settle(finalState);
  }

  async login(): Promise<LoginProcessV1> {
    const lifetime = this.#lifetime;
    if (this.#link === undefined || lifetime === undefined || lifetime.signal.aborted) {
      throw new WechatProviderUnavailableError({ providerId: pchookProviderId, message: 'Start the session before logging in' });
    }
    const { timings } = this.#deps;
    return createLoginProcess({
      client: () => this.#connection(),
      connectedSelf: () => (this.#state === 'connected' ? this.#self : undefined),
      completeLogin: client => this.#becomeConnected(client),
      emitStep: step => this.#emit({ type: 'login-step', step }),
      began: () => {
        if (this.#state === 'logged-out') this.#setState('awaiting-login');
      },
      clock: this.#deps.clock,
      logger: this.#options.logger,
      signal: lifetime.signal,
      pollIntervalMs: timings.loginPollIntervalMs,
      qrRefreshIntervalMs: timings.qrRefreshIntervalMs,
      timeoutMs: timings.loginTimeoutMs,
    });
  }

  async checkHealth(): Promise<HealthReportV1> {
    const client = this.#client;
    if (client === undefined || client.isClosed) {
      return {
        healthy: false,
        error: new WechatProviderUnavailableError({ providerId: pchookProviderId, message: 'Not connected to WeChatFerry' }),
      };
    }
    const startedAt = this.#deps.clock.now();
    try {
      const loggedIn = await client.isLogin();
      const latencyMs = this.#deps.clock.now() - startedAt;
      return loggedIn
        ? { healthy: true, latencyMs }
        : { healthy: false, latencyMs, error: authRequired('WeChat on the host is not logged in'), details: this.#state };
    } catch (error) {
      return { healthy: false, error: error as WechatError };
    }
  }

  // ------------------------------------------------------------------------------------------- link events

  #onUp(client: WcfClient): Promise<void> {
    return this.#exclusive(async () => {
      this.#client = client;
      this.#directory.invalidate();
      if (await client.isLogin()) {
        await this.#connect(client);
        return;
      }
      this.#self = undefined;
      this.#setState('awaiting-login');
    });
  }

  #onDown(error: WechatError): void {
    this.#client = undefined;
    if (!this.#emitting || this.#lifetime?.signal.aborted) return;
    this.#setState(WechatProviderUnavailableError.isInstance(error) ? 'transient-disconnect' : 'unknown-error', error);
  }

  async #onHeartbeat(loggedIn: boolean, client: WcfClient): Promise<void> {
    this.#emit({ type: 'heartbeat', at: this.#deps.clock.now() });
    if (loggedIn && (this.#state === 'awaiting-login' || this.#state === 'logged-out')) {
      await this.#becomeConnected(client);
    } else if (!loggedIn && this.#state === 'connected') {
      this.#lostLogin();
    }
  }

  /** WeChat on the host was logged out (from the phone, say); the session waits for a new login. */
  #lostLogin(): void {
    this.#self = undefined;
    this.#setState('logged-out', authRequired('WeChat on the Windows host is no longer logged in'));
  }

  #becomeConnected(client: WcfClient): Promise<ContactV1> {
    return this.#exclusive(async () => {
      try {
        if (this.#state !== 'connected' || this.#self === undefined) await this.#connect(client);
      } catch (error) {
        // Half connected (no push, say): start over with a fresh connection rather than stay 'connecting'.
        void client.close();
        throw error;
      }
      return this.#self as ContactV1;
    });
  }

  /** Reads the account and starts the push; callers hold #exclusive. */
  async #connect(client: WcfClient): Promise<void> {
    this.#setState('connecting');
    const info = await client.getUserInfo();
    const wxid = info.wxid || (await client.getSelfWxid());
    this.#self = contactFromUserInfo({ ...info, wxid });
    await client.startReceiving(message => this.#onWxMessage(message));
    this.#setState('connected');
    this.#options.logger.info({ account: wxid }, 'connected to WeChatFerry');
  }

  #onWxMessage(message: WxMsg): void {
    if (!this.#emitting || this.#lifetime?.signal.aborted) return;
    this.#echoes.offer(message);
    const events = mapWxMessage(message, { selfWxid: this.#self?.id ?? '' });
    for (const event of events) this.#emit(event);
  }

  // ------------------------------------------------------------------------------------------- queries

  async getSelf(): Promise<ContactV1> {
    const self = this.#self;
    if (self === undefined || this.#state === 'awaiting-login' || this.#state === 'logged-out') {
      throw authRequired(`Not logged in (the session is '${this.#state}')`);
    }
    return self;
  }

  async getContact(id: string): Promise<ContactV1> {
    this.#requireClient();
    return this.#directory.getContact(id);
  }

  async getRoom(id: string): Promise<RoomV1> {
    this.#requireClient();
    return this.#directory.getRoom(id);
  }

  async listRoomMembers(id: string): Promise<readonly RoomMemberV1[]> {
    this.#requireClient();
    return this.#directory.listRoomMembers(id);
  }

  async listContacts(): Promise<readonly ContactV1[]> {
    this.#requireClient();
    return this.#directory.listContacts();
  }

  async listRooms(): Promise<readonly RoomV1[]> {
    this.#requireClient();
    return this.#directory.listRooms();
  }

  async getRoomCapabilities(_roomId: RoomId): Promise<RoomCapabilitiesV1> {
    return {};
  }

  // ------------------------------------------------------------------------------------------- actions

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    const kind = message.content.kind;
    if (supportLevelOf(pchookCapabilities.send, kind) === 'none') {
      throw new WechatUnsupportedCapabilityError({ capability: `send.${kind}`, providerId: pchookProviderId });
    }
    const client = this.#requireClient();
    // The host answers 0 to a send even when WeChat is logged out (and sends nothing), so ask first.
    if (!(await client.isLogin())) {
      if (this.#state === 'connected') this.#lostLogin();
      throw authRequired('WeChat on the Windows host is not logged in');
    }
    return sendOutgoing(
      {
        client,
        share: this.#share,
        echoes: this.#echoes,
        directory: this.#directory,
        logger: this.#options.logger,
        echoTimeoutMs: this.#deps.timings.echoTimeoutMs,
      },
      message,
    );
  }

  async downloadMedia(media: MediaRefV1, options?: { readonly signal?: AbortSignal }): Promise<MediaDownloadV1> {
    const ref = decodeMediaRef(media.ref);
    if (ref === undefined) throw new WechatNotFoundError({ entity: 'media', id: media.ref, providerId: pchookProviderId });
    return this.#media.download(ref, options?.signal);
  }

  async acceptFriendRequest(requestId: string): Promise<void> {
    const ticket = decodeFriendRequestId(requestId);
    if (ticket === undefined)
      throw new WechatNotFoundError({ entity: 'friend-request', id: requestId, providerId: pchookProviderId });
    await this.#requireClient().acceptFriend(ticket.v3, ticket.v4, ticket.scene);
    this.#directory.invalidate();
  }

  async inviteToRoom(roomId: RoomId, contactIds: readonly string[]): Promise<void> {
    await this.#requireClient().invRoomMembers(roomId, contactIds);
    this.#directory.invalidate();
  }

  async removeFromRoom(roomId: RoomId, contactIds: readonly string[]): Promise<void> {
    await this.#requireClient().delRoomMembers(roomId, contactIds);
    this.#directory.invalidate();
  }

  // Not offered by WeChatFerry; never exposed (the capabilities say 'none'), present for CompleteSessionV1.
  recallMessage(): Promise<void> {
    return this.#unsupported('recall');
  }
  setContactRemark(): Promise<void> {
    return this.#unsupported('contacts.setRemark');
  }
  createRoom(): Promise<RoomId> {
    return this.#unsupported('rooms.create');
  }
  renameRoom(): Promise<void> {
    return this.#unsupported('rooms.rename');
  }
  setRoomTopic(): Promise<void> {
    return this.#unsupported('rooms.setTopic');
  }
  leaveRoom(): Promise<void> {
    return this.#unsupported('rooms.leave');
  }
  fetchHistory(): Promise<FetchHistoryResultV1> {
    return this.#unsupported('history');
  }

  // ------------------------------------------------------------------------------------------- helpers

  async #unsupported(capability: string): Promise<never> {
    throw new WechatUnsupportedCapabilityError({ capability, providerId: pchookProviderId });
  }

  /** The connection, whatever the login state (for the login process). */
  #connection(): WcfClient {
    const client = this.#client;
    if (client === undefined || client.isClosed) {
      throw new WechatProviderUnavailableError({ providerId: pchookProviderId, message: 'Not connected to WeChatFerry' });
    }
    return client;
  }

  /** The connection, for operations that need a logged-in account. */
  #requireClient(): WcfClient {
    const state = this.#state;
    if (state === 'awaiting-login' || state === 'logged-out' || state === 'bad-credentials') {
      throw authRequired(`Not logged in (the session is '${state}')`);
    }
    const client = this.#client;
    if (state !== 'connected' || client === undefined || client.isClosed) {
      throw new WechatProviderUnavailableError({
        providerId: pchookProviderId,
        message: `Not connected to WeChatFerry (the session is '${state}')`,
      });
    }
    return client;
  }

  /** Runs `task` after every earlier one: connecting, login completion and heartbeats never interleave. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#serial.then(task, task);
    this.#serial = result.catch(() => undefined);
    return result;
  }

  #setState(next: SessionStateV1, error?: WechatError): void {
    const previous = this.#state;
    if (previous === next) return;
    // While stopping, only the final state is reported (work still unwinding must not look like progress).
    if (this.#lifetime?.signal.aborted && next !== 'stopped' && next !== 'logged-out') return;
    if (!isAllowedStateTransitionV1(previous, next)) {
      this.#options.logger.warn({ from: previous, to: next }, 'skipped a state change the state graph does not allow');
      return;
    }
    this.#state = next;
    this.#emit({ type: 'state-changed', state: next, previous, ...(error === undefined ? {} : { error }) });
  }

  #emit(event: ProviderEventV1): void {
    if (!this.#emitting) return;
    try {
      this.#options.emit(event);
    } catch (error) {
      this.#options.logger.warn({ error: String(error), event: event.type }, 'an event listener threw');
    }
  }
}
