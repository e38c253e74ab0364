import {
  type ChatRefV1,
  type ContactId,
  type ContactV1,
  chatKey,
  contactId,
  type InboundContentV1,
  type InboundMessageV1,
  type MediaRefV1,
  type MentionsV1,
  type MessageId,
  messageId,
  type OutgoingContentV1,
  type OutgoingMediaV1,
  type ProviderEventV1,
  type QuoteV1,
  type RoomCapabilitiesV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  roomId,
  WechatInvalidArgumentError,
  WechatNotFoundError,
} from '@wechat/provider-api';
import type { HarnessFailureV1, RecordedOutboundV1 } from '../harness/conformance-harness.ts';
import { toInboundContent, toRecordedContent } from './mock-content.ts';
import type { MockContactSeed, MockRoomSeed } from './mock-fixtures.ts';

export interface WorldContact {
  readonly id: ContactId;
  name: string;
  alias: string | undefined;
  remark: string | undefined;
  isFriend: boolean;
  /** The profile picture: a new ref whenever it changes, as WeChat's avatar URLs do. */
  avatar: MediaRefV1 | undefined;
}

export interface WorldMember {
  readonly id: ContactId;
  role: 'owner' | 'admin' | 'member';
  readonly inviterId: ContactId | undefined;
  readonly joinedAt: number;
}

export interface WorldRoom {
  readonly id: RoomId;
  name: string;
  topic: string | undefined;
  ownerId: ContactId;
  readonly members: Map<ContactId, WorldMember>;
  capabilities: RoomCapabilitiesV1 | undefined;
}

export interface StoredMedia {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName: string | undefined;
}

/** A session's connection to the world: the world pushes events and connection changes through it. */
export interface WorldLink {
  event(event: ProviderEventV1): void;
  connectionLost(): void;
  connectionRestored(): void;
}

/** One QR login waiting for the phone. */
export interface LoginAttempt {
  scanned(): void;
  confirmed(token: string): void;
  /** The QR code expired: the login shows a new one. */
  readonly expired: () => void;
}

export interface WorldMessageInput {
  readonly senderId: ContactId;
  readonly chat: ChatRefV1;
  readonly content: InboundContentV1;
  readonly mentions?: MentionsV1;
  readonly replyTo?: QuoteV1;
}

export interface OutboundInput {
  readonly to: ChatRefV1;
  readonly content: OutgoingContentV1;
  readonly mentions?: MentionsV1;
  readonly replyTo?: MessageId;
}

export interface WorldStateOptions {
  readonly self: MockContactSeed;
  readonly contacts: readonly MockContactSeed[];
  readonly rooms: readonly MockRoomSeed[];
  readonly apiToken: string;
  readonly startTime: number;
}

const copy = (data: Uint8Array) => new Uint8Array(data);

/**
 * Everything the simulated WeChat knows: contacts, rooms, the message log, stored media, pending logins,
 * pending failures, and the sessions connected to it. Sessions and the public `MockWorld` both work on it;
 * every change that WeChat would report is pushed to the connected sessions.
 */
export class MockWorldState {
  readonly selfId: ContactId;
  readonly apiToken: string;
  readonly contacts = new Map<ContactId, WorldContact>();
  readonly rooms = new Map<RoomId, WorldRoom>();
  readonly messages: { readonly message: InboundMessageV1; recalled: boolean }[] = [];
  readonly sentLog: RecordedOutboundV1[] = [];
  readonly friendRequests = new Map<string, ContactId>();
  readonly #media = new Map<string, StoredMedia>();
  readonly #failures: HarnessFailureV1[] = [];
  readonly #loginTokens = new Set<string>();
  readonly #loginAttempts = new Set<LoginAttempt>();
  readonly #links = new Set<WorldLink>();
  /** Events that happened while the world was offline, delivered when it comes back. */
  readonly #missed: ProviderEventV1[] = [];
  #online = true;
  #disposed = false;
  #time: number;
  #sequence = 0;

  constructor(options: WorldStateOptions) {
    this.selfId = contactId(options.self.id);
    this.apiToken = options.apiToken;
    this.#time = options.startTime;
    for (const seed of [options.self, ...options.contacts]) this.#addContact(seed);
    for (const seed of options.rooms) this.#addRoom(seed);
  }

  get online(): boolean {
    return this.#online;
  }

  /** The world clock: each call is one second after the previous one, so timestamps are deterministic. */
  now(): number {
    this.#time += 1_000;
    return this.#time;
  }

  /** `prefix-1`, `prefix-2`, …: one counter for the whole world, so ids never collide across kinds. */
  nextId(prefix: string): string {
    return `${prefix}-${++this.#sequence}`;
  }

  // ── lookups ──────────────────────────────────────────────────────────────────────────────────────────────

