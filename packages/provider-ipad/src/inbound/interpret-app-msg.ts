import { contactId, type MentionsV1, messageId, type QuoteV1 } from '@wechat/provider-api';
import { ignore, type IgnoredAddMsg, type MessageParts, unsupported } from './interpreted-add-msg.ts';
import { encodeMediaRef } from './media-ref.ts';
import { normaliseMentionSpaces } from './mentions.ts';
import { mimeTypeForFile } from './mime-types.ts';
import { splitSenderPrefix } from './resolve-chat.ts';
import { at, parseXml, textAt } from './xml.ts';

/** `<appmsg><type>` values (reference B.6) that do not map to a content kind, described for the user instead. */
const described: Readonly<Record<string, string>> = {
  '17': 'Live location sharing',
  '19': 'Chat history',
  '51': 'A Channels (视频号) post',
  '2000': 'A WeChat Pay transfer',
  '2001': 'A red packet',
};

/** The invite form of a type 5 link; the title depends on the phone's language, the URL does not (trap 13). */
const inviteTitle = '邀请你加入群聊';
const inviteUrlMarker = 'addchatroombyinvite';

/**
 * MsgType 49: `<msg><appmsg><type>N</type>…`. `mentions` comes from the message's `MsgSource`, which
 * matters for quotes (57), whose reply text may mention people.
 */
export function interpretAppMsg(body: string, mentions: MentionsV1 | undefined): MessageParts | IgnoredAddMsg {
  const xml = parseXml(body);
  const appmsg = at(xml, 'msg', 'appmsg') ?? at(xml, 'appmsg');
  if (appmsg === undefined) return unsupported('An app message that could not be read');
  const type = textAt(appmsg, 'type') ?? '';
  const title = textAt(appmsg, 'title');
  const des = textAt(appmsg, 'des');
  const url = textAt(appmsg, 'url');
  switch (type) {
    case '3': // music
    case '4': // video
    case '5': {
      if (title === inviteTitle || url?.includes(inviteUrlMarker)) {
        const text = ['Invitation to join a group chat', des ?? title, url].filter(part => part !== undefined).join('\n');
        return { content: { kind: 'system', text } };
      }
      if (url === undefined) return unsupported(describe('A link without address', title, des));
      const thumbnailUrl = textAt(appmsg, 'thumburl');
      return {
        content: {
          kind: 'link',
          link: {
            url,
            title: title ?? url,
            ...(des === undefined ? {} : { description: des }),
            ...(thumbnailUrl === undefined ? {} : { thumbnailUrl }),
          },
        },
      };
    }
    case '6': {
      // Every real file message names its file; without a name the message was cut short.
      if (title === undefined) return unsupported('A file that could not be read');
      const fileName = title;
      const size = Number(textAt(appmsg, 'appattach', 'totallen'));
      const mimeType = mimeTypeForFile(fileName, textAt(appmsg, 'appattach', 'fileext'));
      return {
        content: {
          kind: 'file',
          fileName,
          media: encodeMediaRef(
            { source: 'file', xml: body },
            { fileName, ...(mimeType === undefined ? {} : { mimeType }), ...(Number.isFinite(size) && size > 0 ? { size } : {}) },
          ),
        },
      };
    }
    case '74':
      return ignore('file transfer started, not downloadable until its appmsg type 6 arrives');
    case '62':
      return ignore('pat (拍一拍)');
    case '33':
    case '36': {
      const sourceName = textAt(appmsg, 'sourcedisplayname');
      const appId = textAt(appmsg, 'weappinfo', 'appid');
      const pagePath = textAt(appmsg, 'weappinfo', 'pagepath');
      return {
        content: {
          kind: 'mini-program',
          miniProgram: {
            title: title ?? sourceName ?? 'Mini program',
            ...(appId === undefined ? {} : { appId }),
            ...(pagePath === undefined ? {} : { pagePath }),
            ...(url === undefined ? {} : { url }),
            ...(sourceName === undefined ? {} : { description: sourceName }),
          },
        },
      };
    }
    case '57':
      return quote(appmsg, title, mentions);
    case '51': {
      const nickname = textAt(appmsg, 'finderFeed', 'nickname');
      const desc = textAt(appmsg, 'finderFeed', 'desc');
      return unsupported(describe(described['51'] ?? '', nickname, desc ?? title));
    }
    default: {
      const label = described[type];
      return unsupported(
        label === undefined ? describe(`An app message (type ${type || 'unknown'})`, title, des) : describe(label, title, des),
      );
    }
  }
}

/** Type 57: the reply text is the title; `<refermsg>` describes the quoted message (reference B.6). */
function quote(appmsg: unknown, title: string | undefined, mentions: MentionsV1 | undefined): MessageParts {
  const refer = at(appmsg, 'refermsg');
  const svrid = textAt(refer, 'svrid');
  const sender = textAt(refer, 'chatusr') ?? textAt(refer, 'fromusr');
  const quoted = quotedText(textAt(refer, 'type'), textAt(refer, 'content'), sender);
  const displayName = textAt(refer, 'displayname');
  const text = quoted === undefined ? undefined : displayName === undefined ? quoted : `${displayName}: ${quoted}`;
  const replyTo: QuoteV1 = {
    ...(svrid === undefined || svrid === '0' ? {} : { messageId: messageId(svrid) }),
    ...(sender === undefined ? {} : { senderId: contactId(sender) }),
    ...(text === undefined ? {} : { text }),
  };
  return {
    content: { kind: 'text', text: normaliseMentionSpaces(title ?? '') },
    ...(mentions === undefined ? {} : { mentions }),
    ...(Object.keys(replyTo).length === 0 ? {} : { replyTo }),
  };
}

/** The quoted message as text; non-text messages are XML (already unescaped once by the parser). */
function quotedText(type: string | undefined, content: string | undefined, sender: string | undefined): string | undefined {
  switch (type) {
    case '1':
    case undefined: {
      if (content === undefined) return undefined;
      const prefixed = splitSenderPrefix(content);
      return normaliseMentionSpaces(prefixed !== undefined && prefixed.sender === sender ? prefixed.body : content);
    }
    case '3':
      return '[Image]';
    case '34':
      return '[Voice]';
    case '43':
      return '[Video]';
    case '47':
      return '[Sticker]';
    case '48':
      return '[Location]';
    case '49': {
      const inner = content === undefined ? undefined : parseXml(splitSenderPrefix(content)?.body ?? content);
      const innerTitle = textAt(inner, 'msg', 'appmsg', 'title');
      const label = appLabels[textAt(inner, 'msg', 'appmsg', 'type') ?? ''];
      if (label === undefined) return innerTitle ?? '[Message]';
      return innerTitle === undefined ? label : `${label} ${innerTitle}`;
    }
    default:
      return '[Message]';
  }
}

/** How a quoted app message is introduced; a quoted quote (57) is just its text. */
const appLabels: Readonly<Record<string, string>> = {
  '5': '[Link]',
  '6': '[File]',
  '19': '[Chat history]',
  '33': '[Mini program]',
  '36': '[Mini program]',
};

function describe(label: string, ...details: readonly (string | undefined)[]): string {
  const parts = details.filter((detail): detail is string => detail !== undefined);
  return parts.length === 0 ? label : `${label}: ${parts.join(' — ')}`;
}
