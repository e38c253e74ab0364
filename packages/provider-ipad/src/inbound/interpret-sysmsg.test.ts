import { describe, expect, it } from 'vitest';
import { addMsg, addMsgData, botWxid, revokeCallback } from './__fixtures__/gewe-callbacks.ts';
import { type InterpretedAddMsg, interpretAddMsg } from './interpret-add-msg.ts';

const room = '34757816141@chatroom';

const interpret = (content: string, from = room, selfWxid = botWxid): InterpretedAddMsg =>
  interpretAddMsg(addMsg({ from, msgType: 10002, content, createTime: 1733447100 }), { selfWxid });

interface Member {
  readonly username: string;
  readonly nickname: string;
}

/** A `sysmsgtemplate` as groups send it: prefixed with the room id, members in the link list. */
function template(text: string, links: Readonly<Record<string, readonly Member[]>>): string {
  const linkXml = Object.entries(links)
    .map(
      ([name, members]) =>
        `<link name="${name}" type="link_profile"><memberlist>` +
        members
          .map(
            m => `<member><username><![CDATA[${m.username}]]></username><nickname><![CDATA[${m.nickname}]]></nickname></member>`,
          )
          .join('') +
        '</memberlist><separator><![CDATA[、]]></separator></link>',
    )
    .join('');
  return (
    `${room}:\n<sysmsg type="sysmsgtemplate">\n\t<sysmsgtemplate>\n\t\t<content_template type="tmpl_type_profile">\n` +
    `\t\t\t<plain><![CDATA[]]></plain>\n\t\t\t<template><![CDATA[${text}]]></template>\n\t\t\t<link_list>${linkXml}</link_list>\n` +
    '\t\t</content_template>\n\t</sysmsgtemplate>\n</sysmsg>'
  );
}

const alice = { username: 'wxid_alice', nickname: 'Alice' };
const bob = { username: 'wxid_bob', nickname: 'Bob' };
const carol = { username: 'wxid_carol', nickname: 'Carol' };

describe('interpretAddMsg: revokes (10002 revokemsg)', () => {
  it('reads the reference example: the revoked id, the chat with the other party, the actor', () => {
    expect(interpretAddMsg(addMsgData(revokeCallback), { selfWxid: 'wxid_phyyedw9xap22' })).toStrictEqual({
      type: 'recall',
      target: { id: '5576224237104747184', chat: { type: 'direct', contactId: 'wxid_0xsqb3o0tsvz22' } },
      actorId: 'wxid_phyyedw9xap22',
      timestamp: 1705045083000,
    });
  });

  it('reads a recall by a friend: the chat is the session', () => {
    const content =
      '<sysmsg type="revokemsg"><revokemsg><session>wxid_friend</session><msgid>1040356115</msgid>' +
      '<newmsgid>9223372036854775001</newmsgid><replacemsg><![CDATA["Friend" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>';
    expect(interpret(content, 'wxid_friend')).toStrictEqual({
      type: 'recall',
      target: { id: '9223372036854775001', chat: { type: 'direct', contactId: 'wxid_friend' } },
      actorId: 'wxid_friend',
      timestamp: 1733447100000,
    });
  });

  it('reads a recall in a group, and falls back to <msgid> without <newmsgid>', () => {
    const content =
      `wxid_alice:\n<sysmsg type="revokemsg"><revokemsg><session>${room}</session><msgid>1040356115</msgid>` +
      '<replacemsg><![CDATA["Alice" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>';
    expect(interpret(content)).toStrictEqual({
      type: 'recall',
      target: { id: '1040356115', chat: { type: 'room', roomId: room } },
      actorId: 'wxid_alice',
      timestamp: 1733447100000,
    });
  });

  it('ignores a recall without ids', () => {
    expect(interpret('<sysmsg type="revokemsg"><revokemsg><session>x</session></revokemsg></sysmsg>', 'wxid_friend').type).toBe(
      'ignore',
    );
  });
});

