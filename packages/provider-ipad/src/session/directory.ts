import {
  contactId,
  type ContactV1,
  roomId as toRoomId,
  type RoomMemberV1,
  type RoomV1,
  WechatNotFoundError,
} from '@wechat/provider-api';
import { encodeMediaRef } from '../inbound/index.ts';
import type { IpadSessionContext } from './session-parts.ts';

/** `getBriefInfo` rows (reference B.5). */
interface GeweContactInfo {
  readonly userName?: string;
  readonly nickName?: string | null;
  readonly remark?: string | null;
  readonly alias?: string | null;
  readonly signature?: string | null;
  readonly sex?: number | null;
  readonly country?: string | null;
  readonly province?: string | null;
  readonly city?: string | null;
  readonly bigHeadImgUrl?: string | null;
  readonly smallHeadImgUrl?: string | null;
}

interface GeweMember {
  readonly wxid?: string;
  readonly nickName?: string | null;
  readonly displayName?: string | null;
  readonly inviterUserName?: string | null;
  readonly bigHeadImgUrl?: string | null;
  readonly smallHeadImgUrl?: string | null;
}

interface GeweRoomInfo {
  readonly chatroomId?: string;
  readonly nickName?: string | null;
  readonly chatRoomOwner?: string | null;
  readonly smallHeadImgUrl?: string | null;
  readonly memberList?: readonly GeweMember[] | null;
}

/** Accounts WeChat lists as friends that are really system features (reference B.5). */
const systemAccounts = new Set(['weixin', 'fmessage', 'medianote', 'floatbottle', 'filehelper', 'newsapp', 'qmessage']);

/** Contacts and rooms through `/contacts/*` and `/group/*`, mapped to the contract's entities. */
export class Directory {
  readonly #context: IpadSessionContext;
  readonly #appId: () => string;

  constructor(context: IpadSessionContext, appId: () => string) {
    this.#context = context;
    this.#appId = appId;
  }

