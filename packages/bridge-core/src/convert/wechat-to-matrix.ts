import type { InboundContentV1, InboundMessageV1, MediaRefV1 } from '@wechat/provider-api';

/** A Matrix event ready to send: its type and content. */
export interface MatrixMessage {
  readonly type: 'm.room.message' | 'm.sticker';
  readonly content: Record<string, unknown>;
}

export interface ReuploadedMedia {
  readonly mxc: string;
  readonly mimeType: string;
  readonly size: number;
  readonly fileName?: string;
}

export interface InboundConversionContext {
  /** Downloads the WeChat media and uploads it to Matrix. */
  readonly reupload: (media: MediaRefV1) => Promise<ReuploadedMedia>;
  /** Matrix user ids of the mentioned contacts (ghosts, or the bridged user for the account itself). */
  readonly mentionedUserIds: readonly string[];
  /** The Matrix event the message replies to, when the quoted WeChat message was bridged. */
  readonly replyToEventId?: string;
}

/** Converts one WeChat message into the Matrix event that shows it. Pure, apart from media re-upload. */
export async function convertInboundMessage(
  message: InboundMessageV1,
  context: InboundConversionContext,
): Promise<MatrixMessage> {
  const converted = await convertContent(message.content, context);
  const content: Record<string, unknown> = { ...converted.content };
  if (context.mentionedUserIds.length > 0) content['m.mentions'] = { user_ids: [...context.mentionedUserIds] };
  if (context.replyToEventId) content['m.relates_to'] = { 'm.in_reply_to': { event_id: context.replyToEventId } };
  else if (message.replyTo?.text && typeof content.body === 'string') {
    // The quoted message was never bridged (older, or from before the login): keep the quote as text.
    content.body = `> ${message.replyTo.text.split('\n').join('\n> ')}\n\n${content.body}`;
  }
  return { type: converted.type, content };
}

async function convertContent(content: InboundContentV1, context: InboundConversionContext): Promise<MatrixMessage> {
  const message = (body: Record<string, unknown>): MatrixMessage => ({ type: 'm.room.message', content: body });
  switch (content.kind) {
    case 'text':
      return message({ msgtype: 'm.text', body: content.text });
    case 'system':
      return message({ msgtype: 'm.notice', body: content.text });
    case 'unsupported':
      return message({ msgtype: 'm.notice', body: `Unsupported WeChat message: ${content.description}. Open WeChat to see it.` });
    case 'image': {
      const media = await context.reupload(content.media);
      return message({
        msgtype: 'm.image',
        body: media.fileName ?? 'image',
        url: media.mxc,
        info: {
          mimetype: media.mimeType,
          size: media.size,
          ...(content.width ? { w: content.width } : {}),
          ...(content.height ? { h: content.height } : {}),
        },
      });
    }
    case 'sticker': {
      const media = await context.reupload(content.media);
      return {
        type: 'm.sticker',
        content: { body: content.description ?? 'sticker', url: media.mxc, info: { mimetype: media.mimeType, size: media.size } },
      };
    }
    case 'voice': {
      const media = await context.reupload(content.media);
      return message({
        msgtype: 'm.audio',
        body: media.fileName ?? 'voice message',
        url: media.mxc,
        info: { mimetype: media.mimeType, size: media.size, duration: content.durationMs },
        // Element shows these as voice messages rather than audio files.
        'org.matrix.msc1767.audio': { duration: content.durationMs },
        'org.matrix.msc3245.voice': {},
      });
    }
    case 'video': {
      const media = await context.reupload(content.media);
      return message({
        msgtype: 'm.video',
        body: media.fileName ?? 'video',
        url: media.mxc,
        info: { mimetype: media.mimeType, size: media.size, ...(content.durationMs ? { duration: content.durationMs } : {}) },
      });
    }
    case 'file': {
      const media = await context.reupload(content.media);
      return message({
        msgtype: 'm.file',
        body: content.fileName,
        filename: content.fileName,
        url: media.mxc,
        info: { mimetype: media.mimeType, size: media.size },
      });
    }
    case 'location': {
      const { latitude, longitude, name, address } = content.location;
      const label = [name, address].filter(Boolean).join(', ') || 'Location';
      return message({
        msgtype: 'm.location',
        body: `${label} (${latitude}, ${longitude})`,
        geo_uri: `geo:${latitude},${longitude}`,
      });
    }
    case 'link': {
      const { title, url, description } = content.link;
      return message({ msgtype: 'm.text', body: [title, description, url].filter(Boolean).join('\n') });
    }
    case 'contact-card':
      return message({
        msgtype: 'm.text',
        body: `Contact card: ${content.card.name}${content.card.alias ? ` (WeChat ID ${content.card.alias})` : ''}`,
      });
    case 'mini-program': {
      const { title, url, description } = content.miniProgram;
      return message({ msgtype: 'm.text', body: [`Mini program: ${title}`, description, url].filter(Boolean).join('\n') });
    }
  }
}
