import { randomUUID } from 'node:crypto';
import {
  type Logger,
  messageId,
  type OutgoingMessageV1,
  type ProviderWarningV1,
  type SendMessageResultV1,
  WechatInvalidArgumentError,
} from '@wechat/provider-api';
import type { WcfClient } from '../../client/wcf-client.ts';
import { pchookProviderId } from '../../client/wcf-errors.ts';
import type { Directory } from '../directory.ts';
import { mentionAll, wxMessageTypes } from '../inbound/map-wx-message.ts';
import { sharedDirRequired } from '../media/media-download.ts';
import { extensionOfMimeType } from '../media/mime.ts';
import { stageOutgoingFile } from '../media/outgoing-files.ts';
import type { WindowsPathMapper } from '../media/windows-path.ts';
import type { EchoExpectation, EchoWaiter } from './echo-waiter.ts';

export interface SendContext {
  readonly client: WcfClient;
  readonly share: WindowsPathMapper | undefined;
  readonly echoes: EchoWaiter;
  readonly directory: Directory;
  readonly logger: Logger;
  /** How long a send waits for WeChat to report it back (to learn its id). */
  readonly echoTimeoutMs: number;
}

/** WeChat separates a mention from the text after it with U+2005 (four-per-em space). */
const mentionSeparator = '\u2005';
/** How WeChat writes "@everyone" in Chinese clients. */
const everyoneTag = '@所有人';

interface Prepared {
  readonly echo: EchoExpectation;
  readonly send: () => Promise<void>;
  readonly warnings: readonly ProviderWarningV1[];
}

async function prepareText(context: SendContext, message: OutgoingMessageV1, receiver: string, text: string): Promise<Prepared> {
  if (text.trim() === '') {
    throw new WechatInvalidArgumentError({
      argument: 'content.text',
      providerId: pchookProviderId,
      message: 'WeChat cannot send an empty text',
    });
  }
  const warnings: ProviderWarningV1[] = [];
  const aters: string[] = [];
  let visible = text;
  const mentions = message.mentions;
  if (mentions !== undefined && (mentions.contactIds.length > 0 || mentions.all === true)) {
    if (message.to.type !== 'room') {
      warnings.push({ type: 'unsupported', feature: 'mentions', details: 'mentions only exist in rooms; sent without them' });
    } else {
      // The host wants one "@name" in the text per wxid in `aters`.
      const tags: string[] = [];
      const names = await context.directory.mentionNames(message.to.roomId, mentions.contactIds);
      for (const id of mentions.contactIds) {
        const tag = `@${names.get(id) ?? id}`;
        if (!visible.includes(tag)) tags.push(tag);
        aters.push(id);
      }
      if (mentions.all === true) {
        if (!visible.includes(everyoneTag)) tags.push(everyoneTag);
        aters.push(mentionAll);
      }
      visible = tags.map(tag => tag + mentionSeparator).join('') + visible;
    }
  }
  return {
    echo: { chat: receiver, types: [wxMessageTypes.text], content: visible },
    send: () => context.client.sendText(receiver, visible, aters),
    warnings,
  };
}

async function stage(context: SendContext, kind: string, data: Uint8Array, fileName: string) {
  if (context.share === undefined) throw sharedDirRequired(`send.${kind}`, `Sending ${kind === 'image' ? 'images' : `${kind}s`}`);
  return (await stageOutgoingFile(context.share, data, fileName)).windowsPath;
}

const nameFor = (base: string, mimeType: string) => `${base}.${extensionOfMimeType(mimeType) ?? 'bin'}`;

async function prepare(context: SendContext, message: OutgoingMessageV1, receiver: string): Promise<Prepared> {
  const { content } = message;
  const { client } = context;
  switch (content.kind) {
    case 'text':
      return prepareText(context, message, receiver, content.text);
    case 'image': {
      const path = await stage(
        context,
        'image',
        content.media.data,
        content.media.fileName ?? nameFor('image', content.media.mimeType),
      );
      return {
        echo: { chat: receiver, types: [wxMessageTypes.image] },
        send: () => client.sendImage(receiver, path),
        warnings: [],
      };
    }
    case 'file': {
      const path = await stage(context, 'file', content.media.data, content.media.fileName);
      return { echo: { chat: receiver, types: [wxMessageTypes.app] }, send: () => client.sendFile(receiver, path), warnings: [] };
    }
    case 'sticker': {
      const path = await stage(
        context,
        'sticker',
        content.media.data,
        content.media.fileName ?? nameFor('sticker', content.media.mimeType),
      );
      return {
        echo: { chat: receiver, types: [wxMessageTypes.sticker] },
        send: () => client.sendEmotion(receiver, path),
        warnings: [],
      };
    }
    case 'voice':
    case 'video': {
      const path = await stage(
        context,
        content.kind,
        content.media.data,
        content.media.fileName ?? nameFor(content.kind, content.media.mimeType),
      );
      return {
        echo: { chat: receiver, types: [wxMessageTypes.app, wxMessageTypes.video] },
        send: () => client.sendFile(receiver, path),
        warnings: [
          {
            type: 'compatibility',
            feature: `send.${content.kind}`,
            details: `WeChatFerry has no function to send a ${content.kind} message; sent as a file attachment`,
          },
        ],
      };
    }
    case 'link':
      return {
        echo: { chat: receiver, types: [wxMessageTypes.app] },
        send: () =>
          client.sendRichText({
            name: '',
            account: '',
            title: content.link.title,
            digest: content.link.description ?? '',
            url: content.link.url,
            thumburl: content.link.thumbnailUrl ?? '',
            receiver,
          }),
        warnings: [],
      };
    default:
      throw new Error(`sendMessage: ${content.kind} reached the sender although capabilities refuse it`);
  }
}

/**
 * Sends one message and waits (briefly) for WeChat's echo to learn its id. Without an echo in time the
 * message still went out; it then gets an id of this provider's own (`pchook-local:…`).
 */
export async function sendOutgoing(context: SendContext, message: OutgoingMessageV1): Promise<SendMessageResultV1> {
  const receiver = message.to.type === 'room' ? message.to.roomId : message.to.contactId;
  const prepared = await prepare(context, message, receiver);
  const warnings: ProviderWarningV1[] = [...prepared.warnings];
  if (message.replyTo !== undefined) {
    warnings.push({ type: 'unsupported', feature: 'replies', details: 'WeChatFerry cannot send quotes; sent without the quote' });
  }
  const echo = context.echoes.expect(prepared.echo);
  try {
    await prepared.send();
  } catch (error) {
    echo.cancel();
    throw error;
  }
  const echoed = await echo.wait(context.echoTimeoutMs);
  if (echoed === undefined) {
    context.logger.debug({ kind: message.content.kind }, 'no echo of a sent message; using a local message id');
    return { messageId: messageId(`pchook-local:${randomUUID()}`), warnings };
  }
  return { messageId: messageId(echoed.id), timestamp: echoed.ts * 1000, warnings };
}
