import { type GeweAddMsgData, parseGeweCallback } from '../parse-callback.ts';

/** The reference's private text example (B.6), verbatim. */
export const privateTextCallback = `{"TypeName":"AddMsg","Appid":"wx_wR_U4zPj2M_OTS3BCyoE4","Wxid":"wxid_phyyedw9xap22",
 "Data":{"MsgId":1040356095,"FromUserName":{"string":"wxid_phyyedw9xap22"},"ToUserName":{"string":"wxid_0xsqb3o0tsvz22"},
  "MsgType":1,"Content":{"string":"123"},"Status":3,"ImgStatus":1,"ImgBuf":{"iLen":0},"CreateTime":1705043418,
  "MsgSource":"<msgsource>\\n\\t<alnode>\\n\\t\\t<fr>1</fr>\\n\\t</alnode>\\n\\t<signature>v1_volHXhv4</signature>\\n\\t<tmp_node>\\n\\t\\t<publisher-id></publisher-id>\\n\\t</tmp_node>\\n</msgsource>\\n",
  "PushContent":"朝夕。 : 123","NewMsgId":7773749793478223190,"MsgSeq":640356095}}`;

/** The reference's group text example (B.6), verbatim (the `…` elision included). */
export const groupTextCallback = `{"TypeName":"AddMsg","Appid":"wx_xxx","Data":{"MsgId":585326344,"FromUserName":{"string":"xxx@chatroom"},"ToUserName":{"string":"wxid_gewechat_bot"},
 "MsgType":1,"Content":{"string":"wxid_xxx:\\n@name msg_content"},"Status":3,"ImgStatus":1,"ImgBuf":{"iLen":0},"CreateTime":1733447040,
 "MsgSource":"<msgsource>\\n\\t<atuserlist><![CDATA[,wxid_wvp31dkffyml19]]></atuserlist>\\n\\t<pua>1</pua>\\n\\t<silence>0</silence>\\n\\t<membercount>3</membercount>\\n\\t<signature>V1_cqxXBat9|v1_cqxXBat9</signature>…</msgsource>\\n",
 "PushContent":"xxx在群聊中@了你","NewMsgId":8449132831264840264,"MsgSeq":773900177},"Wxid":"wxid_gewechat_bot"}`;

/** The reference's revoke example (B.6), verbatim. */
export const revokeCallback = `{"TypeName":"AddMsg","Appid":"wx_wR_U4zPj2M_OTS3BCyoE4","Wxid":"wxid_phyyedw9xap22","Data":{"MsgId":1040356116,
 "FromUserName":{"string":"wxid_phyyedw9xap22"},"ToUserName":{"string":"wxid_0xsqb3o0tsvz22"},"MsgType":10002,
 "Content":{"string":"<sysmsg type=\\"revokemsg\\"><revokemsg><session>wxid_phyyedw9xap22</session><msgid>1040356115</msgid><newmsgid>5576224237104747184</newmsgid><replacemsg><![CDATA[\\"朝夕。\\" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>"},
 "Status":3,"ImgStatus":1,"ImgBuf":{"iLen":0},"CreateTime":1705045083,"NewMsgId":1968256046,"MsgSeq":640356116}}`;

/** The reference's ModContacts, DelContacts and Offline examples (B.6), verbatim. */
export const modContactsCallback = `{"TypeName":"ModContacts","Appid":"…","Wxid":"…","Data":{"UserName":{"string":"34757816141@chatroom"},"NickName":{"string":"GeWe test"},"PyInitial":{"string":"GEWETEST"},"QuanPin":{"string":"GeWetest"},"Sex":0,"ImgBuf":{"iLen":0},"BitMask":4294967295,"BitVal":2,"ImgFlag":1,"Remark":{},"ContactType":0,"ChatRoomNotify":1,"ChatRoomOwner":"wxid_0xsqb3o0tsvz22","SmallHeadImgUrl":"https://wx.qlogo.cn/mmcrhead/xxx/0","ChatroomMaxCount":700000019,"DeleteFlag":2,"Description":"\\b\\u0004\\u0012…(protobuf member list as string)…","ChatroomStatus":27,"Extflag":0,"ChatRoomBusinessType":0}}`;
export const delContactsCallback = `{"TypeName":"DelContacts","Appid":"…","Wxid":"…","Data":{"UserName":{"string":"34559815390@chatroom"},"DeleteContactScen":0}}`;
export const offlineCallback = `{"TypeName":"Offline","Appid":"wx_wR_U4zPj2M_OTS3BCyoE4","Wxid":"wxid_phyyedw9xap22"}`;

export const botWxid = 'wxid_bot';
export const appId = 'wx_fixtureApp0000000000';

export interface AddMsgFixture {
  readonly from: string;
  readonly to?: string;
  readonly msgType: number;
  readonly content: string;
  /** Written as a raw JSON number, as GeWe does. */
  readonly newMsgId?: string;
  readonly msgId?: number;
  readonly createTime?: number;
  readonly msgSource?: string;
  readonly imgBuf?: { readonly iLen: number; readonly buffer?: string };
}

/** An `AddMsg` callback body shaped like the reference examples, ids as raw JSON numbers. */
export function addMsgBody(fixture: AddMsgFixture): string {
  const newMsgId = fixture.newMsgId ?? '9223372036854775001';
  return (
    `{"TypeName":"AddMsg","Appid":${JSON.stringify(appId)},"Wxid":${JSON.stringify(botWxid)},"Data":{` +
    `"MsgId":${fixture.msgId ?? 1040356200},` +
    `"FromUserName":{"string":${JSON.stringify(fixture.from)}},` +
    `"ToUserName":{"string":${JSON.stringify(fixture.to ?? botWxid)}},` +
    `"MsgType":${fixture.msgType},"Content":{"string":${JSON.stringify(fixture.content)}},"Status":3,"ImgStatus":1,` +
    `"ImgBuf":${JSON.stringify(fixture.imgBuf ?? { iLen: 0 })},"CreateTime":${fixture.createTime ?? 1733447040},` +
    `"MsgSource":${JSON.stringify(fixture.msgSource ?? '<msgsource><signature>v1_x</signature></msgsource>')},` +
    `"PushContent":"","NewMsgId":${newMsgId},"MsgSeq":773900200}}`
  );
}

/** Parses a body that must be an `AddMsg`. */
export function addMsgData(body: string): GeweAddMsgData {
  const callback = parseGeweCallback(body);
  if (callback.type !== 'add-msg') throw new Error(`expected an AddMsg, got ${callback.type}`);
  return callback.data;
}

export const addMsg = (fixture: AddMsgFixture): GeweAddMsgData => addMsgData(addMsgBody(fixture));
