import { type ApiHandlers, detailFailure, requireOnline, text, wxidList } from './api-types.ts';
import { contactInfo, memberInfo } from './contact-info.ts';
import { announcementXml } from './message-xml.ts';
import { contactRemoved, membersLink, roomChanged, roomNotice, roomTemplate } from './room-events.ts';
import type { SimCore } from './sim-core.ts';
import type { SimRoom } from './sim-world.ts';

/** Group endpoints (B.5). Changes made here produce the ModContacts/system-message callbacks WeChat sends. */
export function groupHandlers(core: SimCore): ApiHandlers {
  const { world } = core;
  const self = () => world.self.wxid;

  const joinedRoom = (body: Record<string, unknown>, operation: string): SimRoom => {
    requireOnline(core, body, operation);
    const roomId = text(body, 'chatroomId');
    const room = world.rooms.get(roomId);
    if (!room?.members.has(self())) throw detailFailure(operation, `群聊[${roomId}]不存在或你不在群内`);
    return room;
  };
  const friends = (wxids: readonly string[], operation: string) => {
    for (const wxid of wxids) {
      if (!world.contacts.get(wxid)?.isFriend) throw detailFailure(operation, `[${wxid}]不是你的好友`);
    }
    return wxids;
  };
  const invited = (room: SimRoom, wxids: readonly string[]) => async () => {
    await roomChanged(core, room);
    await roomTemplate(core, room, '你邀请"$names$"加入了群聊', [membersLink(core, room, 'names', wxids)]);
  };

  return {
    '/group/createChatroom': body => {
      requireOnline(core, body, '创建群聊');
      // Trap 16: the Java sample sends `wxid` instead of `wxids`.
      const wxids = friends(wxidList(body.wxids ?? body.wxid), '创建群聊');
      if (wxids.length < 2) throw detailFailure('创建群聊', '至少需要邀请两位好友');
      const room = world.addRoom({ roomId: core.ids.roomId(), name: '', owner: self(), members: wxids.map(wxid => ({ wxid })) });
      for (const member of room.members.values()) member.inviter = self();
      return { data: { chatroomId: room.roomId }, after: invited(room, wxids) };
    },

    '/group/modifyChatroomName': body => {
      const room = joinedRoom(body, '修改群名称');
      const name = text(body, 'chatroomName');
      if (name === '') throw detailFailure('修改群名称', 'chatroomName不能为空');
      room.name = name;
      return {
        after: async () => {
          await roomNotice(core, room, `你修改群名为“${name}”`);
          await roomChanged(core, room);
        },
      };
    },

    '/group/inviteMember': body => {
      const room = joinedRoom(body, '邀请进群');
      const wxids = friends(wxidList(body.wxids), '邀请进群').filter(wxid => !room.members.has(wxid));
      if (wxids.length === 0) throw detailFailure('邀请进群', '没有可邀请的好友');
      for (const wxid of wxids) room.members.set(wxid, { wxid, displayName: undefined, inviter: self() });
      return { after: invited(room, wxids) };
    },

    '/group/removeMember': body => {
      const room = joinedRoom(body, '删除群成员');
      if (room.owner !== self()) throw detailFailure('删除群成员', '只有群主可以删除群成员');
      const wxids = wxidList(body.wxids);
      const missing = wxids.find(wxid => !room.members.has(wxid) || wxid === self());
      if (wxids.length === 0 || missing !== undefined) throw detailFailure('删除群成员', `[${String(missing)}]不是群成员`);
      const link = membersLink(core, room, 'kickoutname', wxids);
      for (const wxid of wxids) room.members.delete(wxid);
      return {
        after: async () => {
          await roomTemplate(core, room, '你将"$kickoutname$"移出了群聊', [link]);
          await roomChanged(core, room);
        },
      };
    },

    '/group/quitChatroom': body => {
      const room = joinedRoom(body, '退出群聊');
      room.members.delete(self());
      if (room.owner === self()) room.owner = room.members.keys().next().value ?? '';
      return { after: () => contactRemoved(core, room.roomId) };
    },

    '/group/getChatroomInfo': body => {
      const room = joinedRoom(body, '获取群信息');
      return {
        data: {
          chatroomId: room.roomId,
          nickName: room.name,
          chatRoomOwner: room.owner,
          remark: null,
          chatRoomNotify: 1,
          smallHeadImgUrl: core.avatarUrl(room.roomId, 'small'),
          memberList: [...room.members.keys()].map(wxid => memberInfo(core, room, wxid)),
        },
      };
    },

    '/group/getChatroomMemberList': body => {
      const room = joinedRoom(body, '获取群成员列表');
      return { data: { memberList: [...room.members.keys()].map(wxid => memberInfo(core, room, wxid)) } };
    },

    '/group/getChatroomMemberDetail': body => {
      const room = joinedRoom(body, '获取群成员详情');
      const wxids = wxidList(body.memberWxids).filter(wxid => room.members.has(wxid));
      return {
        data: wxids.map(wxid => ({
          ...contactInfo(core, wxid),
          userName: wxid,
          nickName: world.nickNameOf(wxid),
          friendUserName: world.contacts.get(wxid)?.isFriend ? wxid : '',
          inviterUserName: room.members.get(wxid)?.inviter ?? room.owner,
          memberFlag: 1,
        })),
      };
    },

    '/group/setChatroomAnnouncement': body => {
      const room = joinedRoom(body, '设置群公告');
      if (room.owner !== self()) throw detailFailure('设置群公告', '只有群主可以发布群公告');
      const content = text(body, 'content');
      room.announcement = { content, editor: self(), publishTime: core.createTime() };
      const announcementId = `${self()}_${room.roomId}_${core.createTime()}_${core.ids.msgId()}`;
      // As in the reference example: from the publisher to the room, no prefix.
      return {
        after: () =>
          core.emitMessage({
            sender: self(),
            chat: room.roomId,
            msgType: 10002,
            content: announcementXml({ content, announcementId }),
          }),
      };
    },

    '/group/getChatroomAnnouncement': body => {
      const room = joinedRoom(body, '获取群公告');
      return {
        data: {
          announcement: room.announcement?.content ?? '',
          announcementEditor: room.announcement?.editor ?? '',
          publishTime: room.announcement?.publishTime ?? 0,
        },
      };
    },

    '/group/agreeJoinRoom': body => {
      requireOnline(core, body, '同意进群');
      // B.5: Java/Python send the invite URL as `chatroomName`; OpenGewe sends `{chatroomId, fromWxid, ticket}`.
      const url = text(body, 'url') || text(body, 'chatroomName');
      const invite =
        world.invites.get(url) ??
        [...world.invites.values()].find(item => item.roomId === text(body, 'chatroomId') && item.roomId !== '');
      const room = invite === undefined ? undefined : world.rooms.get(invite.roomId);
      if (!invite || !room) throw detailFailure('同意进群', '邀请链接无效或已过期');
      const inviter = invite.inviter;
      room.members.set(self(), { wxid: self(), displayName: undefined, inviter });
      for (const [key, item] of world.invites) if (item.roomId === room.roomId) world.invites.delete(key);
      return {
        data: { chatroomId: room.roomId },
        after: async () => {
          await roomChanged(core, room);
          await roomTemplate(core, room, '"$username$"邀请你加入了群聊', [membersLink(core, room, 'username', [inviter])]);
        },
      };
    },
  };
}
