import { createHash, randomUUID } from 'node:crypto';
import type { MatrixCreateRoomOptions, MatrixPort } from '@wechat/bridge-core';
import type { Logger } from '@wechat/provider-api';
import { Appservice, type IAppserviceRegistration } from 'matrix-bot-sdk';
import type { AppserviceRegistration } from '../registration/registration.ts';
import { downloadMedia } from './download-media.ts';
import { createHomeserverChecks, type HomeserverChecks } from './homeserver-checks.ts';
import { isRecord, toMatrixPortError, unexpectedResponse } from './matrix-errors.ts';

export interface BotSdkMatrixPortOptions {
  /** Client-server API base URL, e.g. `https://matrix.example.org`. */
  readonly homeserverUrl: string;
  /** `example.org`. */
  readonly serverName: string;
  readonly asToken: string;
  readonly hsToken: string;
  readonly botLocalpart: string;
  /** The registration the homeserver loaded; the explicit tokens and bot localpart above take precedence. */
  readonly registration: AppserviceRegistration;
  readonly logger: Logger;
  /** Per call. Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Per media upload or download. Default 5 min. */
  readonly mediaTimeoutMs?: number;
}

export type BotSdkMatrixPort = MatrixPort & HomeserverChecks;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallOptions {
  readonly query?: Record<string, string | number>;
  readonly body?: unknown;
  readonly timeoutMs?: number;
  readonly contentType?: string;
}

/**
 * `MatrixPort` on matrix-bot-sdk. bot-sdk's `Appservice` is used only as a factory for per-user clients (an
 * intent's `underlyingClient` sends the as_token and, for ghosts, `?user_id=`); it never listens — the
 * homeserver-facing API is `createAppserviceServer`. Calls go straight to the client-server API through
 * `doRequest` rather than through bot-sdk's convenience methods, because those add requests (every
 * `Intent.sendEvent` first joins the room, `getUserId` calls whoami) and mint their own transaction ids, which
 * would make a retried send post a second message.
 */
