import {
  type ContactId,
  type ContactV1,
  contactId,
  type Logger,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  roomId,
  toWechatError,
  WechatInvalidArgumentError,
  WechatNotFoundError,
  WechatRequestError,
} from '@wechat/provider-api';
import type { WecomApi } from '../api/wecom-api.ts';
import type { WecomExternalContact, WecomUser } from '../api/wecom-api-schemas.ts';
import { encodeMediaRef } from '../inbound/media-ref.ts';

export interface DirectoryContext {
  readonly api: WecomApi;
  readonly providerId: string;
  readonly logger: Logger;
  /** The app itself, once known: it is a contact too. */
  readonly self: () => ContactV1 | undefined;
}

const genders: Readonly<Record<string, ContactV1['gender']>> = { '1': 'male', '2': 'female', '0': 'unknown' };

/** Members of the corp. Avatar and gender are absent for apps created after 2022-06-20 (trap 7): then so are ours. */
export function contactFromUser(user: WecomUser): ContactV1 {
  const gender = user.gender === undefined ? undefined : genders[user.gender];
  return {
    id: contactId(user.userid),
    name: user.name,
    kind: 'enterprise',
    ...(user.avatar ? { avatar: { ref: encodeMediaRef({ url: user.avatar }) } } : {}),
    ...(gender ? { gender } : {}),
  };
}

/** Customers (external contacts): WeChat users (`type` 1) or users of another corp's WeCom (`type` 2). */
export function contactFromExternal(external: WecomExternalContact): ContactV1 {
  const gender = external.gender === undefined ? undefined : genders[String(external.gender)];
  return {
    id: contactId(external.external_userid),
    name: external.name,
    kind: external.type === 1 ? 'personal' : 'enterprise',
    ...(external.avatar ? { avatar: { ref: encodeMediaRef({ url: external.avatar }) } } : {}),
    ...(gender ? { gender } : {}),
  };
}

/**
 * Contacts (members, then customers) and rooms (app group chats, reference A.3). Only the chats the app
 * created can be read or changed, and WeCom has no call that lists them.
 */
export function createDirectory({ api, providerId, logger, self }: DirectoryContext) {
  const notFound = (entity: 'contact' | 'room', id: string) => new WechatNotFoundError({ entity, id, providerId });

  const getContact = async (id: ContactId): Promise<ContactV1> => {
    const me = self();
    if (me && id === me.id) return me;
    try {
      return contactFromUser(await api.getUser(id));
    } catch (error) {
      if (!WechatNotFoundError.isInstance(error)) throw error;
    }
    // Not a member: perhaps a customer. A refusal of the customer API (no permission) also means "not known here".
    try {
      return contactFromExternal(await api.getExternalContact(id));
    } catch (error) {
      if (WechatNotFoundError.isInstance(error)) throw notFound('contact', id);
      if (WechatRequestError.isInstance(error) && error.remoteCode !== undefined && !error.retryable) {
        logger.debug({ contactId: id, errcode: error.remoteCode }, 'wecom: the external contact lookup was refused');
        throw notFound('contact', id);
      }
      throw error;
    }
  };

  /** A member's name for `@name`; the id itself when the lookup fails (the text still goes out). */
  const nameOf = async (id: ContactId): Promise<string> => {
    try {
      return (await getContact(id)).name;
    } catch (error) {
      logger.debug({ contactId: id, error: toWechatError(error, providerId).message }, 'wecom: no name for a mention');
      return id;
    }
  };

  const listContacts = async (): Promise<readonly ContactV1[]> => {
    const contacts = new Map<string, ContactV1>();
    for (const department of await api.listDepartments()) {
      for (const user of await api.listDepartmentUsers(department.id)) {
        if (!contacts.has(user.userid)) contacts.set(user.userid, contactFromUser(user));
      }
    }
    return [...contacts.values()];
  };

  const getRoom = async (id: RoomId): Promise<RoomV1> => {
    const chat = await api.getAppchat(id);
    return {
      id: roomId(chat.chatid),
      name: chat.name,
      memberCount: chat.userlist.length,
      ...(chat.owner ? { ownerId: contactId(chat.owner) } : {}),
    };
  };

  const listRoomMembers = async (id: RoomId): Promise<readonly RoomMemberV1[]> => {
    const chat = await api.getAppchat(id);
    return Promise.all(
      chat.userlist.map(async (userid): Promise<RoomMemberV1> => {
        const member = contactId(userid);
        let contact: ContactV1;
        try {
          contact = await getContact(member);
        } catch (error) {
          if (!WechatNotFoundError.isInstance(error)) throw error;
          // A member who left the corp stays in the chat's list.
          contact = { id: member, name: userid };
        }
        return { ...contact, role: userid === chat.owner ? 'owner' : 'member' };
      }),
    );
  };

  const createRoom = async ({ name, contactIds }: { readonly name: string; readonly contactIds: readonly ContactId[] }) => {
    const userlist = [...new Set(contactIds)];
    const [owner] = userlist;
    // The app is no member of its chats, so the chat needs two members of its own (doc 90245).
    if (owner === undefined || userlist.length < 2) {
      throw new WechatInvalidArgumentError({
        argument: 'contactIds',
        message: 'A WeCom app group chat needs at least 2 members (the app itself is not one)',
        providerId,
      });
    }
    return roomId(await api.createAppchat({ name, owner, userlist }));
  };

  return {
    getContact,
    nameOf,
    listContacts,
    getRoom,
    listRoomMembers,
    createRoom,
    inviteToRoom: (id: RoomId, ids: readonly ContactId[]) => api.updateAppchat({ chatid: id, add_user_list: ids }),
    removeFromRoom: (id: RoomId, ids: readonly ContactId[]) => api.updateAppchat({ chatid: id, del_user_list: ids }),
    renameRoom: (id: RoomId, name: string) => api.updateAppchat({ chatid: id, name }),
    notFound,
  };
}

export type Directory = ReturnType<typeof createDirectory>;
