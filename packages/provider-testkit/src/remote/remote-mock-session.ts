import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import {
  type ContactId,
  type ContactV1,
  type FetchHistoryParamsV1,
  type FetchHistoryResultV1,
  type HealthReportV1,
  isAllowedStateTransitionV1,
  type Logger,
  type LoginProcessV1,
  type LoginStepV1,
  type MediaDownloadV1,
  type MediaRefV1,
  type MessageRefV1,
  type OutgoingMessageV1,
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
  WechatProviderUnavailableError,
  WechatRequestError,
} from '@wechat/provider-api';
import { RemoteEventStream } from './remote-event-stream.ts';
import { fetchText } from './remote-http.ts';
import type { RemoteMockConfig } from './remote-mock-config.ts';
import {
  clientIdHeader,
  decodeWire,
  encodeWire,
  formatEventId,
  lastEventIdHeader,
  parseEventId,
  type RemoteAnswerV1,
  type RemoteEventId,
  type RemoteEventV1,
  type RemoteReadyV1,
  type RemoteSessionMethod,
} from './remote-wire.ts';

/** Where the session keeps the key of its remote session, so a restarted app gets the same account back. */
export const remoteSessionKeyStorageKey = 'remote-mock.session-key';

const restartable: readonly SessionStateV1[] = ['stopped', 'logged-out', 'bad-credentials'];
/** States a lost connection interrupts; the others wait for the user (or for `start()`) anyway. */
const interruptible: readonly SessionStateV1[] = ['starting', 'connecting', 'connected', 'awaiting-login'];

export interface RemoteMockSessionParts {
  readonly providerId: string;
  readonly options: ProviderSessionOptionsV1<RemoteMockConfig>;
}

/**
 * The app-side half of a remote mock session: every method is a call to the server, events come over SSE.
 * The state mirrors the server's `state-changed` events, plus what only this side can see: `starting` at once,
 * `transient-disconnect` while the server cannot be reached, `bad-credentials` when it refuses the token.
 */
export class RemoteMockSession {
  readonly #providerId: string;
  readonly #options: ProviderSessionOptionsV1<RemoteMockConfig>;
  readonly #logger: Logger;
  readonly #baseUrl: URL;
  /** Tells the server this client session from a restarted app's, which takes the remote session over. */
  readonly #clientId = randomUUID();
  #state: SessionStateV1 = 'stopped';
  /** From `start()` until `stop()` ends: events are forwarded only meanwhile. */
  #active = false;
  /** Bumped by every start and stop, so async work of an older run notices and gives up. */
  #run = 0;
  #sessionKey: Promise<string> | undefined;
  #stream: RemoteEventStream | undefined;
  #stopping: Promise<void> | undefined;
  /** The newest event seen, through the stream or a call's answer: older ones are duplicates. */
  #lastEvent: RemoteEventId | undefined;
  /** Calls in flight, aborted when `stop()` ends so no socket outlives it. */
  readonly #requests = new Set<AbortController>();

