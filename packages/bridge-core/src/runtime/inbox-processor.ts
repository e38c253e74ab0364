import { createHash } from 'node:crypto';
import { type ContactId, chatKey, type ProviderEventV1, WechatMediaTooLargeError } from '@wechat/provider-api';
import { convertInboundMessage } from '../convert/wechat-to-matrix.ts';
import { MatrixPortError } from '../matrix/matrix-port.ts';
import type { InboxEntry } from '../store/bridge-store.ts';
import type { BridgeContext } from './bridge-context.ts';
import { servingProviderId } from './bridge-observer.ts';
import { describeError, isRetryable } from './errors.ts';
import type { Ghosts } from './ghosts.ts';
import type { LiveSession, LoginSessions } from './login-sessions.ts';
import type { ManagementRooms } from './management-rooms.ts';
import type { OutboundInFlight } from './outbound-in-flight.ts';
import type { Portals } from './portals.ts';
import { backoffMs } from './serial-worker.ts';

/** WeChat → Matrix: events are recorded in the inbox first, then bridged in order, exactly once. */
export interface InboxProcessor {
  /** Records a message or recall durably; duplicates (re-deliveries, other providers) are dropped here. */
  record(live: LiveSession, event: ProviderEventV1): Promise<boolean>;
  /** Bridges pending entries; returns when to retry, if something failed for now. */
  drain(): Promise<number | undefined>;
}

interface Dependencies {
  readonly sessions: LoginSessions;
  readonly portals: Portals;
  readonly ghosts: Ghosts;
  readonly managementRooms: ManagementRooms;
  readonly inFlight: OutboundInFlight;
}

function dedupKeyOf(event: ProviderEventV1): string | undefined {
  if (event.type === 'message-received') return `message:${event.message.id}`;
  if (event.type === 'message-recalled') return `recall:${event.target.id}`;
  return undefined;
}

/** The homeserver's transaction id for a bridged message: the same message always gets the same id. */
function transactionIdFor(loginId: string, wechatMessageId: string): string {
  return `wechat-${createHash('sha256').update(`${loginId}\u0000${wechatMessageId}`).digest('hex').slice(0, 32)}`;
}