  contact(id: string): WorldContact {
    const contact = this.contacts.get(contactId(id));
    if (!contact) throw new WechatNotFoundError({ entity: 'contact', id });
    return contact;
  }

  room(id: string): WorldRoom {
    const room = this.rooms.get(roomId(id));
    if (!room) throw new WechatNotFoundError({ entity: 'room', id });
    return room;
  }

  contactV1(contact: WorldContact): ContactV1 {
    return {
      id: contact.id,
      name: contact.name,
      kind: 'personal',
      isFriend: contact.isFriend,
      ...(contact.alias === undefined ? {} : { alias: contact.alias }),
      ...(contact.remark === undefined ? {} : { remark: contact.remark }),
      ...(contact.avatar === undefined ? {} : { avatar: contact.avatar }),
    };
  }

  roomV1(room: WorldRoom): RoomV1 {
    return {
      id: room.id,
      name: room.name,
      ownerId: room.ownerId,
      memberCount: room.members.size,
      ...(room.topic === undefined ? {} : { topic: room.topic }),
    };
  }

  membersV1(room: WorldRoom): RoomMemberV1[] {
    return [...room.members.values()].map(member => ({
      ...this.contactV1(this.contact(member.id)),
      role: member.role,
      joinedAt: member.joinedAt,
      ...(member.inviterId === undefined ? {} : { inviterId: member.inviterId }),
    }));
  }

  /** Throws unless `chat` names a known contact, or a room the account is in. */
  requireReachable(chat: ChatRefV1): void {
    if (chat.type === 'direct') {
      this.contact(chat.contactId);
      return;
    }
    const room = this.room(chat.roomId);
    if (!room.members.has(this.selfId)) {
      throw new WechatInvalidArgumentError({ argument: 'to', message: `The account is not a member of room '${room.id}'.` });
    }
  }

  media(ref: string): StoredMedia {
    const stored = this.#media.get(ref);
    if (!stored) throw new WechatNotFoundError({ entity: 'media', id: ref });
    return { ...stored, data: copy(stored.data) };
  }

  storeMedia(media: OutgoingMediaV1): MediaRefV1 {
    const ref = this.nextId('media');
    this.#media.set(ref, { data: copy(media.data), mimeType: media.mimeType, fileName: media.fileName });
    return {
      ref,
      mimeType: media.mimeType,
      size: media.data.byteLength,
      ...(media.fileName === undefined ? {} : { fileName: media.fileName }),
    };
  }

  // ── connections ──────────────────────────────────────────────────────────────────────────────────────────

  attach(link: WorldLink): void {
    this.#requireAlive();
    this.#links.add(link);
  }

  detach(link: WorldLink): void {
    this.#links.delete(link);
  }

