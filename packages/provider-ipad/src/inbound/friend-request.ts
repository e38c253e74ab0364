import { contactId } from '@wechat/provider-api';
import { GeweCallbackError } from './gewe-callback-error.ts';
import { ignore, type InterpretedAddMsg } from './interpreted-add-msg.ts';
import { attr, parseXml } from './xml.ts';

/** What `/contacts/addContacts` needs to accept a request (reference B.5): the v3/v4 tickets and the scene. */
export interface FriendRequestTicket {
  /** `encryptusername`, `v3_…@stranger`. */
  readonly v3: string;
  /** `ticket`, `v4_…@stranger`. */
  readonly v4: string;
  /** Must be passed back as received, or WeChat refuses the acceptance. */
  readonly scene?: number;
}

const requestKind = 'gewe-friend-request';

export function encodeFriendRequestId(ticket: FriendRequestTicket): string {
  return JSON.stringify({ kind: requestKind, ...ticket });
}

/** Unpacks a `requestId` minted here. Throws `GeweCallbackError` for anything else. */
export function decodeFriendRequestId(requestId: string): FriendRequestTicket {
  let value: unknown;
  try {
    value = JSON.parse(requestId);
  } catch (error) {
    throw new GeweCallbackError('foreign-request-id', 'Not a friend-request id of the GeWeChat provider.', { cause: error });
  }
  const record = typeof value === 'object' && value !== null ? (value as Readonly<Record<string, unknown>>) : {};
  const { kind, v3, v4, scene } = record;
  if (kind !== requestKind || typeof v3 !== 'string' || typeof v4 !== 'string' || v3 === '' || v4 === '') {
    throw new GeweCallbackError('foreign-request-id', 'Not a friend-request id of the GeWeChat provider.');
  }
  return typeof scene === 'number' ? { v3, v4, scene } : { v3, v4 };
}

/** MsgType 37, sent by `fmessage`: `<msg fromusername encryptusername fromnickname content scene ticket …>`. */
export function interpretFriendRequest(content: string): InterpretedAddMsg {
  const msg = parseXml(content)?.msg;
  const v3 = attr(msg, 'encryptusername');
  const v4 = attr(msg, 'ticket');
  const wxid = attr(msg, 'fromusername') ?? v3;
  if (v3 === undefined || v4 === undefined || wxid === undefined) {
    return ignore('friend request without encryptusername, ticket or fromusername');
  }
  const sceneText = attr(msg, 'scene');
  const scene = sceneText === undefined ? Number.NaN : Number(sceneText);
  const name = attr(msg, 'fromnickname');
  const greeting = attr(msg, 'content');
  return {
    type: 'friend-request',
    requestId: encodeFriendRequestId(Number.isInteger(scene) ? { v3, v4, scene } : { v3, v4 }),
    contactId: contactId(wxid),
    ...(name === undefined ? {} : { name }),
    ...(greeting === undefined ? {} : { greeting }),
  };
}
