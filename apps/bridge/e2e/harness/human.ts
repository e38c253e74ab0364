import {
  ClientEvent,
  createClient,
  EventType,
  type ICreateClientOpts,
  type MatrixClient,
  type MatrixEvent,
  Preset,
  type Room,
  RoomEvent,
  SyncState,
} from 'matrix-js-sdk';

import { logger as sdkGlobalLogger } from 'matrix-js-sdk/lib/logger.js';

/** matrix-js-sdk does not re-export its Logger interface from the package root. */
type Logger = NonNullable<ICreateClientOpts['logger']>;

/** What the SDK's global logger is at run time: a `loglevel` logger. Its typings only show the Logger methods. */
interface LoglevelLogger {
  methodFactory: (method: string, level: number, name: string | symbol) => (...message: unknown[]) => void;
  rebuild(): void;
}

/**
 * Parts of matrix-js-sdk (room models, MatrixRTC) log through a global logger rather than the client's, at debug
 * level, which buried test output in "Got remote echo" lines. Child loggers copy their parent's method factory
 * when created, so replacing the root's also quiets those made later. Done once, when this module loads.
 */
function quietSdkGlobalLogger(): void {
  const global = sdkGlobalLogger as unknown as LoglevelLogger;
  const loud = global.methodFactory;
  global.methodFactory = (method, level, name) => (method === 'error' ? loud(method, level, name) : () => {});
  global.rebuild();
}
quietSdkGlobalLogger();

/**
 * matrix-js-sdk logs every sync and much more at debug and info; test output should only show real trouble.
 * Errors still get through, so a broken request is visible.
 */
const quietLogger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...message: unknown[]) => console.error('[matrix-js-sdk]', ...message),
  getChild: () => quietLogger,
};

const defaultTimeoutMs = 15_000;

/** An event as the homeserver sent it (the fields tests look at). */
export interface EventJson {
  readonly event_id: string;
  readonly type: string;
  readonly sender: string;
  readonly room_id: string;
  readonly origin_server_ts: number;
  readonly content: Readonly<Record<string, unknown>>;
  readonly state_key?: string;
  readonly redacts?: string;
  readonly unsigned?: Readonly<Record<string, unknown>>;
}