  /** Pushes an event to every connected session now, or when the world comes back online. */
  broadcast(event: ProviderEventV1): void {
    if (!this.#online) {
      this.#missed.push(event);
      return;
    }
    for (const link of [...this.#links]) link.event(event);
  }

  setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    for (const link of [...this.#links]) {
      if (online) link.connectionRestored();
      else link.connectionLost();
    }
    if (online) for (const event of this.#missed.splice(0)) this.broadcast(event);
  }

  // ── failures ─────────────────────────────────────────────────────────────────────────────────────────────

  failNext(failure: HarnessFailureV1): void {
    this.#failures.push(failure);
  }

  /** The failure the next remote operation meets: a queued one, or `network` while offline. */
  takeFailure(): HarnessFailureV1 | undefined {
    if (!this.#online) return 'network';
    return this.#failures.shift();
  }

  // ── logins ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Registers a QR login; returns the function that withdraws it. */
  beginLogin(attempt: LoginAttempt): () => void {
    this.#requireAlive();
    this.#loginAttempts.add(attempt);
    return () => {
      this.#loginAttempts.delete(attempt);
    };
  }

  /** Every pending login's QR code expires; each shows a fresh one (WeChat's codes last about two minutes). */
  expireLoginCodes(): void {
    for (const attempt of this.#pendingAttempts('expire the QR code')) attempt.expired();
  }

  scanLogin(): void {
    for (const attempt of this.#pendingAttempts('scan the QR code')) attempt.scanned();
  }

  /** Confirms every pending login on the phone; each gets its own token. */
  confirmLogin(): void {
    for (const attempt of this.#pendingAttempts('confirm the login')) {
      this.#loginAttempts.delete(attempt);
      const token = this.nextId('mock-login');
      this.#loginTokens.add(token);
      attempt.confirmed(token);
    }
  }

  isValidLogin(token: string): boolean {
    return this.#loginTokens.has(token);
  }

  revokeLogin(token: string): void {
    this.#loginTokens.delete(token);
  }

  // ── messages ─────────────────────────────────────────────────────────────────────────────────────────────

  /** A message sent on the remote side (by a contact, or by the account from its phone), pushed to sessions. */
  deliver(input: WorldMessageInput): InboundMessageV1 {
    this.#requireAlive();
    const sender = this.contact(input.senderId);
    if (input.chat.type === 'room') {
      const room = this.room(input.chat.roomId);
      if (!room.members.has(sender.id)) throw new Error(`'${sender.id}' is not a member of room '${room.id}'`);
    } else {
      // A direct chat is named after the other party: the sender, unless the account itself sends from its phone.
      this.contact(input.chat.contactId);
      if (sender.id === this.selfId && input.chat.contactId === this.selfId) {
        throw new Error('The account cannot send a direct message to itself');
      }
      if (sender.id !== this.selfId && input.chat.contactId !== sender.id) {
        throw new Error(`A direct message from '${sender.id}' belongs to the chat with '${sender.id}'`);
      }
    }
    const message = this.#log(input);
    this.broadcast({ type: 'message-received', message });
    return message;
  }

  /**
   * A message the account sent through a session: recorded as the remote side saw it, added to the log, and
   * echoed to every connected session (`isSelf: true`) after the send returns, as WeChat echoes to all devices.
   */
  recordOutbound(input: OutboundInput): InboundMessageV1 {
    const content = toInboundContent(input.content, media => this.storeMedia(media));
    const chat = input.to.type === 'direct' ? { type: 'direct' as const, contactId: input.to.contactId } : input.to;
    const message = this.#log({
      senderId: this.selfId,
      chat,
      content,
      ...(input.mentions === undefined ? {} : { mentions: input.mentions }),
      ...(input.replyTo === undefined ? {} : { replyTo: { messageId: input.replyTo } }),
    });
    this.sentLog.push({
      ...toRecordedContent(input.content),
      chat,
      messageId: message.id,
      ...(input.mentions === undefined ? {} : { mentions: [...input.mentions.contactIds] }),
      ...(input.mentions?.all === true ? { mentionsAll: true } : {}),
      ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    });
    queueMicrotask(() => {
      if (!this.#disposed) this.broadcast({ type: 'message-received', message });
    });
    return message;
  }

  /** Marks a message recalled and tells the sessions. Only the sender may recall. */
  recall(id: string, actorId: ContactId): void {
    const entry = this.messages.find(candidate => candidate.message.id === id);
    if (!entry) throw new WechatNotFoundError({ entity: 'message', id });
    if (entry.message.senderId !== actorId) {
      throw new WechatInvalidArgumentError({ argument: 'target', message: `Only the sender can recall message '${id}'.` });
    }
    entry.recalled = true;
    const { message } = entry;
    this.broadcast({
      type: 'message-recalled',
      target: { id: message.id, chat: message.chat, senderId: message.senderId },
      actorId,
      timestamp: this.now(),
    });
  }

  /** The chat's messages that were not recalled, oldest first. */
  history(chat: ChatRefV1): InboundMessageV1[] {
    const key = chatKey(chat);
    return this.messages.filter(entry => !entry.recalled && chatKey(entry.message.chat) === key).map(entry => entry.message);
  }

  // ── contacts and rooms ───────────────────────────────────────────────────────────────────────────────────

  updateContact(
    id: ContactId,
    change: { name?: string; remark?: string; isFriend?: boolean; avatar?: Pick<OutgoingMediaV1, 'data' | 'mimeType'> },
  ): void {
    const contact = this.contact(id);
    if (change.avatar !== undefined) contact.avatar = this.storeMedia({ ...change.avatar, fileName: 'avatar' });
    if (change.name !== undefined) contact.name = change.name;
    if (change.remark !== undefined) contact.remark = change.remark === '' ? undefined : change.remark;
    if (change.isFriend !== undefined) contact.isFriend = change.isFriend;
    this.broadcast({ type: 'contact-updated', contactId: contact.id });
  }

  addContact(seed: MockContactSeed): WorldContact {
    this.#requireAlive();
    return this.#addContact(seed);
  }

  createRoom(name: string, ownerId: ContactId, memberIds: readonly ContactId[]): WorldRoom {
    const room = this.#addRoom({ id: this.nextId('mock-room'), name, ownerId, memberIds }, ownerId);
    this.broadcast({ type: 'room-member-joined', roomId: room.id, contactIds: [...memberIds], inviterId: ownerId });
    return room;
  }

  join(room: WorldRoom, contactIds: readonly ContactId[], inviterId: ContactId | undefined): void {
    const joined = contactIds.filter(id => !room.members.has(id));
    for (const id of joined) {
      this.contact(id);
      room.members.set(id, { id, role: 'member', inviterId, joinedAt: this.now() });
    }
    if (joined.length > 0) {
      this.broadcast({ type: 'room-member-joined', roomId: room.id, contactIds: joined, ...(inviterId ? { inviterId } : {}) });
    }
  }

  leave(room: WorldRoom, contactIds: readonly ContactId[], removerId: ContactId | undefined): void {
    const left = contactIds.filter(id => room.members.has(id));
    for (const id of left) room.members.delete(id);
    if (left.length > 0) {
      this.broadcast({ type: 'room-member-left', roomId: room.id, contactIds: left, ...(removerId ? { removerId } : {}) });
    }
  }

  updateRoom(room: WorldRoom, change: { name?: string; topic?: string }): void {
    if (change.name !== undefined) room.name = change.name;
    if (change.topic !== undefined) room.topic = change.topic === '' ? undefined : change.topic;
    this.broadcast({ type: 'room-updated', roomId: room.id });
  }

  requestFriendship(from: ContactId, greeting: string | undefined): string {
    const contact = this.contact(from);
    const requestId = this.nextId('friend-request');
    this.friendRequests.set(requestId, contact.id);
    this.broadcast({
      type: 'friend-request-received',
      requestId,
      contactId: contact.id,
      name: contact.name,
      ...(greeting === undefined ? {} : { greeting }),
    });
    return requestId;
  }

  acceptFriendRequest(requestId: string): void {
    const contact = this.friendRequests.get(requestId);
    if (contact === undefined) throw new WechatNotFoundError({ entity: 'friend-request', id: requestId });
    this.friendRequests.delete(requestId);
    this.updateContact(contact, { isFriend: true });
  }

  // ── housekeeping ─────────────────────────────────────────────────────────────────────────────────────────

  /** Forgets what was sent and any pending failure. */
  reset(): void {
    this.sentLog.length = 0;
    this.#failures.length = 0;
  }

  /** Disconnects every session and refuses further use. Sessions stay usable objects but cannot connect. */
  dispose(): void {
    this.#disposed = true;
    this.#online = false;
    for (const link of [...this.#links]) link.connectionLost();
    this.#links.clear();
    this.#loginAttempts.clear();
    this.#missed.length = 0;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  #requireAlive(): void {
    if (this.#disposed) throw new Error('This mock world has been disposed of');
  }

  #pendingAttempts(action: string): LoginAttempt[] {
    const attempts = [...this.#loginAttempts];
    if (attempts.length === 0) {
      throw new Error(`No login is waiting to ${action}: call session.login() and loginProcess.start() first`);
    }
    return attempts;
  }

  #addContact(seed: MockContactSeed): WorldContact {
    const id = contactId(seed.id);
    if (this.contacts.has(id)) throw new Error(`The mock world already has a contact '${seed.id}'`);
    const contact: WorldContact = {
      id,
      name: seed.name,
      alias: seed.alias,
      remark: seed.remark,
      isFriend: seed.isFriend ?? id !== this.selfId,
      avatar: undefined,
    };
    this.contacts.set(id, contact);
    return contact;
  }

  #addRoom(seed: MockRoomSeed, inviterId?: ContactId): WorldRoom {
    const id = roomId(seed.id);
    if (this.rooms.has(id)) throw new Error(`The mock world already has a room '${seed.id}'`);
    const ownerId = this.contact(seed.ownerId).id;
    const room: WorldRoom = { id, name: seed.name, topic: seed.topic, ownerId, members: new Map(), capabilities: undefined };
    room.members.set(ownerId, { id: ownerId, role: 'owner', inviterId: undefined, joinedAt: this.#time });
    for (const memberId of seed.memberIds) {
      const member = this.contact(memberId).id;
      if (member !== ownerId) room.members.set(member, { id: member, role: 'member', inviterId, joinedAt: this.#time });
    }
    this.rooms.set(id, room);
    return room;
  }

  /** Delivers a logged message again, unchanged: GeWeChat re-sends callbacks, sometimes hours later. */
  redeliver(id: string): InboundMessageV1 {
    this.#requireAlive();
    const entry = this.messages.find(candidate => candidate.message.id === id);
    if (!entry) throw new Error(`No message '${id}' to deliver again`);
    this.broadcast({ type: 'message-received', message: entry.message });
    return entry.message;
  }

  #log(input: WorldMessageInput): InboundMessageV1 {
    const message: InboundMessageV1 = {
      id: messageId(this.nextId('msg')),
      chat: input.chat,
      senderId: input.senderId,
      isSelf: input.senderId === this.selfId,
      timestamp: this.now(),
      content: input.content,
      ...(input.mentions === undefined ? {} : { mentions: input.mentions }),
      ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    };
    this.messages.push({ message, recalled: false });
    return message;
  }
}
