import type { ProviderCapabilitiesV1 } from '@wechat/provider-api';

/**
 * What WeChatFerry can do, as this provider uses it. The limits are the host's: it has no functions for
 * quotes, voice or video messages, locations, cards, remarks or room management beyond members, its revoke
 * is not implemented (FUNC_REVOKE_MSG always answers -1), and it keeps no history the bridge could page.
 */
export const pchookCapabilities: ProviderCapabilitiesV1 = {
  login: 'interactive',
  multipleSessions: true,
  send: {
    text: 'full',
    image: 'full',
    file: 'full',
    sticker: 'full',
    link: 'full',
    // No function for either: sent with FUNC_SEND_FILE, as an attachment (with a warning).
    voice: 'partial',
    video: 'partial',
  },
  receive: {
    text: 'full',
    image: 'full',
    file: 'full',
    voice: 'full',
    video: 'full',
    sticker: 'full',
    link: 'full',
    location: 'full',
    'contact-card': 'full',
    'mini-program': 'full',
    system: 'full',
  },
  mentions: 'full',
  replies: 'none',
  recall: 'none',
  contacts: { list: 'full', setRemark: 'none' },
  rooms: { list: 'full', create: 'none', invite: 'full', remove: 'full', rename: 'none', setTopic: 'none', leave: 'none' },
  friendRequests: 'full',
  history: 'none',
};
