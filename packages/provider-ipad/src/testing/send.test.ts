import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder, type RecordedCallback } from './callback-recorder.ts';
import { createGewechatSimulator } from './gewechat-simulator.ts';
import { listenHttp } from './http-listener.ts';
import { md5Hex } from './media-store.ts';
import { solidPng } from './placeholder-images.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const silk = new Uint8Array([0x02, ...Buffer.from('#!SILK_V3'), 0x13, 0x00, ...new Array<number>(19).fill(7)]);

interface SendData {
  toWxid: string;
  createTime: number;
  msgId: number;
  newMsgId: bigint;
  type: number;
  [key: string]: unknown;
}
type AddMsg = {
  TypeName: string;
  Appid: string;
  Wxid: string;
  Data: {
    FromUserName: { string: string };
    ToUserName: { string: string };
    MsgType: number;
    Content: { string: string };
    NewMsgId: bigint;
    MsgSource: string;
  };
};

async function setup() {
  const recorder = await createCallbackRecorder();
  cleanups.push(() => recorder.close());
  const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bot', nickName: 'Bot' } });
  cleanups.push(() => sim.stop());
  sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
  sim.addRoom({ roomId: '34757816141@chatroom', name: 'Family', owner: 'wxid_alice', members: [{ wxid: 'wxid_alice' }] });
  const api = <T = SendData>(path: string, body: Record<string, unknown>) =>
    callGewechatApi<T>(sim.apiUrl, path, { appId, ...body }, { token: sim.token });
  await callGewechatApi(sim.apiUrl, '/tools/setCallback', { token: sim.token, callbackUrl: recorder.url }, { token: sim.token });
  const appId = await sim.loginDevice();
  const echoOf = async (newMsgId: bigint): Promise<RecordedCallback & { json: AddMsg }> => {
    await sim.idle();
    const found = recorder.received.find(callback => (callback.json as AddMsg | undefined)?.Data?.NewMsgId === newMsgId);
    if (!found) throw new Error(`no echo for ${newMsgId}`);
    return found as RecordedCallback & { json: AddMsg };
  };
  return { sim, recorder, api, appId, echoOf };
}

/** A media host outside the simulator, counting what the simulator fetches from it. */
async function mediaHost(files: Record<string, Uint8Array>) {
  const fetched: string[] = [];
  const host = await listenHttp(0, (request, response) => {
    const path = request.url ?? '/';
    fetched.push(path);
    const file = files[path];
    response.writeHead(file ? 200 : 404);
    response.end(file ? Buffer.from(file) : 'missing');
  });
  cleanups.push(() => host.close());
  return { url: (path: string) => `http://127.0.0.1:${host.port}${path}`, fetched };
}

describe('postText (B.3)', () => {
  it('answers a raw 64-bit newMsgId and echoes a self AddMsg with the same NewMsgId', async () => {
    const { sim, api, appId, echoOf } = await setup();
    const answer = await api('/message/postText', { toWxid: 'wxid_alice', content: 'hello', ats: '' });
    expect(answer.ret).toBe(200);
    const raw = /"newMsgId":(\d+)[,}]/.exec(answer.text);
    expect(raw).not.toBeNull();
    expect(BigInt(raw![1]!) > 2n ** 53n).toBe(true);
    expect(answer.data.newMsgId).toBe(BigInt(raw![1]!));
    expect(Object.keys(answer.data)).toEqual(['toWxid', 'createTime', 'msgId', 'newMsgId', 'type']);
    expect(answer.data).toMatchObject({ toWxid: 'wxid_alice', type: 1 });
    expect(answer.data.msgId).toBeLessThan(2 ** 32);

    const echo = await echoOf(answer.data.newMsgId);
    expect(echo.body).toContain(`"NewMsgId":${raw![1]}`);
    expect(echo.json).toMatchObject({
      TypeName: 'AddMsg',
      Appid: appId,
      Wxid: 'wxid_bot',
      Data: {
        FromUserName: { string: 'wxid_bot' },
        ToUserName: { string: 'wxid_alice' },
        MsgType: 1,
        Content: { string: 'hello' },
      },
    });
    expect(sim.sent).toEqual([
      expect.objectContaining({ path: '/message/postText', toWxid: 'wxid_alice', content: 'hello', ats: [], newMsgId: raw![1] }),
    ]);
  });

  it('carries ats in a room and allows notify@all only to the owner', async () => {
    const { sim, api, echoOf } = await setup();
    const answer = await api('/message/postText', {
      toWxid: '34757816141@chatroom',
      content: '@Alice\u2005hi',
      ats: 'wxid_alice',
    });
    const echo = await echoOf(answer.data.newMsgId);
    expect(echo.json.Data.ToUserName.string).toBe('34757816141@chatroom');
    expect(echo.json.Data.Content.string).toBe('@Alice\u2005hi');
    expect(echo.json.Data.MsgSource).toContain('<atuserlist><![CDATA[,wxid_alice]]></atuserlist>');

    const all = await api('/message/postText', { toWxid: '34757816141@chatroom', content: '@所有人 hi', ats: 'notify@all' });
    expect(all.ret).toBe(500);
    sim.addRoom({ roomId: '11111111111@chatroom', name: 'Mine', owner: 'wxid_bot', members: [{ wxid: 'wxid_alice' }] });
    expect(
      (await api('/message/postText', { toWxid: '11111111111@chatroom', content: '@所有人 hi', ats: 'notify@all' })).ret,
    ).toBe(200);
  });

  it('refuses strangers and rooms the account is not in', async () => {
    const { sim, api } = await setup();
    expect((await api('/message/postText', { toWxid: 'wxid_nobody', content: 'x' })).ret).toBe(500);
    sim.addRoom({ roomId: '22222222222@chatroom', name: 'Other', owner: 'wxid_alice', members: [], selfIsMember: false });
    expect((await api('/message/postText', { toWxid: '22222222222@chatroom', content: 'x' })).ret).toBe(500);
    expect((await api('/message/postText', { toWxid: 'filehelper', content: 'x' })).ret).toBe(200);
  });
});

