import {
  type ContactV1,
  contactId,
  type RoomMemberV1,
  type RoomV1,
  roomId,
  WechatNotFoundError,
  WechatRequestError,
} from '@wechat/provider-api';
import type { Clock } from '../client/clock.ts';
import type { WcfClient } from '../client/wcf-client.ts';
import { pchookProviderId } from '../client/wcf-errors.ts';
import { type DbValue, sqlString } from '../protocol/db-values.ts';
import { decodeRoomData } from '../protocol/wcf-codec.ts';
import type { RoomData, RpcContact, UserInfo } from '../protocol/wcf-messages.ts';

/** Built-in WeChat accounts that come back from FUNC_GET_CONTACTS but are no one to talk to. */
const builtinAccounts: ReadonlySet<string> = new Set([
  'fmessage',
  'medianote',
  'floatbottle',
  'newsapp',
  'qmessage',
  'qqmail',
  'tmessage',
  'qqsync',
  'qqfriend',
  'lbsapp',
  'shakeapp',
  'voipapp',
  'voicevoipapp',
  'voiceinputapp',
  'linkedinplugin',
  'notifymessage',
  'blogapp',
  'masssendapp',
  'feedsapp',
  'facebookapp',
  'meishiapp',
  'weibo',
  'cardpackage',
  'officialaccounts',
  'helper_entry',
  'exmail_tool',
]);

const messageDb = 'MicroMsg.db';
const queryBatch = 200;

export const isRoomId = (id: string) => id.endsWith('@chatroom');