export interface OutgoingMatrixMedia {
  readonly msgtype: 'm.image' | 'm.file' | 'm.audio' | 'm.video';
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName: string;
  /** Merged into `info` (besides mimetype and size), e.g. `{ duration }`. */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Merged into the content, e.g. `{ 'org.matrix.msc3245.voice': {} }` for a voice message. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Human {
  readonly userId: string;
  readonly deviceId: string;
  /** The underlying client, for what the helpers do not cover. */
  readonly client: MatrixClient;
  /** The ID of a room this user is invited to (by `from`, if given): one already pending or the next to arrive. */
  waitForRoomInvite(from?: string, timeoutMs?: number): Promise<string>;
  /** Joins and waits until the join has come back through sync, so the room's timeline is available. */
  joinRoom(roomId: string, timeoutMs?: number): Promise<void>;
  /** A direct chat with `userId` (invited, `is_direct`, listed in `m.direct`) as Element creates one; its room ID. */
  createDm(userId: string): Promise<string>;
  /** Sends an `m.text` message; its event ID. */
  sendText(roomId: string, text: string): Promise<string>;
  /** Sends an `m.notice` message; its event ID. */
  sendNotice(roomId: string, text: string): Promise<string>;
  /** Uploads the bytes and sends them as `msgtype` (`m.image`, `m.file`, `m.audio`, …); its event ID. */
  sendMedia(roomId: string, media: OutgoingMatrixMedia): Promise<string>;
  /** Downloads an `mxc://` URI through the authenticated media API. */
  download(mxc: string): Promise<{ data: Uint8Array; contentType: string }>;
  /** Redacts an event; the redaction's event ID. */
  redact(roomId: string, eventId: string, reason?: string): Promise<string>;
  /**
   * The first event in the room's live timeline that matches, whether it arrived before this call or after.
   * Events still being sent by this client (local echoes) do not count until the server has them.
   * `description` names what is awaited in the timeout error; by default the predicate's source is shown.
   */
  waitForEvent(
    roomId: string,
    predicate: (event: EventJson) => boolean,
    timeoutMs?: number,
    description?: string,
  ): Promise<EventJson>;
  /** The content of a state event, fresh from the server; undefined if the room has none of that type and key. */
  roomState(roomId: string, type: string, stateKey?: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** Stops syncing. Safe to call twice. */
  stop(): Promise<void>;
}

/** Logs in with a password (a new device each time, no encryption), starts syncing and waits for the first sync. */
export async function loginHuman(baseUrl: string, user: string, password: string): Promise<Human> {
  const login = await createClient({ baseUrl, logger: quietLogger }).loginRequest({
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user },
    password,
    initial_device_display_name: 'wechat-bridge e2e test',
  });
  const client = createClient({
    baseUrl,
    userId: login.user_id,
    accessToken: login.access_token,
    deviceId: login.device_id,
    logger: quietLogger,
  });
  await client.startClient({ initialSyncLimit: 50 });
  try {
    await waitForFirstSync(client);
  } catch (error) {
    client.stopClient();
    throw error;
  }
  return humanFor(client, login.user_id, login.device_id);
}

async function waitForFirstSync(client: MatrixClient): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(ClientEvent.Sync, onSync);
      reject(new Error(`${client.getUserId()}: no first sync within ${defaultTimeoutMs} ms`));
    }, defaultTimeoutMs);
    const onSync = (state: SyncState, _previous: SyncState | null, data?: { error?: Error }): void => {
      if (state !== SyncState.Prepared && state !== SyncState.Error) return;
      clearTimeout(timer);
      client.off(ClientEvent.Sync, onSync);
      if (state === SyncState.Prepared) resolve();
      else reject(new Error(`${client.getUserId()}: first sync failed: ${data?.error?.message ?? 'unknown error'}`));
    };
    client.on(ClientEvent.Sync, onSync);
  });
}

