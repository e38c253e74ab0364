import type { ProviderCapabilitiesV1, RoomCapabilitiesV1 } from '@wechat/provider-api';
import { wecomMediaLimits } from './api/media-limits.ts';

/**
 * What the WeCom provider does, exactly as implemented (README "Capabilities" explains each level):
 * - voice is `partial`: WeCom plays AMR only and no AMR encoder runs in Node without native code, so other voice
 *   is sent as a file (with a `compatibility` warning); stickers go as an image or a file, always with a warning;
 * - mentions are `partial`: app messages cannot @-mention; in app group chats `@name` is written as plain text;
 * - recall is `partial`: `message/recall` works on direct messages within 24 h, and recalls on WeCom clients only;
 * - rooms are the app group chats (appchat) the bridge creates; WeCom has no API to list them, nor a callback
 *   for what members write in them, and the app cannot set an announcement or leave.
 */
export const wecomCapabilities: ProviderCapabilitiesV1 = {
  login: 'credentials',
  multipleSessions: true,
  send: {
    text: 'full',
    image: 'full',
    file: 'full',
    video: 'full',
    voice: 'partial',
    sticker: 'partial',
    link: 'full',
  },
  receive: {
    text: 'full',
    image: 'full',
    voice: 'full',
    video: 'full',
    location: 'full',
    link: 'full',
  },
  mentions: 'partial',
  replies: 'none',
  recall: 'partial',
  contacts: { list: 'full', setRemark: 'none' },
  rooms: { list: 'none', create: 'full', invite: 'full', remove: 'full', rename: 'full', setTopic: 'none', leave: 'none' },
  friendRequests: 'none',
  history: 'none',
  limits: { maxFileBytes: wecomMediaLimits.file },
};

/** App group chats: `message/recall` covers `message/send` only. */
export const wecomRoomCapabilities: RoomCapabilitiesV1 = { recall: 'none', mentions: 'partial', replies: 'none' };
