import { type ChatRefV1, chatKey, type ProviderSessionV1 } from '@wechat/provider-api';
import type { LoginRecord, PortalRecord } from '../store/bridge-store.ts';
import type { BridgeContext } from './bridge-context.ts';
import type { Ghosts } from './ghosts.ts';

export interface Portals {
  /** The portal room of a WeChat chat for one login, created on first use (idempotent, race-safe). */
  ensure(login: LoginRecord, session: ProviderSessionV1, chat: ChatRefV1): Promise<PortalRecord>;
  /** Re-reads name, topic and avatar from WeChat and updates the room where they changed. */
  refresh(login: LoginRecord, session: ProviderSessionV1, portal: PortalRecord): Promise<void>;
  /** The login's Space, created on first use. */
  ensureSpace(login: LoginRecord): Promise<string>;
}

interface ChatInfo {
  readonly name: string;
  readonly topic: string | null;
  readonly avatar: { readonly ref: string } | undefined;
}

/** The `m.bridge` state (MSC2346) that tells clients which network and chat a room bridges. */
function bridgeInfo(context: BridgeContext, login: LoginRecord, chat: ChatRefV1, name: string) {
  const id = chat.type === 'direct' ? chat.contactId : chat.roomId;
  return {
    bridgebot: context.matrix.botUserId,
    creator: context.matrix.botUserId,
    protocol: { id: 'wechat', displayname: 'WeChat' },
    network: { id: login.providerId, displayname: `WeChat via ${login.providerId}` },
    channel: { id, displayname: name },
  };
}