describe('media sends fetch their URL (B.3)', () => {
  it('postImage fetches imgUrl, answers aesKey/fileId/size/md5 and echoes an <img> the download API finds', async () => {
    const { sim, api, echoOf, appId } = await setup();
    const png = solidPng(6, 4, [1, 2, 3]);
    const host = await mediaHost({ '/cat.png': png });
    const answer = await api('/message/postImage', { toWxid: 'wxid_alice', imgUrl: host.url('/cat.png') });
    expect(answer.ret).toBe(200);
    expect(host.fetched).toEqual(['/cat.png']);
    expect(answer.data).toMatchObject({ length: png.byteLength, width: 6, height: 4, md5: md5Hex(png), type: 3 });
    expect(typeof answer.data.aesKey).toBe('string');
    expect(typeof answer.data.fileId).toBe('string');
    expect(sim.sent[0]?.media).toEqual(png);

    const echo = await echoOf(answer.data.newMsgId);
    expect(echo.json.Data.MsgType).toBe(3);
    const img = xml.parse(echo.json.Data.Content.string).msg.img;
    expect(img).toMatchObject({ md5: md5Hex(png), length: String(png.byteLength) });
    const download = await callGewechatApi<{ fileUrl: string }>(
      sim.apiUrl,
      '/message/downloadImage',
      { appId, xml: echo.json.Data.Content.string, type: 2 },
      { token: sim.token },
    );
    const bytes = new Uint8Array(await (await fetch(`${sim.downloadUrl}/${download.data.fileUrl}`)).arrayBuffer());
    expect(bytes).toEqual(png);
  });

  it('fails with ret 500 when the media URL cannot be fetched', async () => {
    const { sim, api } = await setup();
    const host = await mediaHost({});
    const answer = await api<unknown>('/message/postImage', { toWxid: 'wxid_alice', imgUrl: host.url('/missing.png') });
    expect(answer.ret).toBe(500);
    expect(answer.msg).toBe('发送图片消息失败');
    expect(JSON.stringify(answer.data)).toContain('/missing.png');
    expect(sim.sent).toEqual([]);
  });

  it('postVoice wants SILK and a duration in ms; postVideo fetches the video and its thumbnail', async () => {
    const { sim, api, echoOf } = await setup();
    const host = await mediaHost({
      '/v.silk': silk,
      '/v.mp3': new Uint8Array([0x49, 0x44, 0x33, 1]),
      '/m.mp4': new Uint8Array([0, 0, 0, 24]),
      '/t.png': solidPng(2, 2, [0, 0, 0]),
    });
    expect(
      (await api('/message/postVoice', { toWxid: 'wxid_alice', voiceUrl: host.url('/v.mp3'), voiceDuration: 2000 })).ret,
    ).toBe(500);
    const voice = await api('/message/postVoice', { toWxid: 'wxid_alice', voiceUrl: host.url('/v.silk'), voiceDuration: 2540 });
    expect(voice.ret).toBe(200);
    const echo = await echoOf(voice.data.newMsgId);
    expect(xml.parse(echo.json.Data.Content.string).msg.voicemsg).toMatchObject({
      voicelength: '2540',
      length: String(silk.byteLength),
    });
    expect(sim.sent.at(-1)).toMatchObject({ voiceDurationMs: 2540, media: silk });

    const video = await api('/message/postVideo', {
      toWxid: 'wxid_alice',
      videoUrl: host.url('/m.mp4'),
      thumbUrl: host.url('/t.png'),
      videoDuration: 3,
    });
    expect(video.ret).toBe(200);
    expect(host.fetched.slice(-2)).toEqual(['/m.mp4', '/t.png']);
    expect(sim.sent.at(-1)).toMatchObject({ msgType: 43, videoDurationSeconds: 3 });
  });

  it('postFile echoes appmsg type 6, which forwardFile accepts; type 74 is refused', async () => {
    const { sim, api, echoOf } = await setup();
    const data = new TextEncoder().encode('report');
    const host = await mediaHost({ '/r.txt': data });
    const file = await api('/message/postFile', { toWxid: 'wxid_alice', fileUrl: host.url('/r.txt'), fileName: 'report.txt' });
    const echo = await echoOf(file.data.newMsgId);
    expect(xml.parse(echo.json.Data.Content.string).msg.appmsg).toMatchObject({ type: 6, title: 'report.txt' });
    const forward = await api('/message/forwardFile', { toWxid: '34757816141@chatroom', xml: echo.json.Data.Content.string });
    expect(forward.ret).toBe(200);
    expect(sim.sent.at(-1)).toMatchObject({ path: '/message/forwardFile', media: data, fileName: 'report.txt' });

    sim.addContact({ wxid: 'wxid_bob', nickName: 'Bob' });
    await sim.receive.file({ from: 'wxid_bob', fileName: 'a.pdf', data });
    const started = sim.deliveries.find(
      delivery => delivery.body.includes('&lt;type&gt;74') || delivery.body.includes('<type>74</type>'),
    );
    const startedXml = (JSON.parse(started!.body) as { Data: { Content: { string: string } } }).Data.Content.string;
    expect((await api('/message/forwardFile', { toWxid: 'wxid_alice', xml: startedXml })).ret).toBe(500);
  });

  it('records links, cards, emoji, app messages and mini programs', async () => {
    const { sim, api } = await setup();
    const link = await api('/message/postLink', {
      toWxid: 'wxid_alice',
      title: 'T',
      desc: 'D',
      linkUrl: 'https://example.com/',
      thumbUrl: '',
    });
    expect(link.ret).toBe(200);
    expect(sim.sent.at(-1)).toMatchObject({ msgType: 49, link: { title: 'T', desc: 'D', linkUrl: 'https://example.com/' } });
    expect(
      (await api('/message/postNameCard', { toWxid: 'wxid_alice', nickName: 'Alice', nameCardWxid: 'wxid_alice' })).ret,
    ).toBe(200);
    expect(sim.sent.at(-1)).toMatchObject({ msgType: 42, content: 'wxid_alice' });
    expect(
      (await api('/message/postEmoji', { toWxid: 'wxid_alice', emojiMd5: 'cc56728d56c730ddae52baffe941ed86', emojiSize: 10 }))
        .ret,
    ).toBe(500);
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
    await sim.receive.emoji({ from: 'wxid_alice', data: gif });
    expect(
      (await api('/message/postEmoji', { toWxid: 'wxid_alice', emojiMd5: md5Hex(gif), emojiSize: gif.byteLength })).ret,
    ).toBe(200);
    expect(sim.sent.at(-1)).toMatchObject({ msgType: 47, media: gif });
    const appmsg = '<appmsg appid="" sdkver="0"><title>x</title><type>5</type><url>https://example.com/</url></appmsg>';
    expect((await api('/message/postAppMsg', { toWxid: 'wxid_alice', appmsg })).ret).toBe(200);
    const mini = await api('/message/postMiniApp', {
      toWxid: 'wxid_alice',
      miniAppId: 'wx1234',
      displayName: 'Mini',
      pagePath: 'pages/a',
      coverImgUrl: '',
      title: 'Open me',
      userName: 'gh_1234@app',
    });
    expect(mini.ret).toBe(200);
    expect(sim.sent.at(-1)?.xml).toContain('<type>33</type>');
  });
});

