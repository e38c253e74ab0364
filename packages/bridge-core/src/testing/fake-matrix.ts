import type { MatrixCreateRoomOptions, MatrixPort } from '../matrix/matrix-port.ts';
import { MatrixPortError } from '../matrix/matrix-port.ts';

export interface FakeMatrixEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
  readonly type: string;
  readonly content: Record<string, unknown>;
  readonly stateKey?: string;
  readonly timestamp: number;
  redactedBy?: string;
}

interface FakeRoom {
  readonly roomId: string;
  readonly creator: string;
  readonly options: MatrixCreateRoomOptions;
  readonly members: Map<string, 'invite' | 'join' | 'leave'>;
  readonly state: Map<string, Record<string, unknown>>;
}

/**
 * An in-memory homeserver behind `MatrixPort`, for bridge-core's tests (hookshot's IntentMock idea): it
 * enforces what a real homeserver would (unregistered users cannot act, non-members cannot send, transaction ids
 * deduplicate sends) and records everything for assertions.
 */
export interface FakeMatrix extends MatrixPort {
  readonly rooms: ReadonlyMap<string, FakeRoom>;
  /** Every message-like event and redaction, in order. */
  events(roomId?: string): FakeMatrixEvent[];
  /** The latest content of a state event. */
  state(roomId: string, type: string, stateKey?: string): Record<string, unknown> | undefined;
  profile(userId: string): { displayName?: string; avatarUrl?: string; registered: boolean };
  readonly uploads: ReadonlyMap<string, { data: Uint8Array; mimeType: string; fileName?: string }>;
  readonly receipts: readonly { userId: string; roomId: string; eventId: string }[];
  /** The next call of `method` throws this error (once). */
  failNext(method: keyof MatrixPort, error: MatrixPortError): void;
  /** Counts calls per method, for "nothing happened twice" checks. */
  callCount(method: keyof MatrixPort): number;
  /** A real (non-appservice) user of this homeserver, e.g. the person using the bridge. */
  registerHuman(userId: string): void;
  /** Records an event sent by a human, as the homeserver would, and returns it as a transaction would carry it. */
  humanSends(
    userId: string,
    roomId: string,
    type: string,
    content: Record<string, unknown>,
    extra?: { stateKey?: string },
  ): FakeTransactionEvent;
}

/** An event as the homeserver puts it into an appservice transaction. */
export interface FakeTransactionEvent {
  readonly type: string;
  readonly event_id: string;
  readonly room_id: string;
  readonly sender: string;
  readonly content: Record<string, unknown>;
  readonly origin_server_ts: number;
  readonly state_key?: string;
  readonly redacts?: string;
}

