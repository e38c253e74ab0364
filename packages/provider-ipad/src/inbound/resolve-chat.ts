import { type ChatRefV1, type ContactId, contactId, roomId } from '@wechat/provider-api';
import type { GeweAddMsgData } from './parse-callback.ts';

/** Where a message belongs, who sent it, and its body without the group sender prefix. */
export interface ChatEnvelope {
  readonly chat: ChatRefV1;
  readonly senderId: ContactId;
  readonly isSelf: boolean;
  readonly body: string;
}

const roomSuffix = '@chatroom';

export const isRoomId = (id: string): boolean => id.endsWith(roomSuffix);

/** `"<wxid>:\n"` at the start of group content. Ids never contain whitespace, colons or angle brackets. */
const senderPrefix = /^([^\s:<>]+):\r?\n/;

export function splitSenderPrefix(content: string): { readonly sender: string; readonly body: string } | undefined {
  const match = senderPrefix.exec(content);
  return match?.[1] === undefined ? undefined : { sender: match[1], body: content.slice(match[0].length) };
}

/**
 * Group messages name the room in `FromUserName` and the sender in a content prefix (trap 12); group
 * system messages use the room id itself as that prefix, so the room is their sender. Older builds, and the
 * account's own group messages, put the room in `ToUserName` with no prefix: the sender is `FromUserName`.
 * A direct chat is named after the other party, also for the account's own messages.
 */
export function resolveChat(data: GeweAddMsgData, selfWxid: string): ChatEnvelope {
  const { fromUserName: from, toUserName: to, content } = data;
  if (isRoomId(from)) {
    const prefixed = splitSenderPrefix(content);
    const sender = prefixed?.sender ?? from;
    return {
      chat: { type: 'room', roomId: roomId(from) },
      senderId: contactId(sender),
      isSelf: sender === selfWxid,
      body: prefixed?.body ?? content,
    };
  }
  if (isRoomId(to)) {
    const prefixed = splitSenderPrefix(content);
    // Never expected here, but a prefix naming the sender or the room is certainly not part of the text.
    const echoed = prefixed !== undefined && (prefixed.sender === from || prefixed.sender === to) ? prefixed : undefined;
    return {
      chat: { type: 'room', roomId: roomId(to) },
      senderId: contactId(from),
      isSelf: from === selfWxid,
      body: echoed?.body ?? content,
    };
  }
  const isSelf = from === selfWxid;
  return { chat: { type: 'direct', contactId: contactId(isSelf ? to : from) }, senderId: contactId(from), isSelf, body: content };
}
