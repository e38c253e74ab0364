import type { ContactId, ContactV1, ProviderSessionV1 } from '@wechat/provider-api';
import { renderDisplayName } from '../ghosts/ghost-user-ids.ts';
import type { BridgeContext } from './bridge-context.ts';

export interface Ghosts {
  /**
   * The ghost of a WeChat contact, registered on the homeserver and with its profile in sync. `contact` saves a
   * lookup when the caller has it; otherwise the session is asked, and a failure there keeps the old profile.
   */
  ensure(
    session: ProviderSessionV1,
    providerId: string,
    contactId: ContactId,
    contact?: ContactV1,
    options?: { readonly displayNameOverride?: string },
  ): Promise<string>;
  /** Joins the ghost to a room the bot is in (the bot invites it first). */
  ensureInRoom(userId: string, roomId: string): Promise<void>;
  /** The ghost leaves the room (the WeChat contact left the group). */
  leaveRoom(userId: string, roomId: string): Promise<void>;
  /** Forgets that the ghost is in the room (it was kicked): the next `ensureInRoom` checks again. */
  forgetRoom(userId: string, roomId: string): void;
}

export function createGhosts(context: BridgeContext): Ghosts {
  const { matrix, store, logger, ghostIds, config } = context;
  const joined = new Set<string>();

  const reuploadAvatar = async (session: ProviderSessionV1, userId: string, contact: ContactV1) => {
    if (!contact.avatar) return undefined;
    const media = await session.downloadMedia(contact.avatar);
    return matrix.uploadContent(userId, media.data, media.mimeType, media.fileName);
  };

  return {
    async ensure(session, providerId, contactId, known, options = {}) {
      const userId = ghostIds.userIdFor(contactId);
      const stored = await store.ghosts.get(userId);
      let contact = known;
      if (!contact) {
        try {
          contact = await session.getContact(contactId);
        } catch (error) {
          // A profile lookup failure must not lose the message; the next message retries the profile.
          logger.warn({ contactId, error }, 'could not fetch a WeChat profile; keeping the ghost as it is');
        }
      }
      if (!stored?.registered) await matrix.ensureRegistered(userId);
      const displayName = contact
        ? (options.displayNameOverride ?? renderDisplayName(config.displayname_template, contact))
        : (stored?.displayName ?? null);
      if (displayName && displayName !== stored?.displayName) await matrix.setDisplayName(userId, displayName);
      let avatarRef = stored?.avatarRef ?? null;
      let avatarMxc = stored?.avatarMxc ?? null;
      if (contact?.avatar && contact.avatar.ref !== avatarRef) {
        try {
          const mxc = await reuploadAvatar(session, userId, contact);
          if (mxc) {
            await matrix.setAvatarUrl(userId, mxc);
            avatarRef = contact.avatar.ref;
            avatarMxc = mxc;
          }
        } catch (error) {
          // Never cache a failure: the ref stays unchanged, so the next sync tries again.
          logger.warn({ contactId, error }, 'could not sync a WeChat avatar');
        }
      }
      await store.ghosts.upsert({ mxid: userId, providerId, contactId, displayName, avatarRef, avatarMxc, registered: true });
      return userId;
    },
    async ensureInRoom(userId, roomId) {
      const key = `${userId}|${roomId}`;
      if (joined.has(key)) return;
      const members = await matrix.getJoinedMembers(roomId);
      if (!members.includes(userId)) {
        await matrix.invite(matrix.botUserId, roomId, userId);
        await matrix.join(userId, roomId);
      }
      joined.add(key);
    },
    async leaveRoom(userId, roomId) {
      joined.delete(`${userId}|${roomId}`);
      await matrix.leave(userId, roomId);
    },
    forgetRoom(userId, roomId) {
      joined.delete(`${userId}|${roomId}`);
    },
  };
}
