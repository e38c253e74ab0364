import type { BridgeContext } from './bridge-context.ts';

/** The DM between a user and the bridge bot, where commands are typed and notices appear. */
export interface ManagementRooms {
  /** The user's management room, created (bot invites the user) when there is none yet. */
  ensure(userId: string): Promise<string>;
  /** Sends an `m.notice` to the user's management room; failures are logged, never thrown. */
  notify(userId: string, text: string): Promise<void>;
  /** Sends a notice into a given room as the bot. */
  noticeInRoom(roomId: string, text: string): Promise<string | undefined>;
}

export function createManagementRooms(context: BridgeContext): ManagementRooms {
  const { matrix, store, logger } = context;
  const noticeInRoom = async (roomId: string, text: string) => {
    try {
      return await matrix.sendEvent(matrix.botUserId, roomId, 'm.room.message', { msgtype: 'm.notice', body: text });
    } catch (error) {
      logger.warn({ roomId, error }, 'could not send a notice');
      return undefined;
    }
  };
  const ensure = async (userId: string) => {
    const existing = await store.users.get(userId);
    if (existing?.managementRoomId) return existing.managementRoomId;
    const roomId = await matrix.createRoom(matrix.botUserId, {
      invite: [userId],
      isDirect: true,
      preset: 'trusted_private_chat',
      name: 'WeChat bridge',
      topic: 'Commands and notices of the WeChat bridge. Send "help".',
    });
    await store.users.upsert({ mxid: userId, managementRoomId: roomId });
    return roomId;
  };
  return {
    ensure,
    noticeInRoom,
    notify: async (userId, text) => {
      try {
        await noticeInRoom(await ensure(userId), text);
      } catch (error) {
        logger.warn({ userId, error }, 'could not reach the management room');
      }
    },
  };
}