export function createFakeMatrix({ serverName = 'example.org', botLocalpart = 'wechatbot' } = {}): FakeMatrix {
  const botUserId = `@${botLocalpart}:${serverName}`;
  const rooms = new Map<string, FakeRoom>();
  const events: FakeMatrixEvent[] = [];
  const profiles = new Map<string, { displayName?: string; avatarUrl?: string; registered: boolean }>([
    [botUserId, { registered: true }],
  ]);
  const uploads = new Map<string, { data: Uint8Array; mimeType: string; fileName?: string }>();
  const receipts: { userId: string; roomId: string; eventId: string }[] = [];
  const sentByTransaction = new Map<string, string>();
  const failures = new Map<string, MatrixPortError>();
  const calls = new Map<string, number>();
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}${++counter}`;

  const enter = (method: keyof MatrixPort) => {
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  };
  const forbidden = (message: string) => new MatrixPortError({ message, errcode: 'M_FORBIDDEN', statusCode: 403 });
  const requireRegistered = (userId: string) => {
    if (!profiles.get(userId)?.registered) throw forbidden(`Application service has not registered this user (${userId})`);
  };
  const requireRoom = (roomId: string) => {
    const room = rooms.get(roomId);
    if (!room) throw new MatrixPortError({ message: `Unknown room ${roomId}`, errcode: 'M_NOT_FOUND', statusCode: 404 });
    return room;
  };
  const requireJoined = (userId: string, roomId: string) => {
    requireRegistered(userId);
    const room = requireRoom(roomId);
    if (room.members.get(userId) !== 'join') throw forbidden(`${userId} is not in room ${roomId}`);
    return room;
  };
  const profileOf = (userId: string) => {
    let profile = profiles.get(userId);
    if (!profile) {
      profile = { registered: false };
      profiles.set(userId, profile);
    }
    return profile;
  };
  const record = (event: Omit<FakeMatrixEvent, 'eventId' | 'timestamp'> & { timestamp?: number }) => {
    const stored: FakeMatrixEvent = { ...event, eventId: nextId('$event'), timestamp: event.timestamp ?? Date.now() };
    events.push(stored);
    return stored.eventId;
  };

  const port: FakeMatrix = {
    botUserId,
    serverName,
    rooms,
    uploads,
    receipts,
    events: roomId => events.filter(event => roomId === undefined || event.roomId === roomId),
    state: (roomId, type, stateKey = '') => rooms.get(roomId)?.state.get(`${type}|${stateKey}`),
    profile: userId => ({ ...profileOf(userId) }),
    failNext: (method, error) => failures.set(method, error),
    callCount: method => calls.get(method) ?? 0,
    registerHuman: userId => {
      profileOf(userId).registered = true;
    },
    humanSends(userId, roomId, type, content, extra = {}) {
      const room = requireRoom(roomId);
      if (type === 'm.room.member' && extra.stateKey !== undefined) {
        room.members.set(extra.stateKey, content.membership as 'invite' | 'join' | 'leave');
      } else if (room.members.get(userId) !== 'join') throw forbidden(`${userId} is not in room ${roomId}`);
      const eventId = record({
        roomId,
        sender: userId,
        type,
        content,
        ...(extra.stateKey === undefined ? {} : { stateKey: extra.stateKey }),
      });
      const stored = events.find(event => event.eventId === eventId) as FakeMatrixEvent;
      return {
        type,
        event_id: eventId,
        room_id: roomId,
        sender: userId,
        content,
        origin_server_ts: stored.timestamp,
        ...(extra.stateKey === undefined ? {} : { state_key: extra.stateKey }),
        ...(type === 'm.room.redaction' && typeof content.redacts === 'string' ? { redacts: content.redacts } : {}),
      };
    },

    async ensureRegistered(userId) {
      enter('ensureRegistered');
      if (!userId.endsWith(`:${serverName}`)) throw forbidden(`${userId} is not on this server`);
      profileOf(userId).registered = true;
    },
    async setDisplayName(userId, displayName) {
      enter('setDisplayName');
      requireRegistered(userId);
      profileOf(userId).displayName = displayName;
    },
    async setAvatarUrl(userId, mxcUri) {
      enter('setAvatarUrl');
      requireRegistered(userId);
      profileOf(userId).avatarUrl = mxcUri;
    },
    async createRoom(asUser, options) {
      enter('createRoom');
      requireRegistered(asUser);
      const powerUsers = (options.powerLevelContentOverride?.users ?? {}) as Record<string, unknown>;
      if (asUser in powerUsers) {
        // As Synapse does for room version 12, where creators have unlimited power (MSC4289).
        throw new MatrixPortError({
          message: `Creator user ${asUser} must not appear in content.users`,
          errcode: 'M_UNKNOWN',
          statusCode: 400,
        });
      }
      const roomId = `!${nextId('room')}:${serverName}`;
      const room: FakeRoom = { roomId, creator: asUser, options, members: new Map([[asUser, 'join']]), state: new Map() };
      rooms.set(roomId, room);
      if (options.name !== undefined) room.state.set('m.room.name|', { name: options.name });
      if (options.topic !== undefined) room.state.set('m.room.topic|', { topic: options.topic });
      for (const state of options.initialState ?? []) room.state.set(`${state.type}|${state.state_key}`, state.content);
      for (const invitee of options.invite ?? []) room.members.set(invitee, 'invite');
      return roomId;
    },
    async invite(asUser, roomId, userId) {
      enter('invite');
      const room = requireJoined(asUser, roomId);
      if (room.members.get(userId) !== 'join') room.members.set(userId, 'invite');
    },
    async join(asUser, roomId) {
      enter('join');
      requireRegistered(asUser);
      const room = requireRoom(roomId);
      if (room.members.get(asUser) === undefined && !room.options.preset?.startsWith('public')) {
        throw forbidden(`${asUser} is not invited to ${roomId}`);
      }
      room.members.set(asUser, 'join');
    },
    async leave(asUser, roomId) {
      enter('leave');
      requireRoom(roomId).members.set(asUser, 'leave');
    },
    async getJoinedMembers(roomId) {
      enter('getJoinedMembers');
      return [...requireRoom(roomId).members].filter(([, membership]) => membership === 'join').map(([userId]) => userId);
    },
    async setState(asUser, roomId, type, stateKey, content) {
      enter('setState');
      const room = requireJoined(asUser, roomId);
      room.state.set(`${type}|${stateKey}`, content);
      return record({ roomId, sender: asUser, type, content, stateKey });
    },
    async sendEvent(asUser, roomId, type, content, options = {}) {
      enter('sendEvent');
      requireJoined(asUser, roomId);
      // Like the client-server API: a repeated transaction id from the same user returns the first event.
      const key = options.transactionId === undefined ? undefined : `${asUser}|${options.transactionId}`;
      const existing = key === undefined ? undefined : sentByTransaction.get(key);
      if (existing) return existing;
      const eventId = record({
        roomId,
        sender: asUser,
        type,
        content,
        ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      });
      if (key !== undefined) sentByTransaction.set(key, eventId);
      return eventId;
    },
    async redact(asUser, roomId, eventId, reason) {
      enter('redact');
      requireJoined(asUser, roomId);
      const target = events.find(event => event.eventId === eventId && event.roomId === roomId);
      if (!target) throw new MatrixPortError({ message: `Unknown event ${eventId}`, errcode: 'M_NOT_FOUND', statusCode: 404 });
      const redaction = record({
        roomId,
        sender: asUser,
        type: 'm.room.redaction',
        content: { redacts: eventId, ...(reason ? { reason } : {}) },
      });
      target.redactedBy = redaction;
      return redaction;
    },
    async sendReadReceipt(asUser, roomId, eventId) {
      enter('sendReadReceipt');
      requireJoined(asUser, roomId);
      receipts.push({ userId: asUser, roomId, eventId });
    },
    async uploadContent(asUser, data, mimeType, fileName) {
      enter('uploadContent');
      requireRegistered(asUser);
      const mxc = `mxc://${serverName}/${nextId('media')}`;
      uploads.set(mxc, { data: new Uint8Array(data), mimeType, ...(fileName === undefined ? {} : { fileName }) });
      return mxc;
    },
    async downloadContent(mxcUri, { maxBytes }) {
      enter('downloadContent');
      const upload = uploads.get(mxcUri);
      if (!upload) throw new MatrixPortError({ message: `Unknown media ${mxcUri}`, errcode: 'M_NOT_FOUND', statusCode: 404 });
      if (upload.data.byteLength > maxBytes) {
        throw new MatrixPortError({ message: `Media is larger than ${maxBytes} bytes`, errcode: 'M_TOO_LARGE', statusCode: 413 });
      }
      return { data: new Uint8Array(upload.data), mimeType: upload.mimeType };
    },
  };
  return port;
}