describe('revokeMsg (B.3)', () => {
  it('revokes a sent message once and echoes a revokemsg; unknown or rounded ids fail', async () => {
    const { sim, api, echoOf } = await setup();
    const sent = await api('/message/postText', { toWxid: 'wxid_alice', content: 'oops' });
    const { msgId, newMsgId, createTime } = sent.data;
    const rounded = Number(newMsgId);
    expect((await api('/message/revokeMsg', { toWxid: 'wxid_alice', msgId, newMsgId: rounded, createTime })).ret).toBe(500);
    const revoke = await api('/message/revokeMsg', { toWxid: 'wxid_alice', msgId, newMsgId, createTime });
    expect(JSON.parse(revoke.text)).toEqual({ ret: 200, msg: '操作成功' });
    await sim.idle();
    const revokeEcho = sim.deliveries.find(delivery => delivery.body.includes('revokemsg'));
    expect(revokeEcho?.body).toContain(`<newmsgid>${newMsgId}</newmsgid>`);
    expect(revokeEcho?.body).toContain(`<msgid>${msgId}</msgid>`);
    expect((await api('/message/revokeMsg', { toWxid: 'wxid_alice', msgId, newMsgId, createTime })).ret).toBe(500);
    expect(sim.sent.at(-1)).toMatchObject({ path: '/message/revokeMsg', newMsgId: newMsgId.toString() });
    await echoOf(newMsgId);
  });
});
