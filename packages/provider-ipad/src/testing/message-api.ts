import { type ApiAnswer, type ApiHandlers, detailFailure, requireOnline, text, wxidList } from './api-types.ts';
import { idText } from './json-text.ts';
import {
  appMsgXml,
  contactCardXml,
  emojiXml,
  extensionOf,
  fileCompleteXml,
  imageXml,
  miniProgramXml,
  msgSourceXml,
  revokeXml,
  videoXml,
  voiceXml,
} from './message-xml.ts';
import { imageExtension, imageSize, placeholderJpeg } from './placeholder-images.ts';
import type { MessageSpec, SentMessage, SimCore, SimDevice } from './sim-core.ts';
import { systemAccounts } from './sim-world.ts';

type Echo = Omit<MessageSpec, 'sender' | 'chat' | 'newMsgId' | 'msgId'>;
type Extra = Omit<SentMessage, 'path' | 'appId' | 'toWxid' | 'msgType' | 'newMsgId' | 'msgId' | 'createTime' | 'body'>;

/** Sending, forwarding and revoking (B.3). Every send echoes back as a self AddMsg (B.6, trap 11). */
export function messageHandlers(core: SimCore): ApiHandlers {
  const self = () => core.world.self.wxid;

  const recipient = (body: Record<string, unknown>, operation: string): string => {
    const toWxid = text(body, 'toWxid');
    const room = core.world.rooms.get(toWxid);
    if (room) {
      if (!room.members.has(self())) throw detailFailure(operation, `你不在群聊[${toWxid}]中`);
      return toWxid;
    }
    const known = toWxid === self() || systemAccounts.has(toWxid) || core.world.contacts.get(toWxid)?.isFriend === true;
    if (!known) throw detailFailure(operation, `[${toWxid}]不是你的好友`);
    return toWxid;
  };

  // The container downloads the URL itself (B.3 "The URL must be fetchable by the container").
  const download = async (url: string, operation: string): Promise<Uint8Array> => {
    if (url === '') throw detailFailure(operation, '文件地址不能为空');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${core.mediaTimeoutMs} ms`)), core.mediaTimeoutMs);
    try {
      const response = await core.fetch(url, { signal: timeout.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw detailFailure(operation, `${url} 下载文件失败: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  };
  const downloadOptional = async (url: string): Promise<Uint8Array | undefined> => {
    if (url === '') return undefined;
    return download(url, '').catch(() => undefined);
  };

  const finish = (
    path: string,
    body: Record<string, unknown>,
    device: SimDevice,
    toWxid: string,
    msgType: number,
    echo: Echo,
    extra: Extra,
    extraData: Record<string, unknown> = {},
  ): ApiAnswer => {
    const newMsgId = core.ids.newMsgId();
    const msgId = core.ids.msgId();
    const createTime = core.createTime();
    core.sent.push({
      path,
      appId: device.appId,
      toWxid,
      msgType,
      newMsgId: newMsgId.toString(),
      msgId,
      createTime,
      ...extra,
      body,
    });
    return {
      data: { toWxid, createTime, msgId, newMsgId, type: msgType, ...extraData },
      after: () => core.emitMessage({ sender: self(), chat: toWxid, newMsgId, msgId, ...echo }),
    };
  };

  const send =
    (operation: string, handle: (body: Record<string, unknown>, device: SimDevice, toWxid: string) => Promise<ApiAnswer>) =>
    async (body: Record<string, unknown>) => {
      const device = requireOnline(core, body, operation);
      return handle(body, device, recipient(body, operation));
    };

  const mediaRef = (xml: string, operation: string, kind: string) => {
    const found = core.media.findInXml(xml);
    if (!found.item) throw detailFailure(operation, `${kind}不存在`);
    return found;
  };
  const fromFirstTag = (xml: string) => xml.slice(Math.max(0, xml.indexOf('<')));

  return {
    '/message/postText': send('发送文字消息', async (body, device, toWxid) => {
      const content = text(body, 'content');
      if (content === '') throw detailFailure('发送文字消息', 'content不能为空');
      const ats = wxidList(body.ats);
      const room = core.world.rooms.get(toWxid);
      if (ats.includes('notify@all') && room && room.owner !== self()) {
        // B.3: only the owner or an admin may mention everyone; the simulator has no admins.
        throw detailFailure('发送文字消息', '只有群主或管理员可以@所有人');
      }
      const msgSource = msgSourceXml({
        signature: core.ids.signature(),
        ...(ats.length > 0 ? { atUserList: `,${ats.join(',')}` } : {}),
        ...(room ? { memberCount: room.members.size } : {}),
      });
      return finish('/message/postText', body, device, toWxid, 1, { msgType: 1, content, msgSource }, { content, ats });
    }),

    '/message/postImage': send('发送图片消息', async (body, device, toWxid) => {
      const url = text(body, 'imgUrl');
      const data = await download(url, '发送图片消息');
      const item = core.media.put('image', data, { ext: imageExtension(data), thumb: data });
      const size = imageSize(data);
      const cdnUrl = core.ids.cdnUrl();
      const xml = imageXml({
        aesKey: item.aesKey,
        cdnUrl,
        md5: item.md5,
        length: data.byteLength,
        thumbLength: data.byteLength,
        thumbWidth: size.width,
        thumbHeight: size.height,
      });
      return finish(
        '/message/postImage',
        body,
        device,
        toWxid,
        3,
        { msgType: 3, content: xml, imgStatus: 2 },
        { media: data, mediaUrl: url, xml },
        { aesKey: item.aesKey, fileId: cdnUrl, length: data.byteLength, width: size.width, height: size.height, md5: item.md5 },
      );
    }),

    '/message/postVoice': send('发送语音消息', async (body, device, toWxid) => {
      const url = text(body, 'voiceUrl');
      const data = await download(url, '发送语音消息');
      if (!isSilk(data)) throw detailFailure('发送语音消息', '语音文件不是SILK格式');
      const durationMs = Number(text(body, 'voiceDuration')) || 0;
      const item = core.media.put('voice', data, { ext: 'silk' });
      const xml = voiceXml({
        aesKey: item.aesKey,
        voiceUrl: core.ids.cdnUrl(),
        lengthMs: durationMs,
        bytes: data.byteLength,
        clientMsgId: `${core.ids.hex(16)}${toWxid}_${core.createTime()}`,
        fromUser: self(),
      });
      const answer = finish(
        '/message/postVoice',
        body,
        device,
        toWxid,
        34,
        { msgType: 34, content: xml },
        { media: data, mediaUrl: url, voiceDurationMs: durationMs, xml },
      );
      core.media.linkMessage(item, core.sent.at(-1)!.newMsgId, String(core.sent.at(-1)!.msgId));
      return answer;
    }),

    '/message/postVideo': send('发送视频消息', async (body, device, toWxid) => {
      const url = text(body, 'videoUrl');
      const data = await download(url, '发送视频消息');
      const thumb = await download(text(body, 'thumbUrl'), '发送视频消息');
      const seconds = Number(text(body, 'videoDuration')) || 0;
      const item = core.media.put('video', data, { ext: 'mp4', thumb });
      const size = imageSize(thumb);
      const xml = videoXml({
        aesKey: item.aesKey,
        cdnUrl: core.ids.cdnUrl(),
        md5: item.md5,
        length: data.byteLength,
        playLengthSeconds: seconds,
        thumbLength: thumb.byteLength,
        thumbWidth: size.width,
        thumbHeight: size.height,
        fromUser: self(),
      });
      return finish(
        '/message/postVideo',
        body,
        device,
        toWxid,
        43,
        { msgType: 43, content: xml },
        { media: data, mediaUrl: url, thumb, videoDurationSeconds: seconds, xml },
      );
    }),

    '/message/postFile': send('发送文件消息', async (body, device, toWxid) => {
      const url = text(body, 'fileUrl');
      const fileName = text(body, 'fileName') || 'file';
      const data = await download(url, '发送文件消息');
      const item = core.media.put('file', data, { ext: extensionOf(fileName) || 'bin', fileName });
      const xml = fileCompleteXml({
        fileName,
        length: data.byteLength,
        md5: item.md5,
        aesKey: item.aesKey,
        cdnUrl: core.ids.cdnUrl(),
        fromUser: self(),
      });
      return finish(
        '/message/postFile',
        body,
        device,
        toWxid,
        49,
        { msgType: 49, content: xml },
        { media: data, mediaUrl: url, fileName, xml },
      );
    }),

    '/message/postLink': send('发送链接消息', async (body, device, toWxid) => {
      const link = {
        title: text(body, 'title'),
        desc: text(body, 'desc'),
        linkUrl: text(body, 'linkUrl'),
        thumbUrl: text(body, 'thumbUrl'),
      };
      if (link.linkUrl === '') throw detailFailure('发送链接消息', 'linkUrl不能为空');
      const thumb = await downloadOptional(link.thumbUrl);
      const xml = appMsgXml({
        type: 5,
        title: link.title,
        des: link.desc,
        url: link.linkUrl,
        thumbUrl: link.thumbUrl,
        fromUser: self(),
      });
      return finish(
        '/message/postLink',
        body,
        device,
        toWxid,
        49,
        { msgType: 49, content: xml, imgStatus: 2 },
        {
          link,
          xml,
          ...(thumb ? { thumb } : {}),
        },
      );
    }),

    '/message/postNameCard': send('发送名片消息', async (body, device, toWxid) => {
      const cardWxid = text(body, 'nameCardWxid');
      if (cardWxid === '') throw detailFailure('发送名片消息', 'nameCardWxid不能为空');
      const nickName = text(body, 'nickName') || core.world.nickNameOf(cardWxid);
      const xml = contactCardXml({
        userName: cardWxid,
        nickName,
        alias: core.world.contacts.get(cardWxid)?.alias ?? '',
        bigHeadImgUrl: core.avatarUrl(cardWxid, 'big'),
        smallHeadImgUrl: core.avatarUrl(cardWxid, 'small'),
        sex: core.world.contacts.get(cardWxid)?.sex ?? 0,
        antispamTicket: core.ids.ticket('v4'),
      });
      return finish('/message/postNameCard', body, device, toWxid, 42, { msgType: 42, content: xml }, { content: cardWxid, xml });
    }),

    '/message/postEmoji': send('发送emoji消息', async (body, device, toWxid) => {
      const md5 = text(body, 'emojiMd5');
      // D.3: postEmoji only works for md5s WeChat already knows.
      const item = core.media.byMd5(md5);
      if (!item) throw detailFailure('发送emoji消息', `表情[${md5}]不存在`);
      const size = imageSize(item.data);
      const xml = emojiXml({
        fromUser: self(),
        toUser: toWxid,
        md5: item.md5,
        length: item.data.byteLength,
        cdnUrl: `${core.fileBase()}/emoji/${item.md5}`,
        aesKey: item.aesKey,
        width: size.width,
        height: size.height,
      });
      return finish(
        '/message/postEmoji',
        body,
        device,
        toWxid,
        47,
        { msgType: 47, content: xml, imgStatus: 2 },
        { media: item.data, xml },
      );
    }),

    '/message/postAppMsg': send('发送appmsg消息', async (body, device, toWxid) => {
      const appmsg = text(body, 'appmsg');
      if (!appmsg.includes('<appmsg')) throw detailFailure('发送appmsg消息', 'appmsg不是<appmsg>XML');
      const xml = `<msg>${appmsg}<fromusername>${self()}</fromusername><scene>0</scene><appinfo><version>1</version><appname></appname></appinfo><commenturl></commenturl></msg>`;
      return finish('/message/postAppMsg', body, device, toWxid, 49, { msgType: 49, content: xml }, { xml });
    }),

    '/message/postMiniApp': send('发送小程序消息', async (body, device, toWxid) => {
      const cover = await downloadOptional(text(body, 'coverImgUrl'));
      const item = core.media.put('thumb', cover ?? placeholderJpeg(), { ext: 'jpg' });
      const xml = miniProgramXml({
        title: text(body, 'title'),
        des: text(body, 'title'),
        userName: text(body, 'userName'),
        appId: text(body, 'miniAppId'),
        pagePath: text(body, 'pagePath'),
        iconUrl: '',
        displayName: text(body, 'displayName'),
        thumbAesKey: item.aesKey,
        thumbCdnUrl: core.ids.cdnUrl(),
        thumbMd5: item.md5,
        thumbLength: item.data.byteLength,
        fromUser: self(),
      });
      return finish(
        '/message/postMiniApp',
        body,
        device,
        toWxid,
        49,
        { msgType: 49, content: xml, imgStatus: 2 },
        {
          xml,
          mediaUrl: text(body, 'coverImgUrl'),
          ...(cover ? { thumb: cover } : {}),
        },
      );
    }),

    '/message/forwardImage': send('转发图片', async (body, device, toWxid) => {
      const xml = fromFirstTag(text(body, 'xml'));
      const { item } = mediaRef(xml, '转发图片', '图片');
      return finish(
        '/message/forwardImage',
        body,
        device,
        toWxid,
        3,
        { msgType: 3, content: xml, imgStatus: 2 },
        { media: item!.data, xml },
      );
    }),

    '/message/forwardVideo': send('转发视频', async (body, device, toWxid) => {
      const xml = fromFirstTag(text(body, 'xml'));
      const { item } = mediaRef(xml, '转发视频', '视频');
      return finish('/message/forwardVideo', body, device, toWxid, 43, { msgType: 43, content: xml }, { media: item!.data, xml });
    }),

    '/message/forwardFile': send('转发文件', async (body, device, toWxid) => {
      const xml = fromFirstTag(text(body, 'xml'));
      const { item, appType } = mediaRef(xml, '转发文件', '文件');
      // Trap 13: only the "file complete" message (appmsg type 6) can be forwarded.
      if (appType !== 6) throw detailFailure('转发文件', `appmsg type ${String(appType)} 不是已完成的文件`);
      return finish(
        '/message/forwardFile',
        body,
        device,
        toWxid,
        49,
        { msgType: 49, content: xml },
        {
          media: item!.data,
          ...(item!.fileName ? { fileName: item!.fileName } : {}),
          xml,
        },
      );
    }),

    '/message/forwardUrl': send('转发链接', async (body, device, toWxid) => {
      const xml = fromFirstTag(text(body, 'xml'));
      if (!xml.includes('<appmsg')) throw detailFailure('转发链接', 'xml不是链接消息');
      return finish('/message/forwardUrl', body, device, toWxid, 49, { msgType: 49, content: xml }, { xml });
    }),

    '/message/forwardMiniApp': send('转发小程序', async (body, device, toWxid) => {
      const xml = fromFirstTag(text(body, 'xml'));
      if (!xml.includes('<appmsg')) throw detailFailure('转发小程序', 'xml不是小程序消息');
      return finish(
        '/message/forwardMiniApp',
        body,
        device,
        toWxid,
        49,
        { msgType: 49, content: xml },
        {
          xml,
          mediaUrl: text(body, 'coverImgUrl'),
        },
      );
    }),

    '/message/revokeMsg': async body => {
      const device = requireOnline(core, body, '撤回消息');
      const toWxid = text(body, 'toWxid');
      const newMsgId = idText(body.newMsgId);
      const msgId = idText(body.msgId);
      const original = core.sent.find(sent => sent.newMsgId === newMsgId && sent.path !== '/message/revokeMsg');
      const record = newMsgId === undefined ? undefined : core.world.messages.get(newMsgId);
      // Own messages can be revoked whichever device sent them: through this API or typed on the phone.
      const own =
        original ?? (record !== undefined && record.sender === self() ? { toWxid: record.chat, msgId: record.msgId } : undefined);
      const matches =
        own !== undefined &&
        own.toWxid === toWxid &&
        (msgId === undefined || msgId === '0' || msgId === String(own.msgId)) &&
        record?.revoked !== true;
      if (!matches || own === undefined || newMsgId === undefined) {
        throw detailFailure('撤回消息', `消息[${String(newMsgId)}]不存在或已撤回`);
      }
      if (record) record.revoked = true;
      core.sent.push({
        path: '/message/revokeMsg',
        appId: device.appId,
        toWxid,
        msgType: 10002,
        newMsgId,
        msgId: own.msgId,
        createTime: core.createTime(),
        body,
      });
      const content = revokeXml({ session: toWxid, msgId: own.msgId, newMsgId, replaceMsg: '你撤回了一条消息' });
      return {
        after: () => core.emitMessage({ sender: self(), chat: toWxid, msgType: 10002, content, smallNewMsgId: true }),
      };
    },
  };
}

/** SILK v3, with or without WeChat's 0x02 prefix (D.1). */
function isSilk(data: Uint8Array): boolean {
  const offset = data[0] === 0x02 ? 1 : 0;
  return Buffer.from(data.subarray(offset, offset + 9)).toString('latin1') === '#!SILK_V3';
}
