import { type ChatRefV1, contactId, messageId, roomId } from '@wechat/provider-api';
import { ignore, type InterpretedAddMsg } from './interpreted-add-msg.ts';
import type { GeweAddMsgData } from './parse-callback.ts';
import { type ChatEnvelope, isRoomId } from './resolve-chat.ts';
import { membershipChange, readSysmsgTemplate, renderSysmsgTemplate } from './sysmsg-template.ts';
import { at, attr, findText, parseXml, textAt } from './xml.ts';

/** Where readable text hides in system messages of types this package does not know. */
const textKeys = ['text', 'plain', 'content', 'title', 'replacemsg'];

/**
 * MsgType 10002, `<sysmsg type="…">` (reference B.6). `systemMessage` turns text into a `system` message in
 * the envelope's chat.
 */
export function interpretSysmsg(
  data: GeweAddMsgData,
  envelope: ChatEnvelope,
  selfWxid: string,
  systemMessage: (text: string) => InterpretedAddMsg,
): InterpretedAddMsg {
  const xml = parseXml(envelope.body);
  const sysmsg = at(xml, 'sysmsg');
  if (sysmsg === undefined) {
    const text = envelope.body.trim();
    const readable = !text.startsWith('<') && /[\p{L}\p{N}]/u.test(text);
    return readable ? systemMessage(text) : ignore('system message (10002) that is not readable');
  }
  const type = attr(sysmsg, 'type') ?? '';
  switch (type) {
    case 'revokemsg':
      return recall(data, envelope, selfWxid, at(sysmsg, 'revokemsg'));
    case 'pat':
      // The template names only wxids ("${wxid_a}" 拍了拍 "${wxid_b}"), and pats are fleeting nudges.
      return ignore('pat (拍一拍)');
    case 'sysmsgtemplate': {
      const template = readSysmsgTemplate(sysmsg);
      if (template === undefined) return ignore('sysmsgtemplate without a template');
      const { chat } = envelope;
      const change = chat.type === 'room' ? membershipChange(template, selfWxid) : undefined;
      if (chat.type === 'room' && change?.type === 'joined') {
        const { contactIds, inviterId } = change;
        return { type: 'room-members-joined', roomId: chat.roomId, contactIds, ...(inviterId ? { inviterId } : {}) };
      }
      if (chat.type === 'room' && change?.type === 'left') {
        const { contactIds, removerId } = change;
        return { type: 'room-members-left', roomId: chat.roomId, contactIds, ...(removerId ? { removerId } : {}) };
      }
      const text = renderSysmsgTemplate(template);
      return text === '' ? ignore('sysmsgtemplate that renders empty') : systemMessage(text);
    }
    case 'mmchatroombarannouncememt':
      // The announcement is room state; hosts re-fetch the room (and its topic) on room-updated.
      return envelope.chat.type === 'room'
        ? { type: 'room-updated', roomId: envelope.chat.roomId }
        : ignore('group announcement outside a group');
    default: {
      const text = findText(at(sysmsg, type) ?? sysmsg, textKeys);
      return text === undefined ? ignore(`system message "${type}" without readable text`) : systemMessage(text);
    }
  }
}

/**
 * `<revokemsg><session/><msgid/><newmsgid/><replacemsg/>`: the ids are the *revoked* message's. `session`
 * names the chat, except that a private recall by the account itself names the account; the chat is then
 * the other party, as for any own message.
 */
function recall(data: GeweAddMsgData, envelope: ChatEnvelope, selfWxid: string, revoke: unknown): InterpretedAddMsg {
  const target = textAt(revoke, 'newmsgid') ?? textAt(revoke, 'msgid');
  if (target === undefined || !/^\d+$/.test(target) || target === '0') return ignore('recall without the recalled message id');
  const session = textAt(revoke, 'session');
  let chat: ChatRefV1 = envelope.chat;
  if (session !== undefined && isRoomId(session)) chat = { type: 'room', roomId: roomId(session) };
  else if (session !== undefined && session !== selfWxid) chat = { type: 'direct', contactId: contactId(session) };
  return {
    type: 'recall',
    target: { id: messageId(target), chat },
    actorId: envelope.senderId,
    timestamp: data.createTime * 1000,
  };
}