function text(value: DbValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function contactFromRpc(contact: RpcContact): ContactV1 {
  const region = {
    ...(contact.country === '' ? {} : { country: contact.country }),
    ...(contact.province === '' ? {} : { province: contact.province }),
    ...(contact.city === '' ? {} : { city: contact.city }),
  };
  const kind = contact.wxid.startsWith('gh_') ? 'official' : contact.wxid.endsWith('@openim') ? 'enterprise' : 'personal';
  return {
    id: contactId(contact.wxid),
    name: contact.name || contact.wxid,
    ...(contact.remark === '' ? {} : { remark: contact.remark }),
    ...(contact.code === '' || contact.code === contact.wxid ? {} : { alias: contact.code }),
    gender: contact.gender === 1 ? 'male' : contact.gender === 2 ? 'female' : 'unknown',
    ...(Object.keys(region).length === 0 ? {} : { region }),
    kind,
    isFriend: kind === 'personal' && contact.wxid !== 'filehelper',
  };
}

export function contactFromUserInfo(self: UserInfo): ContactV1 {
  return {
    id: contactId(self.wxid),
    name: self.name || self.wxid,
    ...(self.alias === '' || self.alias === self.wxid ? {} : { alias: self.alias }),
    kind: 'personal',
  };
}

export interface DirectoryOptions {
  readonly client: () => WcfClient;
  readonly clock: Clock;
  /** How long FUNC_GET_CONTACTS' answer is reused. Default 60 s. */
  readonly cacheMs?: number;
  /** The account itself, when known (it is not in its own contact list). */
  readonly self: () => ContactV1 | undefined;
}

/**
 * Contacts and rooms. WeChatFerry lists contacts (FUNC_GET_CONTACTS; FUNC_GET_CONTACT_INFO is not implemented on
 * the host) and answers everything else from WeChat's own database: room members from `ChatRoom.RoomData` and
 * names of people who are not contacts from `Contact` (FUNC_EXEC_DB_QUERY on MicroMsg.db).
 */
export function createDirectory(options: DirectoryOptions) {
  const cacheMs = options.cacheMs ?? 60_000;
  let cached: { at: number; contacts: readonly RpcContact[] } | undefined;
  let checkedDb = false;

  const contacts = async (): Promise<readonly RpcContact[]> => {
    const now = options.clock.now();
    if (cached !== undefined && now - cached.at < cacheMs) return cached.contacts;
    const fetched = await options.client().getContacts();
    cached = { at: now, contacts: fetched };
    return fetched;
  };

  const query = async (sql: string) => {
    const client = options.client();
    if (!checkedDb) {
      const names = await client.getDbNames();
      if (!names.includes(messageDb)) {
        throw new WechatRequestError({
          operation: 'FUNC_GET_DB_NAMES',
          providerId: pchookProviderId,
          retryable: true,
          message: `WeChatFerry lists no ${messageDb} (it lists ${names.join(', ') || 'none'}); is WeChat logged in?`,
        });
      }
      checkedDb = true;
    }
    return client.execDbQuery(messageDb, sql);
  };

  const roomData = async (id: string): Promise<RoomData | undefined> => {
    const rows = await query(`SELECT RoomData FROM ChatRoom WHERE ChatRoomName = ${sqlString(id)};`);
    const blob = rows[0]?.RoomData;
    return blob instanceof Uint8Array ? decodeRoomData(blob) : undefined;
  };

  /** Contact rows from the database, for people who may not be contacts. */
  const databaseContacts = async (wxids: readonly string[]) => {
    const found = new Map<string, { name: string; remark: string; alias: string }>();
    for (let start = 0; start < wxids.length; start += queryBatch) {
      const batch = wxids.slice(start, start + queryBatch);
      const rows = await query(
        `SELECT UserName, NickName, Remark, Alias FROM Contact WHERE UserName IN (${batch.map(sqlString).join(', ')});`,
      );
      for (const row of rows) {
        found.set(text(row.UserName), { name: text(row.NickName), remark: text(row.Remark), alias: text(row.Alias) });
      }
    }
    return found;
  };

  const roomFrom = (id: string, contact: RpcContact | undefined, data: RoomData | undefined, names: string[]): RoomV1 => ({
    id: roomId(id),
    name: contact?.name || names.slice(0, 3).join('、') || id,
    ...(data === undefined ? {} : { memberCount: data.members.length }),
  });

  const directory = {
    invalidate() {
      cached = undefined;
      checkedDb = false;
    },

    async getContact(id: string): Promise<ContactV1> {
      const self = options.self();
      if (self !== undefined && self.id === id) return self;
      const known = (await contacts()).find(contact => contact.wxid === id);
      if (known !== undefined && !isRoomId(id)) return contactFromRpc(known);
      if (!isRoomId(id)) {
        const row = (await databaseContacts([id])).get(id);
        if (row !== undefined) {
          return {
            id: contactId(id),
            name: row.name || id,
            ...(row.remark === '' ? {} : { remark: row.remark }),
            ...(row.alias === '' ? {} : { alias: row.alias }),
            isFriend: false,
          };
        }
      }
      throw new WechatNotFoundError({ entity: 'contact', id, providerId: pchookProviderId });
    },

    async listContacts(): Promise<readonly ContactV1[]> {
      return (await contacts())
        .filter(contact => contact.wxid !== '' && !isRoomId(contact.wxid) && !builtinAccounts.has(contact.wxid))
        .map(contactFromRpc);
    },

    async listRooms(): Promise<readonly RoomV1[]> {
      return (await contacts())
        .filter(contact => isRoomId(contact.wxid))
        .map(contact => ({ id: roomId(contact.wxid), name: contact.name || contact.wxid }));
    },

    async getRoom(id: string): Promise<RoomV1> {
      if (!isRoomId(id)) throw new WechatNotFoundError({ entity: 'room', id, providerId: pchookProviderId });
      const contact = (await contacts()).find(candidate => candidate.wxid === id);
      const data = await roomData(id);
      if (contact === undefined && data === undefined) {
        throw new WechatNotFoundError({ entity: 'room', id, providerId: pchookProviderId });
      }
      const names =
        contact?.name || data === undefined
          ? []
          : [...(await databaseContacts(data.members.slice(0, 3).map(member => member.wxid))).values()].map(row => row.name);
      return roomFrom(id, contact, data, names);
    },

    async listRoomMembers(id: string): Promise<readonly RoomMemberV1[]> {
      const data = isRoomId(id) ? await roomData(id) : undefined;
      if (data === undefined) throw new WechatNotFoundError({ entity: 'room', id, providerId: pchookProviderId });
      const known = new Map((await contacts()).map(contact => [contact.wxid, contact]));
      const strangers = await databaseContacts(data.members.map(member => member.wxid).filter(wxid => !known.has(wxid)));
      const self = options.self();
      return data.members.map((member): RoomMemberV1 => {
        const contact = known.get(member.wxid);
        const base: ContactV1 =
          self !== undefined && self.id === member.wxid
            ? self
            : contact !== undefined
              ? contactFromRpc(contact)
              : {
                  id: contactId(member.wxid),
                  name: strangers.get(member.wxid)?.name || member.wxid,
                  isFriend: false,
                };
        return {
          ...base,
          ...(member.name ? { displayName: member.name } : {}),
          role: data.admins.includes(member.wxid) ? 'admin' : 'member',
        };
      });
    },

    /** The names `@mention`s show in `room`, by wxid: the room nickname, else the contact's name, else the wxid. */
    async mentionNames(room: string, wxids: readonly string[]): Promise<Map<string, string>> {
      const members = await directory.listRoomMembers(room).catch(() => [] as readonly RoomMemberV1[]);
      const names = new Map<string, string>();
      for (const wxid of wxids) {
        const member = members.find(candidate => candidate.id === wxid);
        const name =
          member !== undefined
            ? member.displayName || member.name
            : (await directory.getContact(wxid).catch(() => undefined))?.name;
        names.set(wxid, name ?? wxid);
      }
      return names;
    },
  };
  return directory;
}

export type Directory = ReturnType<typeof createDirectory>;
