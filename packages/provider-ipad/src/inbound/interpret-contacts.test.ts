import { describe, expect, it } from 'vitest';
import { modContactsCallback } from './__fixtures__/gewe-callbacks.ts';
import { interpretModContacts } from './interpret-contacts.ts';
import { parseGeweCallback } from './parse-callback.ts';

describe('interpretModContacts', () => {
  it('reads the reference group example as a room update, still a member', () => {
    const callback = parseGeweCallback(modContactsCallback);
    if (callback.type !== 'mod-contacts') throw new Error(`expected mod-contacts, got ${callback.type}`);
    expect(interpretModContacts(callback.data)).toStrictEqual({
      type: 'room-updated',
      roomId: '34757816141@chatroom',
      removed: false,
    });
  });

  it('detects removal from a group: no head image, or ImgFlag other than 1', () => {
    expect(interpretModContacts({ userName: '1@chatroom', imgFlag: 1, isRoom: true })).toMatchObject({ removed: true });
    expect(
      interpretModContacts({ userName: '1@chatroom', smallHeadImgUrl: 'https://x/0', imgFlag: 2, isRoom: true }),
    ).toMatchObject({
      removed: true,
    });
    expect(interpretModContacts({ userName: '1@chatroom', bigHeadImgUrl: 'https://x/0', isRoom: true })).toMatchObject({
      removed: false,
    });
  });

  it('reads a contact change', () => {
    const body =
      '{"TypeName":"ModContacts","Appid":"wx_a","Wxid":"wxid_bot","Data":{"UserName":{"string":"wxid_friend"},"NickName":{"string":"Friend"},' +
      '"Remark":{"string":"老同学"},"SmallHeadImgUrl":"https://wx.qlogo.cn/mmhead/s/132","BigHeadImgUrl":"https://wx.qlogo.cn/mmhead/b/0","ImgFlag":1}}';
    const callback = parseGeweCallback(body);
    if (callback.type !== 'mod-contacts') throw new Error(`expected mod-contacts, got ${callback.type}`);
    expect(callback.data).toStrictEqual({
      userName: 'wxid_friend',
      nickName: 'Friend',
      remark: '老同学',
      smallHeadImgUrl: 'https://wx.qlogo.cn/mmhead/s/132',
      bigHeadImgUrl: 'https://wx.qlogo.cn/mmhead/b/0',
      imgFlag: 1,
      isRoom: false,
    });
    expect(interpretModContacts(callback.data)).toStrictEqual({ type: 'contact-updated', contactId: 'wxid_friend' });
  });
});
