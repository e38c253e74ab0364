import { revokeXml } from './message-xml.ts';
import { contactChanged, contactRemoved, membersLink, roomChanged, roomNotice, roomTemplate } from './room-events.ts';
import type { SimCore } from './sim-core.ts';
import type { SimContactInit, SimRoomMemberInit } from './sim-world.ts';

export type ContactPatch = Partial<Omit<SimContactInit, 'wxid'>>;

export interface EventControls {
  /** MsgType 10002 `revokemsg` naming the revoked message's session, msgid and newmsgid. */
  recall(input: { readonly newMsgId: string }): Promise<string>;
  /** 10002 sysmsgtemplate (`"$username$"邀请"$names$"加入了群聊`, room-id prefix) and the room's ModContacts. */
  memberJoined(input: {
    readonly roomId: string;
    readonly members: readonly SimRoomMemberInit[];
    readonly inviter?: string;
  }): Promise<string>;
  /**
   * A member leaves. The account itself: 10000 `你被"…"移出群聊` and DelContacts. Removed by someone: 10002
   * sysmsgtemplate (`你将"$kickoutname$"移出了群聊`, or `"$username$"将"$kickoutname$"移出了群聊`) and
   * ModContacts. Left on their own: WeChat tells the others nothing but the room's ModContacts, so this
   * resolves with undefined.
   */
  memberLeft(input: { readonly roomId: string; readonly wxid: string; readonly removedBy?: string }): Promise<string | undefined>;
  /** 10000 `"…"修改群名为“…”` (or `你修改群名为…`) and ModContacts. */
  roomRenamed(input: { readonly roomId: string; readonly name: string; readonly by?: string }): Promise<string>;
  contactChanged(wxid: string, patch: ContactPatch): Promise<void>;
  contactDeleted(wxid: string): Promise<void>;
  /** A message the account sends from its phone: an AddMsg with `FromUserName` = the account. */
  selfSays(input: { readonly to: string; readonly text: string }): Promise<string>;
}

export function createEventControls(core: SimCore): EventControls {
  const { world } = core;
  const self = () => world.self.wxid;

  return {
    async recall({ newMsgId }) {
      const record = world.messages.get(newMsgId);
      if (!record) throw new Error(`the simulator delivered no message ${newMsgId}`);
      if (record.revoked) throw new Error(`message ${newMsgId} was already recalled`);
      record.revoked = true;
      const session = record.chat;
      const nick = record.room
        ? world.displayNameIn(world.requireRoom(record.room), record.sender)
        : world.nickNameOf(record.sender);
      const replaceMsg = record.sender === self() ? '你撤回了一条消息' : `"${nick}" 撤回了一条消息`;
      const content = revokeXml({ session, msgId: record.msgId, newMsgId, replaceMsg });
      if (record.sender === self()) {
        return core.emitMessage({ sender: self(), chat: record.chat, msgType: 10002, content, smallNewMsgId: true });
      }
      if (record.room) {
        return core.emitMessage({
          sender: record.room,
          chat: record.room,
          msgType: 10002,
          content,
          form: 'system-xml',
          smallNewMsgId: true,
        });
      }
      // As in the reference revoke example: from the contact, Status 3, a small NewMsgId.
      return core.emitMessage({
        sender: record.sender,
        chat: record.sender,
        msgType: 10002,
        content,
        form: 'standard',
        smallNewMsgId: true,
      });
    },

    async memberJoined({ roomId, members, inviter }) {
      const room = world.requireRoom(roomId);
      const by = inviter ?? room.owner;
      for (const member of members) {
        if (member.wxid !== self() && !world.contacts.has(member.wxid)) {
          world.upsertContact({ wxid: member.wxid, nickName: member.nickName ?? member.displayName ?? member.wxid }, false);
        }
        room.members.set(member.wxid, { wxid: member.wxid, displayName: member.displayName, inviter: by });
      }
      const names = membersLink(
        core,
        room,
        'names',
        members.map(member => member.wxid),
      );
      const id =
        by === self()
          ? await roomTemplate(core, room, '你邀请"$names$"加入了群聊', [names])
          : await roomTemplate(core, room, '"$username$"邀请"$names$"加入了群聊', [
              membersLink(core, room, 'username', [by]),
              names,
            ]);
      await roomChanged(core, room);
      return id;
    },

    async memberLeft({ roomId, wxid, removedBy }) {
      const room = world.requireRoom(roomId);
      if (!room.members.has(wxid)) throw new Error(`${wxid} is not a member of ${roomId}`);
      if (wxid === self()) {
        const by = removedBy ?? room.owner;
        const nick = world.displayNameIn(room, by);
        room.members.delete(wxid);
        const id = await roomNotice(core, room, `你被"${nick}"移出群聊`);
        await contactRemoved(core, roomId);
        return id;
      }
      const link = membersLink(core, room, 'kickoutname', [wxid]);
      room.members.delete(wxid);
      if (room.owner === wxid) room.owner = room.members.keys().next().value ?? '';
      const id =
        removedBy === undefined
          ? undefined
          : removedBy === self()
            ? await roomTemplate(core, room, '你将"$kickoutname$"移出了群聊', [link])
            : await roomTemplate(core, room, '"$username$"将"$kickoutname$"移出了群聊', [
                membersLink(core, room, 'username', [removedBy]),
                link,
              ]);
      await roomChanged(core, room);
      return id;
    },

    async roomRenamed({ roomId, name, by }) {
      const room = world.requireRoom(roomId);
      const author = by ?? room.owner;
      room.name = name;
      const text = author === self() ? `你修改群名为“${name}”` : `"${world.displayNameIn(room, author)}"修改群名为“${name}”`;
      const id = await roomNotice(core, room, text);
      await roomChanged(core, room);
      return id;
    },

    async contactChanged(wxid, patch) {
      const contact = world.contacts.get(wxid);
      if (!contact) throw new Error(`unknown contact ${wxid}`);
      world.upsertContact({ wxid, nickName: patch.nickName ?? contact.nickName, ...patch }, contact.isFriend);
      if ('remark' in patch && patch.remark === undefined) world.contacts.get(wxid)!.remark = undefined;
      await contactChanged(core, wxid);
    },

    async contactDeleted(wxid) {
      const contact = world.contacts.get(wxid);
      if (!contact?.isFriend) throw new Error(`${wxid} is not a friend`);
      contact.isFriend = false;
      await contactRemoved(core, wxid);
    },

    selfSays({ to, text }) {
      if (to.endsWith('@chatroom')) world.requireRoom(to);
      return core.emitMessage({ sender: self(), chat: to, msgType: 1, content: text });
    },
  };
}