export function createPortals(context: BridgeContext, ghosts: Ghosts): Portals {
  const { matrix, store, logger } = context;
  // One creation at a time per chat inside this process; the database settles races between processes.
  const creating = new Map<string, Promise<PortalRecord>>();

  const chatInfo = async (session: ProviderSessionV1, chat: ChatRefV1): Promise<ChatInfo> => {
    try {
      if (chat.type === 'direct') {
        const contact = await session.getContact(chat.contactId);
        return { name: contact.remark || contact.name, topic: null, avatar: contact.avatar };
      }
      const room = await session.getRoom(chat.roomId);
      return { name: room.name, topic: room.topic ?? null, avatar: room.avatar };
    } catch (error) {
      logger.warn({ chat, error }, 'could not fetch chat details from WeChat; creating the portal without them');
      return { name: chat.type === 'direct' ? chat.contactId : chat.roomId, topic: null, avatar: undefined };
    }
  };

  const uploadAvatar = async (session: ProviderSessionV1, avatar: { ref: string } | undefined) => {
    if (!avatar) return undefined;
    try {
      const media = await session.downloadMedia(avatar);
      return await matrix.uploadContent(matrix.botUserId, media.data, media.mimeType, media.fileName);
    } catch (error) {
      logger.warn({ error }, 'could not copy a chat avatar');
      return undefined;
    }
  };

  const ensureSpace = async (login: LoginRecord) => {
    const current = await store.logins.get(login.id);
    if (current?.spaceRoomId) return current.spaceRoomId;
    const spaceRoomId = await matrix.createRoom(matrix.botUserId, {
      name: `WeChat${login.selfName ? ` (${login.selfName})` : ''}`,
      topic: 'Your WeChat chats, bridged to Matrix.',
      invite: [login.ownerMxid],
      roomType: 'm.space',
      preset: 'private_chat',
      // The creator (the bot) has the highest power already; room version 12 refuses to list it (MSC4289).
      powerLevelContentOverride: { users: { [login.ownerMxid]: 50 }, events_default: 50 },
    });
    await store.logins.update(login.id, { spaceRoomId });
    return spaceRoomId;
  };

  const create = async (login: LoginRecord, session: ProviderSessionV1, chat: ChatRefV1): Promise<PortalRecord> => {
    const key = chatKey(chat);
    const existing = await store.portals.get(login.id, key);
    if (existing) return existing;
    const info = await chatInfo(session, chat);
    const avatarMxc = await uploadAvatar(session, info.avatar);
    const spaceRoomId = await ensureSpace(login).catch(error => {
      logger.warn({ error }, 'could not create the login space; the portal is created outside it');
      return undefined;
    });
    const roomId = await matrix.createRoom(matrix.botUserId, {
      name: info.name,
      ...(info.topic ? { topic: info.topic } : {}),
      invite: [login.ownerMxid],
      isDirect: chat.type === 'direct',
      preset: 'private_chat',
      initialState: [
        {
          type: 'm.bridge',
          state_key: `wechat://${login.providerId}/${key}`,
          content: bridgeInfo(context, login, chat, info.name),
        },
        {
          type: 'uk.half-shot.bridge',
          state_key: `wechat://${login.providerId}/${key}`,
          content: bridgeInfo(context, login, chat, info.name),
        },
        ...(avatarMxc ? [{ type: 'm.room.avatar', state_key: '', content: { url: avatarMxc } }] : []),
        ...(spaceRoomId
          ? [{ type: 'm.space.parent', state_key: spaceRoomId, content: { via: [matrix.serverName], canonical: true } }]
          : []),
      ],
      // The bot creates (and so administers) the room; the user can do what a chat member needs (send, redact
      // own). The creator must not be listed: room version 12 gives creators unlimited power (MSC4289).
      powerLevelContentOverride: { users: { [login.ownerMxid]: 50 } },
    });
    const stored = await store.portals.insertIfAbsent({
      loginId: login.id,
      chatKey: key,
      chat,
      roomId,
      name: info.name,
      topic: info.topic,
      avatarRef: avatarMxc ? (info.avatar?.ref ?? null) : null,
      avatarMxc: avatarMxc ?? null,
      createdAt: context.clock.now(),
    });
    if (stored.roomId !== roomId) {
      // Another process created the portal first: ours is an orphan nobody will use.
      logger.info({ roomId, winner: stored.roomId }, 'lost a portal creation race; leaving the duplicate room');
      await matrix.leave(matrix.botUserId, roomId).catch(() => undefined);
      return stored;
    }
    if (spaceRoomId) {
      await matrix
        .setState(matrix.botUserId, spaceRoomId, 'm.space.child', roomId, { via: [matrix.serverName], suggested: false })
        .catch(error => logger.warn({ error }, 'could not add the portal to the login space'));
    }
    if (chat.type === 'direct') {
      // The contact's ghost joins its DM right away (registered first: an unregistered user cannot join).
      const ghost = await ghosts.ensure(session, login.providerId, chat.contactId);
      await ghosts.ensureInRoom(ghost, roomId);
    }
    logger.info({ loginId: login.id, roomId, chat: key }, 'created a portal');
    return stored;
  };

  return {
    ensureSpace,
    ensure: async (login, session, chat) => {
      const key = `${login.id}|${chatKey(chat)}`;
      const pending = creating.get(key);
      if (pending) return pending;
      const promise = create(login, session, chat).finally(() => creating.delete(key));
      creating.set(key, promise);
      return promise;
    },
    async refresh(_login, session, portal) {
      const info = await chatInfo(session, portal.chat);
      const changes: { name?: string; topic?: string | null; avatarRef?: string | null; avatarMxc?: string | null } = {};
      if (info.name !== portal.name) {
        await matrix.setState(matrix.botUserId, portal.roomId, 'm.room.name', '', { name: info.name });
        changes.name = info.name;
      }
      if (info.topic !== portal.topic && info.topic !== null) {
        await matrix.setState(matrix.botUserId, portal.roomId, 'm.room.topic', '', { topic: info.topic });
        changes.topic = info.topic;
      }
      if (info.avatar && info.avatar.ref !== portal.avatarRef) {
        const mxc = await uploadAvatar(session, info.avatar);
        if (mxc) {
          await matrix.setState(matrix.botUserId, portal.roomId, 'm.room.avatar', '', { url: mxc });
          changes.avatarRef = info.avatar.ref;
          changes.avatarMxc = mxc;
        }
      }
      if (Object.keys(changes).length > 0) await store.portals.update(portal.loginId, portal.chatKey, changes);
    },
  };
}
