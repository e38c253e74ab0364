import { randomBytes } from 'node:crypto';
import {
  type ContactId,
  contactId,
  roomId as toRoomId,
  type ContactV1,
  type HealthReportV1,
  isAllowedStateTransitionV1,
  type LoginProcessV1,
  type MediaDownloadV1,
  type MediaRefV1,
  type MessageRefV1,
  type OutgoingMessageV1,
  type ProviderSessionOptionsV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  type SendMessageResultV1,
  type SessionStateV1,
  toWechatError,
  WechatAuthenticationError,
  type WechatError,
  WechatInvalidArgumentError,
  WechatProviderUnavailableError,
  WechatRequestError,
} from '@wechat/provider-api';
import { GeweClient, defaultDownloadEndpoint } from '../api/gewe-client.ts';
import { encodeMediaRef } from '../inbound/index.ts';
import type { IpadConfig } from '../ipad-config.ts';
import { RiskControl } from '../risk/risk-control.ts';
import { CallbackServer } from './callback-server.ts';
import { Directory } from './directory.ts';
import { InboundDispatcher } from './inbound-dispatcher.ts';
import { createLoginProcess } from './login-process.ts';
import { MediaDownloader } from './media-download.ts';
import { Outbound } from './outbound.ts';
import { RecentSends } from './recent-sends.ts';
import {
  backoffDelay,
  type IpadRuntime,
  type IpadSessionContext,
  readStoredSelf,
  type StoredSelf,
  storageKeys,
} from './session-parts.ts';

const restartable: readonly SessionStateV1[] = ['stopped', 'logged-out', 'bad-credentials'];

export interface IpadSessionParts {
  readonly providerId: string;
  readonly options: ProviderSessionOptionsV1<IpadConfig>;
  readonly runtime: IpadRuntime;
  /** For the `mautrix_wechat_risk_control_blocked_total` metric and logs. */
  readonly onRiskControlBlocked?: ConstructorParameters<typeof RiskControl>[0]['onBlocked'];
}

/**
 * One WeChat account through a GeWeChat service. `start()` opens the callback server, learns the service
 * token, registers the callback URL and resumes the stored device; the QR login creates or reuses the device.
 * While connected, `/login/checkOnline` is the heartbeat; an `Offline` callback or a failed check leads to
 * reconnection with capped exponential backoff, and to `awaiting-login` when the service says the device is
 * signed out.
 */
export class IpadSession {
  readonly specificationVersion = 'v1' as const;
  readonly providerId: string;
  readonly #options: ProviderSessionOptionsV1<IpadConfig>;
  readonly #context: IpadSessionContext;
  readonly #server: CallbackServer;
  readonly #directory: Directory;
  readonly #outbound: Outbound;
  readonly #media: MediaDownloader;
  readonly #dispatcher: InboundDispatcher;
  readonly #recentSends: RecentSends;
  #state: SessionStateV1 = 'stopped';
  #run = 0;
  #active = false;
  #abort = new AbortController();
  #stopping: Promise<void> | undefined;
  #appId: string | undefined;
  #self: StoredSelf | undefined;
  #secret: string | undefined;
  #reconnecting = false;
  #heartbeatRun = -1;
  #lastCallbackAt = 0;
  /** Ends the current reconnect backoff early (see `checkHealth`). */
  #wakeReconnect: AbortController | undefined;
  #lastWakeAt = 0;
  #probeRequested = false;

