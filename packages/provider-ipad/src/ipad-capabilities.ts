import type { ProviderCapabilitiesV1 } from '@wechat/provider-api';

/** Exactly what the session implements; every `none` is refused with WechatUnsupportedCapabilityError. */
export const ipadCapabilities = {
  login: 'interactive',
  // One callback server per session, on `callback_port`: one account per provider config.
  multipleSessions: false,
  send: {
    text: 'full',
    image: 'full',
    file: 'full',
    // Ogg Opus is converted to SILK in-process.
    voice: 'full',
    // postVideo needs a thumbnail; without one a placeholder is sent (with a warning).
    video: 'partial',
    link: 'full',
    // Sent as an image: postEmoji only works for md5s WeChat already knows (reference D.3).
    sticker: 'partial',
    // A card for a wxid is a real card; one without becomes text (with a warning).
    'contact-card': 'partial',
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
  // GeWeChat can only quote with a hand-built appmsg that needs the quoted content, which hosts do not pass.
  replies: 'none',
  recall: 'full',
  contacts: { list: 'full', setRemark: 'full' },
  rooms: { list: 'full', create: 'full', invite: 'full', remove: 'full', rename: 'full', setTopic: 'full', leave: 'full' },
  friendRequests: 'full',
  history: 'none',
  limits: { maxFileBytes: 1024 * 1024 * 1024 },
} as const satisfies ProviderCapabilitiesV1;
