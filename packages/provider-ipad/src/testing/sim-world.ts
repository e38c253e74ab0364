/** The logged-in account. */
export interface SimSelf {
  readonly wxid: string;
  nickName: string;
  alias: string;
  mobile: string;
  readonly uin: number;
}

export interface SimContactInit {
  readonly wxid: string;
  readonly nickName: string;
  readonly remark?: string;
  readonly alias?: string;
  /** Whether the contact has a head image (served by the simulator's file server). Default true. */
  readonly avatar?: boolean;
  /** 0 unknown, 1 male, 2 female. */
  readonly sex?: number;
  readonly signature?: string;
  readonly country?: string;
  readonly province?: string;
  readonly city?: string;
}

export interface SimContact {
  readonly wxid: string;
  nickName: string;
  remark: string | undefined;
  alias: string;
  avatar: boolean;
  sex: number;
  signature: string;
  country: string;
  province: string;
  city: string;
  /** In the account's address book (`fetchContactsList.friends`); false for strangers met in rooms or requests. */
  isFriend: boolean;
}

export interface SimRoomMemberInit {
  readonly wxid: string;
  /** The in-group nickname; `getChatroomMemberList` reports null when unset. */
  readonly displayName?: string;
  /** For members who are not contacts: their WeChat nickname (default: the display name, else the wxid). */
  readonly nickName?: string;
}

export interface SimRoomInit {
  readonly roomId: string;
  readonly name: string;
  readonly owner: string;
  readonly members: readonly SimRoomMemberInit[];
  /** Whether the account is in the room (added to the members). Default true. */
  readonly selfIsMember?: boolean;
}

export interface SimRoomMember {
  readonly wxid: string;
  displayName: string | undefined;
  inviter: string;
}

export interface SimRoom {
  readonly roomId: string;
  name: string;
  owner: string;
  readonly members: Map<string, SimRoomMember>;
  announcement: { content: string; editor: string; publishTime: number } | undefined;
}

/** A message the simulated WeChat knows, for quotes, recalls and redeliveries. */
export interface SimMessageRecord {
  readonly newMsgId: string;
  readonly msgId: number;
  readonly sender: string;
  /** The conversation: the room id, or the other party of a private chat. */
  readonly chat: string;
  readonly room: string | undefined;
  readonly msgType: number;
  /** The content without the group sender prefix. */
  readonly content: string;
  readonly createTime: number;
  revoked: boolean;
}

export interface SimFriendRequest {
  readonly wxid: string;
  readonly nickName: string;
  readonly v3: string;
  readonly v4: string;
  readonly scene: number;
}

/** WeChat's built-in accounts, always among the friends (reference B.5). */
export const systemAccounts: ReadonlyMap<string, string> = new Map([
  ['weixin', '微信团队'],
  ['fmessage', '朋友推荐消息'],
  ['medianote', '语音记事本'],
  ['floatbottle', '漂流瓶'],
  ['filehelper', '文件传输助手'],
]);

/** The account's side of WeChat: contacts, rooms and message history. Survives container resets and restarts. */
export interface SimWorld {
  readonly self: SimSelf;
  readonly contacts: Map<string, SimContact>;
  readonly rooms: Map<string, SimRoom>;
  readonly messages: Map<string, SimMessageRecord>;
  readonly friendRequests: SimFriendRequest[];
  /** Group invite URLs (`agreeJoinRoom`) → the room and who invited. */
  readonly invites: Map<string, { readonly roomId: string; readonly inviter: string }>;
  upsertContact(init: SimContactInit, isFriend: boolean): SimContact;
  addRoom(init: SimRoomInit): SimRoom;
  nickNameOf(wxid: string): string;
  /** The name a member shows in a room: the in-group display name, else the nickname. */
  displayNameIn(room: SimRoom, wxid: string): string;
  requireRoom(roomId: string): SimRoom;
}

export function createSimWorld(self: SimSelf): SimWorld {
  const contacts = new Map<string, SimContact>();
  const rooms = new Map<string, SimRoom>();

  const world: SimWorld = {
    self,
    contacts,
    rooms,
    messages: new Map(),
    friendRequests: [],
    invites: new Map(),
    upsertContact(init, isFriend) {
      const existing = contacts.get(init.wxid);
      const contact: SimContact = {
        wxid: init.wxid,
        nickName: init.nickName,
        remark: init.remark ?? existing?.remark,
        alias: init.alias ?? existing?.alias ?? '',
        avatar: init.avatar ?? existing?.avatar ?? true,
        sex: init.sex ?? existing?.sex ?? 0,
        signature: init.signature ?? existing?.signature ?? '',
        country: init.country ?? existing?.country ?? '',
        province: init.province ?? existing?.province ?? '',
        city: init.city ?? existing?.city ?? '',
        isFriend: isFriend || (existing?.isFriend ?? false),
      };
      contacts.set(init.wxid, contact);
      return contact;
    },
    addRoom(init) {
      if (!init.roomId.endsWith('@chatroom')) throw new Error(`a room id ends with @chatroom: ${init.roomId}`);
      const members = new Map<string, SimRoomMember>();
      for (const member of init.members) {
        if (member.wxid !== self.wxid && !contacts.has(member.wxid)) {
          world.upsertContact({ wxid: member.wxid, nickName: member.nickName ?? member.displayName ?? member.wxid }, false);
        }
        members.set(member.wxid, { wxid: member.wxid, displayName: member.displayName, inviter: init.owner });
      }
      if ((init.selfIsMember ?? true) && !members.has(self.wxid)) {
        members.set(self.wxid, { wxid: self.wxid, displayName: undefined, inviter: init.owner });
      }
      const room: SimRoom = { roomId: init.roomId, name: init.name, owner: init.owner, members, announcement: undefined };
      rooms.set(init.roomId, room);
      return room;
    },
    nickNameOf(wxid) {
      if (wxid === self.wxid) return self.nickName;
      return contacts.get(wxid)?.nickName ?? systemAccounts.get(wxid) ?? rooms.get(wxid)?.name ?? wxid;
    },
    displayNameIn(room, wxid) {
      return room.members.get(wxid)?.displayName ?? world.nickNameOf(wxid);
    },
    requireRoom(roomId) {
      const room = rooms.get(roomId);
      if (!room) throw new Error(`the simulator knows no room ${roomId}; add it with addRoom() first`);
      return room;
    },
  };
  return world;
}

/** GeWe's pinyin fields for ASCII names ("GeWe test" → GEWETEST / GeWetest); null for others (no pinyin table here). */
export function pinyinOf(name: string): { initial: string | null; full: string | null } {
  const compact = name.replace(/\s+/g, '');
  if (!/^[\x20-\x7e]*$/.test(name) || compact === '') return { initial: null, full: null };
  return { initial: compact.toUpperCase(), full: compact };
}