  async getContacts(wxids: readonly string[]): Promise<ContactV1[]> {
    const contacts: ContactV1[] = [];
    // The service takes batches; 20 per call is what the clients use.
    for (let index = 0; index < wxids.length; index += 20) {
      const batch = wxids.slice(index, index + 20);
      const rows = await this.#context.client.post<GeweContactInfo[] | null>('/contacts/getBriefInfo', {
        appId: this.#appId(),
        wxids: batch,
      });
      for (const row of rows ?? []) if (row?.userName) contacts.push(toContact(row));
    }
    return contacts;
  }

  async getContact(wxid: string): Promise<ContactV1> {
    const [contact] = await this.getContacts([wxid]);
    if (contact === undefined || contact.id !== wxid) {
      throw new WechatNotFoundError({ entity: 'contact', id: wxid, providerId: this.#context.providerId });
    }
    return contact;
  }

  async listContacts(): Promise<ContactV1[]> {
    const list = await this.#contactsList();
    const friends = list.friends.filter(wxid => !systemAccounts.has(wxid));
    return (await this.getContacts(friends)).map(contact => ({ ...contact, isFriend: true }));
  }

  async listRooms(): Promise<RoomV1[]> {
    const list = await this.#contactsList();
    const rooms: RoomV1[] = [];
    for (const roomId of list.chatrooms) {
      try {
        rooms.push(await this.getRoom(roomId));
      } catch (error) {
        if (!WechatNotFoundError.isInstance(error)) throw error;
      }
    }
    return rooms;
  }

  async getRoom(roomId: string): Promise<RoomV1> {
    const info = await this.#roomInfo(roomId);
    const members = info.memberList ?? [];
    return {
      id: toRoomId(roomId),
      name:
        info.nickName ||
        members
          .map(member => member.displayName || member.nickName)
          .filter(Boolean)
          .slice(0, 3)
          .join(', ') ||
        roomId,
      ...(info.chatRoomOwner ? { ownerId: contactId(info.chatRoomOwner) } : {}),
      ...(info.smallHeadImgUrl
        ? { avatar: encodeMediaRef({ source: 'url', url: info.smallHeadImgUrl }, { mimeType: 'image/jpeg' }) }
        : {}),
      ...(members.length > 0 ? { memberCount: members.length } : {}),
    };
  }

  async listRoomMembers(roomId: string): Promise<RoomMemberV1[]> {
    const [info, list] = await Promise.all([
      this.#roomInfo(roomId),
      this.#context.client.post<{ memberList?: readonly GeweMember[] | null } | null>('/group/getChatroomMemberList', {
        appId: this.#appId(),
        chatroomId: roomId,
      }),
    ]);
    return (list?.memberList ?? []).flatMap(member => {
      if (!member.wxid) return [];
      const avatarUrl = member.bigHeadImgUrl || member.smallHeadImgUrl;
      return [
        {
          id: contactId(member.wxid),
          name: member.nickName || member.wxid,
          ...(member.displayName ? { displayName: member.displayName } : {}),
          ...(avatarUrl ? { avatar: encodeMediaRef({ source: 'url', url: avatarUrl }, { mimeType: 'image/jpeg' }) } : {}),
          ...(member.inviterUserName ? { inviterId: contactId(member.inviterUserName) } : {}),
          role: member.wxid === info.chatRoomOwner ? ('owner' as const) : ('member' as const),
        },
      ];
    });
  }

  /** The name to show in an `@mention`: the in-group nickname first, as WeChat clients do. */
  async mentionName(roomId: string, wxid: string): Promise<string> {
    try {
      const members = await this.listRoomMembers(roomId);
      const member = members.find(candidate => candidate.id === wxid);
      if (member) return member.displayName ?? member.name;
    } catch (error) {
      this.#context.logger.debug({ error: String(error), roomId }, 'gewechat: member lookup for a mention failed');
    }
    return wxid;
  }

  async #roomInfo(roomId: string): Promise<GeweRoomInfo> {
    const info = await this.#context.client.post<GeweRoomInfo | null>('/group/getChatroomInfo', {
      appId: this.#appId(),
      chatroomId: roomId,
    });
    if (!info || (info.chatroomId !== undefined && info.chatroomId !== roomId)) {
      throw new WechatNotFoundError({ entity: 'room', id: roomId, providerId: this.#context.providerId });
    }
    return info;
  }

  async #contactsList(): Promise<{ friends: string[]; chatrooms: string[] }> {
    const data = await this.#context.client.post<{ friends?: string[] | null; chatrooms?: string[] | null } | null>(
      '/contacts/fetchContactsList',
      { appId: this.#appId() },
    );
    return { friends: data?.friends ?? [], chatrooms: data?.chatrooms ?? [] };
  }
}

function toContact(row: GeweContactInfo): ContactV1 {
  const id = row.userName ?? '';
  const avatarUrl = row.bigHeadImgUrl || row.smallHeadImgUrl;
  const region = {
    ...(row.country ? { country: row.country } : {}),
    ...(row.province ? { province: row.province } : {}),
    ...(row.city ? { city: row.city } : {}),
  };
  return {
    id: contactId(id),
    name: row.nickName || id,
    ...(row.remark ? { remark: row.remark } : {}),
    ...(row.alias && row.alias !== id ? { alias: row.alias } : {}),
    ...(avatarUrl ? { avatar: encodeMediaRef({ source: 'url', url: avatarUrl }, { mimeType: 'image/jpeg' }) } : {}),
    gender: row.sex === 1 ? 'male' : row.sex === 2 ? 'female' : 'unknown',
    ...(Object.keys(region).length > 0 ? { region } : {}),
    ...(row.signature ? { signature: row.signature } : {}),
    kind: id.startsWith('gh_') ? 'official' : 'personal',
  };
}