describe('interpretAddMsg: group templates (10002 sysmsgtemplate)', () => {
  it('reads an invitation: members joined, inviter', () => {
    expect(interpret(template('"$username$"邀请"$names$"加入了群聊', { username: [alice], names: [bob, carol] }))).toStrictEqual({
      type: 'room-members-joined',
      roomId: room,
      contactIds: ['wxid_bob', 'wxid_carol'],
      inviterId: 'wxid_alice',
    });
  });

  it('reads a join by QR code', () => {
    expect(
      interpret(template('" $adder$"通过扫描"$from$"分享的二维码加入群聊', { adder: [carol], from: [alice] })),
    ).toStrictEqual({
      type: 'room-members-joined',
      roomId: room,
      contactIds: ['wxid_carol'],
      inviterId: 'wxid_alice',
    });
  });

  it('reads an invitation by the account itself', () => {
    expect(interpret(template('你邀请"$names$"加入了群聊  $revoke$', { names: [bob] }))).toStrictEqual({
      type: 'room-members-joined',
      roomId: room,
      contactIds: ['wxid_bob'],
      inviterId: botWxid,
    });
  });

  it('reads the account being invited (the other members are not joiners)', () => {
    expect(
      interpret(template('"$username$"邀请你加入了群聊，群聊参与人还有：$others$', { username: [alice], others: [bob, carol] })),
    ).toStrictEqual({ type: 'room-members-joined', roomId: room, contactIds: [botWxid], inviterId: 'wxid_alice' });
  });

  it('reads a kick by the account', () => {
    expect(interpret(template('你将"$kickoutname$"移出了群聊', { kickoutname: [bob] }))).toStrictEqual({
      type: 'room-members-left',
      roomId: room,
      contactIds: ['wxid_bob'],
      removerId: botWxid,
    });
  });

  it('reads a kick by someone else, in English', () => {
    expect(
      interpret(
        template('"$username$" removed "$kickoutname$" from the group chat', { username: [alice], kickoutname: [carol] }),
      ),
    ).toStrictEqual({
      type: 'room-members-left',
      roomId: room,
      contactIds: ['wxid_carol'],
      removerId: 'wxid_alice',
    });
  });

  it('reads a member quitting', () => {
    expect(interpret(template('"$username$"退出了群聊', { username: [carol] }))).toStrictEqual({
      type: 'room-members-left',
      roomId: room,
      contactIds: ['wxid_carol'],
    });
  });

  it('shows a membership template without member lists as rendered system text', () => {
    const result = interpret(template('"$username$"邀请"$names$"加入了群聊', { username: [alice] }));
    expect(result.type === 'message' && result.message.content).toStrictEqual({
      kind: 'system',
      text: '"Alice"邀请""加入了群聊',
    });
  });

  it('shows other templates (dismissal) as rendered system text', () => {
    const result = interpret(template('"$username$"已解散该群聊', { username: [alice] }));
    expect(result).toMatchObject({
      type: 'message',
      message: { chat: { type: 'room', roomId: room }, senderId: room, content: { kind: 'system', text: '"Alice"已解散该群聊' } },
    });
  });
});

describe('interpretAddMsg: other system messages (10002)', () => {
  it('ignores pats', () => {
    const content =
      `${room}:\n<sysmsg type="pat"><pat><fromusername>wxid_alice</fromusername><chatusername>${room}</chatusername>` +
      '<pattedusername>wxid_bob</pattedusername><patsuffix><![CDATA[]]></patsuffix><patsuffixversion>0</patsuffixversion>' +
      `<template><![CDATA["\${wxid_alice}" 拍了拍 "\${wxid_bob}"]]></template></pat></sysmsg>`;
    expect(interpret(content)).toMatchObject({ type: 'ignore', reason: expect.stringContaining('pat') });
  });

  it('turns a group announcement into room-updated', () => {
    const content =
      `${room}:\n<sysmsg type="mmchatroombarannouncememt"><mmchatroombarannouncememt><content><![CDATA[周六 8 点集合]]></content>` +
      '<xmlcontent><![CDATA[<group_notice_item/>]]></xmlcontent><ispublish>1</ispublish></mmchatroombarannouncememt></sysmsg>';
    expect(interpret(content)).toStrictEqual({ type: 'room-updated', roomId: room });
  });

  it('shows readable text of unknown system messages', () => {
    const content = `${room}:\n<sysmsg type="delchatroommember"><delchatroommember><plain><![CDATA[你将"Bob"移出了群聊]]></plain></delchatroommember></sysmsg>`;
    const result = interpret(content);
    expect(result.type === 'message' && result.message.content).toStrictEqual({ kind: 'system', text: '你将"Bob"移出了群聊' });
  });

  it('ignores system messages without readable text', () => {
    const content =
      '<sysmsg type="functionmsg"><functionmsg><cgi>/cgi-bin/micromsg-bin/pullfunctionmsg</cgi><cmdid>614</cmdid></functionmsg></sysmsg>';
    expect(interpret(content, 'weixin')).toMatchObject({ type: 'ignore', reason: expect.stringContaining('functionmsg') });
  });
});
