import { type ApiHandlers, detailFailure, requireOnline, text, wxidList } from './api-types.ts';
import { contactInfo } from './contact-info.ts';
import { contactChanged, contactRemoved } from './room-events.ts';
import type { SimCore } from './sim-core.ts';
import { systemAccounts } from './sim-world.ts';

/** Contact endpoints (B.5). */
export function contactHandlers(core: SimCore): ApiHandlers {
  const { world } = core;
  const requireFriend = (wxid: string, operation: string) => {
    const contact = world.contacts.get(wxid);
    if (!contact?.isFriend) throw detailFailure(operation, `[${wxid}]不是你的好友`);
    return contact;
  };
  const infos = (body: Record<string, unknown>, operation: string) => {
    requireOnline(core, body, operation);
    // Ids the account cannot see are left out of the answer.
    return { data: wxidList(body.wxids).flatMap(wxid => contactInfo(core, wxid) ?? []) };
  };

  return {
    '/contacts/fetchContactsList': body => {
      requireOnline(core, body, '获取通讯录列表');
      const friends = [...world.contacts.values()].filter(contact => contact.isFriend).map(contact => contact.wxid);
      return {
        data: {
          friends: [...systemAccounts.keys(), ...friends.filter(wxid => !wxid.startsWith('gh_'))],
          chatrooms: [...world.rooms.values()].filter(room => room.members.has(world.self.wxid)).map(room => room.roomId),
          ghs: friends.filter(wxid => wxid.startsWith('gh_')),
        },
      };
    },

    '/contacts/getBriefInfo': body => infos(body, '获取群/好友简要信息'),
    '/contacts/getDetailInfo': body => infos(body, '获取群/好友详细信息'),

    '/contacts/search': body => {
      requireOnline(core, body, '搜索好友');
      const query = text(body, 'contactsInfo');
      const contact = [...world.contacts.values()].find(
        item => item.wxid === query || (item.alias !== '' && item.alias === query),
      );
      if (!contact) throw detailFailure('搜索好友', `[${query}]用户不存在`);
      return {
        data: {
          v3: core.ids.ticket('v3'),
          v4: core.ids.ticket('v4'),
          nickName: contact.nickName,
          sex: contact.sex,
          signature: contact.signature || null,
          bigHeadImgUrl: core.avatarUrl(contact.wxid, 'big') || null,
          smallHeadImgUrl: core.avatarUrl(contact.wxid, 'small') || null,
        },
      };
    },

    '/contacts/addContacts': body => {
      requireOnline(core, body, '添加好友');
      const option = Number(text(body, 'option'));
      const v3 = text(body, 'v3');
      const v4 = text(body, 'v4');
      if (option === 2) {
        if (!v3.startsWith('v3_')) throw detailFailure('添加好友', 'v3不正确');
        return {};
      }
      const index = world.friendRequests.findIndex(
        request => (v3 !== '' && request.v3 === v3) || (v4 !== '' && request.v4 === v4),
      );
      if (index < 0 || (option !== 3 && option !== 4)) throw detailFailure('添加好友', '好友请求不存在或已过期');
      const [request] = world.friendRequests.splice(index, 1);
      if (option === 4) return {};
      world.upsertContact({ wxid: request!.wxid, nickName: request!.nickName }, true);
      // B.6: a friend accepted arrives as ModContacts.
      return { after: () => contactChanged(core, request!.wxid) };
    },

    '/contacts/setFriendRemark': body => {
      requireOnline(core, body, '设置好友备注');
      const wxid = text(body, 'wxid');
      const contact = requireFriend(wxid, '设置好友备注');
      // Trap 16: the Java sample (and the Python client) send the remark as `onlyChat`.
      const remark =
        typeof body.remark === 'string' ? body.remark : typeof body.onlyChat === 'string' ? body.onlyChat : undefined;
      if (remark === undefined) throw detailFailure('设置好友备注', 'remark不能为空');
      contact.remark = remark === '' ? undefined : remark;
      return { after: () => contactChanged(core, wxid) };
    },

    '/contacts/deleteFriend': body => {
      requireOnline(core, body, '删除好友');
      const wxid = text(body, 'wxid');
      requireFriend(wxid, '删除好友').isFriend = false;
      return { after: () => contactRemoved(core, wxid) };
    },
  };
}
