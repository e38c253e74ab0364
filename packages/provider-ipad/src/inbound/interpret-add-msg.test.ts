import { describe, expect, it } from 'vitest';
import { addMsg, addMsgData, botWxid, groupTextCallback, privateTextCallback } from './__fixtures__/gewe-callbacks.ts';
import { decodeFriendRequestId } from './friend-request.ts';
import { type InterpretedAddMsg, interpretAddMsg } from './interpret-add-msg.ts';
import type { GeweAddMsgData } from './parse-callback.ts';

const room = '34757816141@chatroom';

function message(result: InterpretedAddMsg) {
  if (result.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

const interpret = (data: GeweAddMsgData, selfWxid = botWxid): InterpretedAddMsg => interpretAddMsg(data, { selfWxid });

describe('interpretAddMsg: text, chats and senders', () => {
  it('turns the reference private example into a self message in the chat with the other party', () => {
    const data = addMsgData(privateTextCallback);
    expect(interpret(data, 'wxid_phyyedw9xap22')).toStrictEqual({
      type: 'message',
      message: {
        id: '7773749793478223190',
        chat: { type: 'direct', contactId: 'wxid_0xsqb3o0tsvz22' },
        senderId: 'wxid_phyyedw9xap22',
        isSelf: true,
        timestamp: 1705043418000,
        content: { kind: 'text', text: '123' },
      },
    });
  });

  it('names a received private message after its sender', () => {
    const data = addMsgData(privateTextCallback);
    const received = message(interpret(data, 'wxid_0xsqb3o0tsvz22'));
    expect(received.chat).toStrictEqual({ type: 'direct', contactId: 'wxid_phyyedw9xap22' });
    expect(received.senderId).toBe('wxid_phyyedw9xap22');
    expect(received.isSelf).toBe(false);
  });

  it('takes the group sender from the content prefix and mentions from atuserlist (reference example)', () => {
    const result = message(interpret(addMsgData(groupTextCallback), 'wxid_gewechat_bot'));
    expect(result).toStrictEqual({
      id: '8449132831264840264',
      chat: { type: 'room', roomId: 'xxx@chatroom' },
      senderId: 'wxid_xxx',
      isSelf: false,
      timestamp: 1733447040000,
      content: { kind: 'text', text: '@name msg_content' },
      mentions: { contactIds: ['wxid_wvp31dkffyml19'] },
    });
  });

  it('reads @all and several mentions, and turns U+2005 after each @nick into a space', () => {
    const data = addMsg({
      from: room,
      msgType: 1,
      content: 'wxid_alice:\n@所有人\u2005@Bob\u2005 lunch?',
      msgSource:
        '<msgsource><atuserlist><![CDATA[,notify@all,wxid_bob,wxid_bob]]></atuserlist><membercount>5</membercount></msgsource>',
    });
    const result = message(interpret(data));
    expect(result.senderId).toBe('wxid_alice');
    expect(result.content).toStrictEqual({ kind: 'text', text: '@所有人 @Bob  lunch?' });
    expect(result.mentions).toStrictEqual({ contactIds: ['wxid_bob'], all: true });
  });

  it('accepts an atuserlist without CDATA or leading comma', () => {
    const data = addMsg({
      from: room,
      msgType: 1,
      content: 'wxid_alice:\n@Bot\u2005hi',
      msgSource: '<msgsource><atuserlist>wxid_bot</atuserlist></msgsource>',
    });
    expect(message(interpret(data)).mentions).toStrictEqual({ contactIds: ['wxid_bot'] });
  });

  it('marks a group message whose prefix names the account itself as self', () => {
    const data = addMsg({ from: room, msgType: 1, content: `${botWxid}:\nfrom the phone` });
    const result = message(interpret(data));
    expect(result.isSelf).toBe(true);
    expect(result.senderId).toBe(botWxid);
    expect(result.content).toStrictEqual({ kind: 'text', text: 'from the phone' });
  });

  it('reads the legacy group form: room in ToUserName, no prefix, sender in FromUserName', () => {
    const data = addMsg({ from: 'wxid_carol', to: room, msgType: 1, content: 'old client: hello\nsecond line' });
    const result = message(interpret(data));
    expect(result.chat).toStrictEqual({ type: 'room', roomId: room });
    expect(result.senderId).toBe('wxid_carol');
    expect(result.isSelf).toBe(false);
    expect(result.content).toStrictEqual({ kind: 'text', text: 'old client: hello\nsecond line' });
  });

  it("reads the account's own group message (room in ToUserName) as self", () => {
    const data = addMsg({ from: botWxid, to: room, msgType: 1, content: 'sent from the phone' });
    const result = message(interpret(data));
    expect(result.chat).toStrictEqual({ type: 'room', roomId: room });
    expect(result.isSelf).toBe(true);
  });

  it('keeps 64-bit ids exact end to end', () => {
    const data = addMsg({ from: 'wxid_friend', msgType: 1, content: 'x', newMsgId: '18446744073709551557' });
    expect(message(interpret(data)).id).toBe('18446744073709551557');
  });
});

describe('interpretAddMsg: system and control messages', () => {
  it('turns MsgType 10000 into a system message', () => {
    const data = addMsg({ from: room, msgType: 10000, content: '你修改群名为“周末爬山”' });
    const result = message(interpret(data));
    expect(result.content).toStrictEqual({ kind: 'system', text: '你修改群名为“周末爬山”' });
    expect(result.chat).toStrictEqual({ type: 'room', roomId: room });
    // A group system message has no member as sender: the room stands in.
    expect(result.senderId).toBe(room);
  });

  it('strips the room-id prefix of group system messages', () => {
    const data = addMsg({
      from: room,
      msgType: 10002,
      content: `${room}:\n<sysmsg type="roomtoolstips"><roomtoolstips><text><![CDATA[Alice 设置了群待办]]></text></roomtoolstips></sysmsg>`,
    });
    const result = message(interpret(data));
    expect(result.content).toStrictEqual({ kind: 'system', text: 'Alice 设置了群待办' });
    expect(result.senderId).toBe(room);
    expect(result.isSelf).toBe(false);
  });

  it('ignores MsgType 51 status syncs', () => {
    const data = addMsg({
      from: botWxid,
      to: 'wxid_friend',
      msgType: 51,
      content: '<msg><op id="2"><username>wxid_friend</username></op></msg>',
    });
    expect(interpret(data)).toMatchObject({ type: 'ignore', reason: expect.stringContaining('51') });
  });

  it('ignores an empty 10000 text', () => {
    expect(interpret(addMsg({ from: 'wxid_friend', msgType: 10000, content: '  ' })).type).toBe('ignore');
  });

  it('reports unknown message types as unsupported instead of dropping them', () => {
    const call = message(interpret(addMsg({ from: 'wxid_friend', msgType: 50, content: '<voipmsg type="VoIPBubbleMsg"/>' })));
    expect(call.content).toStrictEqual({ kind: 'unsupported', description: 'A voice or video call' });
    const unknown = message(interpret(addMsg({ from: 'wxid_friend', msgType: 12345, content: '' })));
    expect(unknown.content.kind).toBe('unsupported');
    expect(unknown.content.kind === 'unsupported' && unknown.content.description).toContain('12345');
  });
});

describe('interpretAddMsg: friend requests', () => {
  const request =
    '<msg fromusername="wxid_newfriend" encryptusername="v3_020b3826fd03010000000000c2a1@stranger" fromnickname="张三" ' +
    'content="我是张三，想加你好友" fullpy="zhangsan" shortpy="ZS" imagestatus="3" scene="30" country="CN" province="Guangdong" ' +
    'city="Shenzhen" sign="" percard="1" sex="1" alias="zhangsan_88" weibo="" albumflag="0" albumstyle="0" albumbgimgid="" ' +
    'snsflag="1" snsbgimgid="" snsbgobjectid="0" mhash="" mfullhash="" bigheadimgurl="http://wx.qlogo.cn/mmhead/big/0" ' +
    'smallheadimgurl="http://wx.qlogo.cn/mmhead/small/132" ticket="v4_000b708f0b040000010000000000a1b2@stranger" opcode="2" ' +
    'googlecontact="" qrticket="" chatroomusername="" sourceusername="" sourcenickname=""><brandlist count="0" ver="1"></brandlist></msg>';

  it('turns MsgType 37 from fmessage into a friend request carrying the tickets', () => {
    const result = interpret(addMsg({ from: 'fmessage', msgType: 37, content: request }));
    expect(result).toMatchObject({
      type: 'friend-request',
      contactId: 'wxid_newfriend',
      name: '张三',
      greeting: '我是张三，想加你好友',
    });
    if (result.type !== 'friend-request') return;
    expect(decodeFriendRequestId(result.requestId)).toStrictEqual({
      v3: 'v3_020b3826fd03010000000000c2a1@stranger',
      v4: 'v4_000b708f0b040000010000000000a1b2@stranger',
      scene: 30,
    });
  });

  it('ignores a friend request without tickets', () => {
    expect(interpret(addMsg({ from: 'fmessage', msgType: 37, content: '<msg fromusername="wxid_x"/>' })).type).toBe('ignore');
  });

  it('rejects request ids it did not mint', () => {
    expect(() => decodeFriendRequestId('v3_abc')).toThrow(/friend-request id/);
    expect(() => decodeFriendRequestId('{"kind":"other","v3":"a","v4":"b"}')).toThrow(/friend-request id/);
  });
});

describe('interpretAddMsg: garbage never throws', () => {
  const garbage = ['<<<not xml', '<msg><img', '', 'plain text', '<msg><appmsg><type>6</type>', '\u0000\u0001', '<a></b>'];
  for (const msgType of [3, 34, 37, 42, 43, 47, 48, 49, 10002]) {
    it(`MsgType ${msgType} with unreadable content`, () => {
      for (const content of garbage) {
        const result = interpret(addMsg({ from: 'wxid_friend', msgType, content }));
        if (result.type === 'message') expect(result.message.content.kind).toMatch(/^(unsupported|system)$/);
        else expect(result.type).toBe('ignore');
      }
    });
  }

  it('survives a hand-made data object with odd values', () => {
    const data: GeweAddMsgData = {
      msgId: '',
      newMsgId: '1',
      fromUserName: '',
      toUserName: '',
      msgType: Number.NaN,
      content: '',
      createTime: 0,
    };
    expect(['message', 'ignore']).toContain(interpret(data).type);
  });
});
