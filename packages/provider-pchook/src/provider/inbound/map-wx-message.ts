import {
  type ChatRefV1,
  contactId,
  type InboundContentV1,
  type InboundMessageV1,
  type MentionsV1,
  messageId,
  type ProviderEventV1,
  type QuoteV1,
  roomId,
} from '@wechat/provider-api';
import type { WxMsg } from '../../protocol/wcf-messages.ts';
import { encodeMediaRef } from '../media/media-ref.ts';
import { mimeTypeOfName } from '../media/mime.ts';
import { windowsBaseName } from '../media/windows-path.ts';
import { parseAppMessage, parseAtUserList } from './app-message.ts';
import { parseXml, xmlChild, xmlNumber, xmlText } from './xml.ts';

/** WeChat's raw message types (`WxMsg.type`) the bridge tells apart. */
export const wxMessageTypes = {
  moments: 0,
  text: 1,
  image: 3,
  voice: 34,
  friendRequest: 37,
  card: 42,
  video: 43,
  sticker: 47,
  location: 48,
  app: 49,
  /** Status sync (a chat opened on another device, typing): not a message. */
  statusNotify: 51,
  voip: 50,
  system: 10000,
  systemXml: 10002,
} as const;

/** Everyone in a room, in `<atuserlist>` and in `aters`. */
export const mentionAll = 'notify@all';

export interface MapContext {
  readonly selfWxid: string;
}

/** Where a WxMsg belongs: its room, or, in a private chat, the peer (WeChatFerry's `roomid`). */
export function chatOfWxMsg(message: WxMsg): ChatRefV1 {
  return message.is_group || message.roomid.endsWith('@chatroom')
    ? { type: 'room', roomId: roomId(message.roomid) }
    : { type: 'direct', contactId: contactId(message.roomid) };
}

/**
 * Group content sometimes still carries the sender as a `"<wxid>:\n"` prefix (the older WeChat builds and the
 * TS puppet strip it defensively); only that exact prefix is removed.
 */
function withoutSenderPrefix(message: WxMsg): string {
  if (!message.is_group) return message.content;
  for (const candidate of [message.sender, message.roomid]) {
    const prefix = `${candidate}:\n`;
    if (candidate !== '' && message.content.startsWith(prefix)) return message.content.slice(prefix.length);
  }
  return message.content;
}

function mentionsOf(message: WxMsg): MentionsV1 | undefined {
  if (!message.is_group || message.xml === '') return undefined;
  const listed = parseAtUserList(message.xml);
  if (listed.length === 0) return undefined;
  const all = listed.includes(mentionAll);
  return { contactIds: listed.filter(wxid => wxid !== mentionAll).map(contactId), ...(all ? { all: true } : {}) };
}

const unsupported = (description: string): InboundContentV1 => ({ kind: 'unsupported', description });

function appContent(message: WxMsg, content: string): { content: InboundContentV1; replyTo?: QuoteV1 } | undefined {
  const app = parseAppMessage(content);
  if (app === undefined) return { content: unsupported('a WeChat app message the bridge cannot read') };
  switch (app.type) {
    case 5:
    case 3:
      return {
        content: {
          kind: 'link',
          link: {
            url: app.url,
            title: app.title,
            ...(app.description === '' ? {} : { description: app.description }),
            ...(app.thumbUrl === '' ? {} : { thumbnailUrl: app.thumbUrl }),
          },
        },
      };
    case 6: {
      const fileName = app.title || windowsBaseName(message.extra) || 'file';
      return {
        content: {
          kind: 'file',
          fileName,
          media: {
            ref: encodeMediaRef({ kind: 'file', id: message.id, extra: message.extra, fileName }),
            mimeType: mimeTypeOfName(fileName),
            fileName,
            ...(app.fileSize === undefined ? {} : { size: app.fileSize }),
          },
        },
      };
    }
    // A file still uploading: WeChat sends type 6 when it can be downloaded.
    case 74:
      return undefined;
    case 33:
    case 36:
      return {
        content: {
          kind: 'mini-program',
          miniProgram: {
            title: app.title || app.sourceDisplayName,
            ...(app.miniProgram?.appId ? { appId: app.miniProgram.appId } : {}),
            ...(app.miniProgram?.pagePath ? { pagePath: app.miniProgram.pagePath } : {}),
            ...(app.url === '' ? {} : { url: app.url }),
            ...(app.description === '' ? {} : { description: app.description }),
          },
        },
      };
    case 57: {
      const refer = app.refer;
      return {
        content: { kind: 'text', text: app.title },
        ...(refer === undefined
          ? {}
          : {
              replyTo: {
                ...(refer.messageId === '' ? {} : { messageId: messageId(refer.messageId) }),
                ...(refer.senderId === '' ? {} : { senderId: contactId(refer.senderId) }),
                ...(refer.content === '' || refer.type !== 1 ? {} : { text: refer.content }),
              },
            }),
      };
    }
    case 19:
      return { content: unsupported('a forwarded chat history') };
    case 2000:
      return { content: unsupported('a money transfer') };
    case 2001:
      return { content: unsupported('a red packet') };
    default:
      return { content: unsupported(`a WeChat app message (type ${app.type}${app.title ? `: ${app.title}` : ''})`) };
  }
}

