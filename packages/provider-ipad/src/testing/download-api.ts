import { ApiFailure, type ApiHandlers, detailFailure, requireOnline, text } from './api-types.ts';
import { idText } from './json-text.ts';
import type { MediaItem, MediaKind } from './media-store.ts';
import { imageExtension, placeholderJpeg } from './placeholder-images.ts';
import type { SimCore } from './sim-core.ts';

/**
 * Downloads (B.4): each answers `{fileUrl}`, a path relative to the file server's `/download/` (trap 14).
 * The media is found through the aeskey (else md5) the simulator embedded in the XML it delivered.
 */
export function downloadHandlers(core: SimCore): ApiHandlers {
  const answer = (appId: string, data: Uint8Array, ext: string) => ({
    data: { fileUrl: core.media.saveDownload(appId, data, ext, core.now()) },
  });
  const inXml = (xml: string, kind: MediaKind): { item: MediaItem | undefined; appType: number | undefined } => {
    const found = core.media.findInXml(xml);
    return found.item?.kind === kind ? found : { item: undefined, appType: found.appType };
  };

  return {
    '/message/downloadImage': body => {
      const device = requireOnline(core, body, '下载图片');
      const type = Number(text(body, 'type') || 2);
      // The observed failure is a bare `{"ret":500,"msg":"下载图片失败"}` (B.1); HD fails often (trap 14).
      if (type === 1 && core.failHdDownloads) throw new ApiFailure('下载图片失败');
      const { item } = inXml(text(body, 'xml'), 'image');
      if (!item) throw new ApiFailure('下载图片失败');
      if (type === 3)
        return answer(device.appId, item.thumb ?? placeholderJpeg(), item.thumb ? imageExtension(item.thumb) : 'jpg');
      return answer(device.appId, item.data, item.ext);
    },

    '/message/downloadVoice': body => {
      const device = requireOnline(core, body, '下载语音');
      const messageId = idText(body.msgId);
      const item = inXml(text(body, 'xml'), 'voice').item ?? (messageId ? core.media.byMessageId(messageId) : undefined);
      if (!item) throw new ApiFailure('下载语音失败');
      return answer(device.appId, item.data, 'silk');
    },

    '/message/downloadVideo': body => {
      const device = requireOnline(core, body, '下载视频');
      const { item } = inXml(text(body, 'xml'), 'video');
      if (!item) throw new ApiFailure('下载视频失败');
      return answer(device.appId, item.data, 'mp4');
    },

    '/message/downloadEmojiMd5': body => {
      const device = requireOnline(core, body, '下载表情');
      const item = core.media.byMd5(text(body, 'emojiMd5'));
      if (!item) throw new ApiFailure('下载表情失败');
      return answer(device.appId, item.data, imageExtension(item.data));
    },

    '/message/downloadFile': body => {
      const device = requireOnline(core, body, '下载文件');
      const { item, appType } = inXml(text(body, 'xml'), 'file');
      // Trap 13: appmsg type 74 ("file started") is not downloadable; only type 6 is.
      if (appType !== 6) throw detailFailure('下载文件', `appmsg type ${String(appType)} 不是已完成的文件`);
      if (!item) throw new ApiFailure('下载文件失败');
      return answer(device.appId, item.data, item.ext);
    },

    '/message/downloadCdn': body => {
      const device = requireOnline(core, body, '下载CDN文件');
      const item = core.media.byAesKey(text(body, 'aesKey'));
      if (!item) throw new ApiFailure('下载CDN文件失败');
      return answer(device.appId, item.data, text(body, 'suffix').replace(/^\./, '') || item.ext);
    },
  };
}