  constructor({ providerId, options }: RemoteMockSessionParts) {
    this.#providerId = providerId;
    this.#options = options;
    this.#logger = options.logger;
    this.#baseUrl = new URL(options.config.url.endsWith('/') ? options.config.url : `${options.config.url}/`);
    // The host discards the session: nothing may keep running for it.
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
    this.#transition('starting');
    const key = await this.#key();
    if (run !== this.#run) return;
    if (this.#stream === undefined) {
      this.#stream = this.#openStream(key);
      // Unreachable or refused: the state says so, and the stream starts the session once it is back.
      if ((await this.#stream.open(true)) !== 'ready' || run !== this.#run) return;
    }
    await this.#remoteStart(run);
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
    try {
      await this.#call('stop', []);
    } catch (error) {
      // The server is gone or refuses us: there is nothing to stop there, and this side stops anyway.
      this.#logger.debug({ error: toWechatError(error).message }, 'remote mock: the remote stop failed');
    }
    this.#transition('stopped');
    this.#active = false;
    this.#stream?.close();
    this.#stream = undefined;
    for (const request of this.#requests) request.abort();
    this.#requests.clear();
  }

  async logout(): Promise<void> {
    await this.#call('logout', []);
  }

  async login(): Promise<LoginProcessV1> {
    const { id } = (await this.#post(['login'], {}, 'login')) as { readonly id: string };
    return {
      start: async () => (await this.#post(['login', id, 'start'], {}, 'login.start')) as LoginStepV1,
      next: async () => (await this.#post(['login', id, 'next'], {}, 'login.next')) as LoginStepV1,
      cancel: async () => {
        await this.#post(['login', id, 'cancel'], {}, 'login.cancel');
      },
    };
  }

  // ── remote methods ───────────────────────────────────────────────────────────────────────────────────────

  async getSelf(): Promise<ContactV1> {
    return (await this.#call('getSelf', [])) as ContactV1;
  }

  async getContact(contactId: ContactId): Promise<ContactV1> {
    return (await this.#call('getContact', [contactId])) as ContactV1;
  }

  async getRoom(roomId: RoomId): Promise<RoomV1> {
    return (await this.#call('getRoom', [roomId])) as RoomV1;
  }

  async listRoomMembers(roomId: RoomId): Promise<readonly RoomMemberV1[]> {
    return (await this.#call('listRoomMembers', [roomId])) as RoomMemberV1[];
  }

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    return (await this.#call('sendMessage', [message])) as SendMessageResultV1;
  }

  /** The signal aborts the request; it does not travel to the server. */
  async downloadMedia(media: MediaRefV1, options: { readonly signal?: AbortSignal } = {}): Promise<MediaDownloadV1> {
    options.signal?.throwIfAborted();
    return (await this.#call('downloadMedia', [media], options.signal)) as MediaDownloadV1;
  }

  async recallMessage(target: MessageRefV1): Promise<void> {
    await this.#call('recallMessage', [target]);
  }

  async listContacts(): Promise<readonly ContactV1[]> {
    return (await this.#call('listContacts', [])) as ContactV1[];
  }

  async setContactRemark(contactId: ContactId, remark: string): Promise<void> {
    await this.#call('setContactRemark', [contactId, remark]);
  }

  async listRooms(): Promise<readonly RoomV1[]> {
    return (await this.#call('listRooms', [])) as RoomV1[];
  }

  async createRoom(params: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId> {
    return (await this.#call('createRoom', [params])) as RoomId;
  }

  async inviteToRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    await this.#call('inviteToRoom', [roomId, contactIds]);
  }

  async removeFromRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    await this.#call('removeFromRoom', [roomId, contactIds]);
  }

  async renameRoom(roomId: RoomId, name: string): Promise<void> {
    await this.#call('renameRoom', [roomId, name]);
  }

  async setRoomTopic(roomId: RoomId, topic: string): Promise<void> {
    await this.#call('setRoomTopic', [roomId, topic]);
  }

  async leaveRoom(roomId: RoomId): Promise<void> {
    await this.#call('leaveRoom', [roomId]);
  }

  async acceptFriendRequest(requestId: string): Promise<void> {
    await this.#call('acceptFriendRequest', [requestId]);
  }

  async fetchHistory(params: FetchHistoryParamsV1): Promise<FetchHistoryResultV1> {
    return (await this.#call('fetchHistory', [params])) as FetchHistoryResultV1;
  }

  async getRoomCapabilities(roomId: RoomId): Promise<RoomCapabilitiesV1> {
    return (await this.#call('getRoomCapabilities', [roomId])) as RoomCapabilitiesV1;
  }

  /** Reports an unreachable server instead of throwing, as health probes should. */
  async checkHealth(): Promise<HealthReportV1> {
    const started = performance.now();
    try {
      return (await this.#call('checkHealth', [])) as HealthReportV1;
    } catch (error) {
      return {
        healthy: false,
        latencyMs: Math.round(performance.now() - started),
        error: toWechatError(error, this.#providerId),
      };
    }
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────

  /** `config.session_key`, else the stored key, else a new one, stored. */
  #key(): Promise<string> {
    this.#sessionKey ??= (async () => {
      const configured = this.#options.config.session_key;
      if (configured !== undefined) return configured;
      const stored = await this.#options.storage.get(remoteSessionKeyStorageKey);
      if (stored !== undefined && stored !== '') return stored;
      const key = randomUUID();
      await this.#options.storage.set(remoteSessionKeyStorageKey, key);
      return key;
    })().catch((error: unknown) => {
      this.#sessionKey = undefined;
      throw error;
    });
    return this.#sessionKey;
  }

  #headers(extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
    return {
      ...extra,
      authorization: `Bearer ${this.#options.config.token}`,
      [clientIdHeader]: this.#clientId,
      ...(this.#lastEvent === undefined ? {} : { [lastEventIdHeader]: formatEventId(this.#lastEvent) }),
    };
  }

  #openStream(key: string): RemoteEventStream {
    return new RemoteEventStream({
      url: new URL(`sessions/${encodeURIComponent(key)}/events`, this.#baseUrl),
      headers: () => this.#headers({ accept: 'text/event-stream' }),
      onEvent: entry => this.#receive([entry]),
      onReady: (ready, first) => this.#ready(ready, first),
      onDown: error => this.#connectionLost(error.message),
      onRefused: status => this.#refused(status),
    });
  }

  /** The stream is (back) up and the replay is done: take the server's state. */
  #ready({ state }: RemoteReadyV1, first: boolean): void {
    if (!this.#active || this.#stopping) return;
    this.#logger.debug({ state }, 'remote mock: event stream connected');
    if (state !== 'stopped') {
      this.#transition(state);
      return;
    }
    // The server lost the session (it restarted): start it again, as a device reconnecting would.
    if (!first) {
      this.#remoteStart(this.#run).catch((error: unknown) =>
        this.#logger.warn({ error: toWechatError(error).message }, 'remote mock: restarting the remote session failed'),
      );
    }
  }

  async #remoteStart(run: number): Promise<void> {
    if (run !== this.#run || this.#stopping) return;
    try {
      await this.#call('start', []);
    } catch (error) {
      // The stream noticed too, and starts the session when the server is back.
      if (!WechatProviderUnavailableError.isInstance(error)) throw error;
    }
  }

  #connectionLost(reason: string): void {
    if (!this.#active || this.#stopping) return;
    this.#logger.debug({ reason }, 'remote mock: connection lost');
    if (interruptible.includes(this.#state)) {
      this.#transition('transient-disconnect', this.#unavailable(`The remote mock server cannot be reached: ${reason}.`));
    }
    this.#stream?.reconnect();
  }

  /** 401/403: the token is wrong. 409: another client session (a restarted app) took the remote session over. */
  #refused(status: number): void {
    this.#stream?.close();
    this.#stream = undefined;
    if (!this.#active || this.#stopping) return;
    const [state, error] =
      status === 409
        ? ([
            'logged-out',
            new WechatAuthenticationError({
              code: 'AUTH_REQUIRED',
              message: 'Another client session started this remote mock session; this one was signed out.',
              providerId: this.#providerId,
            }),
          ] as const)
        : ([
            'bad-credentials',
            new WechatAuthenticationError({
              code: 'CREDENTIALS_INVALID',
              message: `The remote mock server refused the configured token (HTTP ${status}).`,
              providerId: this.#providerId,
            }),
          ] as const);
    if (isAllowedStateTransitionV1(this.#state, state)) this.#transition(state, error);
  }

  /** Forwards events in id order, each once: the stream and call answers may both bring the same one. */
  #receive(events: readonly RemoteEventV1[]): void {
    for (const { id, event } of events) {
      const parsed = parseEventId(id);
      if (parsed === undefined) continue;
      const last = this.#lastEvent;
      if (last !== undefined && last.epoch === parsed.epoch && parsed.sequence <= last.sequence) continue;
      this.#lastEvent = parsed;
      if (!this.#active) continue;
      if (event.type === 'state-changed') this.#transition(event.state, event.error);
      else this.#options.emit(event);
    }
  }

  /**
   * The only place states change. Changes to the current state are dropped (this side may have reported it
   * first, e.g. `starting`), and so is the server's `starting` when this side cannot go there: after a lost
   * connection the session goes from `transient-disconnect` straight to where the server went next.
   */
  #transition(state: SessionStateV1, error?: WechatError): void {
    if (!this.#active || state === this.#state) return;
    if (state === 'starting' && !isAllowedStateTransitionV1(this.#state, state)) return;
    const previous = this.#state;
    this.#state = state;
    this.#options.emit({ type: 'state-changed', state, previous, ...(error === undefined ? {} : { error }) });
  }

  #call(method: RemoteSessionMethod, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    return this.#post(['call'], { method, args }, method, signal);
  }

  /** One request; resolves with the result, rejects with the typed error the server sent or a transport one. */
  async #post(path: readonly string[], body: unknown, operation: string, signal?: AbortSignal): Promise<unknown> {
    const key = await this.#key();
    const url = new URL(`sessions/${[key, ...path].map(encodeURIComponent).join('/')}`, this.#baseUrl);
    const stopped = new AbortController();
    this.#requests.add(stopped);
    let reply: { status: number; body: string };
    try {
      reply = await fetchText(url, {
        method: 'POST',
        headers: this.#headers({ 'content-type': 'application/json' }),
        body: encodeWire(body),
        signal: signal === undefined ? stopped.signal : AbortSignal.any([signal, stopped.signal]),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (stopped.signal.aborted)
        throw this.#unavailable(`${operation}: the session stopped before the remote mock server answered.`);
      const reason = error instanceof Error ? error.message : String(error);
      this.#connectionLost(reason);
      throw this.#unavailable(`${operation}: the remote mock server cannot be reached (${reason}).`, error);
    } finally {
      this.#requests.delete(stopped);
    }
    if (reply.status === 401 || reply.status === 403) {
      throw new WechatAuthenticationError({
        code: 'CREDENTIALS_INVALID',
        message: `${operation}: the remote mock server refused the configured token (HTTP ${reply.status}).`,
        providerId: this.#providerId,
      });
    }
    let answer: RemoteAnswerV1 | undefined;
    try {
      answer = reply.status === 200 ? (decodeWire(reply.body) as RemoteAnswerV1) : undefined;
    } catch {
      answer = undefined;
    }
    if (answer === undefined) {
      throw new WechatRequestError({
        operation,
        statusCode: reply.status,
        responseBody: reply.body.slice(0, 200),
        message:
          reply.status === 200
            ? `${operation}: the remote mock server answered with something that is not JSON.`
            : `${operation}: the remote mock server answered HTTP ${reply.status}.`,
        providerId: this.#providerId,
      });
    }
    if (answer.events !== undefined) this.#receive(answer.events);
    if (answer.error !== undefined) throw answer.error;
    return answer.result;
  }

  #unavailable(message: string, cause?: unknown): WechatError {
    return new WechatProviderUnavailableError({
      message,
      providerId: this.#providerId,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