function humanFor(client: MatrixClient, userId: string, deviceId: string): Human {
  let stopped = false;

  /**
   * Re-checks `find` whenever the client's view of rooms may have changed, until it returns a value. Re-checking
   * everything (rather than looking at the one new event) also covers changes that fire no timeline event, such
   * as a local echo becoming a sent event.
   */
  const waitFor = <T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> => {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = find();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        client.off(ClientEvent.Sync, check);
        client.off(ClientEvent.Room, check);
        client.off(RoomEvent.Timeline, check);
        client.off(RoomEvent.LocalEchoUpdated, check);
        client.off(RoomEvent.MyMembership, check);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${userId}: timed out after ${timeoutMs} ms ${describe()}`));
      }, timeoutMs);
      client.on(ClientEvent.Sync, check);
      client.on(ClientEvent.Room, check);
      client.on(RoomEvent.Timeline, check);
      client.on(RoomEvent.LocalEchoUpdated, check);
      client.on(RoomEvent.MyMembership, check);
    });
  };

  const inviterOf = (room: Room): string | undefined => room.getMember(userId)?.events.member?.getSender();

  const sentEvents = (roomId: string): MatrixEvent[] =>
    (client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter(event => event.status === null);

  return {
    userId,
    deviceId,
    client,

    waitForRoomInvite(from, timeoutMs = defaultTimeoutMs) {
      const invites = (): Room[] => client.getRooms().filter(room => room.getMyMembership() === 'invite');
      return waitFor(
        () => invites().find(room => from === undefined || inviterOf(room) === from)?.roomId,
        timeoutMs,
        () => {
          const seen = invites().map(room => `${room.roomId} from ${inviterOf(room) ?? 'unknown'}`);
          return `waiting for an invite${from ? ` from ${from}` : ''}; pending invites: ${seen.join(', ') || 'none'}`;
        },
      );
    },

    async joinRoom(roomId, timeoutMs = defaultTimeoutMs) {
      await client.joinRoom(roomId);
      await waitFor(
        () => (client.getRoom(roomId)?.getMyMembership() === 'join' ? true : undefined),
        timeoutMs,
        () =>
          `waiting for the join to ${roomId} to come back through sync (membership: ${client.getRoom(roomId)?.getMyMembership() ?? 'room unknown'})`,
      );
    },

    async createDm(otherUserId) {
      const { room_id } = await client.createRoom({ is_direct: true, invite: [otherUserId], preset: Preset.TrustedPrivateChat });
      const direct = (client.getAccountData(EventType.Direct)?.getContent() ?? {}) as Record<string, string[]>;
      await client.setAccountData(EventType.Direct, { ...direct, [otherUserId]: [...(direct[otherUserId] ?? []), room_id] });
      return room_id;
    },

    async sendText(roomId, text) {
      return (await client.sendTextMessage(roomId, text)).event_id;
    },

    async sendNotice(roomId, text) {
      return (await client.sendNotice(roomId, text)).event_id;
    },

    async sendMedia(roomId, media) {
      const { content_uri: url } = await client.uploadContent(new Blob([media.data], { type: media.mimeType }), {
        name: media.fileName,
        type: media.mimeType,
      });
      const content = {
        msgtype: media.msgtype,
        body: media.fileName,
        filename: media.fileName,
        url,
        info: { mimetype: media.mimeType, size: media.data.byteLength, ...media.info },
        ...media.extra,
      };
      // biome-ignore lint/suspicious/noExplicitAny: matrix-js-sdk's content union does not cover every msgtype.
      return (await client.sendMessage(roomId, content as any)).event_id;
    },

    async download(mxc) {
      const match = /^mxc:\/\/([^/]+)\/(.+)$/.exec(mxc);
      if (!match) throw new Error(`not an mxc URI: ${mxc}`);
      const response = await fetch(`${client.getHomeserverUrl()}/_matrix/client/v1/media/download/${match[1]}/${match[2]}`, {
        headers: { authorization: `Bearer ${client.getAccessToken()}` },
      });
      if (!response.ok) throw new Error(`downloading ${mxc} failed: HTTP ${response.status}`);
      return { data: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
    },

    async redact(roomId, eventId, reason) {
      return (await client.redactEvent(roomId, eventId, undefined, reason === undefined ? {} : { reason })).event_id;
    },

    waitForEvent(roomId, predicate, timeoutMs = defaultTimeoutMs, description = predicate.toString()) {
      return waitFor(
        () => sentEvents(roomId).map(toJson).find(predicate),
        timeoutMs,
        () => {
          const room = client.getRoom(roomId);
          if (!room) return `in ${roomId} for ${description}; this client does not know that room`;
          const seen = sentEvents(roomId).slice(-15).map(summarize);
          return `in ${roomId} (membership ${room.getMyMembership()}) for ${description}; last events seen:\n  ${seen.join('\n  ') || '(none)'}`;
        },
      );
    },

    async roomState(roomId, type, stateKey = '') {
      try {
        return await client.getStateEvent(roomId, type, stateKey);
      } catch (error) {
        if ((error as { errcode?: string }).errcode === 'M_NOT_FOUND') return undefined;
        throw error;
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      client.stopClient();
    },
  };
}

function toJson(event: MatrixEvent): EventJson {
  return event.getEffectiveEvent() as EventJson;
}

/** One line per event for timeout messages: type, sender and the gist of the content. */
function summarize(event: MatrixEvent): string {
  const content = event.getContent();
  const gist =
    typeof content.body === 'string'
      ? JSON.stringify(content.body.slice(0, 80))
      : event.getType() === 'm.room.member'
        ? `${event.getStateKey()} ${String(content.membership)}`
        : JSON.stringify(content).slice(0, 80);
  return `${event.getId()} ${event.getType()} from ${event.getSender()}: ${gist}`;
}
