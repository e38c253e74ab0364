import {
  chatKey,
  type MessageRefV1,
  supportLevelOf,
  WechatError,
  WechatMediaTooLargeError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import type { Commands } from '../commands/commands.ts';
import { convertOutboundMessage } from '../convert/matrix-to-wechat.ts';
import { MatrixPortError } from '../matrix/matrix-port.ts';
import type { MatrixEventJson, OutboxEntry, PortalRecord } from '../store/bridge-store.ts';
import type { BridgeContext } from './bridge-context.ts';
import { kindOfMatrixEvent, servingProviderId } from './bridge-observer.ts';
import { describeError, isRetryable } from './errors.ts';
import type { LoginSessions } from './login-sessions.ts';
import type { ManagementRooms } from './management-rooms.ts';
import type { OutboundInFlight } from './outbound-in-flight.ts';
import { backoffMs } from './serial-worker.ts';

/** Matrix → WeChat: every event of a transaction is stored first, then handled here, in order, with retries. */
export interface OutboxProcessor {
  drain(): Promise<number | undefined>;
}

/** A permanent failure whose message is meant for the user as it is. */
class UserFacingError extends Error {}

/**
 * WeChat is reconnecting: the message waits for it (re-checked every `retryBaseMs`, and at once when the session
 * connects) without using up its attempts. `max_message_age` bounds the wait.
 */
class WaitingForConnection extends Error {
  constructor(state: string) {
    super(`WeChat is not connected (${state}); the message is sent when it reconnects`);
  }
}

export function createOutboxProcessor(
  context: BridgeContext,
  dependencies: { sessions: LoginSessions; commands: Commands; managementRooms: ManagementRooms; inFlight: OutboundInFlight },
): OutboxProcessor {
  const { store, matrix, logger, clock, ghostIds, permissions, config } = context;
  const { sessions, commands, managementRooms, inFlight } = dependencies;

  const isOurs = (userId: string) => userId === matrix.botUserId || ghostIds.isGhost(userId);

  const handleBotInvite = async (event: MatrixEventJson) => {
    const inviter = event.sender;
    await matrix.join(matrix.botUserId, event.room_id);
    if (!permissions.allows(inviter, 'relay')) {
      await managementRooms.noticeInRoom(
        event.room_id,
        'Sorry, you are not allowed to use this WeChat bridge. Ask its administrator for access.',
      );
      await matrix.leave(matrix.botUserId, event.room_id);
      return;
    }
    const members = await matrix.getJoinedMembers(event.room_id);
    const user = await store.users.get(inviter);
    const isDirect = (event.content as { is_direct?: unknown }).is_direct === true || members.length <= 2;
    if (isDirect && !user?.managementRoomId) {
      await store.users.upsert({ mxid: inviter, managementRoomId: event.room_id });
      await managementRooms.noticeInRoom(
        event.room_id,
        `Hello! This room is where you talk to the WeChat bridge.\n\n${commands.helpText()}`,
      );
    } else if (isDirect) {
      await store.users.upsert({ mxid: inviter, managementRoomId: event.room_id });
      await managementRooms.noticeInRoom(event.room_id, `This is now your management room.\n\n${commands.helpText()}`);
    }
  };

  const sendToWechat = async (entry: OutboxEntry, event: MatrixEventJson, portal: PortalRecord) => {
    // A replay after a crash: the message reached WeChat and was recorded, so it must not be sent again.
    if (await store.messages.getByEventId(event.event_id)) return;
    const live = sessions.get(portal.loginId);
    if (!permissions.allows(event.sender, 'user') || live?.login.ownerMxid !== event.sender) {
      throw new UserFacingError('Only the WeChat account owner can send messages in this room (relay mode is not available).');
    }
    if (live.session.state === 'logged-out' || live.session.state === 'bad-credentials') {
      throw new UserFacingError(`you are logged out of WeChat (${live.session.state}). Send \`login\` in the bridge room.`);
    }
    if (live.session.state !== 'connected') throw new WaitingForConnection(live.session.state);
    const provider = context.providers.get(live.login.providerId);
    const content = event.content as Record<string, unknown>;
    const conversion = await convertOutboundMessage(event.type, content, {
      contactOf: userId => ghostIds.contactIdOf(userId),
      download: async mxc => {
        try {
          return await matrix.downloadContent(mxc, { maxBytes: config.media.max_file_size });
        } catch (error) {
          if (MatrixPortError.isInstance(error) && error.errcode === 'M_TOO_LARGE') {
            throw new WechatMediaTooLargeError({
              maxBytes: config.media.max_file_size,
              actualBytes: config.media.max_file_size + 1,
            });
          }
          throw error;
        }
      },
    });
    if (!conversion.ok) throw new UserFacingError(`This message cannot be sent to WeChat: ${conversion.reason}.`);
    const kind = conversion.content.kind;
    if (supportLevelOf(provider.capabilities.send, kind) === 'none') {
      throw new WechatUnsupportedCapabilityError({
        capability: `send.${kind}`,
        providerId: provider.id,
        message: `${provider.displayName} cannot send ${kind} messages to WeChat.`,
      });
    }
    const replyToEventId = (content['m.relates_to'] as { 'm.in_reply_to'?: { event_id?: unknown } } | undefined)?.[
      'm.in_reply_to'
    ]?.event_id;
    const quoted = typeof replyToEventId === 'string' ? await store.messages.getByEventId(replyToEventId) : undefined;
    const replyTo: MessageRefV1 | undefined =
      quoted && provider.capabilities.replies !== 'none'
        ? {
            id: quoted.wechatMessageId,
            chat: portal.chat,
            ...(quoted.senderContactId ? { senderId: quoted.senderContactId } : {}),
          }
        : undefined;
    const mentions =
      provider.capabilities.mentions !== 'none' && conversion.mentions.length > 0
        ? { contactIds: conversion.mentions }
        : undefined;
    // The send *and* its record count as in flight: the inbox holds the isSelf echo of this message until the
    // mapping below is committed, then recognises it instead of bridging it back.
    const result = await inFlight.track(
      live.login.id,
      (async () => {
        const sent = await live.session.sendMessage({
          to: portal.chat,
          content: conversion.content,
          ...(mentions ? { mentions } : {}),
          ...(replyTo ? { replyTo } : {}),
          idempotencyKey: event.event_id,
        });
        // Recorded at once, together with the outbox entry, so that a crash after this point cannot send it
        // twice; receipts and notices below are best effort.
        await store.transaction(async transaction => {
          await transaction.messages.insert({
            loginId: live.login.id,
            chatKey: chatKey(portal.chat),
            wechatMessageId: sent.messageId,
            roomId: portal.roomId,
            eventId: event.event_id,
            senderContactId: live.login.selfContactId,
            direction: 'outbound',
            createdAt: clock.now(),
          });
          await transaction.outbox.markDone(entry.id);
        });
        return sent;
      })(),
    );
    live.lastSentAt = clock.now();
    const sentAt = typeof event.origin_server_ts === 'number' ? event.origin_server_ts : entry.receivedAt;
    context.observer.messageBridged({
      providerId: servingProviderId(live.session, live.login),
      direction: 'matrix-to-wechat',
      kind,
      latencyMs: clock.now() - sentAt,
    });
    for (const warning of result.warnings) {
      const text =
        warning.type === 'other' ? warning.message : `${warning.feature}${warning.details ? `: ${warning.details}` : ''}`;
      await managementRooms.noticeInRoom(portal.roomId, `Sent to WeChat with a change (${warning.type}): ${text}`);
    }
    if (config.message_handling.delivery_receipts) {
      await matrix
        .sendReadReceipt(matrix.botUserId, portal.roomId, event.event_id)
        .catch(error => logger.debug({ error }, 'no delivery receipt'));
    }
  };

  const recallOnWechat = async (event: MatrixEventJson, portal: PortalRecord) => {
    const redacts = (event.redacts ?? (event.content as { redacts?: unknown }).redacts) as string | undefined;
    if (typeof redacts !== 'string') return;
    const mapping = await store.messages.getByEventId(redacts);
    if (!mapping) return; // not a bridged message (a notice, a state event): nothing to recall
    const live = sessions.get(portal.loginId);
    if (!live || live.login.ownerMxid !== event.sender)
      throw new UserFacingError('Only the WeChat account owner can recall messages here.');
    if (!live.session.recallMessage) {
      throw new UserFacingError(`${context.providers.get(live.login.providerId).displayName} cannot recall messages on WeChat.`);
    }
    await live.session.recallMessage({
      id: mapping.wechatMessageId,
      chat: portal.chat,
      ...(mapping.senderContactId ? { senderId: mapping.senderContactId } : {}),
    });
  };

  /** The user invited a contact's ghost to a room: a chat started from Matrix becomes that contact's DM portal. */
  const handleGhostInvite = async (event: MatrixEventJson, ghostUserId: string) => {
    const contactId = ghostIds.contactIdOf(ghostUserId);
    const live = sessions.list().find(candidate => candidate.login.ownerMxid === event.sender);
    await matrix.ensureRegistered(ghostUserId);
    if (!contactId || !live || !permissions.allows(event.sender, 'user')) {
      // Nobody can answer for this contact: decline, so the invite does not hang around.
      await matrix.leave(ghostUserId, event.room_id);
      return;
    }
    const chat = { type: 'direct' as const, contactId };
    await matrix.join(ghostUserId, event.room_id);
    const existing = await store.portals.get(live.login.id, chatKey(chat));
    if (existing) {
      await matrix.sendEvent(ghostUserId, event.room_id, 'm.room.message', {
        msgtype: 'm.notice',
        body: `You already have a chat with this WeChat contact: https://matrix.to/#/${existing.roomId}`,
      });
      await matrix.leave(ghostUserId, event.room_id);
      return;
    }
    const stored = await store.portals.insertIfAbsent({
      loginId: live.login.id,
      chatKey: chatKey(chat),
      chat,
      roomId: event.room_id,
      name: null,
      topic: null,
      avatarRef: null,
      avatarMxc: null,
      createdAt: clock.now(),
    });
    if (stored.roomId !== event.room_id) {
      await matrix.leave(ghostUserId, event.room_id);
      return;
    }
    // The bot joins too, for notices and delivery receipts in the new portal.
    await matrix
      .invite(ghostUserId, event.room_id, matrix.botUserId)
      .catch(error => logger.warn({ error }, 'could not invite the bot'));
    await matrix.join(matrix.botUserId, event.room_id).catch(error => logger.warn({ error }, 'the bot could not join'));
    logger.info({ loginId: live.login.id, roomId: event.room_id, chat: chatKey(chat) }, 'a portal was started from Matrix');
  };

  const handle = async (entry: OutboxEntry) => {
    const event = entry.event;
    const membership = event.type === 'm.room.member' ? (event.content as { membership?: unknown }).membership : undefined;
    if (event.type === 'm.room.member' && event.state_key === matrix.botUserId) {
      if (membership === 'invite' && !isOurs(event.sender)) await handleBotInvite(event);
      return;
    }
    if (
      membership === 'invite' &&
      typeof event.state_key === 'string' &&
      ghostIds.isGhost(event.state_key) &&
      !isOurs(event.sender)
    ) {
      await handleGhostInvite(event, event.state_key);
      return;
    }
    if (isOurs(event.sender)) return; // our own events, echoed back by the homeserver
    const isMessage = event.type === 'm.room.message' || event.type === 'm.sticker';
    if (isMessage) {
      const managementOwner = await store.users.findByManagementRoom(event.room_id);
      if (managementOwner) {
        if (managementOwner.mxid !== event.sender) return; // only the owner talks to the bot here
        const body = (event.content as { body?: unknown }).body;
        if (typeof body === 'string' && (event.content as { msgtype?: unknown }).msgtype === 'm.text') {
          await commands.handle(event.sender, event.room_id, body);
        }
        return;
      }
    }
    const portal = await store.portals.getByRoomId(event.room_id);
    if (!portal) return;
    if (isMessage) await sendToWechat(entry, event, portal);
    else if (event.type === 'm.room.redaction') await recallOnWechat(event, portal);
  };

  /** A message (or recall) to WeChat was given up: counted for the provider of the portal's login. */
  const reportFailure = async (entry: OutboxEntry) => {
    const type = entry.event.type;
    if (type !== 'm.room.message' && type !== 'm.sticker' && type !== 'm.room.redaction') return;
    const portal = await store.portals.getByRoomId(entry.roomId).catch(() => undefined);
    const live = portal ? sessions.get(portal.loginId) : undefined;
    if (!live) return;
    context.observer.messageFailed({
      providerId: servingProviderId(live.session, live.login),
      direction: 'matrix-to-wechat',
      kind: kindOfMatrixEvent(type, entry.event.content),
    });
  };

  const tellUser = async (entry: OutboxEntry, error: unknown) => {
    const reason = error instanceof UserFacingError ? error.message : describeError(error);
    const isMessage = entry.event.type === 'm.room.message' || entry.event.type === 'm.sticker';
    const what = isMessage
      ? 'Your message was not delivered to WeChat'
      : entry.event.type === 'm.room.redaction'
        ? 'The message was not recalled on WeChat'
        : 'The event was not bridged';
    await managementRooms.noticeInRoom(entry.roomId, `⚠️ ${what}: ${reason}`);
  };

  return {
    async drain() {
      for (;;) {
        const entries = await store.outbox.listDue(clock.now(), 50);
        if (entries.length === 0) break;
        for (const entry of entries) {
          const maxAgeMs = config.message_handling.max_message_age * 1000;
          const sentAt = typeof entry.event.origin_server_ts === 'number' ? entry.event.origin_server_ts : entry.receivedAt;
          try {
            if (clock.now() - sentAt > maxAgeMs && entry.event.type !== 'm.room.member') {
              throw new UserFacingError(
                `it is older than ${config.message_handling.max_message_age} seconds (bridge.message_handling.max_message_age)`,
              );
            }
            await handle(entry);
            await store.outbox.markDone(entry.id);
          } catch (error) {
            const attempts = entry.attempts + 1;
            if (error instanceof WaitingForConnection) {
              await store.outbox.postpone(entry.id, clock.now() + context.retryBaseMs, error.message);
              continue;
            }
            const retryable = !(error instanceof UserFacingError) && isRetryable(error) && attempts < context.maxAttempts;
            const nextAttemptAt = retryable ? clock.now() + backoffMs(attempts, context.retryBaseMs) : null;
            await store.outbox.markAttemptFailed(entry.id, describeError(error), nextAttemptAt);
            logger[retryable ? 'warn' : 'error'](
              {
                eventId: entry.eventId,
                roomId: entry.roomId,
                attempts,
                retryable,
                code: WechatError.isInstance(error) ? error.code : undefined,
                error,
              },
              retryable ? 'bridging a Matrix event failed; will retry' : 'bridging a Matrix event failed',
            );
            if (!retryable) {
              await reportFailure(entry);
              await tellUser(entry, error);
            }
          }
        }
      }
      // Entries wait for a retry: look again soon (a cheap indexed query), at the latest when the first is due.
      const pending = await store.outbox.listDue(Number.MAX_SAFE_INTEGER, 1);
      const next = pending[0];
      return next ? Math.min(context.retryBaseMs, Math.max(0, next.nextAttemptAt - clock.now())) : undefined;
    },
  };
}
