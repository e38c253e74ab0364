import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder, type RecordedCallback } from './callback-recorder.ts';
import { createGewechatSimulator, type GewechatSimulatorOptions } from './gewechat-simulator.ts';
import { parseJsonText } from './json-text.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The private text example of reference B.6.
const referencePrivateText = parseJsonText(
  '{"TypeName":"AddMsg","Appid":"wx_wR_U4zPj2M_OTS3BCyoE4","Wxid":"wxid_phyyedw9xap22",' +
    '"Data":{"MsgId":1040356095,"FromUserName":{"string":"wxid_phyyedw9xap22"},"ToUserName":{"string":"wxid_0xsqb3o0tsvz22"},' +
    '"MsgType":1,"Content":{"string":"123"},"Status":3,"ImgStatus":1,"ImgBuf":{"iLen":0},"CreateTime":1705043418,' +
    '"MsgSource":"<msgsource>\\n\\t<alnode>\\n\\t\\t<fr>1</fr>\\n\\t</alnode>\\n\\t<signature>v1_volHXhv4</signature>\\n\\t<tmp_node>\\n\\t\\t<publisher-id></publisher-id>\\n\\t</tmp_node>\\n</msgsource>\\n",' +
    '"PushContent":"朝夕。 : 123","NewMsgId":7773749793478223190,"MsgSeq":640356095}}',
) as Envelope;

interface AddMsgData {
  MsgId: number;
  FromUserName: { string: string };
  ToUserName: { string: string };
  MsgType: number;
  Content: { string: string };
  Status: number;
  ImgStatus: number;
  ImgBuf: { iLen: number; buffer?: string };
  CreateTime: number;
  MsgSource: string;
  PushContent?: string;
  NewMsgId: bigint;
  MsgSeq: number;
}
interface Envelope {
  TypeName: string;
  Appid: string;
  Wxid: string;
  Data: AddMsgData & Record<string, unknown>;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const shape = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([key, member]) => [key, shape(member)]))
    : typeof value;

const room = '34757816141@chatroom';

async function setup(options: GewechatSimulatorOptions = {}) {
  const recorder = await createCallbackRecorder();
  cleanups.push(() => recorder.close());
  const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bot', nickName: 'Bot' }, ...options });
  cleanups.push(() => sim.stop());
  sim.addContact({ wxid: 'wxid_alice', nickName: '朝夕。' });
  sim.addContact({ wxid: 'wxid_bob', nickName: 'Bob' });
  sim.addRoom({
    roomId: room,
    name: 'GeWe test',
    owner: 'wxid_alice',
    members: [{ wxid: 'wxid_alice', displayName: 'Ali' }, { wxid: 'wxid_bob' }, { wxid: 'wxid_carol', nickName: 'Carol' }],
  });
  await callGewechatApi(sim.apiUrl, '/tools/setCallback', { token: sim.token, callbackUrl: recorder.url }, { token: sim.token });
  const appId = await sim.loginDevice();
  const callback = (newMsgId: string): RecordedCallback & { json: Envelope } => {
    const found = recorder.received.find(item => item.body.includes(`"NewMsgId":${newMsgId}`));
    if (!found) throw new Error(`no callback for ${newMsgId}`);
    return found as RecordedCallback & { json: Envelope };
  };
  const since = (index: number) => recorder.received.slice(index).map(item => item.json as Envelope);
  return { sim, recorder, appId, callback, since };
}