function contentOf(message: WxMsg, content: string): { content: InboundContentV1; replyTo?: QuoteV1 } | undefined {
  const { id } = message;
  switch (message.type) {
    case wxMessageTypes.text:
      return { content: { kind: 'text', text: content } };
    case wxMessageTypes.image:
      return {
        content: {
          kind: 'image',
          media: { ref: encodeMediaRef({ kind: 'image', id, extra: message.extra, thumb: message.thumb }) },
        },
      };
    case wxMessageTypes.voice: {
      const voice = xmlChild(parseXml(content), 'msg', 'voicemsg');
      return {
        content: {
          kind: 'voice',
          durationMs: xmlNumber(voice, '@_voicelength') ?? 0,
          media: { ref: encodeMediaRef({ kind: 'voice', id }), mimeType: 'audio/mpeg', fileName: `${id}.mp3` },
        },
      };
    }
    case wxMessageTypes.video: {
      const video = xmlChild(parseXml(content), 'msg', 'videomsg');
      const seconds = xmlNumber(video, '@_playlength');
      const size = xmlNumber(video, '@_length');
      return {
        content: {
          kind: 'video',
          ...(seconds === undefined ? {} : { durationMs: seconds * 1000 }),
          media: {
            ref: encodeMediaRef({ kind: 'video', id, thumb: message.thumb }),
            mimeType: 'video/mp4',
            ...(size === undefined ? {} : { size }),
          },
        },
      };
    }
    case wxMessageTypes.sticker: {
      const emoji = xmlChild(parseXml(content), 'msg', 'emoji');
      const url = xmlText(emoji, '@_cdnurl');
      if (url === '') return { content: unsupported('a sticker without a download address') };
      return { content: { kind: 'sticker', media: { ref: encodeMediaRef({ kind: 'sticker', id, url }) } } };
    }
    case wxMessageTypes.location: {
      const location = xmlChild(parseXml(content), 'msg', 'location');
      const latitude = xmlNumber(location, '@_x');
      const longitude = xmlNumber(location, '@_y');
      if (latitude === undefined || longitude === undefined) return { content: unsupported('a location') };
      const name = xmlText(location, '@_poiname');
      const address = xmlText(location, '@_label');
      return {
        content: {
          kind: 'location',
          location: { latitude, longitude, ...(name === '' ? {} : { name }), ...(address === '' ? {} : { address }) },
        },
      };
    }
    case wxMessageTypes.card: {
      const card = xmlChild(parseXml(content), 'msg');
      const wxid = xmlText(card, '@_username');
      const alias = xmlText(card, '@_alias');
      const avatarUrl = xmlText(card, '@_bigheadimgurl');
      return {
        content: {
          kind: 'contact-card',
          card: {
            name: xmlText(card, '@_nickname') || wxid,
            ...(wxid === '' ? {} : { contactId: contactId(wxid) }),
            ...(alias === '' ? {} : { alias }),
            ...(avatarUrl === '' ? {} : { avatarUrl }),
          },
        },
      };
    }
    case wxMessageTypes.app:
      return appContent(message, content);
    case wxMessageTypes.system:
      return { content: { kind: 'system', text: content } };
    case wxMessageTypes.voip:
      return { content: unsupported('a voice or video call') };
    case wxMessageTypes.moments:
    case wxMessageTypes.statusNotify:
      return undefined;
    default:
      return { content: unsupported(`a WeChat message of type ${message.type}`) };
  }
}

