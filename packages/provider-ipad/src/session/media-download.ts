import { type MediaDownloadV1, type MediaRefV1, WechatRequestError } from '@wechat/provider-api';
import { silkToOggOpus, withTencentPrefix } from '@wechat/voice';
import { decodeMediaRef, type GeweMediaSource } from '../inbound/index.ts';
import type { IpadSessionContext } from './session-parts.ts';

/** WeChat's own limit for files is 1 GB; refuse anything larger rather than exhausting memory. */
const maxDownloadBytes = 1024 * 1024 * 1024;

/**
 * Fetches media named in callbacks: the API answers with a path relative to the file server (reference B.4,
 * trap 14). HD images often fail, so images fall back to normal size and then the thumbnail. Voice arrives as
 * SILK and leaves as Ogg Opus, which Matrix clients play.
 */
export class MediaDownloader {
  readonly #context: IpadSessionContext;
  readonly #appId: () => string;

  constructor(context: IpadSessionContext, appId: () => string) {
    this.#context = context;
    this.#appId = appId;
  }

  async download(media: MediaRefV1, signal?: AbortSignal): Promise<MediaDownloadV1> {
    const source = decodeMediaRef(media);
    const fileName = media.fileName;
    const bytes = await this.#bytes(source, signal);
    if (source.source === 'voice') {
      const converted = await silkToOggOpus(withTencentPrefix(bytes));
      return { data: converted.data, mimeType: 'audio/ogg', fileName: fileName ?? 'voice.ogg' };
    }
    return {
      data: bytes,
      mimeType: media.mimeType ?? sniffMimeType(bytes) ?? 'application/octet-stream',
      ...(fileName === undefined ? {} : { fileName }),
    };
  }

  async #bytes(source: GeweMediaSource, signal?: AbortSignal): Promise<Uint8Array> {
    const { client } = this.#context;
    const appId = this.#appId();
    switch (source.source) {
      case 'image': {
        let lastError: unknown;
        for (const type of [1, 2, 3]) {
          try {
            return await this.#viaFileServer('/message/downloadImage', { appId, xml: source.xml, type }, signal);
          } catch (error) {
            if (!WechatRequestError.isInstance(error)) throw error;
            lastError = error;
            this.#context.logger.debug({ type, error: error.message }, 'gewechat: image download failed, trying a smaller size');
          }
        }
        throw lastError;
      }
      case 'voice':
        if (source.silkBase64) return Uint8Array.from(Buffer.from(source.silkBase64, 'base64'));
        return this.#viaFileServer('/message/downloadVoice', { appId, xml: source.xml, msgId: source.msgId }, signal);
      case 'video':
        return this.#viaFileServer('/message/downloadVideo', { appId, xml: source.xml }, signal);
      case 'file':
        return this.#viaFileServer('/message/downloadFile', { appId, xml: source.xml }, signal);
      case 'emoji':
        try {
          return await this.#viaFileServer('/message/downloadEmojiMd5', { appId, emojiMd5: source.md5 }, signal);
        } catch (error) {
          if (!source.cdnUrl || !WechatRequestError.isInstance(error)) throw error;
          // The emoji's cdnurl is a plain image URL (reference D.3).
          return (
            await client.fetchUrl(new URL(source.cdnUrl), 'emoji', { maxBytes: maxDownloadBytes, ...(signal ? { signal } : {}) })
          ).body;
        }
      case 'url':
        return (
          await client.fetchUrl(new URL(source.url), 'media', { maxBytes: maxDownloadBytes, ...(signal ? { signal } : {}) })
        ).body;
    }
  }

  async #viaFileServer(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Uint8Array> {
    const data = await this.#context.client.post<{ fileUrl?: string } | null>(path, body, signal);
    const fileUrl = data?.fileUrl;
    if (typeof fileUrl !== 'string' || fileUrl === '') {
      throw new WechatRequestError({
        operation: path,
        message: `GeWeChat ${path}: the answer names no file.`,
        retryable: false,
        providerId: this.#context.providerId,
      });
    }
    return (await this.#context.client.download(fileUrl, { maxBytes: maxDownloadBytes, ...(signal ? { signal } : {}) })).body;
  }
}

/** Magic numbers, for downloads whose type the callback did not say. */
function sniffMimeType(data: Uint8Array): string | undefined {
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'image/png';
  if (data[0] === 0x47 && data[1] === 0x49 && data[2] === 0x46) return 'image/gif';
  if (data[4] === 0x66 && data[5] === 0x74 && data[6] === 0x79 && data[7] === 0x70) return 'video/mp4';
  return undefined;
}