describe('receive.text (B.6)', () => {
  it('builds a private text with exactly the reference example keys and a raw 64-bit NewMsgId', async () => {
    const { sim, appId, callback } = await setup();
    const id = await sim.receive.text({ from: 'wxid_alice', text: '123' });
    const { body, json } = callback(id);
    expect(shape(json)).toEqual(shape(referencePrivateText));
    expect(Object.keys(json.Data)).toEqual(Object.keys(referencePrivateText.Data));
    expect(body).toMatch(new RegExp(`"NewMsgId":${id},"MsgSeq":\\d+}}$`));
    expect(BigInt(id) > 2n ** 53n).toBe(true);
    expect(json.Data.MsgId).toBeLessThan(2 ** 32);
    expect(json).toMatchObject({
      TypeName: 'AddMsg',
      Appid: appId,
      Wxid: 'wxid_bot',
      Data: {
        FromUserName: { string: 'wxid_alice' },
        ToUserName: { string: 'wxid_bot' },
        MsgType: 1,
        Content: { string: '123' },
        Status: 3,
        ImgBuf: { iLen: 0 },
        PushContent: '朝夕。 : 123',
      },
    });
    expect(Math.abs(json.Data.CreateTime - Date.now() / 1000)).toBeLessThan(60);
  });

  it('prefixes group texts with the sender, lists mentions and ends visible mentions with U+2005', async () => {
    const { sim, callback } = await setup();
    const id = await sim.receive.text({ from: 'wxid_alice', room, text: 'look', mentions: ['wxid_bot', 'wxid_bob'] });
    const { Data } = callback(id).json;
    expect(Data.FromUserName.string).toBe(room);
    expect(Data.ToUserName.string).toBe('wxid_bot');
    expect(Data.Content.string).toBe('wxid_alice:\n@Bot\u2005@Bob\u2005look');
    expect(Data.MsgSource).toContain('<atuserlist><![CDATA[,wxid_bot,wxid_bob]]></atuserlist>');
    expect(Data.MsgSource).toContain('<membercount>4</membercount>');
    expect(Data.PushContent).toBe('Ali在群聊中@了你');

    const all = callback(await sim.receive.text({ from: 'wxid_bob', room, text: 'hi all', mentions: 'all' })).json.Data;
    expect(all.Content.string).toBe('wxid_bob:\n@所有人\u2005hi all');
    expect(all.MsgSource).toContain('notify@all');

    const plain = callback(await sim.receive.text({ from: 'wxid_bob', room, text: 'no mention' })).json.Data;
    expect(plain.MsgSource).not.toContain('atuserlist');
    expect(plain.PushContent).toBe('Bob : no mention');
  });

  it('uses the older group form on request: ToUserName = room, no prefix', async () => {
    const { sim, callback } = await setup();
    const { Data } = callback(await sim.receive.text({ from: 'wxid_bob', room, text: 'old', legacyGroupForm: true })).json;
    expect(Data.FromUserName.string).toBe('wxid_bob');
    expect(Data.ToUserName.string).toBe(room);
    expect(Data.Content.string).toBe('old');
  });

  it('echoes messages sent from the phone with FromUserName = the account', async () => {
    const { sim, callback } = await setup();
    const { json } = callback(await sim.self.says({ to: room, text: 'from my phone' }));
    expect(json.Data.FromUserName.string).toBe(json.Wxid);
    expect(json.Data.ToUserName.string).toBe(room);
    expect(json.Data.Content.string).toBe('from my phone');
  });
});

