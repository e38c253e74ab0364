import {
  type CompleteSessionV1,
  type ContactId,
  type ContactV1,
  contactId,
  type FetchHistoryResultV1,
  type HealthReportV1,
  type Logger,
  type LoginProcessV1,
  type MediaDownloadV1,
  type MediaRefV1,
  type MessageRefV1,
  type OutgoingMessageV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type RoomCapabilitiesV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  type SendMessageResultV1,
  type SessionStateV1,
  toWechatError,
  WechatAuthenticationError,
  type WechatError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { createWecomApi, type WecomApi } from '../api/wecom-api.ts';
import { createWecomApiClient, type WecomApiClient, type WecomDownload } from '../api/wecom-api-client.ts';
import type { WecomAgent } from '../api/wecom-api-schemas.ts';
import { createBoundedSet } from '../callback/bounded-set.ts';
import { type CallbackAddress, type CallbackServer, createCallbackServer } from '../callback/callback-server.ts';
import type { CallbackFields } from '../callback/callback-xml.ts';
import { interpretCallback } from '../inbound/interpret-callback.ts';
import { decodeMediaRef, encodeMediaRef } from '../inbound/media-ref.ts';
import { wecomRoomCapabilities } from '../wecom-capabilities.ts';
import type { WecomConfig } from '../wecom-config.ts';
import { createDirectory, type Directory } from './directory.ts';
import { appchatMessagePrefix, recallableMsgids, sendOutgoing } from './outbound.ts';

/** What the provider injects: the network, the clock, the timers, and a hook for tests. */
export interface WecomSessionDependencies {
  readonly providerId: string;
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /** Waits before each reconnection attempt while WeCom cannot be reached; the last one repeats. */
  readonly reconnectDelaysMs: readonly number[];
  readonly busyRetryDelaysMs?: readonly number[];
  /** Told where the callback server listens, once it does (with port 0, the only way to learn the port). */
  readonly onCallbackListening?: (address: CallbackAddress) => void;
}

const restartable: readonly SessionStateV1[] = ['stopped', 'logged-out', 'bad-credentials'];

/** The app is the account; its id cannot collide with a member's (UserIDs never contain ':'). */
export function selfContactId(agentId: number): ContactId {
  return contactId(`agent:${agentId}`);
}

function selfContact(agent: WecomAgent): ContactV1 {
  return {
    id: selfContactId(agent.agentid),
    name: agent.name,
    kind: 'enterprise',
    ...(agent.square_logo_url ? { avatar: { ref: encodeMediaRef({ url: agent.square_logo_url }) } } : {}),
  };
}

/**
 * One WeCom self-built app. `start()` validates the credentials (a token, then `agent/get`), opens the callback
 * server when `callback` is configured, and connects; `logout()` forgets the token. Every async piece of work
 * belongs to a run: `stop()`, `logout()` and a refused credential end the run, and what it still had in flight
 * (a callback being handled, an echo, a reconnection) ends without emitting.
 */
export class WecomSession implements CompleteSessionV1 {
  readonly #options: ProviderSessionOptionsV1<WecomConfig>;
  readonly #dependencies: WecomSessionDependencies;
  readonly #config: WecomConfig;
  readonly #logger: Logger;
  readonly #providerId: string;
  readonly #client: WecomApiClient;
  readonly #api: WecomApi;
  readonly #directory: Directory;
  /** Outlives the callback server, so a restart still recognises WeCom's retries. */
  readonly #seen = createBoundedSet(4096);
  readonly #pendingEchoes = new Set<NodeJS.Immediate>();
  #state: SessionStateV1 = 'stopped';
  #run = 0;
  #self: ContactV1 | undefined;
  #server: CallbackServer | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectAttempt = 0;
  #stopping: Promise<void> | undefined;

  constructor(options: ProviderSessionOptionsV1<WecomConfig>, dependencies: WecomSessionDependencies) {
    this.#options = options;
    this.#dependencies = dependencies;
    this.#config = options.config;
    this.#logger = options.logger;
    this.#providerId = dependencies.providerId;
    this.#client = createWecomApiClient({
      baseUrl: options.config.api_base_url,
      corpId: options.config.corp_id,
      secret: options.config.app_secret,
      fetch: dependencies.fetch,
      now: dependencies.now,
      sleep: dependencies.sleep,
      logger: options.logger,
      providerId: dependencies.providerId,
      ...(dependencies.busyRetryDelaysMs ? { busyRetryDelaysMs: dependencies.busyRetryDelaysMs } : {}),
    });
    this.#api = createWecomApi(this.#client, dependencies.providerId);
    this.#directory = createDirectory({
      api: this.#api,
      providerId: dependencies.providerId,
      logger: options.logger,
      self: () => this.#self,
    });
    // The host discards the session: nothing may keep running for it.
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    await this.#stopping;
    if (!restartable.includes(this.#state)) return;
    const run = ++this.#run;
    this.#transition('starting');
    try {
      await this.#listen(run);
    } catch (error) {
      // A port in use is a configuration problem: start() rejects and the session is stopped again.
      if (run === this.#run) this.#transition('stopped');
      throw toWechatError(error, this.#providerId);
    }
    if (run === this.#run) await this.#connect(run);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#endRun();
    await this.#closeServer();
    this.#transition('stopped');
  }

  async logout(): Promise<void> {
    await this.#stopping;
    if (this.#state === 'logged-out') return;
    this.#endRun();
    await this.#closeServer();
    this.#client.forgetToken();
    this.#self = undefined;
    this.#transition('logged-out');
  }

  async #listen(run: number): Promise<void> {
    const callback = this.#config.callback;
    if (!callback) {
      this.#logger.info({}, 'wecom: no callback configured; this session sends only');
      return;
    }
    const server = createCallbackServer({
      host: callback.host,
      port: callback.port,
      token: callback.token,
      encodingAesKey: callback.aes_key,
      corpId: this.#config.corp_id,
      now: this.#dependencies.now,
      logger: this.#logger,
      seen: this.#seen,
      onMessage: fields => this.#receive(run, fields),
    });
    const address = await server.listen();
    if (run !== this.#run) return server.close();
    this.#server = server;
    this.#dependencies.onCallbackListening?.(address);
  }

  async #closeServer(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close();
  }

  /** Validates the credentials: a token, then the agent the config names. */
  async #connect(run: number): Promise<void> {
    try {
      const agent = await this.#api.getAgent(this.#config.agent_id);
      if (run !== this.#run) return;
      this.#self = selfContact(agent);
      this.#reconnectAttempt = 0;
      this.#transition('connected');
      this.#logger.info({ agentId: agent.agentid, agentName: agent.name }, 'wecom session connected');
    } catch (error) {
      if (run !== this.#run) return;
      const typed = toWechatError(error, this.#providerId);
      if (WechatAuthenticationError.isInstance(typed) || !typed.retryable) return this.#refuseCredentials(typed);
      this.#logger.warn({ error: typed.message, code: typed.code }, 'wecom: cannot reach the API; retrying');
      this.#transition('transient-disconnect', typed);
      const delays = this.#dependencies.reconnectDelaysMs;
      const delay = delays[Math.min(this.#reconnectAttempt++, delays.length - 1)] ?? 1_000;
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = undefined;
        void this.#connect(run);
      }, delay);
    }
  }

  /** WeCom refused the corp id, secret, IP or agent: nothing works until the user fixes the config. */
  async #refuseCredentials(error: WechatError): Promise<void> {
    const refusal = WechatAuthenticationError.isInstance(error)
      ? error
      : new WechatAuthenticationError({
          code: 'CREDENTIALS_INVALID',
          message: `WeCom refused the configured app: ${error.message}`,
          providerId: this.#providerId,
          cause: error,
        });
    this.#logger.error({ error: refusal.message }, 'wecom: the credentials were refused');
    this.#endRun();
    this.#self = undefined;
    await this.#closeServer();
    this.#transition('bad-credentials', refusal);
  }

  #endRun(): void {
    this.#run++;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    for (const echo of this.#pendingEchoes) clearImmediate(echo);
    this.#pendingEchoes.clear();
    this.#client.abortAll();
  }

  #transition(state: SessionStateV1, error?: WechatError): void {
    if (state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    this.#options.emit({ type: 'state-changed', state, previous, ...(error ? { error } : {}) });
  }

  #emitFor(run: number, event: ProviderEventV1): void {
    if (run === this.#run && this.#state !== 'stopped') this.#options.emit(event);
  }

  /** The run a call belongs to, when the session may call WeCom now. */
  #requireConnected(): number {
    switch (this.#state) {
      case 'connected':
        return this.#run;
      case 'bad-credentials':
        throw new WechatAuthenticationError({
          code: 'CREDENTIALS_INVALID',
          message: 'WeCom refused the configured credentials; fix providers.wecom and restart the session',
          providerId: this.#providerId,
        });
      case 'logged-out':
        throw new WechatAuthenticationError({
          code: 'AUTH_REQUIRED',
          message: 'The WeCom session is logged out; start it again',
          providerId: this.#providerId,
        });
      default:
        throw new WechatProviderUnavailableError({
          message: `The WeCom session is '${this.#state}', not connected`,
          providerId: this.#providerId,
        });
    }
  }

  /** Runs a WeCom call; a refused credential on the way ends in `bad-credentials`. */
  async #call<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#requireConnected();
    try {
      return await work();
    } catch (error) {
      const typed = toWechatError(error, this.#providerId);
      if (WechatAuthenticationError.isInstance(typed) && run === this.#run) await this.#refuseCredentials(typed);
      throw typed;
    }
  }

  // ── receiving ───────────────────────────────────────────────────────────────────────────────────────────

  #receive(run: number, fields: CallbackFields): void {
    if (run !== this.#run) return;
    const { events, note } = interpretCallback(fields, { agentId: this.#config.agent_id, now: this.#dependencies.now });
    if (note) this.#logger[note.level]({ msgType: fields.MsgType, event: fields.Event }, `wecom: ${note.message}`);
    for (const event of events) this.#emitFor(run, event);
  }

  // ── the account, contacts and rooms ─────────────────────────────────────────────────────────────────────

  async getSelf(): Promise<ContactV1> {
    if (this.#self) return this.#self;
    throw new WechatAuthenticationError({
      code: 'AUTH_REQUIRED',
      message: `The WeCom session is '${this.#state}': the app has not been validated`,
      providerId: this.#providerId,
    });
  }

  getContact(id: ContactId): Promise<ContactV1> {
    return this.#call(() => this.#directory.getContact(id));
  }

  listContacts(): Promise<readonly ContactV1[]> {
    return this.#call(() => this.#directory.listContacts());
  }

  getRoom(id: RoomId): Promise<RoomV1> {
    return this.#call(() => this.#directory.getRoom(id));
  }

  listRoomMembers(id: RoomId): Promise<readonly RoomMemberV1[]> {
    return this.#call(() => this.#directory.listRoomMembers(id));
  }

  createRoom(params: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId> {
    return this.#call(() => this.#directory.createRoom(params));
  }

  inviteToRoom(id: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    return this.#call(() => this.#directory.inviteToRoom(id, contactIds));
  }

  removeFromRoom(id: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    return this.#call(() => this.#directory.removeFromRoom(id, contactIds));
  }

  renameRoom(id: RoomId, name: string): Promise<void> {
    return this.#call(() => this.#directory.renameRoom(id, name));
  }

  async getRoomCapabilities(_roomId: RoomId): Promise<RoomCapabilitiesV1> {
    return wecomRoomCapabilities;
  }

  // ── messages and media ──────────────────────────────────────────────────────────────────────────────────

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    const run = this.#requireConnected();
    const { result, echo } = await this.#call(() =>
      sendOutgoing(message, {
        api: this.#api,
        agentId: this.#config.agent_id,
        providerId: this.#providerId,
        now: this.#dependencies.now,
        nameOf: id => this.#directory.nameOf(id),
      }),
    );
    const self = this.#self;
    if (self) {
      // WeCom reports nothing back for the app's own sends: the echo is ours. It follows the result, so the host
      // knows the id before the echo arrives.
      const immediate = setImmediate(() => {
        this.#pendingEchoes.delete(immediate);
        this.#emitFor(run, {
          type: 'message-received',
          message: {
            id: result.messageId,
            chat: message.to,
            senderId: self.id,
            isSelf: true,
            timestamp: result.timestamp ?? this.#dependencies.now(),
            content: echo,
          },
        });
      });
      this.#pendingEchoes.add(immediate);
    }
    return result;
  }

  recallMessage(target: MessageRefV1): Promise<void> {
    const msgids = recallableMsgids(target.id);
    if (msgids.length === 0) {
      return Promise.reject(
        new WechatUnsupportedCapabilityError({
          capability: 'recall',
          providerId: this.#providerId,
          message: target.id.startsWith(appchatMessagePrefix)
            ? 'WeCom cannot recall messages sent to an app group chat (message/recall covers message/send only)'
            : undefined,
        }),
      );
    }
    return this.#call(async () => {
      for (const msgid of msgids) await this.#api.recallMessage(msgid);
    });
  }

  downloadMedia(media: MediaRefV1, options: { readonly signal?: AbortSignal } = {}): Promise<MediaDownloadV1> {
    const pointer = decodeMediaRef(media.ref);
    if (!pointer)
      return Promise.reject(new WechatNotFoundError({ entity: 'media', id: media.ref, providerId: this.#providerId }));
    return this.#call(async () => {
      let download: WecomDownload | undefined;
      if (pointer.mediaId) {
        try {
          download = await this.#api.downloadMedia(pointer.mediaId, options.signal);
        } catch (error) {
          // A media_id lasts 3 days; an image's PicUrl outlives it.
          if (!(WechatNotFoundError.isInstance(error) && pointer.url)) throw error;
        }
      }
      download ??= await this.#client.fetchUrl(pointer.url ?? '', 'media download', options.signal);
      const mimeType = download.contentType?.split(';')[0]?.trim() || media.mimeType || 'application/octet-stream';
      const fileName = download.fileName ?? media.fileName;
      return { data: download.data, mimeType, ...(fileName ? { fileName } : {}) };
    });
  }

  async checkHealth(): Promise<HealthReportV1> {
    const started = this.#dependencies.now();
    try {
      await this.#call(() => this.#api.getAgent(this.#config.agent_id));
      return { healthy: true, latencyMs: this.#dependencies.now() - started };
    } catch (error) {
      return { healthy: false, error: toWechatError(error, this.#providerId) };
    }
  }

  // ── what WeCom cannot do (not exposed: the capabilities say 'none') ────────────────────────────────────

  #unsupported(capability: string): Promise<never> {
    return Promise.reject(new WechatUnsupportedCapabilityError({ capability, providerId: this.#providerId }));
  }

  login(): Promise<LoginProcessV1> {
    return this.#unsupported('login');
  }

  setContactRemark(): Promise<void> {
    return this.#unsupported('contacts.setRemark');
  }

  listRooms(): Promise<readonly RoomV1[]> {
    return this.#unsupported('rooms.list');
  }

  setRoomTopic(): Promise<void> {
    return this.#unsupported('rooms.setTopic');
  }

  leaveRoom(): Promise<void> {
    return this.#unsupported('rooms.leave');
  }

  acceptFriendRequest(): Promise<void> {
    return this.#unsupported('friendRequests');
  }

  fetchHistory(): Promise<FetchHistoryResultV1> {
    return this.#unsupported('history');
  }
}
