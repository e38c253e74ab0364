import { describe, expect, it } from 'vitest';
import {
  addMsgBody,
  delContactsCallback,
  groupTextCallback,
  modContactsCallback,
  offlineCallback,
  privateTextCallback,
  revokeCallback,
} from './__fixtures__/gewe-callbacks.ts';
import { GeweCallbackError } from './gewe-callback-error.ts';
import { parseGeweCallback } from './parse-callback.ts';

function expectCallbackError(body: string, reason: GeweCallbackError['reason']): void {
  let caught: unknown;
  try {
    parseGeweCallback(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GeweCallbackError);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as GeweCallbackError).reason).toBe(reason);
}

describe('parseGeweCallback', () => {
  it('reads the reference private text example with its 64-bit NewMsgId intact', () => {
    expect(parseGeweCallback(privateTextCallback)).toStrictEqual({
      type: 'add-msg',
      appId: 'wx_wR_U4zPj2M_OTS3BCyoE4',
      wxid: 'wxid_phyyedw9xap22',
      data: {
        msgId: '1040356095',
        newMsgId: '7773749793478223190',
        fromUserName: 'wxid_phyyedw9xap22',
        toUserName: 'wxid_0xsqb3o0tsvz22',
        msgType: 1,
        content: '123',
        createTime: 1705043418,
        msgSource:
          '<msgsource>\n\t<alnode>\n\t\t<fr>1</fr>\n\t</alnode>\n\t<signature>v1_volHXhv4</signature>\n\t<tmp_node>\n\t\t<publisher-id></publisher-id>\n\t</tmp_node>\n</msgsource>\n',
        pushContent: '朝夕。 : 123',
        imgBuf: { length: 0 },
        status: 3,
        msgSeq: '640356095',
      },
    });
  });

  it('reads the reference group example (Wxid after Data) with its 64-bit NewMsgId intact', () => {
    const callback = parseGeweCallback(groupTextCallback);
    expect(callback.type).toBe('add-msg');
    if (callback.type !== 'add-msg') return;
    expect(callback.appId).toBe('wx_xxx');
    expect(callback.wxid).toBe('wxid_gewechat_bot');
    expect(callback.data.newMsgId).toBe('8449132831264840264');
    expect(callback.data.msgId).toBe('585326344');
    expect(callback.data.fromUserName).toBe('xxx@chatroom');
    expect(callback.data.toUserName).toBe('wxid_gewechat_bot');
    expect(callback.data.content).toBe('wxid_xxx:\n@name msg_content');
    expect(callback.data.pushContent).toBe('xxx在群聊中@了你');
  });

  it('reads the reference revoke example', () => {
    const callback = parseGeweCallback(revokeCallback);
    expect(callback.type === 'add-msg' && callback.data.msgType).toBe(10002);
    expect(callback.type === 'add-msg' && callback.data.newMsgId).toBe('1968256046');
    expect(callback.type === 'add-msg' && callback.data.content).toContain('<newmsgid>5576224237104747184</newmsgid>');
  });

  it('reads the reference ModContacts example, tolerating the empty Remark wrapper', () => {
    expect(parseGeweCallback(modContactsCallback)).toStrictEqual({
      type: 'mod-contacts',
      appId: '…',
      wxid: '…',
      data: {
        userName: '34757816141@chatroom',
        nickName: 'GeWe test',
        smallHeadImgUrl: 'https://wx.qlogo.cn/mmcrhead/xxx/0',
        chatRoomOwner: 'wxid_0xsqb3o0tsvz22',
        imgFlag: 1,
        isRoom: true,
      },
    });
  });

  it('reads the reference DelContacts and Offline examples', () => {
    expect(parseGeweCallback(delContactsCallback)).toStrictEqual({
      type: 'del-contacts',
      appId: '…',
      wxid: '…',
      userName: '34559815390@chatroom',
    });
    expect(parseGeweCallback(offlineCallback)).toStrictEqual({
      type: 'offline',
      appId: 'wx_wR_U4zPj2M_OTS3BCyoE4',
      wxid: 'wxid_phyyedw9xap22',
    });
  });

  it('recognises the setCallback test ping', () => {
    expect(parseGeweCallback('{"testMsg":"回调地址链接成功！","token":"tok-123"}')).toStrictEqual({
      type: 'test',
      token: 'tok-123',
    });
    expect(parseGeweCallback('{"testMsg":"回调地址链接成功！"}')).toStrictEqual({ type: 'test' });
  });

  it('accepts the lower-case envelope of newer builds', () => {
    const body = addMsgBody({ from: 'wxid_friend', msgType: 1, content: 'hi', newMsgId: '9007199254740993' })
      .replace('"TypeName"', '"type_name"')
      .replace('"Appid"', '"appid"')
      .replace('"Wxid"', '"wxid"')
      .replace('"Data"', '"data"');
    const callback = parseGeweCallback(body);
    expect(callback.type).toBe('add-msg');
    if (callback.type !== 'add-msg') return;
    expect(callback.appId).toBe('wx_fixtureApp0000000000');
    expect(callback.wxid).toBe('wxid_bot');
    // 2^53 + 1: the smallest integer a double cannot hold.
    expect(callback.data.newMsgId).toBe('9007199254740993');
    expect(callback.data.content).toBe('hi');
  });

  it('accepts camel-case data keys and unwrapped strings', () => {
    const body =
      '{"type_name":"AddMsg","appid":"wx_a","wxid":"wxid_bot","data":{"msgId":1,"newMsgId":18446744073709551615,' +
      '"fromUserName":"wxid_friend","toUserName":"wxid_bot","msgType":1,"content":"plain","createTime":1700000000}}';
    const callback = parseGeweCallback(body);
    expect(callback.type === 'add-msg' && callback.data).toStrictEqual({
      msgId: '1',
      newMsgId: '18446744073709551615',
      fromUserName: 'wxid_friend',
      toUserName: 'wxid_bot',
      msgType: 1,
      content: 'plain',
      createTime: 1700000000,
    });
  });

  it('keeps an inline voice buffer', () => {
    const body = addMsgBody({
      from: 'wxid_friend',
      msgType: 34,
      content: '<msg/>',
      imgBuf: { iLen: 12, buffer: 'AiMhU0lMS19WMxMA' },
    });
    const callback = parseGeweCallback(body);
    expect(callback.type === 'add-msg' && callback.data.imgBuf).toStrictEqual({ length: 12, base64: 'AiMhU0lMS19WMxMA' });
  });

  it('reports other callback types as unknown', () => {
    expect(parseGeweCallback('{"TypeName":"ModChatRoomMember","Appid":"wx_a","Data":{}}')).toStrictEqual({
      type: 'unknown',
      typeName: 'ModChatRoomMember',
      appId: 'wx_a',
    });
    expect(parseGeweCallback('{}')).toStrictEqual({ type: 'unknown', typeName: '' });
  });

  it('throws GeweCallbackError for bodies that are not JSON objects', () => {
    expectCallbackError('not json at all', 'invalid-json');
    expectCallbackError('{"TypeName":"AddMsg",', 'invalid-json');
    expectCallbackError('', 'invalid-json');
    expectCallbackError('[1,2]', 'not-an-object');
    expectCallbackError('"AddMsg"', 'not-an-object');
    expectCallbackError('null', 'not-an-object');
  });

  it('throws GeweCallbackError for known callbacks missing what they cannot do without', () => {
    expectCallbackError('{"TypeName":"AddMsg","Appid":"wx_a","Wxid":"wxid_bot"}', 'invalid-payload');
    expectCallbackError('{"TypeName":"AddMsg","Appid":"wx_a","Data":{"MsgType":1,"NewMsgId":5}}', 'invalid-payload');
    expectCallbackError('{"TypeName":"ModContacts","Appid":"wx_a","Data":{"UserName":{}}}', 'invalid-payload');
    expectCallbackError('{"TypeName":"DelContacts","Appid":"wx_a","Data":{}}', 'invalid-payload');
  });
});
