import { type ContactId, contactId, type RoomId, roomId } from '@wechat/provider-api';
import type { GeweModContactsData } from './parse-callback.ts';

export type InterpretedModContacts =
  | { readonly type: 'contact-updated'; readonly contactId: ContactId }
  /** `removed`: the account seems to have left or been removed from the group. */
  | { readonly type: 'room-updated'; readonly roomId: RoomId; readonly removed: boolean };

/**
 * `ModContacts`: a profile changed, or a group's info or membership. A group update without a head image, or
 * with an `ImgFlag` other than 1, is how clients detect that the account is no longer a member (reference
 * B.6). A missing `ImgFlag` alone is not taken as removal: a partial update must not drop the room.
 */
export function interpretModContacts(data: GeweModContactsData): InterpretedModContacts {
  if (!data.isRoom) return { type: 'contact-updated', contactId: contactId(data.userName) };
  const hasHeadImage = data.smallHeadImgUrl !== undefined || data.bigHeadImgUrl !== undefined;
  const removed = !hasHeadImage || (data.imgFlag !== undefined && data.imgFlag !== 1);
  return { type: 'room-updated', roomId: roomId(data.userName), removed };
}