describe('receive media and app messages (B.6 MsgType table)', () => {
  it('image: MsgType 3, <img aeskey md5 length>, thumbnail in ImgBuf', async () => {
    const { sim, callback } = await setup();
    const data = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const thumb = new Uint8Array([0xff, 0xd8, 9, 0xff, 0xd9]);
    const { Data } = callback(await sim.receive.image({ from: 'wxid_alice', data, thumb })).json;
    expect(Data).toMatchObject({
      MsgType: 3,
      ImgStatus: 2,
      ImgBuf: { iLen: thumb.byteLength, buffer: Buffer.from(thumb).toString('base64') },
    });
    expect(Data.PushContent).toBe('朝夕。 : [图片]');
    const img = xml.parse(Data.Content.string).msg.img;
    expect(Object.keys(img)).toEqual(expect.arrayContaining(['aeskey', 'cdnthumburl', 'cdnmidimgurl', 'length', 'md5']));
    expect(img.length).toBe(String(data.byteLength));
  });

  it('voice: <voicemsg voicelength(ms) length(bytes)>, SILK inline in ImgBuf only when asked', async () => {
    const { sim, callback } = await setup();
    const silk = new Uint8Array([0x02, ...Buffer.from('#!SILK_V3'), 1, 0, 5]);
    const plain = callback(await sim.receive.voice({ from: 'wxid_alice', data: silk, durationMs: 2540 })).json.Data;
    expect(plain.MsgType).toBe(34);
    expect(plain.ImgBuf).toEqual({ iLen: 0 });
    expect(xml.parse(plain.Content.string).msg.voicemsg).toMatchObject({
      voicelength: '2540',
      length: String(silk.byteLength),
      voiceformat: '4',
      fromusername: 'wxid_alice',
    });
    const inline = callback(await sim.receive.voice({ from: 'wxid_alice', data: silk, durationMs: 2540, inlineBuffer: true }))
      .json.Data;
    expect(inline.ImgBuf).toEqual({ iLen: silk.byteLength, buffer: Buffer.from(silk).toString('base64') });
  });

  it('video (43), emoji (47), location (48), link (49/5), mini program (49/33), contact card (42)', async () => {
    const { sim, callback } = await setup();
    const video = callback(await sim.receive.video({ from: 'wxid_alice', data: new Uint8Array([1, 2]), durationSeconds: 3 })).json
      .Data;
    expect(video.MsgType).toBe(43);
    expect(xml.parse(video.Content.string).msg.videomsg).toMatchObject({ playlength: '3', length: '2' });

    const emoji = callback(await sim.receive.emoji({ from: 'wxid_alice' })).json.Data;
    expect(emoji.MsgType).toBe(47);
    expect(xml.parse(emoji.Content.string).msg.emoji).toMatchObject({ md5: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const location = callback(
      await sim.receive.location({
        from: 'wxid_alice',
        latitude: 39.90374,
        longitude: 116.397827,
        label: '北京',
        poiName: '天安门',
      }),
    ).json.Data;
    expect(location.MsgType).toBe(48);
    expect(xml.parse(location.Content.string).msg.location).toMatchObject({
      x: '39.903740',
      y: '116.397827',
      poiname: '天安门',
      label: '北京',
    });
    expect(location.PushContent).toBe('朝夕。分享了一个地理位置');

    const link = callback(await sim.receive.link({ from: 'wxid_alice', title: '尔滨', url: 'http://mp.weixin.qq.com/s?a=1&b=2' }))
      .json.Data;
    expect(link.MsgType).toBe(49);
    expect(xml.parse(link.Content.string).msg.appmsg).toMatchObject({
      type: 5,
      title: '尔滨',
      url: 'http://mp.weixin.qq.com/s?a=1&b=2',
    });
    expect(link.PushContent).toBe('朝夕。 : [链接]尔滨');

    const mini = callback(
      await sim.receive.miniProgram({
        from: 'wxid_alice',
        title: '腾讯云助手',
        userName: 'gh_44fc2ced7f87@app',
        pagePath: 'pages/home',
      }),
    ).json.Data;
    expect(xml.parse(mini.Content.string).msg.appmsg).toMatchObject({
      type: 33,
      weappinfo: { username: 'gh_44fc2ced7f87@app', pagepath: 'pages/home' },
    });

    const card = callback(await sim.receive.contactCard({ from: 'wxid_alice', card: { wxid: 'wxid_dora', nickName: 'Dora' } }))
      .json.Data;
    expect(card.MsgType).toBe(42);
    expect(xml.parse(card.Content.string).msg).toMatchObject({
      nickname: 'Dora',
      username: expect.stringMatching(/^v3_.+@stranger$/),
      antispamticket: expect.stringMatching(/^v4_.+@stranger$/),
    });
  });

  it('file: appmsg 74 (started) first, then 6 (complete) carrying the 74 id', async () => {
    const { sim, recorder } = await setup();
    const before = recorder.received.length;
    const id = await sim.receive.file({ from: 'wxid_alice', fileName: 'hhh.xlsx', data: new Uint8Array(8939) });
    const [started, complete] = recorder.received.slice(before).map(item => (item.json as Envelope).Data);
    expect(xml.parse(started!.Content.string).msg.appmsg).toMatchObject({
      type: 74,
      title: 'hhh.xlsx',
      appattach: { totallen: 8939, fileext: 'xlsx' },
    });
    const appmsg = xml.parse(complete!.Content.string).msg.appmsg;
    expect(appmsg).toMatchObject({ type: 6, title: 'hhh.xlsx', appattach: { totallen: 8939, fileext: 'xlsx' } });
    expect(String(appmsg.appattach.overwrite_newmsgid)).toBe(started!.NewMsgId.toString());
    expect(complete!.NewMsgId.toString()).toBe(id);
    expect(complete!.PushContent).toBe('朝夕。 : [文件]hhh.xlsx');
  });

  it('quote: appmsg 57 with refermsg/svrid = the quoted NewMsgId', async () => {
    const { sim, callback } = await setup();
    const quoted = await sim.receive.text({ from: 'wxid_bob', room, text: 'original <b>' });
    const { Data } = callback(
      await sim.receive.quote({ from: 'wxid_alice', room, text: '看看这个', quotedNewMsgId: quoted }),
    ).json;
    expect(Data.Content.string.startsWith('wxid_alice:\n')).toBe(true);
    const appmsg = xml.parse(Data.Content.string.slice('wxid_alice:\n'.length)).msg.appmsg;
    expect(appmsg).toMatchObject({ type: 57, title: '看看这个' });
    expect(String(appmsg.refermsg.svrid)).toBe(quoted);
    expect(appmsg.refermsg).toMatchObject({
      type: 1,
      fromusr: room,
      chatusr: 'wxid_bob',
      displayname: 'Bob',
      content: 'original <b>',
    });
    expect(Data.Content.string).toContain('<content>original &lt;b&gt;</content>');
  });

  it('system text (10000), other appmsg types and raw messages', async () => {
    const { sim, callback } = await setup();
    const system = callback(await sim.receive.system('你已添加了朝夕。', { chat: 'wxid_alice' })).json.Data;
    expect(system).toMatchObject({
      MsgType: 10000,
      Status: 4,
      FromUserName: { string: 'wxid_alice' },
      Content: { string: '你已添加了朝夕。' },
    });
    const transfer = callback(await sim.receive.appMsg({ from: 'wxid_alice', appType: 2000, title: '微信转账' })).json.Data;
    expect(xml.parse(transfer.Content.string).msg.appmsg).toMatchObject({ type: 2000, title: '微信转账' });
    const pat = callback(
      await sim.receive.raw({ from: 'wxid_alice', msgType: 10002, content: '<sysmsg type="pat"><pat></pat></sysmsg>' }),
    ).json.Data;
    expect(pat).toMatchObject({ MsgType: 10002, Content: { string: '<sysmsg type="pat"><pat></pat></sysmsg>' } });
  });
});

describe('events (B.6)', () => {
  it('recall: 10002 revokemsg naming the revoked message (session, msgid, newmsgid)', async () => {
    const { sim, callback } = await setup();
    const original = await sim.receive.text({ from: 'wxid_alice', text: 'oops' });
    const originalMsgId = callback(original).json.Data.MsgId;
    const { Data } = callback(await sim.recall({ newMsgId: original })).json;
    expect(Data).toMatchObject({ MsgType: 10002, FromUserName: { string: 'wxid_alice' }, ToUserName: { string: 'wxid_bot' } });
    const revoke = xml.parse(Data.Content.string).sysmsg.revokemsg;
    expect(revoke).toMatchObject({ session: 'wxid_alice', msgid: originalMsgId, replacemsg: '"朝夕。" 撤回了一条消息' });
    expect(Data.Content.string).toContain(`<newmsgid>${original}</newmsgid>`);
    await expect(sim.recall({ newMsgId: original })).rejects.toThrow(/already/);

    const inRoom = await sim.receive.text({ from: 'wxid_bob', room, text: 'x' });
    const roomRevoke = callback(await sim.recall({ newMsgId: inRoom })).json.Data;
    expect(roomRevoke.FromUserName.string).toBe(room);
    expect(roomRevoke.Content.string.startsWith(`${room}:\n<sysmsg type="revokemsg">`)).toBe(true);
  });

  it('friend requests: 37 from fmessage with v3/v4 tickets; addContacts option 3 accepts with ModContacts', async () => {
    const { sim, recorder, appId, callback, since } = await setup();
    const { Data } = callback(await sim.receive.friendRequest({ wxid: 'wxid_eve', nickName: 'Eve', greeting: '我是Eve' })).json;
    expect(Data).toMatchObject({ MsgType: 37, FromUserName: { string: 'fmessage' }, ToUserName: { string: 'wxid_bot' } });
    const request = xml.parse(Data.Content.string).msg;
    expect(request).toMatchObject({ fromusername: 'wxid_eve', fromnickname: 'Eve', content: '我是Eve', scene: '6' });
    expect(request.encryptusername).toMatch(/^v3_.+@stranger$/);
    expect(request.ticket).toMatch(/^v4_.+@stranger$/);

    const mark = recorder.received.length;
    const accept = await callGewechatApi(
      sim.apiUrl,
      '/contacts/addContacts',
      { appId, scene: 6, option: 3, v3: request.encryptusername, v4: request.ticket, content: '' },
      { token: sim.token },
    );
    expect(accept.ret).toBe(200);
    await sim.idle();
    expect(since(mark)).toEqual([
      expect.objectContaining({
        TypeName: 'ModContacts',
        Data: expect.objectContaining({ UserName: { string: 'wxid_eve' }, BitVal: 3 }),
      }),
    ]);
    expect(sim.getContact('wxid_eve')?.isFriend).toBe(true);
  });

  it('memberJoined, memberLeft and roomRenamed send the system messages and ModContacts', async () => {
    const { sim, recorder, since } = await setup();
    let mark = recorder.received.length;
    await sim.memberJoined({ roomId: room, members: [{ wxid: 'wxid_frank', nickName: 'Frank' }], inviter: 'wxid_alice' });
    const [joined, joinedMod] = since(mark);
    expect(joined?.Data).toMatchObject({ MsgType: 10002, FromUserName: { string: room }, Status: 4 });
    const joinedContent = joined!.Data.Content.string;
    expect(joinedContent.startsWith(`${room}:\n<sysmsg type="sysmsgtemplate">`)).toBe(true);
    expect(joinedContent).toContain('<template><![CDATA["$username$"邀请"$names$"加入了群聊]]></template>');
    expect(joinedContent).toContain('<username><![CDATA[wxid_frank]]></username>');
    expect(joinedMod).toMatchObject({
      TypeName: 'ModContacts',
      Data: { UserName: { string: room }, ChatRoomOwner: 'wxid_alice', ImgFlag: 1 },
    });
    expect(String(joinedMod!.Data.Description)).toContain('wxid_frank');

    mark = recorder.received.length;
    expect(await sim.memberLeft({ roomId: room, wxid: 'wxid_frank' })).toBeUndefined();
    expect(since(mark).map(item => item.TypeName)).toEqual(['ModContacts']);

    mark = recorder.received.length;
    expect(await sim.memberLeft({ roomId: room, wxid: 'wxid_carol', removedBy: 'wxid_alice' })).toMatch(/^\d+$/);
    const [kicked, kickedMod] = since(mark);
    expect(kicked?.Data.Content.string).toContain('"$username$"将"$kickoutname$"移出了群聊');
    expect(kickedMod?.TypeName).toBe('ModContacts');

    mark = recorder.received.length;
    await sim.roomRenamed({ roomId: room, name: 'GeWe test1', by: 'wxid_alice' });
    const [renamed, renamedMod] = since(mark);
    expect(renamed?.Data).toMatchObject({
      MsgType: 10000,
      FromUserName: { string: room },
      Content: { string: '"Ali"修改群名为“GeWe test1”' },
    });
    expect(renamedMod?.Data).toMatchObject({ NickName: { string: 'GeWe test1' } });

    mark = recorder.received.length;
    await sim.memberLeft({ roomId: room, wxid: 'wxid_bot', removedBy: 'wxid_alice' });
    const [removed, deleted] = since(mark);
    expect(removed?.Data).toMatchObject({ MsgType: 10000, Content: { string: '你被"Ali"移出群聊' } });
    expect(deleted).toMatchObject({ TypeName: 'DelContacts', Data: { UserName: { string: room }, DeleteContactScen: 0 } });
  });

  it('contactChanged and contactDeleted send ModContacts and DelContacts', async () => {
    const { sim, recorder, since } = await setup();
    const mark = recorder.received.length;
    await sim.contactChanged('wxid_bob', { nickName: 'Robert', remark: 'Bobby' });
    await sim.contactDeleted('wxid_bob');
    expect(since(mark)).toEqual([
      expect.objectContaining({
        TypeName: 'ModContacts',
        Data: expect.objectContaining({ NickName: { string: 'Robert' }, Remark: { string: 'Bobby' } }),
      }),
      expect.objectContaining({ TypeName: 'DelContacts', Data: { UserName: { string: 'wxid_bob' }, DeleteContactScen: 0 } }),
    ]);
  });

  it('group invite: appmsg 5 titled 邀请你加入群聊, accepted with agreeJoinRoom (url as chatroomName)', async () => {
    const { sim, appId, callback } = await setup();
    const { Data } = callback(
      await sim.receive.groupInvite({ from: 'wxid_alice', roomId: '39238473509@chatroom', roomName: 'Dromara' }),
    ).json;
    const appmsg = xml.parse(Data.Content.string).msg.appmsg;
    expect(appmsg).toMatchObject({ type: 5, title: '邀请你加入群聊' });
    expect(appmsg.des).toBe('"朝夕。"邀请你加入群聊"Dromara"，进入可查看详情。');
    const join = await callGewechatApi(
      sim.apiUrl,
      '/group/agreeJoinRoom',
      { appId, chatroomName: appmsg.url },
      { token: sim.token },
    );
    expect(join.ret).toBe(200);
    expect(sim.getRoom('39238473509@chatroom')?.members.map(member => member.wxid)).toContain('wxid_bot');
  });
});
