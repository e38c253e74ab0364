import { type InboundContentV1, messageId } from '@wechat/provider-api';
import { interpretFriendRequest } from './friend-request.ts';
import { interpretAppMsg } from './interpret-app-msg.ts';
import {
  contactCardContent,
  imageContent,
  locationContent,
  stickerContent,
  videoContent,
  voiceContent,
} from './interpret-media-msg.ts';
import { interpretSysmsg } from './interpret-sysmsg.ts';
import { type IgnoredAddMsg, ignore, type InterpretedAddMsg, type MessageParts, unsupported } from './interpreted-add-msg.ts';
import { mentionsFromMsgSource, normaliseMentionSpaces } from './mentions.ts';
import type { GeweAddMsgData } from './parse-callback.ts';
import { type ChatEnvelope, resolveChat } from './resolve-chat.ts';

export type { InterpretedAddMsg } from './interpreted-add-msg.ts';

export interface InterpretContext {
  /** The logged-in account: its own messages come back as callbacks too (trap 11). */
  readonly selfWxid: string;
}

/** MsgTypes without a content kind (reference B.6 and common WeChat types), described for the user. */
const describedTypes: Readonly<Record<number, string>> = {
  35: 'An email',
  50: 'A voice or video call',
  52: 'A voice or video call',
  53: 'A voice or video call',
  66: 'A WeCom contact card',
};

/**
 * What one `AddMsg` means. Never throws and never drops a message silently: what cannot be read becomes an
 * `unsupported` message (or, for control messages, `ignore` with a reason for the log).
 */
export function interpretAddMsg(data: GeweAddMsgData, context: InterpretContext): InterpretedAddMsg {
  try {
    return interpret(data, context.selfWxid);
  } catch (error) {
    return ignore(
      `message type ${data.msgType} could not be interpreted: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function interpret(data: GeweAddMsgData, selfWxid: string): InterpretedAddMsg {
  if (data.msgType === 51) return ignore('client status sync (MsgType 51)');
  if (data.msgType === 37) return interpretFriendRequest(data.content);
  const envelope = resolveChat(data, selfWxid);
  const toMessage = (parts: MessageParts): InterpretedAddMsg => ({
    type: 'message',
    message: {
      id: messageId(data.newMsgId),
      chat: envelope.chat,
      senderId: envelope.senderId,
      isSelf: envelope.isSelf,
      timestamp: data.createTime * 1000,
      ...parts,
    },
  });
  if (data.msgType === 10002) {
    return interpretSysmsg(data, envelope, selfWxid, text => toMessage({ content: { kind: 'system', text } }));
  }
  let parts: MessageParts | IgnoredAddMsg;
  try {
    parts = messageParts(data, envelope);
  } catch {
    parts = unsupported(`A WeChat message (type ${data.msgType}) that could not be read`);
  }
  return 'type' in parts ? parts : toMessage(parts);
}

function messageParts(data: GeweAddMsgData, envelope: ChatEnvelope): MessageParts | IgnoredAddMsg {
  const { body } = envelope;
  const content = (value: InboundContentV1): MessageParts => ({ content: value });
  switch (data.msgType) {
    case 1: {
      const mentions = mentionsFromMsgSource(data.msgSource);
      return { content: { kind: 'text', text: normaliseMentionSpaces(body) }, ...(mentions === undefined ? {} : { mentions }) };
    }
    case 3:
      return content(imageContent(body));
    case 34:
      return content(voiceContent(body, data));
    case 43:
    case 62:
      return content(videoContent(body));
    case 47:
      return content(stickerContent(body));
    case 48:
      return content(locationContent(body));
    case 42:
      return content(contactCardContent(body));
    case 49:
      return interpretAppMsg(body, mentionsFromMsgSource(data.msgSource));
    case 10000: {
      const text = body.trim();
      return text === '' ? ignore('empty system text (10000)') : content({ kind: 'system', text });
    }
    default:
      return unsupported(
        describedTypes[data.msgType] ?? `A WeChat message of a type the bridge cannot show (type ${data.msgType})`,
      );
  }
}