export function createBotSdkMatrixPort(options: BotSdkMatrixPortOptions): BotSdkMatrixPort {
  const homeserverUrl = options.homeserverUrl.replace(/\/+$/, '');
  const logger = options.logger;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const mediaTimeoutMs = options.mediaTimeoutMs ?? 5 * 60_000;
  const botUserId = `@${options.botLocalpart}:${options.serverName}`;

  const appservice = new Appservice({
    // Required by the type, never used: begin() is never called, so nothing listens.
    port: 0,
    bindAddress: '127.0.0.1',
    homeserverName: options.serverName,
    homeserverUrl,
    registration: toBotSdkRegistration(options),
  });
  const checks = createHomeserverChecks({ homeserverUrl, asToken: options.asToken, timeoutMs: requestTimeoutMs });

  async function call(
    asUser: string,
    action: string,
    method: Method,
    path: string,
    callOptions: CallOptions = {},
  ): Promise<unknown> {
    // The intent cache is an LRU inside bot-sdk: asking again is cheap, and nothing here holds clients.
    const client = appservice.getIntentForUserId(asUser).underlyingClient;
    try {
      return (await client.doRequest(
        method,
        path,
        // A fresh object every time: doRequest adds user_id to whatever it is given.
        callOptions.query === undefined ? null : { ...callOptions.query },
        callOptions.body ?? null,
        callOptions.timeoutMs ?? requestTimeoutMs,
        false,
        callOptions.contentType ?? 'application/json',
      )) as unknown;
    } catch (error) {
      const failure = toMatrixPortError(error, `${action} as ${asUser}`);
      logger.debug({ asUser, method, path, errcode: failure.errcode, statusCode: failure.statusCode }, 'homeserver call failed');
      throw failure;
    }
  }

  async function callForEventId(
    asUser: string,
    action: string,
    method: Method,
    path: string,
    callOptions: CallOptions,
  ): Promise<string> {
    const response = await call(asUser, action, method, path, callOptions);
    if (!isRecord(response) || typeof response.event_id !== 'string') throw unexpectedResponse(action, 'event_id');
    return response.event_id;
  }

  const room = (roomId: string) => `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;

  return {
    botUserId,
    serverName: options.serverName,
    getVersions: checks.getVersions,
    whoami: checks.whoami,
    pingAppservice: checks.pingAppservice,

    async ensureRegistered(userId) {
      try {
        // bot-sdk treats M_USER_IN_USE as success and remembers registered users for this process.
        await appservice.getIntentForUserId(userId).ensureRegistered();
      } catch (error) {
        throw toMatrixPortError(error, `register ${userId}`);
      }
    },

    async setDisplayName(userId, displayName) {
      await call(userId, 'set display name', 'PUT', `/_matrix/client/v3/profile/${encodeURIComponent(userId)}/displayname`, {
        body: { displayname: displayName },
      });
    },

    async setAvatarUrl(userId, mxcUri) {
      await call(userId, 'set avatar', 'PUT', `/_matrix/client/v3/profile/${encodeURIComponent(userId)}/avatar_url`, {
        body: { avatar_url: mxcUri },
      });
    },

    async createRoom(asUser, roomOptions) {
      const response = await call(asUser, 'create room', 'POST', '/_matrix/client/v3/createRoom', {
        body: createRoomBody(roomOptions),
      });
      if (!isRecord(response) || typeof response.room_id !== 'string') throw unexpectedResponse('create room', 'room_id');
      return response.room_id;
    },

    async invite(asUser, roomId, userId) {
      await call(asUser, `invite ${userId} to ${roomId}`, 'POST', `${room(roomId)}/invite`, { body: { user_id: userId } });
    },

    async join(asUser, roomId) {
      await call(asUser, `join ${roomId}`, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
    },

    async leave(asUser, roomId) {
      await call(asUser, `leave ${roomId}`, 'POST', `${room(roomId)}/leave`, { body: {} });
    },

    async getJoinedMembers(roomId) {
      // As the bot: the port's signature has no acting user. The bot must therefore be in the room.
      const action = `get joined members of ${roomId}`;
      const response = await call(botUserId, action, 'GET', `${room(roomId)}/joined_members`);
      if (!isRecord(response) || !isRecord(response.joined)) throw unexpectedResponse(action, 'joined');
      return Object.keys(response.joined);
    },

    setState(asUser, roomId, type, stateKey, content) {
      const path = `${room(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(stateKey)}`;
      return callForEventId(asUser, `set ${type} state in ${roomId}`, 'PUT', path, { body: content });
    },

    sendEvent(asUser, roomId, type, content, sendOptions) {
      const txnId = scopedTransactionId(asUser, sendOptions?.transactionId ?? randomUUID());
      const path = `${room(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
      return callForEventId(asUser, `send ${type} to ${roomId}`, 'PUT', path, {
        body: content,
        // Appservice timestamp massaging: the event carries the WeChat message's time, not the bridging time.
        ...(sendOptions?.timestamp === undefined ? {} : { query: { ts: Math.trunc(sendOptions.timestamp) } }),
      });
    },

    redact(asUser, roomId, eventId, reason) {
      const txnId = scopedTransactionId(asUser, randomUUID());
      const path = `${room(roomId)}/redact/${encodeURIComponent(eventId)}/${encodeURIComponent(txnId)}`;
      return callForEventId(asUser, `redact ${eventId} in ${roomId}`, 'PUT', path, {
        body: reason === undefined ? {} : { reason },
      });
    },

    async sendReadReceipt(asUser, roomId, eventId) {
      await call(asUser, `read receipt in ${roomId}`, 'POST', `${room(roomId)}/receipt/m.read/${encodeURIComponent(eventId)}`, {
        body: {},
      });
    },

    async uploadContent(asUser, data, mimeType, fileName) {
      const action = 'upload media';
      const response = await call(asUser, action, 'POST', '/_matrix/media/v3/upload', {
        ...(fileName === undefined ? {} : { query: { filename: fileName } }),
        // bot-sdk sends a Buffer as raw bytes with the given content type (any other body becomes JSON).
        body: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        contentType: mimeType,
        timeoutMs: mediaTimeoutMs,
      });
      if (!isRecord(response) || typeof response.content_uri !== 'string') throw unexpectedResponse(action, 'content_uri');
      return response.content_uri;
    },

    async downloadContent(mxcUri, { maxBytes }) {
      try {
        return await downloadMedia({ homeserverUrl, accessToken: options.asToken, mxcUri, maxBytes, timeoutMs: mediaTimeoutMs });
      } catch (error) {
        const failure = toMatrixPortError(error, `download ${mxcUri}`);
        logger.debug({ mxcUri, errcode: failure.errcode, statusCode: failure.statusCode }, 'media download failed');
        throw failure;
      }
    },
  };
}

/**
 * Synapse keys its transaction-id cache by request path and appservice — not by the `user_id` we act as
 * (`HttpTransactionCache._get_transaction_key`). Two ghosts sending with the same id to the same room would
 * get the first one's event back and the second message would silently vanish. Suffixing a digest of the
 * sender keeps every caller's id idempotent for that caller only.
 */
export function scopedTransactionId(asUser: string, transactionId: string): string {
  const sender = createHash('sha256').update(asUser, 'utf8').digest('base64url').slice(0, 12);
  return `${transactionId}.${sender}`;
}

/** The client-server `createRoom` body. */
export function createRoomBody(options: MatrixCreateRoomOptions): Record<string, unknown> {
  return {
    preset: options.preset ?? 'private_chat',
    visibility: 'private',
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    ...(options.invite === undefined ? {} : { invite: [...options.invite] }),
    ...(options.isDirect === undefined ? {} : { is_direct: options.isDirect }),
    ...(options.initialState === undefined ? {} : { initial_state: options.initialState.map(state => ({ ...state })) }),
    ...(options.powerLevelContentOverride === undefined
      ? {}
      : { power_level_content_override: options.powerLevelContentOverride }),
    ...(options.roomType === undefined ? {} : { creation_content: { type: options.roomType } }),
  };
}

function toBotSdkRegistration(options: BotSdkMatrixPortOptions): IAppserviceRegistration {
  const { registration } = options;
  // A deep-enough copy: bot-sdk writes into the registration object (it adds `protocols`).
  return {
    id: registration.id,
    url: registration.url,
    as_token: options.asToken,
    hs_token: options.hsToken,
    sender_localpart: options.botLocalpart,
    namespaces: {
      users: registration.namespaces.users.map(namespace => ({ ...namespace })),
      rooms: [],
      aliases: [],
    },
    rate_limited: registration.rate_limited,
    'de.sorunome.msc2409.push_ephemeral': registration['de.sorunome.msc2409.push_ephemeral'],
  };
}
