import type { SimCore } from './sim-core.ts';
import { pinyinOf, type SimRoom, systemAccounts } from './sim-world.ts';

/** `getBriefInfo`/`getDetailInfo` item (B.5); undefined for ids the account cannot see. */
export function contactInfo(core: SimCore, wxid: string): Record<string, unknown> | undefined {
  const { world } = core;
  const contact = world.contacts.get(wxid);
  const room = world.rooms.get(wxid);
  const isSelf = wxid === world.self.wxid;
  if (!contact && !room && !isSelf && !systemAccounts.has(wxid)) return undefined;
  const nickName = world.nickNameOf(wxid);
  const pinyin = pinyinOf(nickName);
  const remark = contact?.remark;
  const remarkPinyin = remark === undefined ? undefined : pinyinOf(remark);
  return {
    userName: wxid,
    nickName,
    pyInitial: pinyin.initial,
    quanPin: pinyin.full,
    sex: contact?.sex ?? 0,
    remark: remark ?? null,
    remarkPyInitial: remarkPinyin?.initial ?? null,
    remarkQuanPin: remarkPinyin?.full ?? null,
    signature: contact?.signature || null,
    alias: (isSelf ? world.self.alias : contact?.alias) || null,
    snsBgImg: null,
    country: contact?.country || null,
    province: contact?.province || null,
    city: contact?.city || null,
    bigHeadImgUrl: core.avatarUrl(wxid, 'big') || null,
    smallHeadImgUrl: core.avatarUrl(wxid, 'small') || null,
    description: null,
    cardImgUrl: null,
    labelList: null,
    phoneNumList: null,
  };
}

/** A `getChatroomMemberList` member: `displayName` is the in-group nickname and may be null (B.5). */
export function memberInfo(core: SimCore, room: SimRoom, wxid: string): Record<string, unknown> {
  const member = room.members.get(wxid);
  return {
    wxid,
    nickName: core.world.nickNameOf(wxid),
    displayName: member?.displayName ?? null,
    inviterUserName: member?.inviter ?? room.owner,
    memberFlag: 1,
    bigHeadImgUrl: core.avatarUrl(wxid, 'big') || null,
    smallHeadImgUrl: core.avatarUrl(wxid, 'small') || null,
  };
}

const wrap = (value: string | undefined) => (value === undefined || value === '' ? {} : { string: value });

/** `ModContacts.Data` of a friend, shaped like the reference's "好友资料变更" example. */
export function contactModData(core: SimCore, wxid: string): Record<string, unknown> {
  const contact = core.world.contacts.get(wxid);
  const nickName = core.world.nickNameOf(wxid);
  const pinyin = pinyinOf(nickName);
  const remarkPinyin = contact?.remark ? pinyinOf(contact.remark) : undefined;
  return {
    UserName: { string: wxid },
    NickName: { string: nickName },
    PyInitial: wrap(pinyin.initial ?? undefined),
    QuanPin: wrap(pinyin.full ?? undefined),
    Sex: contact?.sex ?? 0,
    ImgBuf: { iLen: 0 },
    BitMask: 4294967295,
    BitVal: contact?.isFriend ? 3 : 0,
    ImgFlag: 1,
    Remark: wrap(contact?.remark),
    RemarkPyinitial: wrap(remarkPinyin?.initial ?? undefined),
    RemarkQuanPin: wrap(remarkPinyin?.full ?? undefined),
    ContactType: 0,
    ChatRoomNotify: 0,
    AddContactScene: 0,
    Province: contact?.province ?? '',
    City: contact?.city ?? '',
    Signature: contact?.signature ?? '',
    Alias: contact?.alias ?? '',
    PersonalCard: 0,
    HasWeiXinHdHeadImg: contact?.avatar === false ? 0 : 1,
    VerifyFlag: 0,
    Country: contact?.country ?? '',
    BigHeadImgUrl: core.avatarUrl(wxid, 'big'),
    SmallHeadImgUrl: core.avatarUrl(wxid, 'small'),
    ChatroomMaxCount: 0,
    DeleteFlag: 0,
    ChatroomStatus: 0,
    Extflag: 0,
    ChatRoomBusinessType: 0,
  };
}

/** `ModContacts.Data` of a room, shaped like the reference's "群信息变更" example (B.6). */
export function roomModData(core: SimCore, room: SimRoom): Record<string, unknown> {
  const pinyin = pinyinOf(room.name);
  return {
    UserName: { string: room.roomId },
    NickName: wrap(room.name),
    PyInitial: wrap(pinyin.initial ?? undefined),
    QuanPin: wrap(pinyin.full ?? undefined),
    Sex: 0,
    ImgBuf: { iLen: 0 },
    BitMask: 4294967295,
    BitVal: 2,
    ImgFlag: 1,
    Remark: {},
    RemarkPyinitial: {},
    RemarkQuanPin: {},
    ContactType: 0,
    ChatRoomNotify: 1,
    ChatRoomOwner: room.owner,
    SmallHeadImgUrl: core.avatarUrl(room.roomId, 'small'),
    ChatroomMaxCount: 500,
    DeleteFlag: 2,
    Description: memberListDescription([...room.members.keys()]),
    ChatroomStatus: 27,
    Extflag: 0,
    ChatRoomBusinessType: 0,
  };
}

/** `DelContacts.Data` (B.6). */
export function delContactsData(userName: string): Record<string, unknown> {
  return { UserName: { string: userName }, DeleteContactScen: 0 };
}

/**
 * The room `Description`: GeWe passes the member list as protobuf bytes in a string (B.6 example starts
 * `\b\u0004\u0012…`: field 1 = member count, then one field-2 entry per member whose field 1 is the wxid).
 */
function memberListDescription(wxids: readonly string[]): string {
  const bytes: number[] = [0x08, ...varint(wxids.length)];
  for (const wxid of wxids) {
    const id = [...Buffer.from(wxid, 'utf8')];
    const member = [0x0a, ...varint(id.length), ...id, 0x30, 0x01];
    bytes.push(0x12, ...varint(member.length), ...member);
  }
  bytes.push(0x18, 0x01, 0x22, 0x00, 0x28, 0x00, 0x38, 0x00);
  return Buffer.from(bytes).toString('latin1');
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}