export function createInboxProcessor(context: BridgeContext, dependencies: Dependencies): InboxProcessor {
  const { store, matrix, logger, clock, ghostIds } = context;
  const { sessions, portals, ghosts, managementRooms, inFlight } = dependencies;

  const bridgeMessage = async (
    entry: InboxEntry,
    live: LiveSession,
    event: Extract<ProviderEventV1, { type: 'message-received' }>,
  ) => {
    const { message } = event;
    const { login, session } = live;
    if (await store.messages.getByWechatId(login.id, message.id)) return 'duplicate';
    if (message.isSelf) {
      // Our own send may still be returning; once it has, its mapping marks this echo as already bridged.
      await inFlight.settled(login.id);
      if (await store.messages.getByWechatId(login.id, message.id)) return 'duplicate';
    }
    const maxAgeMs = context.config.message_handling.max_message_age * 1000;
    if (message.timestamp < entry.receivedAt - maxAgeMs) return 'too-old';

    const portal = await portals.ensure(login, session, message.chat);
    const senderUserId = message.isSelf
      ? await ghosts.ensure(session, login.providerId, message.senderId, undefined, {
          displayNameOverride: `${login.selfName ?? 'You'} (you, on WeChat)`,
        })
      : await ghosts.ensure(session, login.providerId, message.senderId);
    await ghosts.ensureInRoom(senderUserId, portal.roomId);

    const mentionedUserIds = (message.mentions?.contactIds ?? []).map((contactId: ContactId) =>
      contactId === login.selfContactId ? login.ownerMxid : ghostIds.userIdFor(contactId),
    );
    const quoted = message.replyTo?.messageId
      ? await store.messages.getByWechatId(login.id, message.replyTo.messageId)
      : undefined;
    const converted = await convertInboundMessage(message, {
      mentionedUserIds,
      ...(quoted ? { replyToEventId: quoted.eventId } : {}),
      reupload: async media => {
        const size = media.size ?? 0;
        if (size > context.config.media.max_file_size) {
          throw new WechatMediaTooLargeError({
            maxBytes: context.config.media.max_file_size,
            actualBytes: size,
            kind: 'WeChat attachment',
          });
        }
        const downloaded = await session.downloadMedia(media);
        const mxc = await matrix.uploadContent(
          senderUserId,
          downloaded.data,
          downloaded.mimeType,
          downloaded.fileName ?? media.fileName,
        );
        return {
          mxc,
          mimeType: downloaded.mimeType,
          size: downloaded.data.byteLength,
          ...((downloaded.fileName ?? media.fileName) ? { fileName: downloaded.fileName ?? media.fileName } : {}),
        };
      },
    });
    const send = () =>
      matrix.sendEvent(senderUserId, portal.roomId, converted.type, converted.content, {
        transactionId: transactionIdFor(login.id, message.id),
        timestamp: message.timestamp,
      });
    let eventId: string;
    try {
      eventId = await send();
    } catch (error) {
      if (!MatrixPortError.isInstance(error) || error.errcode !== 'M_FORBIDDEN') throw error;
      // The ghost was kicked from the portal since it joined: join it again, once, and resend.
      logger.info({ roomId: portal.roomId, userId: senderUserId }, 'a ghost was no longer in its portal; rejoining');
      ghosts.forgetRoom(senderUserId, portal.roomId);
      await ghosts.ensureInRoom(senderUserId, portal.roomId);
      eventId = await send();
    }
    await store.transaction(async transaction => {
      await transaction.messages.insert({
        loginId: login.id,
        chatKey: chatKey(message.chat),
        wechatMessageId: message.id,
        roomId: portal.roomId,
        eventId,
        senderContactId: message.senderId,
        direction: 'inbound',
        createdAt: clock.now(),
      });
      await transaction.inbox.markDone(entry.id);
    });
    context.observer.messageBridged({
      providerId: servingProviderId(session, login),
      direction: 'wechat-to-matrix',
      kind: message.content.kind,
      latencyMs: clock.now() - entry.receivedAt,
    });
    return 'bridged';
  };

  const bridgeRecall = async (live: LiveSession, event: Extract<ProviderEventV1, { type: 'message-recalled' }>) => {
    const mapping = await store.messages.getByWechatId(live.login.id, event.target.id);
    if (!mapping) return 'unknown-message';
    await matrix.redact(matrix.botUserId, mapping.roomId, mapping.eventId, 'Recalled on WeChat');
    return 'redacted';
  };

  const processEntry = async (entry: InboxEntry): Promise<void> => {
    const live = sessions.get(entry.loginId);
    if (!live) throw Object.assign(new Error(`login ${entry.loginId} is not active`), { final: true });
    const { event } = entry;
    let outcome: string;
    if (event.type === 'message-received') outcome = await bridgeMessage(entry, live, event);
    else if (event.type === 'message-recalled') outcome = await bridgeRecall(live, event);
    else outcome = 'ignored';
    if (outcome !== 'bridged') await store.inbox.markDone(entry.id);
    logger.debug({ inboxId: entry.id, loginId: entry.loginId, outcome }, 'inbox entry processed');
  };

  return {
    async record(live, event) {
      const dedupKey = dedupKeyOf(event);
      if (!dedupKey) return false;
      const recorded = await store.inbox.enqueue({ loginId: live.login.id, dedupKey, event, receivedAt: clock.now() });
      if (!recorded) logger.debug({ loginId: live.login.id, dedupKey }, 'dropped a duplicate WeChat event');
      else if (event.type === 'message-received') {
        context.observer.messageReceived({
          providerId: servingProviderId(live.session, live.login),
          kind: event.message.content.kind,
        });
      }
      return recorded !== undefined;
    },
    async drain() {
      for (;;) {
        const entries = await store.inbox.listPending(50);
        if (entries.length === 0) return undefined;
        for (const entry of entries) {
          try {
            await processEntry(entry);
          } catch (error) {
            const attempts = entry.attempts + 1;
            const final = !isRetryable(error) || attempts >= context.maxAttempts || (error as { final?: boolean }).final === true;
            await store.inbox.markAttemptFailed(entry.id, describeError(error), final);
            logger.error({ inboxId: entry.id, loginId: entry.loginId, attempts, final, error }, 'bridging a WeChat event failed');
            if (!final) return backoffMs(attempts, context.retryBaseMs); // keep the order: retry this one first
            const live = sessions.get(entry.loginId);
            if (live && entry.event.type === 'message-received') {
              context.observer.messageFailed({
                providerId: servingProviderId(live.session, live.login),
                direction: 'wechat-to-matrix',
                kind: entry.event.message.content.kind,
              });
            }
            const owner = live?.login.ownerMxid;
            if (owner) await managementRooms.notify(owner, `A WeChat message could not be bridged: ${describeError(error)}`);
          }
        }
      }
    },
  };
}
