import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { callGewechatApi } from './api-call.ts';
import { createCallbackRecorder } from './callback-recorder.ts';
import { createGewechatSimulator } from './gewechat-simulator.ts';
import { solidPng } from './placeholder-images.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const silk = new Uint8Array([0x02, ...Buffer.from('#!SILK_V3'), 0x02, 0x00, 9, 9]);

async function setup() {
  const recorder = await createCallbackRecorder();
  cleanups.push(() => recorder.close());
  const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bot', nickName: 'Bot' } });
  cleanups.push(() => sim.stop());
  sim.addContact({ wxid: 'wxid_alice', nickName: 'Alice' });
  sim.addRoom({ roomId: '34757816141@chatroom', name: 'Family', owner: 'wxid_alice', members: [{ wxid: 'wxid_alice' }] });
  await callGewechatApi(sim.apiUrl, '/tools/setCallback', { token: sim.token, callbackUrl: recorder.url }, { token: sim.token });
  const appId = await sim.loginDevice();
  const api = (path: string, body: Record<string, unknown>) =>
    callGewechatApi<{ fileUrl: string }>(sim.apiUrl, path, { appId, ...body }, { token: sim.token });
  const contentOf = (newMsgId: string) => {
    const callback = recorder.received.find(item => item.body.includes(`"NewMsgId":${newMsgId}`));
    if (!callback) throw new Error(`no callback for ${newMsgId}`);
    return (callback.json as { Data: { Content: { string: string }; MsgId: number } }).Data;
  };
  const fetchFile = async (fileUrl: string) => {
    const response = await fetch(`${sim.downloadUrl}/${fileUrl}`);
    return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  return { sim, appId, api, contentOf, fetchFile };
}

describe('downloads (B.4, trap 14)', () => {
  it('fails HD image downloads when told, and serves types 2 and 3 from the file server', async () => {
    const { sim, appId, api, contentOf, fetchFile } = await setup();
    const image = solidPng(20, 10, [200, 0, 0]);
    const thumb = solidPng(4, 2, [200, 0, 0]);
    const id = await sim.receive.image({ from: 'wxid_alice', room: '34757816141@chatroom', data: image, thumb });
    // The group content still carries the "<wxid>:\n" prefix; the simulator copes, as GeWe does.
    const content = contentOf(id).Content.string;
    expect(content.startsWith('wxid_alice:\n<?xml')).toBe(true);

    expect((await api('/message/downloadImage', { xml: content, type: 1 })).ret).toBe(200);
    sim.failHdDownloads(true);
    const hd = await api('/message/downloadImage', { xml: content, type: 1 });
    expect(JSON.parse(hd.text)).toEqual({ ret: 500, msg: '下载图片失败' });
    const normal = await api('/message/downloadImage', { xml: content, type: 2 });
    expect(normal.data.fileUrl).toMatch(new RegExp(`^\\d{8}/${appId}/[0-9a-f-]{36}\\.png$`));
    expect(await fetchFile(normal.data.fileUrl)).toEqual({ status: 200, bytes: image });
    const small = await api('/message/downloadImage', { xml: content, type: 3 });
    expect((await fetchFile(small.data.fileUrl)).bytes).toEqual(thumb);
    expect((await fetchFile('20250104/wx_nothing/none.png')).status).toBe(404);
  });

  it('downloads voice by XML or by msgId, video, emoji and completed files', async () => {
    const { sim, api, contentOf, fetchFile } = await setup();
    const voiceId = await sim.receive.voice({ from: 'wxid_alice', data: silk, durationMs: 2540 });
    const voice = contentOf(voiceId);
    expect(
      (await fetchFile((await api('/message/downloadVoice', { xml: voice.Content.string, msgId: voice.MsgId })).data.fileUrl))
        .bytes,
    ).toEqual(silk);
    const byId = await api('/message/downloadVoice', { xml: '', msgId: voice.MsgId });
    expect(byId.data.fileUrl.endsWith('.silk')).toBe(true);

    const mp4 = new Uint8Array([0, 0, 0, 20, 0x66, 0x74, 0x79, 0x70]);
    const videoId = await sim.receive.video({ from: 'wxid_alice', data: mp4, durationSeconds: 3 });
    const video = await api('/message/downloadVideo', { xml: contentOf(videoId).Content.string });
    expect(video.data.fileUrl.endsWith('.mp4')).toBe(true);
    expect((await fetchFile(video.data.fileUrl)).bytes).toEqual(mp4);

    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 2, 0, 2, 0]);
    const emojiId = await sim.receive.emoji({ from: 'wxid_alice', data: gif });
    const emoji = xml.parse(contentOf(emojiId).Content.string).msg.emoji as { md5: string; cdnurl: string; len: string };
    expect(emoji.len).toBe(String(gif.byteLength));
    expect((await fetchFile((await api('/message/downloadEmojiMd5', { emojiMd5: emoji.md5 })).data.fileUrl)).bytes).toEqual(gif);
    expect(new Uint8Array(await (await fetch(emoji.cdnurl)).arrayBuffer())).toEqual(gif);

    const pdf = new TextEncoder().encode('%PDF-1.4 simulated');
    const completeId = await sim.receive.file({ from: 'wxid_alice', fileName: 'report.pdf', data: pdf });
    const complete = contentOf(completeId).Content.string;
    const startedId = /<overwrite_newmsgid>(\d+)<\/overwrite_newmsgid>/.exec(complete)![1]!;
    const started = await api('/message/downloadFile', { xml: contentOf(startedId).Content.string });
    expect(started.ret).toBe(500);
    const file = await api('/message/downloadFile', { xml: complete });
    expect(file.data.fileUrl.endsWith('.pdf')).toBe(true);
    expect((await fetchFile(file.data.fileUrl)).bytes).toEqual(pdf);
  });

  it('fails downloads of media it does not know', async () => {
    const { api } = await setup();
    const answer = await api('/message/downloadVideo', { xml: '<msg><videomsg aeskey="0123" md5="abcd" /></msg>' });
    expect(answer.ret).toBe(500);
    expect(answer.msg).toBe('下载视频失败');
  });

  it('serves head images for contacts that have one', async () => {
    const { sim } = await setup();
    sim.addContact({ wxid: 'wxid_faceless', nickName: 'No Face', avatar: false });
    const png = await fetch(`${sim.fileServerUrl}/avatar/wxid_alice.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect((await fetch(`${sim.fileServerUrl}/avatar/small/wxid_alice.png`)).status).toBe(200);
    expect((await fetch(`${sim.fileServerUrl}/avatar/wxid_faceless.png`)).status).toBe(404);
    const hosted = sim.hostFile(new Uint8Array([1, 2, 3]), 'x.bin');
    expect(new Uint8Array(await (await fetch(hosted)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });
});
