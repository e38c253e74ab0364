import {
  type MessageRefV1,
  messageId,
  type OutgoingMediaV1,
  type OutgoingMessageV1,
  type ProviderWarningV1,
  type SendMessageResultV1,
  WechatInvalidArgumentError,
  WechatNotFoundError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { isSilk, oggOpusToSilk, silkDurationMs, VoiceConversionError, withTencentPrefix } from '@wechat/voice';
import { type GeweSendResult, readSendResult } from '../api/gewe-client.ts';
import type { Directory } from './directory.ts';
import type { RecentSends } from './recent-sends.ts';
import type { IpadSessionContext } from './session-parts.ts';

export interface OutboundParts {
  readonly context: IpadSessionContext;
  readonly directory: Directory;
  readonly recentSends: RecentSends;
  readonly appId: () => string;
  /** Makes bytes downloadable by the GeWeChat container; resolves with the URL to hand it. */
  readonly stageMedia: (media: OutgoingMediaV1, fileName: string) => string;
}

/** A tiny grey PNG (generated for this project): `postVideo` requires a thumbnail URL. */
const placeholderThumbnail: OutgoingMediaV1 = {
  mimeType: 'image/png',
  data: Uint8Array.from(
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCB3UNq9AAAAABJRU5ErkJggg==', 'base64'),
  ),
};

/**
 * Turns the contract's outgoing messages into `/message/post*` calls (reference B.3). Media is not uploaded:
 * GeWeChat fetches it from a URL, so it is staged on the callback server first.
 */
export class Outbound {
  readonly #parts: OutboundParts;

  constructor(parts: OutboundParts) {
    this.#parts = parts;
  }

  async send(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    const { context } = this.#parts;
    const toWxid = message.to.type === 'direct' ? message.to.contactId : message.to.roomId;
    const warnings: ProviderWarningV1[] = [];
    if (message.replyTo !== undefined) {
      // Quoting needs the quoted message's content, which the contract does not carry: send the text alone.
      warnings.push({ type: 'unsupported', feature: 'replies', details: 'GeWeChat cannot quote by id; sent without the quote' });
    }
    const content = message.content;
    const result = await context.riskControl.run('message', async () => {
      switch (content.kind) {
        case 'text':
          return this.#text(toWxid, message, content.text, warnings);
        case 'image':
          return this.#post('/message/postImage', toWxid, { imgUrl: this.#stage(content.media, 'image') });
        case 'sticker':
          warnings.push({
            type: 'compatibility',
            feature: 'send.sticker',
            details: 'sent as an image (GeWeChat only re-sends stickers it already knows)',
          });
          return this.#post('/message/postImage', toWxid, { imgUrl: this.#stage(content.media, 'sticker') });
        case 'file':
          return this.#post('/message/postFile', toWxid, {
            fileUrl: this.#stage(content.media, content.media.fileName),
            fileName: content.media.fileName,
          });
        case 'voice': {
          const silk = await toSilk(content.media, context.providerId);
          return this.#post('/message/postVoice', toWxid, {
            voiceUrl: this.#stage({ data: silk.data, mimeType: 'audio/silk' }, 'voice.silk'),
            // Milliseconds (reference B.3: dify-on-wechat passes ms).
            voiceDuration: silk.durationMs,
          });
        }
        case 'video': {
          if (content.thumbnail === undefined) {
            warnings.push({ type: 'compatibility', feature: 'send.video', details: 'sent with a placeholder thumbnail' });
          }
          return this.#post('/message/postVideo', toWxid, {
            videoUrl: this.#stage(content.media, content.media.fileName ?? 'video.mp4'),
            thumbUrl: this.#stage(content.thumbnail ?? placeholderThumbnail, 'thumbnail'),
            videoDuration: Math.max(1, Math.round((content.durationMs ?? 0) / 1000)),
          });
        }
        case 'link':
          return this.#post('/message/postLink', toWxid, {
            title: content.link.title,
            desc: content.link.description ?? '',
            linkUrl: content.link.url,
            thumbUrl: content.link.thumbnailUrl ?? '',
          });
        case 'contact-card': {
          if (content.card.contactId === undefined) {
            // postNameCard needs the person's wxid; without one, the card's details go as text.
            warnings.push({ type: 'compatibility', feature: 'send.contact-card', details: 'no WeChat id: sent as text' });
            const alias = content.card.alias ? ` (WeChat ID ${content.card.alias})` : '';
            return this.#post('/message/postText', toWxid, { content: `Contact card: ${content.card.name}${alias}`, ats: '' });
          }
          return this.#post('/message/postNameCard', toWxid, {
            nickName: content.card.name,
            nameCardWxid: content.card.contactId,
          });
        }
        default:
          throw new WechatUnsupportedCapabilityError({ capability: `send.${content.kind}`, providerId: context.providerId });
      }
    });
    await this.#parts.recentSends.remember({
      newMsgId: result.newMsgId,
      msgId: result.msgId,
      createTime: result.createTime,
      toWxid: result.toWxid || toWxid,
    });
    return {
      messageId: messageId(result.newMsgId),
      ...(result.createTime > 0 ? { timestamp: result.createTime * 1000 } : {}),
      warnings,
    };
  }

  async recall(target: MessageRefV1): Promise<void> {
    const { context } = this.#parts;
    const info = await this.#parts.recentSends.find(target.id);
    if (info === undefined) {
      throw new WechatNotFoundError({ entity: 'message', id: target.id, providerId: context.providerId });
    }
    // Recalls are not rate-limited (reference inventory §4): they undo, they do not add traffic.
    await context.client.post('/message/revokeMsg', {
      appId: this.#parts.appId(),
      toWxid: info.toWxid,
      msgId: info.msgId,
      newMsgId: info.newMsgId,
      createTime: info.createTime,
    });
  }

  async #text(toWxid: string, message: OutgoingMessageV1, text: string, warnings: ProviderWarningV1[]): Promise<GeweSendResult> {
    const mentions = message.mentions;
    let content = text;
    let ats = '';
    if (mentions && (mentions.all || mentions.contactIds.length > 0)) {
      if (message.to.type !== 'room') {
        warnings.push({ type: 'unsupported', feature: 'mentions', details: 'mentions only exist in groups' });
      } else {
        // In groups the visible text must contain "@nick" for each wxid in `ats` (reference B.3).
        const prefixes: string[] = [];
        for (const wxid of mentions.contactIds) {
          const name = await this.#parts.directory.mentionName(message.to.roomId, wxid);
          if (!content.includes(`@${name}`)) prefixes.push(`@${name}\u2005`);
        }
        if (mentions.all && !content.includes('@所有人')) prefixes.unshift('@所有人\u2005');
        content = `${prefixes.join('')}${content}`;
        ats = [...(mentions.all ? ['notify@all'] : []), ...mentions.contactIds].join(',');
      }
    }
    return this.#post('/message/postText', toWxid, { content, ats });
  }

  async #post(path: string, toWxid: string, fields: Record<string, unknown>): Promise<GeweSendResult> {
    const { context } = this.#parts;
    const data = await context.client.post(path, { appId: this.#parts.appId(), toWxid, ...fields });
    return readSendResult(data, path, context.providerId);
  }

  #stage(media: OutgoingMediaV1, fileName: string): string {
    return this.#parts.stageMedia(media, media.fileName ?? fileName);
  }
}

/** Matrix voice messages are Ogg Opus; WeChat plays only SILK (reference D.1). */
async function toSilk(media: OutgoingMediaV1, providerId: string): Promise<{ data: Uint8Array; durationMs: number }> {
  // WeChat plays SILK only with Tencent's 0x02 prefix (trap 23).
  if (isSilk(media.data)) return { data: withTencentPrefix(media.data), durationMs: silkDurationMs(media.data) };
  try {
    return await oggOpusToSilk(media.data);
  } catch (error) {
    if (error instanceof VoiceConversionError) {
      throw new WechatInvalidArgumentError({
        argument: 'content.media',
        message: `The voice message cannot be converted for WeChat (${media.mimeType}): ${error.message}. Only Ogg Opus voice messages (what Element records) can be sent as WeChat voice.`,
        providerId,
        cause: error,
      });
    }
    throw error;
  }
}