  constructor({ providerId, options, runtime, onRiskControlBlocked }: IpadSessionParts) {
    this.providerId = providerId;
    this.#options = options;
    const { config, logger, storage } = options;
    const client = new GeweClient({
      apiEndpoint: config.api_endpoint,
      downloadEndpoint: config.download_endpoint ?? defaultDownloadEndpoint(config.api_endpoint),
      transport: runtime.transport,
      providerId,
      logger,
    });
    const riskControl = new RiskControl({
      config: config.risk_control,
      storage,
      providerId,
      now: runtime.now,
      random: runtime.random,
      sleep: runtime.sleep,
      onBlocked: (error, category) => {
        logger.warn({ rule: error.rule, category }, 'gewechat: risk control refused an operation');
        onRiskControlBlocked?.(error, category);
      },
    });
    this.#context = { providerId, config, logger, storage, emit: event => this.#emit(event), client, riskControl, runtime };
    this.#recentSends = new RecentSends(storage);
    this.#directory = new Directory(this.#context, () => this.#requireAppId());
    this.#media = new MediaDownloader(this.#context, () => this.#requireAppId());
    this.#server = new CallbackServer({
      port: config.callback_port,
      secret: 'unset',
      logger,
      now: runtime.now,
      onCallback: body => this.#dispatcher.handle(body),
    });
    this.#outbound = new Outbound({
      context: this.#context,
      directory: this.#directory,
      recentSends: this.#recentSends,
      appId: () => this.#requireAppId(),
      stageMedia: (media, fileName) => `${this.#callbackUrl()}/${this.#server.stageMedia(media.data, media.mimeType, fileName)}`,
    });
    this.#dispatcher = new InboundDispatcher({
      logger,
      emit: event => this.#emit(event),
      appId: () => this.#appId,
      selfWxid: () => this.#self?.wxid,
      onOffline: () => this.#connectionLost(this.#unavailable('GeWeChat reports the device offline (Offline callback).')),
      onAlive: () => {
        // Callbacks are proof of life too; one heartbeat event per few seconds is enough for watchdogs.
        const now = runtime.now();
        if (this.#state === 'connected' && now - this.#lastCallbackAt >= 5_000) this.#emit({ type: 'heartbeat', at: now });
        this.#lastCallbackAt = now;
      },
      onSelfMessage: data => {
        // Messages sent from the phone can be recalled from Matrix too: remember what revokeMsg needs.
        const toWxid = data.toUserName;
        void this.#recentSends
          .remember({ newMsgId: data.newMsgId, msgId: data.msgId, createTime: data.createTime, toWxid })
          .catch(error => logger.debug({ error: String(error) }, 'gewechat: could not remember an own message'));
      },
    });
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    await this.#stopping;
    if (!restartable.includes(this.#state)) return;
    const run = ++this.#run;
    this.#active = true;
    // A restart after a remote sign-out: the previous run's waits end now rather than at their timeout.
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#transition('starting');
    this.#secret = await this.#callbackSecret();
    this.#server.secret = this.#secret;
    try {
      await this.#server.listen();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const typed = new WechatInvalidArgumentError({
        argument: 'providers.ipad.callback_port',
        message: `The GeWeChat callback server cannot listen on port ${this.#context.config.callback_port} (${reason}). Choose a free port in providers.ipad.callback_port.`,
        providerId: this.providerId,
        cause: error,
      });
      this.#transition('unknown-error', typed);
      throw typed;
    }
    if (run !== this.#run) return;
    void this.#connect(run);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (!this.#active) return;
    this.#run++;
    this.#abort.abort();
    await this.#server.close();
    this.#transition('stopped');
    this.#active = false;
    this.#reconnecting = false;
  }

  async logout(): Promise<void> {
    const appId = this.#appId ?? (await this.#options.storage.get(storageKeys.appId));
    if (appId && this.#context.client.token !== undefined) {
      try {
        await this.#context.client.post('/login/logout', { appId });
      } catch (error) {
        // Signed out locally anyway: the stored login is forgotten below, whatever the service said.
        this.#context.logger.warn({ error: toWechatError(error).message }, 'gewechat: logout call failed');
      }
    }
    // The device id stays: a new device would be kicked again on its first night (reference B.1).
    await this.#options.storage.delete(storageKeys.self);
    this.#self = undefined;
    this.#run++;
    this.#abort.abort();
    await this.#server.close();
    // Reported even when the session was stopped: the host learns that the login is gone.
    this.#active = true;
    this.#transition('logged-out');
    this.#active = false;
  }

  async login(): Promise<LoginProcessV1> {
    if (this.#state !== 'awaiting-login') {
      throw new WechatInvalidArgumentError({
        argument: 'state',
        message: `A login needs a started session waiting for it (the session is ${this.#state}).`,
        providerId: this.providerId,
      });
    }
    const run = this.#run;
    return createLoginProcess({
      context: this.#context,
      signal: this.#abort.signal,
      appId: async () => this.#appId ?? (await this.#options.storage.get(storageKeys.appId)) ?? '',
      onDevice: async appId => {
        this.#appId = appId;
        await this.#options.storage.set(storageKeys.appId, appId);
      },
      onComplete: async self => {
        this.#self = self;
        await this.#options.storage.set(storageKeys.self, JSON.stringify(self));
        await this.#context.riskControl.noteLogin();
        if (run === this.#run) {
          this.#transition('connected');
          this.#startHeartbeat(run);
        }
        return this.#selfContact(self);
      },
    });
  }

  // ── the account, contacts and rooms ──────────────────────────────────────────────────────────────────────

  async getSelf(): Promise<ContactV1> {
    const self = this.#self ?? (await readStoredSelf(this.#options.storage));
    if (!self || this.#state === 'awaiting-login' || this.#state === 'logged-out') throw this.#loginRequired();
    return this.#selfContact(self);
  }

  getContact(contactId: ContactId): Promise<ContactV1> {
    this.#requireConnected();
    return this.#directory.getContact(contactId);
  }

  getRoom(roomId: RoomId): Promise<RoomV1> {
    this.#requireConnected();
    return this.#directory.getRoom(roomId);
  }

  listRoomMembers(roomId: RoomId): Promise<readonly RoomMemberV1[]> {
    this.#requireConnected();
    return this.#directory.listRoomMembers(roomId);
  }

  listContacts(): Promise<readonly ContactV1[]> {
    this.#requireConnected();
    return this.#directory.listContacts();
  }

  listRooms(): Promise<readonly RoomV1[]> {
    this.#requireConnected();
    return this.#directory.listRooms();
  }

  async setContactRemark(contactId: ContactId, remark: string): Promise<void> {
    this.#requireConnected();
    await this.#context.client.post('/contacts/setFriendRemark', { appId: this.#requireAppId(), wxid: contactId, remark });
  }

  async createRoom({ name, contactIds }: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId> {
    this.#requireConnected();
    return this.#context.riskControl.run('group', async () => {
      const data = await this.#context.client.post<{ chatroomId?: string; chatRoomId?: string } | null>('/group/createChatroom', {
        appId: this.#requireAppId(),
        wxids: contactIds,
      });
      const roomId = data?.chatroomId ?? data?.chatRoomId;
      if (!roomId) {
        throw new WechatRequestError({
          operation: '/group/createChatroom',
          message: 'GeWeChat created no group.',
          retryable: false,
          providerId: this.providerId,
        });
      }
      if (name.trim() !== '') {
        await this.#context.client.post('/group/modifyChatroomName', {
          appId: this.#requireAppId(),
          chatroomId: roomId,
          chatroomName: name,
        });
      }
      return toRoomId(roomId);
    });
  }

  async inviteToRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    this.#requireConnected();
    await this.#context.riskControl.run('group', () =>
      this.#context.client.post('/group/inviteMember', {
        appId: this.#requireAppId(),
        chatroomId: roomId,
        wxids: contactIds.join(','),
        reason: '',
      }),
    );
  }

  async removeFromRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    this.#requireConnected();
    await this.#context.riskControl.run('group', () =>
      this.#context.client.post('/group/removeMember', {
        appId: this.#requireAppId(),
        chatroomId: roomId,
        wxids: contactIds.join(','),
      }),
    );
  }

  async renameRoom(roomId: RoomId, name: string): Promise<void> {
    this.#requireConnected();
    await this.#context.client.post('/group/modifyChatroomName', {
      appId: this.#requireAppId(),
      chatroomId: roomId,
      chatroomName: name,
    });
  }

  async setRoomTopic(roomId: RoomId, topic: string): Promise<void> {
    this.#requireConnected();
    await this.#context.client.post('/group/setChatroomAnnouncement', {
      appId: this.#requireAppId(),
      chatroomId: roomId,
      content: topic,
    });
  }

  async leaveRoom(roomId: RoomId): Promise<void> {
    this.#requireConnected();
    await this.#context.client.post('/group/quitChatroom', { appId: this.#requireAppId(), chatroomId: roomId });
  }

  async acceptFriendRequest(requestId: string): Promise<void> {
    this.#requireConnected();
    let ticket: { v3?: string; v4?: string; scene?: number };
    try {
      ticket = JSON.parse(requestId) as typeof ticket;
    } catch {
      throw new WechatInvalidArgumentError({
        argument: 'requestId',
        message: 'Not a friend request id from this provider.',
        providerId: this.providerId,
      });
    }
    await this.#context.riskControl.run('friend', () =>
      this.#context.client.post('/contacts/addContacts', {
        appId: this.#requireAppId(),
        scene: ticket.scene ?? 3,
        option: 3,
        v3: ticket.v3 ?? '',
        v4: ticket.v4 ?? '',
        content: '',
      }),
    );
  }

  // ── messages and media ───────────────────────────────────────────────────────────────────────────────────

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    this.#requireConnected();
    try {
      return await this.#outbound.send(message);
    } catch (error) {
      throw await this.#afterFailure(error);
    }
  }

  async recallMessage(target: MessageRefV1): Promise<void> {
    this.#requireConnected();
    try {
      await this.#outbound.recall(target);
    } catch (error) {
      throw await this.#afterFailure(error);
    }
  }

  async downloadMedia(media: MediaRefV1, options: { readonly signal?: AbortSignal } = {}): Promise<MediaDownloadV1> {
    options.signal?.throwIfAborted();
    return this.#media.download(media, options.signal);
  }

  /**
   * A probe (failover asks standby members this): while reconnecting, it also ends the backoff wait, at most once
   * per `reconnectBaseMs`, so a service that came back is noticed within a probe interval, not minutes later.
   */
  async checkHealth(): Promise<HealthReportV1> {
    const started = performance.now();
    const appId = this.#appId;
    if (appId === undefined || this.#state !== 'connected') {
      const now = this.#context.runtime.now();
      if (this.#reconnecting && now - this.#lastWakeAt >= this.#context.runtime.reconnectBaseMs) {
        this.#lastWakeAt = now;
        // Sleeping between attempts: wake up. In the middle of one: do the next without waiting.
        if (this.#wakeReconnect) this.#wakeReconnect.abort();
        else this.#probeRequested = true;
      }
      return { healthy: false, details: `the session is ${this.#state}` };
    }
    try {
      const online = await this.#context.client.post<boolean>('/login/checkOnline', { appId });
      const latencyMs = Math.round(performance.now() - started);
      return online === true
        ? { healthy: true, latencyMs }
        : { healthy: false, latencyMs, details: 'GeWeChat reports the device offline' };
    } catch (error) {
      const typed = toWechatError(error, this.providerId);
      // The service is gone: say so now rather than at the next heartbeat, and start reconnecting.
      if (WechatProviderUnavailableError.isInstance(typed)) this.#connectionLost(typed);
      return { healthy: false, latencyMs: Math.round(performance.now() - started), error: typed };
    }
  }

  // ── connecting ───────────────────────────────────────────────────────────────────────────────────────────

  /** Connects, retrying with backoff until connected, waiting for a login, or stopped. One loop at a time. */
  async #connect(run: number): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 0; run === this.#run; attempt++) {
        try {
          const outcome = await this.#establish(run);
          if (run !== this.#run) return;
          if (outcome === 'connected') {
            this.#transition('connected');
            this.#startHeartbeat(run);
          } else if (this.#self !== undefined) {
            // The stored device had logged in before: losing it is news for the user.
            await this.#signedOut('WeChat signed this device out.');
          } else {
            this.#transition('awaiting-login');
          }
          return;
        } catch (error) {
          if (run !== this.#run) return;
          const typed = toWechatError(error, this.providerId);
          this.#context.logger.warn({ attempt, error: typed.message }, 'gewechat: connecting failed');
          this.#transition(WechatProviderUnavailableError.isInstance(typed) ? 'transient-disconnect' : 'unknown-error', typed);
        }
        if (this.#probeRequested) {
          // A probe arrived during this attempt, perhaps after the service came back: try again at once.
          this.#probeRequested = false;
          continue;
        }
        const wake = new AbortController();
        this.#wakeReconnect = wake;
        try {
          await this.#context.runtime.sleep(
            backoffDelay(attempt, this.#context.runtime),
            AbortSignal.any([this.#abort.signal, wake.signal]),
          );
        } catch {
          // Stopped: give up. Woken by a health probe: try again at once.
          if (this.#abort.signal.aborted) return;
        } finally {
          this.#wakeReconnect = undefined;
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }

  /** Token, callback registration and the stored device: `connected` when it is online, else a login is needed. */
  async #establish(run: number): Promise<'connected' | 'needs-login'> {
    const { client, config, storage, runtime } = this.#context;
    const signal = this.#abort.signal;
    if (config.api_token !== undefined) {
      client.token = config.api_token;
    } else {
      const token = await client.fetchToken(signal);
      const known = await storage.get(storageKeys.serviceToken);
      if (known !== undefined && known !== token) {
        // A new token means the container was reset: its devices are gone (trap 15).
        this.#context.logger.warn({}, 'gewechat: the service token changed (container reset); a new login is needed');
        await storage.delete(storageKeys.appId);
        await storage.delete(storageKeys.self);
        this.#appId = undefined;
        this.#self = undefined;
      }
      if (known !== token) await storage.set(storageKeys.serviceToken, token);
      client.token = token;
    }
    if (run !== this.#run) return 'needs-login';
    try {
      await client.post('/tools/setCallback', { token: client.token, callbackUrl: this.#callbackUrl() }, signal);
    } catch (error) {
      if (!WechatRequestError.isInstance(error)) throw error;
      // The service could not POST its test message to us (trap 10).
      throw new WechatRequestError({
        operation: '/tools/setCallback',
        message: `GeWeChat cannot reach the bridge at providers.ipad.callback_url (${this.#context.config.callback_url}): ${error.message}. The URL must be reachable from the GeWeChat container (not 127.0.0.1) and lead to providers.ipad.callback_port.`,
        retryable: true,
        providerId: this.providerId,
        cause: error,
      });
    }
    this.#appId = (await storage.get(storageKeys.appId)) ?? undefined;
    this.#self = await readStoredSelf(storage);
    if (this.#appId === undefined || this.#self === undefined) return 'needs-login';
    this.#transition('connecting');
    const appId = this.#appId;
    if ((await client.post<boolean>('/login/checkOnline', { appId }, signal)) === true) return 'connected';
    // "The phone shows online but nothing arrives": /login/reconnection, up to three times (reference B.2, B.6).
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await runtime.sleep(runtime.reconnectionRetryMs, signal);
      if ((await client.post<boolean>('/login/reconnection', { appId }, signal)) === true) return 'connected';
    }
    return 'needs-login';
  }

  #startHeartbeat(run: number): void {
    if (this.#heartbeatRun === run) return;
    this.#heartbeatRun = run;
    void (async () => {
      const { runtime, client } = this.#context;
      while (run === this.#run && this.#heartbeatRun === run) {
        try {
          await runtime.sleep(runtime.heartbeatIntervalMs, this.#abort.signal);
        } catch {
          return;
        }
        if (run !== this.#run || this.#state !== 'connected') continue;
        const appId = this.#appId;
        if (appId === undefined) continue;
        try {
          const online = await client.post<boolean>('/login/checkOnline', { appId }, this.#abort.signal);
          if (run !== this.#run) return;
          if (online === true) this.#emit({ type: 'heartbeat', at: runtime.now() });
          else this.#connectionLost(this.#unavailable('GeWeChat reports the device offline.'));
        } catch (error) {
          if (run !== this.#run) return;
          this.#connectionLost(toWechatError(error, this.providerId));
        }
      }
    })();
  }

  #connectionLost(error: WechatError): void {
    if (!this.#active || this.#stopping) return;
    if (this.#state !== 'connected' && this.#state !== 'connecting') return;
    this.#transition('transient-disconnect', error);
    void this.#connect(this.#run);
  }

  /**
   * A failed send or recall: when the device turned out to be offline, the state says so and the caller gets
   * the error that explains it; otherwise the original error.
   */
  async #afterFailure(error: unknown): Promise<WechatError> {
    const typed = toWechatError(error, this.providerId);
    if (WechatProviderUnavailableError.isInstance(typed)) {
      this.#connectionLost(typed);
      return typed;
    }
    if (!WechatRequestError.isInstance(typed) || this.#appId === undefined) return typed;
    const appId = this.#appId;
    try {
      if ((await this.#context.client.post<boolean>('/login/checkOnline', { appId })) === true) return typed;
      if ((await this.#context.client.post<boolean>('/login/reconnection', { appId })) === true) return typed;
    } catch {
      return typed;
    }
    return this.#signedOut(`WeChat signed this device out (${typed.message}).`);
  }

  /**
   * The service says the device is no longer logged in: only a new QR scan helps. The device id is kept (a
   * new device would be kicked again), the account is forgotten, and the state is `logged-out`; the host's
   * next `start()` leads to `awaiting-login`.
   */
  async #signedOut(reason: string): Promise<WechatAuthenticationError> {
    const error = this.#loginRequired(`${reason} Log in again to continue.`);
    this.#run++;
    this.#abort.abort();
    this.#self = undefined;
    await this.#options.storage.delete(storageKeys.self);
    this.#transition('logged-out', error);
    return error;
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────

  async #callbackSecret(): Promise<string> {
    const stored = await this.#options.storage.get(storageKeys.callbackSecret);
    if (stored) return stored;
    const secret = randomBytes(24).toString('base64url');
    await this.#options.storage.set(storageKeys.callbackSecret, secret);
    return secret;
  }

  #callbackUrl(): string {
    return `${this.#context.config.callback_url.replace(/\/+$/, '')}/${this.#secret ?? ''}`;
  }

  #selfContact(self: StoredSelf): ContactV1 {
    return {
      id: contactId(self.wxid),
      name: self.nickName,
      ...(self.avatarUrl ? { avatar: encodeMediaRef({ source: 'url', url: self.avatarUrl }, { mimeType: 'image/jpeg' }) } : {}),
      kind: 'personal',
    };
  }

  #requireAppId(): string {
    if (this.#appId === undefined) throw this.#loginRequired();
    return this.#appId;
  }

  #requireConnected(): void {
    if (this.#state === 'connected') return;
    if (this.#state === 'awaiting-login' || this.#state === 'logged-out' || this.#state === 'bad-credentials') {
      throw this.#loginRequired();
    }
    throw this.#unavailable(`The GeWeChat session is ${this.#state}.`);
  }

  #loginRequired(message = 'Not logged in to WeChat: run login and scan the QR code.'): WechatAuthenticationError {
    return new WechatAuthenticationError({ code: 'AUTH_REQUIRED', message, providerId: this.providerId });
  }

  #unavailable(message: string): WechatProviderUnavailableError {
    return new WechatProviderUnavailableError({ message, providerId: this.providerId });
  }

  #emit(event: Parameters<ProviderSessionOptionsV1['emit']>[0]): void {
    if (!this.#active) return;
    this.#options.emit(event);
  }

  #transition(state: SessionStateV1, error?: WechatError): void {
    if (!this.#active || state === this.#state) return;
    if (!isAllowedStateTransitionV1(this.#state, state)) {
      this.#context.logger.debug({ from: this.#state, to: state }, 'gewechat: state change not allowed, skipped');
      return;
    }
    const previous = this.#state;
    this.#state = state;
    this.#options.emit({ type: 'state-changed', state, previous, ...(error === undefined ? {} : { error }) });
  }
}
