import { GeweCallbackError } from './gewe-callback-error.ts';
import { field, idField, isRecord, type JsonRecord, numberField, parseJsonKeepingIds, stringField } from './json-fields.ts';

/** `AddMsg` data, normalised (reference B.6). Ids are decimal strings: `NewMsgId` exceeds 2^53. */
export interface GeweAddMsgData {
  /** The 32-bit `MsgId`; `downloadVoice` wants it. Empty when the callback had none. */
  readonly msgId: string;
  /** The 64-bit `NewMsgId`: the message's id in this bridge, and the de-duplication key. */
  readonly newMsgId: string;
  readonly fromUserName: string;
  readonly toUserName: string;
  readonly msgType: number;
  /** As received: group messages still carry their `"<sender>:\n"` prefix. */
  readonly content: string;
  /** Seconds since the epoch. */
  readonly createTime: number;
  readonly msgSource?: string;
  readonly pushContent?: string;
  /** A thumbnail or a voice message's SILK bytes, base64 (reference B.4). */
  readonly imgBuf?: { readonly length: number; readonly base64?: string };
  readonly status?: number;
  readonly msgSeq?: string;
}

/** `ModContacts` data: a contact's or a group's profile (reference B.6). */
export interface GeweModContactsData {
  readonly userName: string;
  readonly nickName?: string;
  readonly remark?: string;
  readonly smallHeadImgUrl?: string;
  readonly bigHeadImgUrl?: string;
  readonly chatRoomOwner?: string;
  readonly imgFlag?: number;
  /** `userName` ends in `@chatroom`. */
  readonly isRoom: boolean;
}

export type GeweCallback =
  /** Sent once by `/tools/setCallback` to prove the URL works. */
  | { readonly type: 'test'; readonly token?: string }
  | { readonly type: 'add-msg'; readonly appId: string; readonly wxid: string; readonly data: GeweAddMsgData }
  | { readonly type: 'mod-contacts'; readonly appId: string; readonly wxid: string; readonly data: GeweModContactsData }
  | { readonly type: 'del-contacts'; readonly appId: string; readonly wxid: string; readonly userName: string }
  | { readonly type: 'offline'; readonly appId: string; readonly wxid: string }
  | { readonly type: 'unknown'; readonly typeName: string; readonly appId?: string };

/**
 * Reads a callback body. Accepts both envelope spellings (`TypeName/Appid/Wxid/Data` and the newer
 * `type_name/appid/wxid/data`, trap 15), the `{string: …}` wrappers, and empty `{}` ones.
 *
 * Throws `GeweCallbackError` when the body is not a JSON object, or when a known callback type lacks the
 * fields nothing can be done without (an `AddMsg` without sender or ids, a contact without user name).
 */
export function parseGeweCallback(body: string): GeweCallback {
  let value: unknown;
  try {
    value = parseJsonKeepingIds(body);
  } catch (error) {
    throw new GeweCallbackError('invalid-json', 'The GeWeChat callback body is not JSON.', { cause: error });
  }
  if (!isRecord(value)) throw new GeweCallbackError('not-an-object', 'The GeWeChat callback body is not a JSON object.');

  if (field(value, 'testMsg') !== undefined) {
    const token = stringField(value, 'token');
    return token === undefined ? { type: 'test' } : { type: 'test', token };
  }

  const typeName = stringField(value, 'TypeName') ?? '';
  const appId = stringField(value, 'Appid') ?? '';
  const wxid = stringField(value, 'Wxid') ?? '';
  const data = field(value, 'Data');
  switch (typeName.toLowerCase()) {
    case 'addmsg':
      return { type: 'add-msg', appId, wxid, data: readAddMsg(data) };
    case 'modcontacts':
      return { type: 'mod-contacts', appId, wxid, data: readModContacts(data) };
    case 'delcontacts':
      return { type: 'del-contacts', appId, wxid, userName: readUserName(data, 'DelContacts') };
    case 'offline':
      return { type: 'offline', appId, wxid };
    default:
      return appId === '' ? { type: 'unknown', typeName } : { type: 'unknown', typeName, appId };
  }
}

function readAddMsg(data: unknown): GeweAddMsgData {
  if (!isRecord(data)) throw invalid('AddMsg without Data');
  const msgId = idField(data, 'MsgId');
  // Deduplication hangs on NewMsgId; the rare callback without one still has a usable MsgId.
  const newMsgId = idField(data, 'NewMsgId') ?? msgId;
  const fromUserName = stringField(data, 'FromUserName');
  const msgType = numberField(data, 'MsgType');
  if (newMsgId === undefined || newMsgId === '0' || !fromUserName || msgType === undefined) {
    throw invalid('AddMsg without NewMsgId, FromUserName or MsgType');
  }
  const msgSource = stringField(data, 'MsgSource');
  const pushContent = stringField(data, 'PushContent');
  const imgBuf = readImgBuf(field(data, 'ImgBuf'));
  const status = numberField(data, 'Status');
  const msgSeq = idField(data, 'MsgSeq');
  return {
    msgId: msgId ?? '',
    newMsgId,
    fromUserName,
    toUserName: stringField(data, 'ToUserName') ?? '',
    msgType,
    content: stringField(data, 'Content') ?? '',
    createTime: numberField(data, 'CreateTime') ?? 0,
    ...(msgSource ? { msgSource } : {}),
    ...(pushContent ? { pushContent } : {}),
    ...(imgBuf ? { imgBuf } : {}),
    ...(status === undefined ? {} : { status }),
    ...(msgSeq === undefined ? {} : { msgSeq }),
  };
}

function readImgBuf(value: unknown): GeweAddMsgData['imgBuf'] {
  if (!isRecord(value)) return undefined;
  const base64 = stringField(value, 'buffer');
  const length = numberField(value, 'iLen') ?? (base64 ? Math.floor((base64.length * 3) / 4) : 0);
  return base64 ? { length, base64 } : { length };
}

function readModContacts(data: unknown): GeweModContactsData {
  const userName = readUserName(data, 'ModContacts');
  const record = data as JsonRecord;
  const optional = (name: string): string | undefined => {
    const value = stringField(record, name);
    return value === undefined || value === '' ? undefined : value;
  };
  const nickName = optional('NickName');
  const remark = optional('Remark');
  const smallHeadImgUrl = optional('SmallHeadImgUrl');
  const bigHeadImgUrl = optional('BigHeadImgUrl');
  const chatRoomOwner = optional('ChatRoomOwner');
  const imgFlag = numberField(record, 'ImgFlag');
  return {
    userName,
    ...(nickName === undefined ? {} : { nickName }),
    ...(remark === undefined ? {} : { remark }),
    ...(smallHeadImgUrl === undefined ? {} : { smallHeadImgUrl }),
    ...(bigHeadImgUrl === undefined ? {} : { bigHeadImgUrl }),
    ...(chatRoomOwner === undefined ? {} : { chatRoomOwner }),
    ...(imgFlag === undefined ? {} : { imgFlag }),
    isRoom: userName.endsWith('@chatroom'),
  };
}

function readUserName(data: unknown, typeName: string): string {
  const userName = isRecord(data) ? stringField(data, 'UserName') : undefined;
  if (!userName) throw invalid(`${typeName} without UserName`);
  return userName;
}

const invalid = (what: string): GeweCallbackError =>
  new GeweCallbackError('invalid-payload', `The GeWeChat callback is unusable: ${what}.`);