function friendRequest(message: WxMsg): ProviderEventV1[] {
  const request = xmlChild(parseXml(message.content), 'msg');
  const wxid = xmlText(request, '@_fromusername');
  const v3 = xmlText(request, '@_encryptusername');
  const v4 = xmlText(request, '@_ticket');
  if (wxid === '' || v3 === '' || v4 === '') return [];
  const name = xmlText(request, '@_fromnickname');
  const greeting = xmlText(request, '@_content');
  return [
    {
      type: 'friend-request-received',
      requestId: encodeFriendRequestId({ v3, v4, scene: xmlNumber(request, '@_scene') ?? 30 }),
      contactId: contactId(wxid),
      ...(name === '' ? {} : { name }),
      ...(greeting === '' ? {} : { greeting }),
    },
  ];
}

/** A 10002 system message: a recall (`revokemsg`), or some other notice. */
function systemXml(message: WxMsg, content: string, base: Omit<InboundMessageV1, 'content'>): ProviderEventV1[] {
  const root = parseXml(content);
  const sysmsg = xmlChild(root, 'sysmsg');
  const kind = xmlText(sysmsg, '@_type');
  if (kind === 'revokemsg') {
    const target = xmlText(sysmsg, 'revokemsg', 'newmsgid');
    if (target === '') return [];
    return [
      {
        type: 'message-recalled',
        target: { id: messageId(target), chat: base.chat },
        actorId: contactId(message.sender),
        timestamp: base.timestamp,
      },
    ];
  }
  return [
    { type: 'message-received', message: { ...base, content: unsupported(`a WeChat system notice (${kind || 'unknown'})`) } },
  ];
}

/**
 * One pushed WxMsg as the contract's events: usually one `message-received`, a `message-recalled` for a
 * recall, a `friend-request-received` for a friend request, nothing for status sync and Moments.
 */
export function mapWxMessage(message: WxMsg, context: MapContext): ProviderEventV1[] {
  if (message.type === wxMessageTypes.friendRequest) return friendRequest(message);
  const chat = chatOfWxMsg(message);
  const isSelf = message.is_self || (context.selfWxid !== '' && message.sender === context.selfWxid);
  const base: Omit<InboundMessageV1, 'content'> = {
    id: messageId(message.id),
    chat,
    senderId: contactId(isSelf && context.selfWxid !== '' ? context.selfWxid : message.sender || message.roomid),
    isSelf,
    timestamp: message.ts * 1000,
  };
  const content = withoutSenderPrefix(message);
  if (message.type === wxMessageTypes.systemXml) return systemXml(message, content, base);
  const mapped = contentOf(message, content);
  if (mapped === undefined) return [];
  const mentions = message.type === wxMessageTypes.text || message.type === wxMessageTypes.app ? mentionsOf(message) : undefined;
  return [
    {
      type: 'message-received',
      message: {
        ...base,
        content: mapped.content,
        ...(mentions === undefined ? {} : { mentions }),
        ...(mapped.replyTo === undefined ? {} : { replyTo: mapped.replyTo }),
      },
    },
  ];
}

/** A friend request's opaque id: what FUNC_ACCEPT_FRIEND needs. */
export interface FriendRequestTicket {
  readonly v3: string;
  readonly v4: string;
  readonly scene: number;
}

export function encodeFriendRequestId(ticket: FriendRequestTicket): string {
  return `pchook-friend:${Buffer.from(JSON.stringify(ticket), 'utf8').toString('base64url')}`;
}

export function decodeFriendRequestId(requestId: string): FriendRequestTicket | undefined {
  const prefix = 'pchook-friend:';
  if (!requestId.startsWith(prefix)) return undefined;
  try {
    const parsed = JSON.parse(
      Buffer.from(requestId.slice(prefix.length), 'base64url').toString('utf8'),
    ) as Partial<FriendRequestTicket>;
    return typeof parsed.v3 === 'string' && typeof parsed.v4 === 'string' && typeof parsed.scene === 'number'
      ? { v3: parsed.v3, v4: parsed.v4, scene: parsed.scene }
      : undefined;
  } catch {
    return undefined;
  }
}
