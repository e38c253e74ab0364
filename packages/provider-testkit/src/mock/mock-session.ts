import {
  type ContactId,
  type ContactV1,
  chatKey,
  type FetchHistoryParamsV1,
  type FetchHistoryResultV1,
  type HealthReportV1,
  type LoginProcessV1,
  type Logger,
  type MediaDownloadV1,
  type MediaRefV1,
  type OutgoingMessageKindV1,
  type MessageRefV1,
  needsUserActionV1,
  type OutgoingMessageV1,
  type ProviderCapabilitiesV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type ProviderWarningV1,
  type RoomCapabilitiesV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  type SendMessageResultV1,
  type SessionStateV1,
  type SupportLevelV1,
  supportLevelOf,
  toWechatError,
  WechatAuthenticationError,
  type WechatError,
  WechatInvalidArgumentError,
  WechatProviderUnavailableError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { MockLoginProcess } from './mock-login.ts';
import type { MockConfig } from './mock-config.ts';
import { applyFeatureLevel, checkSendLimits, remoteFailureError, weaker } from './mock-rules.ts';
import type { MockWorldState, WorldLink, WorldRoom } from './mock-world-state.ts';

/** Where the session keeps its login, so the next session needs no QR scan. */
export const mockLoginStorageKey = 'mock.login-token';

const restartable: readonly SessionStateV1[] = ['stopped', 'logged-out', 'bad-credentials'];
const defaultHistoryPage = 50;

export interface MockSessionParts {
  readonly world: MockWorldState;
  readonly providerId: string;
  readonly capabilities: ProviderCapabilitiesV1;
  readonly options: ProviderSessionOptionsV1<MockConfig>;
}

/**
 * One account on the mock world. Implements every method; `exposeMockSession` hands out only those the
 * provider's capabilities promise. No timers: everything happens in response to a call or to the world.
 */
export class MockSession {
  readonly #world: MockWorldState;
  readonly #providerId: string;
  readonly #capabilities: ProviderCapabilitiesV1;
  readonly #options: ProviderSessionOptionsV1<MockConfig>;
  readonly #logger: Logger;
  #state: SessionStateV1 = 'stopped';
  /** The world login this session uses while started (absent with credential logins). */
  #token: string | undefined;
  #login: MockLoginProcess | undefined;
  /** Bumped by every start, stop and lost login, so async work of an older run notices and gives up. */
  #run = 0;
  readonly #link: WorldLink = {
    event: event => this.#emit(event),
    connectionLost: () => {
      if (this.#state === 'connected' || this.#state === 'connecting') {
        this.#transition('transient-disconnect', this.#unavailable('The mock world went offline.'));
      }
    },
    connectionRestored: () => {
      if (this.#state === 'transient-disconnect') {
        this.#transition('connecting');
        this.#transition('connected');
      }
    },
  };

  constructor({ world, providerId, capabilities, options }: MockSessionParts) {
    this.#world = world;
    this.#providerId = providerId;
    this.#capabilities = capabilities;
    this.#options = options;
    this.#logger = options.logger.child({ account: world.selfId });
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    if (!restartable.includes(this.#state)) return;
    const run = ++this.#run;
    this.#transition('starting');
    if (this.#options.config.token !== this.#world.apiToken) {
      const error = new WechatAuthenticationError({
        code: 'CREDENTIALS_INVALID',
        message: 'The mock remote side refused the configured API token.',
        providerId: this.#providerId,
      });
      this.#transition('bad-credentials', error);
      return;
    }
    if (this.#capabilities.login === 'credentials') {
      this.#connect(undefined);
      return;
    }
    const stored = await this.#options.storage.get(mockLoginStorageKey);
    if (run !== this.#run) return;
    if (stored !== undefined && this.#world.isValidLogin(stored)) {
      this.#connect(stored);
      return;
    }
    if (stored !== undefined) {
      await this.#options.storage.delete(mockLoginStorageKey);
      if (run !== this.#run) return;
    }
    this.#transition('awaiting-login');
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#run++;
    this.#disconnect();
    this.#transition('stopped');
    this.#logger.debug({}, 'mock session stopped');
  }

  /**
   * Signs the device out and forgets the persisted login. From `stopped` it only forgets (the state graph has no
   * stopped → logged-out); while `awaiting-login` it cancels the pending login (nor is there awaiting-login →
   * logged-out) and keeps waiting for a new one.
   */
  async logout(): Promise<void> {
    const token = this.#token ?? (await this.#options.storage.get(mockLoginStorageKey));
    if (token !== undefined) this.#world.revokeLogin(token);
    await this.#options.storage.delete(mockLoginStorageKey);
    if (this.#state === 'awaiting-login') {
      this.#login?.abandon();
      this.#login = undefined;
      return;
    }
    if (this.#state === 'stopped' || this.#state === 'logged-out') return;
    this.#run++;
    this.#disconnect();
    this.#transition('logged-out');
    this.#logger.info({}, 'mock session logged out');
  }

  async login(): Promise<LoginProcessV1> {
    if (this.#state !== 'awaiting-login') {
      throw new WechatInvalidArgumentError({
        argument: 'state',
        message: `login() needs the state 'awaiting-login'; the session is '${this.#state}'.`,
        providerId: this.#providerId,
      });
    }
    this.#login?.abandon();
    const run = this.#run;
    const loginProcess = new MockLoginProcess({
      world: this.#world,
      providerId: this.#providerId,
      announce: step => this.#emit({ type: 'login-step', step }),
      complete: async token => {
        if (run !== this.#run || this.#state !== 'awaiting-login') throw this.#cancelled();
        await this.#options.storage.set(mockLoginStorageKey, token);
        if (run !== this.#run) throw this.#cancelled();
        this.#login = undefined;
        this.#connect(token);
        return this.#self();
      },
    });
    this.#login = loginProcess;
    return loginProcess;
  }

  // ── account, contacts, rooms ─────────────────────────────────────────────────────────────────────────────

  async getSelf(): Promise<ContactV1> {
    this.#requireConnected();
    return this.#self();
  }

  async getContact(contactId: ContactId): Promise<ContactV1> {
    await this.#request('getContact');
    return this.#world.contactV1(this.#world.contact(contactId));
  }

  async getRoom(roomId: RoomId): Promise<RoomV1> {
    await this.#request('getRoom');
    return this.#world.roomV1(this.#world.room(roomId));
  }

  async listRoomMembers(roomId: RoomId): Promise<readonly RoomMemberV1[]> {
    await this.#request('listRoomMembers');
    return this.#world.membersV1(this.#world.room(roomId));
  }

  /** The account's friends. */
  async listContacts(): Promise<readonly ContactV1[]> {
    await this.#request('listContacts');
    return [...this.#world.contacts.values()].filter(contact => contact.isFriend).map(contact => this.#world.contactV1(contact));
  }

  async setContactRemark(contactId: ContactId, remark: string): Promise<void> {
    await this.#request('setContactRemark');
    this.#world.updateContact(this.#world.contact(contactId).id, { remark });
  }

  /** The rooms the account is in. */
  async listRooms(): Promise<readonly RoomV1[]> {
    await this.#request('listRooms');
    return [...this.#world.rooms.values()]
      .filter(room => room.members.has(this.#world.selfId))
      .map(room => this.#world.roomV1(room));
  }

  async createRoom({ name, contactIds }: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId> {
    await this.#request('createRoom');
    if (contactIds.length === 0) throw this.#invalid('contactIds', 'A room needs at least one other member.');
    for (const id of contactIds) this.#world.contact(id);
    return this.#world.createRoom(name, this.#world.selfId, contactIds).id;
  }

  async inviteToRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    await this.#request('inviteToRoom');
    this.#world.join(this.#memberRoom(roomId), contactIds, this.#world.selfId);
  }

  async removeFromRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    await this.#request('removeFromRoom');
    const room = this.#memberRoom(roomId);
    const role = room.members.get(this.#world.selfId)?.role;
    if (role === 'member') {
      throw new WechatRequestError({
        operation: 'removeFromRoom',
        statusCode: 403,
        message: `Only the owner or an admin of room '${roomId}' can remove members.`,
        providerId: this.#providerId,
      });
    }
    this.#world.leave(room, contactIds, this.#world.selfId);
  }

  async renameRoom(roomId: RoomId, name: string): Promise<void> {
    await this.#request('renameRoom');
    this.#world.updateRoom(this.#memberRoom(roomId), { name });
  }

  async setRoomTopic(roomId: RoomId, topic: string): Promise<void> {
    await this.#request('setRoomTopic');
    this.#world.updateRoom(this.#memberRoom(roomId), { topic });
  }

  async leaveRoom(roomId: RoomId): Promise<void> {
    await this.#request('leaveRoom');
    this.#world.leave(this.#memberRoom(roomId), [this.#world.selfId], undefined);
  }

  async acceptFriendRequest(requestId: string): Promise<void> {
    await this.#request('acceptFriendRequest');
    this.#world.acceptFriendRequest(requestId);
  }

  /** The room's capabilities narrowed by `world.room(id).restrictCapabilities(…)`, if any. */
  async getRoomCapabilities(roomId: RoomId): Promise<RoomCapabilitiesV1> {
    const room = this.#world.room(roomId);
    const restricted = room.capabilities;
    const send: Partial<Record<OutgoingMessageKindV1, SupportLevelV1>> = {};
    for (const [kind, level] of Object.entries(this.#capabilities.send) as [OutgoingMessageKindV1, SupportLevelV1][]) {
      send[kind] = weaker(level, restricted?.send?.[kind]);
    }
    const maxTextLength = restricted?.maxTextLength ?? this.#capabilities.limits?.maxTextLength;
    return {
      send,
      mentions: weaker(this.#capabilities.mentions, restricted?.mentions),
      replies: weaker(this.#capabilities.replies, restricted?.replies),
      recall: weaker(this.#capabilities.recall, restricted?.recall),
      ...(maxTextLength === undefined ? {} : { maxTextLength }),
    };
  }

  async checkHealth(): Promise<HealthReportV1> {
    if (this.#state !== 'connected') return { healthy: false, details: `The session is '${this.#state}'.` };
    try {
      await this.#request('checkHealth');
      return { healthy: true, latencyMs: 0 };
    } catch (error) {
      return { healthy: false, latencyMs: 0, error: toWechatError(error, this.#providerId) };
    }
  }

  // ── messages ─────────────────────────────────────────────────────────────────────────────────────────────

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    this.#requireConnected();
    const { content, to } = message;
    const room = to.type === 'room' ? this.#world.room(to.roomId) : undefined;
    const level = weaker(supportLevelOf(this.#capabilities.send, content.kind), room?.capabilities?.send?.[content.kind]);
    if (level === 'none') {
      throw new WechatUnsupportedCapabilityError({ capability: `send.${content.kind}`, providerId: this.#providerId });
    }
    this.#world.requireReachable(to);
    checkSendLimits(
      content,
      {
        ...this.#capabilities.limits,
        maxTextLength: room?.capabilities?.maxTextLength ?? this.#capabilities.limits?.maxTextLength,
      },
      this.#providerId,
    );
    await this.#request('sendMessage');
    const warnings: ProviderWarningV1[] = [];
    if (level === 'partial') {
      warnings.push({
        type: 'compatibility',
        feature: `send.${content.kind}`,
        details: 'The mock provider is set to partial support.',
      });
    }
    const mentions = applyFeatureLevel(
      'mentions',
      weaker(this.#capabilities.mentions, room?.capabilities?.mentions),
      message.mentions,
      warnings,
    );
    const replyTo = applyFeatureLevel(
      'replies',
      weaker(this.#capabilities.replies, room?.capabilities?.replies),
      message.replyTo,
      warnings,
    );
    const sent = this.#world.recordOutbound({
      to,
      content,
      ...(mentions === undefined ? {} : { mentions }),
      ...(replyTo === undefined ? {} : { replyTo: replyTo.id }),
    });
    this.#logger.debug({ messageId: sent.id, kind: content.kind, chat: chatKey(to) }, 'mock session sent a message');
    return { messageId: sent.id, timestamp: sent.timestamp, warnings };
  }

  async downloadMedia(media: MediaRefV1, options: { readonly signal?: AbortSignal } = {}): Promise<MediaDownloadV1> {
    options.signal?.throwIfAborted();
    await this.#request('downloadMedia');
    const stored = this.#world.media(media.ref);
    return {
      data: stored.data,
      mimeType: stored.mimeType,
      ...(stored.fileName === undefined ? {} : { fileName: stored.fileName }),
    };
  }

  /** Only the account's own messages can be recalled. */
  async recallMessage(target: MessageRefV1): Promise<void> {
    await this.#request('recallMessage');
    this.#world.recall(target.id, this.#world.selfId);
  }

  /** Newest page first; each page is oldest first, `limit` messages (default 50), `nextCursor` for older ones. */
  async fetchHistory({ chat, cursor, since, limit = defaultHistoryPage }: FetchHistoryParamsV1): Promise<FetchHistoryResultV1> {
    await this.#request('fetchHistory');
    this.#world.requireReachable(chat);
    if (!(Number.isInteger(limit) && limit > 0)) throw this.#invalid('limit', 'limit must be a positive integer.');
    const all = this.#world.history(chat).filter(message => since === undefined || message.timestamp > since);
    const end = cursor === undefined ? all.length : Number.parseInt(cursor, 10);
    if (!(Number.isInteger(end) && end >= 0 && end <= all.length)) throw this.#invalid('cursor', `Unknown cursor '${cursor}'.`);
    const start = Math.max(0, end - limit);
    return { messages: all.slice(start, end), ...(start > 0 ? { nextCursor: String(start) } : {}) };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────────

  /** Every change is emitted; a stopped session emits nothing else (its events are dropped, not queued). */
  #transition(state: SessionStateV1, error?: WechatError): void {
    const previous = this.#state;
    this.#state = state;
    this.#options.emit({ type: 'state-changed', state, previous, ...(error === undefined ? {} : { error }) });
  }

  #emit(event: ProviderEventV1): void {
    if (this.#state === 'stopped') return;
    this.#options.emit(event);
  }

  #connect(token: string | undefined): void {
    this.#token = token;
    this.#world.attach(this.#link);
    this.#transition('connecting');
    if (!this.#world.online) {
      this.#transition('transient-disconnect', this.#unavailable('The mock world is offline.'));
      return;
    }
    this.#transition('connected');
    this.#logger.info({}, 'mock session connected');
  }

  #disconnect(): void {
    this.#login?.abandon();
    this.#login = undefined;
    this.#world.detach(this.#link);
    this.#token = undefined;
  }

  #self(): ContactV1 {
    return this.#world.contactV1(this.#world.contact(this.#world.selfId));
  }

  #requireConnected(): void {
    if (this.#state === 'connected') return;
    if (needsUserActionV1(this.#state)) {
      throw new WechatAuthenticationError({
        code: 'AUTH_REQUIRED',
        message: `The session is not logged in (it is '${this.#state}').`,
        providerId: this.#providerId,
      });
    }
    throw this.#unavailable(`The session is not connected (it is '${this.#state}').`);
  }

  /** Every remote operation goes through here, so `world.failNext` and offline worlds affect it. */
  async #request(operation: string): Promise<void> {
    this.#requireConnected();
    const failure = this.#world.takeFailure();
    if (failure === undefined) return;
    const error = remoteFailureError(operation, failure, this.#providerId);
    if (failure === 'auth') await this.#loseLogin(error);
    throw error;
  }

  /** The remote side ended the login (the device was signed out): forget it and wait for the user. */
  async #loseLogin(error: WechatError): Promise<void> {
    if (this.#token !== undefined) this.#world.revokeLogin(this.#token);
    this.#run++;
    this.#disconnect();
    this.#transition(this.#capabilities.login === 'credentials' ? 'bad-credentials' : 'logged-out', error);
    await this.#options.storage.delete(mockLoginStorageKey);
  }

  #unavailable(message: string): WechatError {
    return new WechatProviderUnavailableError({ message, providerId: this.#providerId });
  }

  #cancelled(): WechatError {
    return new WechatAuthenticationError({
      code: 'AUTH_REQUIRED',
      message: 'The login was cancelled.',
      providerId: this.#providerId,
    });
  }

  #invalid(argument: string, message: string): WechatError {
    return new WechatInvalidArgumentError({ argument, message, providerId: this.#providerId });
  }

  #memberRoom(roomId: RoomId): WorldRoom {
    const room = this.#world.room(roomId);
    if (!room.members.has(this.#world.selfId)) throw this.#invalid('roomId', `The account is not a member of room '${roomId}'.`);
    return room;
  }
}
