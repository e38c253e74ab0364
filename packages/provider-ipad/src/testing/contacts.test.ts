import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder } from './callback-recorder.ts';
import { createGewechatSimulator } from './gewechat-simulator.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const room = '34757816141@chatroom';
type Envelope = { TypeName: string; Data: Record<string, unknown> & { Content?: { string: string }; MsgType?: number } };

async function setup() {
  const recorder = await createCallbackRecorder();
  cleanups.push(() => recorder.close());
  const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bot', nickName: 'Bot' } });
  cleanups.push(() => sim.stop());
  sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice', remark: 'Ali', alias: 'alice88', sex: 2, signature: 'hi' });
  sim.addContact({ wxid: 'wxid_bob', nickName: 'Bob', avatar: false });
  sim.addContact({ wxid: 'gh_news', nickName: 'News' });
  sim.addRoom({
    roomId: room,
    name: 'GeWe test',
    owner: 'wxid_bot',
    members: [
      { wxid: 'wxid_alice', displayName: 'A' },
      { wxid: 'wxid_carol', nickName: 'Carol' },
    ],
  });
  await callGewechatApi(sim.apiUrl, '/tools/setCallback', { token: sim.token, callbackUrl: recorder.url }, { token: sim.token });
  const appId = await sim.loginDevice();
  const api = <T>(path: string, body: Record<string, unknown>) =>
    callGewechatApi<T>(sim.apiUrl, path, { appId, ...body }, { token: sim.token });
  const after = async (action: () => Promise<unknown>) => {
    const mark = recorder.received.length;
    await action();
    await sim.idle();
    return recorder.received.slice(mark).map(item => item.json as Envelope);
  };
  return { sim, api, after };
}

describe('contacts (B.5)', () => {
  it('lists friends with the system accounts, rooms and official accounts', async () => {
    const { api } = await setup();
    const list = await api<{ friends: string[]; chatrooms: string[]; ghs: string[] }>('/contacts/fetchContactsList', {});
    expect(list.data.friends).toEqual(
      expect.arrayContaining(['weixin', 'fmessage', 'medianote', 'filehelper', 'wxid_alice', 'wxid_bob']),
    );
    expect(list.data.friends).not.toContain('wxid_carol');
    expect(list.data.chatrooms).toEqual([room]);
    expect(list.data.ghs).toEqual(['gh_news']);
  });

  it('answers getBriefInfo/getDetailInfo with the documented fields and leaves unknown wxids out', async () => {
    const { sim, api } = await setup();
    const brief = await api<Record<string, unknown>[]>('/contacts/getBriefInfo', {
      wxids: ['wxid_alice', 'wxid_unknown', 'wxid_bob'],
    });
    expect(brief.data.map(item => item.userName)).toEqual(['wxid_alice', 'wxid_bob']);
    expect(Object.keys(brief.data[0]!).sort()).toEqual(
      [
        'userName',
        'nickName',
        'pyInitial',
        'quanPin',
        'sex',
        'remark',
        'remarkPyInitial',
        'remarkQuanPin',
        'signature',
        'alias',
        'snsBgImg',
        'country',
        'province',
        'city',
        'bigHeadImgUrl',
        'smallHeadImgUrl',
        'description',
        'cardImgUrl',
        'labelList',
        'phoneNumList',
      ].sort(),
    );
    expect(brief.data[0]).toMatchObject({
      nickName: 'Alice',
      remark: 'Ali',
      alias: 'alice88',
      sex: 2,
      signature: 'hi',
      pyInitial: 'ALICE',
      quanPin: 'Alice',
    });
    expect(brief.data[0]!.bigHeadImgUrl).toBe(`${sim.fileServerUrl}/avatar/wxid_alice.png`);
    expect(brief.data[1]).toMatchObject({ bigHeadImgUrl: null, remark: null });
    const detail = await api<Record<string, unknown>[]>('/contacts/getDetailInfo', { wxids: ['wxid_carol'] });
    expect(detail.data).toEqual([expect.objectContaining({ userName: 'wxid_carol', nickName: 'Carol' })]);
  });

  it('sets a remark given as remark or as the Java sample onlyChat, and deletes friends', async () => {
    const { sim, api, after } = await setup();
    const changed = await after(() => api('/contacts/setFriendRemark', { wxid: 'wxid_bob', onlyChat: 'Bobby' }));
    expect(changed).toEqual([
      expect.objectContaining({ TypeName: 'ModContacts', Data: expect.objectContaining({ Remark: { string: 'Bobby' } }) }),
    ]);
    await api('/contacts/setFriendRemark', { wxid: 'wxid_bob', remark: 'Robert' });
    expect(sim.getContact('wxid_bob')?.remark).toBe('Robert');
    expect((await api('/contacts/setFriendRemark', { wxid: 'wxid_carol', remark: 'x' })).ret).toBe(500);
    const deleted = await after(() => api('/contacts/deleteFriend', { wxid: 'wxid_bob' }));
    expect(deleted).toEqual([
      {
        TypeName: 'DelContacts',
        Appid: sim.appId,
        Wxid: 'wxid_bot',
        Data: { UserName: { string: 'wxid_bob' }, DeleteContactScen: 0 },
      },
    ]);
  });
});

describe('groups (B.5)', () => {
  it('describes the room and its members; displayName may be null', async () => {
    const { sim, api } = await setup();
    const info = await api<Record<string, unknown>>('/group/getChatroomInfo', { chatroomId: room });
    expect(info.data).toMatchObject({ chatroomId: room, nickName: 'GeWe test', chatRoomOwner: 'wxid_bot', chatRoomNotify: 1 });
    const list = await api<{ memberList: Record<string, unknown>[] }>('/group/getChatroomMemberList', { chatroomId: room });
    expect(list.data.memberList).toEqual([
      expect.objectContaining({ wxid: 'wxid_alice', nickName: 'Alice', displayName: 'A', inviterUserName: 'wxid_bot' }),
      expect.objectContaining({ wxid: 'wxid_carol', nickName: 'Carol', displayName: null }),
      expect.objectContaining({ wxid: 'wxid_bot', nickName: 'Bot', displayName: null }),
    ]);
    expect(Object.keys(list.data.memberList[0]!).sort()).toEqual(
      ['wxid', 'nickName', 'displayName', 'inviterUserName', 'memberFlag', 'bigHeadImgUrl', 'smallHeadImgUrl'].sort(),
    );
    const detail = await api<Record<string, unknown>[]>('/group/getChatroomMemberDetail', {
      chatroomId: room,
      memberWxids: ['wxid_carol'],
    });
    expect(detail.data).toEqual([expect.objectContaining({ userName: 'wxid_carol', friendUserName: '', memberFlag: 1 })]);
    expect((await api('/group/getChatroomInfo', { chatroomId: '1@chatroom' })).ret).toBe(500);
    expect(sim.getRoom(room)?.members).toHaveLength(3);
  });

  it('creates a room from the Java sample `wxid` field and announces the invitation', async () => {
    const { sim, api, after } = await setup();
    let chatroomId = '';
    const events = await after(async () => {
      const created = await api<{ chatroomId: string }>('/group/createChatroom', { wxid: ['wxid_alice', 'wxid_bob'] });
      chatroomId = created.data.chatroomId;
    });
    expect(chatroomId).toMatch(/^\d{11}@chatroom$/);
    expect(sim.getRoom(chatroomId)?.owner).toBe('wxid_bot');
    expect(events.map(event => event.TypeName)).toEqual(['ModContacts', 'AddMsg']);
    expect(events[1]?.Data.Content?.string).toContain('你邀请"$names$"加入了群聊');
    expect((await api('/group/createChatroom', { wxids: ['wxid_alice'] })).ret).toBe(500);
  });

  it('renames, invites, removes, announces and quits with the matching callbacks', async () => {
    const { sim, api, after } = await setup();
    const renamed = await after(() => api('/group/modifyChatroomName', { chatroomId: room, chatroomName: 'GeWe test1' }));
    expect(renamed.map(event => event.TypeName)).toEqual(['AddMsg', 'ModContacts']);
    expect(renamed[0]?.Data).toMatchObject({ MsgType: 10000, Content: { string: '你修改群名为“GeWe test1”' } });

    const invited = await after(() => api('/group/inviteMember', { chatroomId: room, wxids: 'wxid_bob', reason: '' }));
    expect(invited.map(event => event.TypeName)).toEqual(['ModContacts', 'AddMsg']);
    expect(sim.getRoom(room)?.members.map(member => member.wxid)).toContain('wxid_bob');

    const removed = await after(() => api('/group/removeMember', { chatroomId: room, wxids: 'wxid_bob' }));
    expect(removed[0]?.Data.Content?.string).toContain('你将"$kickoutname$"移出了群聊');
    expect(removed[1]?.TypeName).toBe('ModContacts');

    const announced = await after(() => api('/group/setChatroomAnnouncement', { chatroomId: room, content: '群公告哈1' }));
    expect(announced[0]?.Data).toMatchObject({
      MsgType: 10002,
      FromUserName: { string: 'wxid_bot' },
      ToUserName: { string: room },
    });
    expect(announced[0]?.Data.Content?.string).toContain('mmchatroombarannouncememt');
    const announcement = await api<{ announcement: string; announcementEditor: string }>('/group/getChatroomAnnouncement', {
      chatroomId: room,
    });
    expect(announcement.data).toMatchObject({ announcement: '群公告哈1', announcementEditor: 'wxid_bot' });

    const quit = await after(() => api('/group/quitChatroom', { chatroomId: room }));
    expect(quit).toEqual([
      expect.objectContaining({ TypeName: 'DelContacts', Data: { UserName: { string: room }, DeleteContactScen: 0 } }),
    ]);
    expect((await api('/group/getChatroomInfo', { chatroomId: room })).ret).toBe(500);
  });
});
