// The conformance harness (not exported): the fake WeCom API plus the callback sender, as "the other side".
import { contactId, type MessageId, messageId, roomId } from '@wechat/provider-api';
import type { ConformanceHarnessV1, HarnessFailureV1, RecordedOutboundV1, SimulatedInboundV1 } from '@wechat/provider-testkit';
import { selfContactId } from '../session/wecom-session.ts';
import { createWecomProvider } from '../wecom-provider.ts';
import { createCallbackSender } from './callback-sender.ts';
import { type FakeWecomServer, startFakeWecomServer } from './fake-wecom-server.ts';
import type { FakeSentMessage } from './fake-wecom-world.ts';

const callbackToken = 'harnessCallbackToken01';
const aesKey = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const thumbnailPng = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);

/** What a recorded WeCom message was, in the kit's terms. */
function recordedContent(fake: FakeWecomServer, sent: FakeSentMessage): RecordedOutboundV1 | undefined {
  const chat =
    sent.api === 'appchat/send'
      ? ({ type: 'room', roomId: roomId(sent.chatid ?? '') } as const)
      : ({ type: 'direct', contactId: contactId(sent.touser ?? '') } as const);
  const base = { chat, ...(sent.msgid ? { messageId: messageId(sent.msgid) as MessageId } : {}) };
  const content = sent.content;
  switch (sent.msgtype) {
    case 'text':
      return { ...base, kind: 'text', text: String(content.content) };
    case 'image':
    case 'voice':
    case 'video':
    case 'file': {
      const media = fake.media(String(content.media_id));
      if (!media) return undefined;
      return { ...base, kind: sent.msgtype, data: media.data, mimeType: media.mimeType, fileName: media.fileName };
    }
    case 'news': {
      const [article] = content.articles as { title: string; url: string; description?: string }[];
      return article
        ? {
            ...base,
            kind: 'link',
            link: {
              url: article.url,
              title: article.title,
              ...(article.description ? { description: article.description } : {}),
            },
          }
        : undefined;
    }
    case 'textcard':
      return {
        ...base,
        kind: 'link',
        link: { url: String(content.url), title: String(content.title), description: String(content.description) },
      };
    default:
      return undefined;
  }
}

export async function createWecomHarness(): Promise<ConformanceHarnessV1> {
  const fake = await startFakeWecomServer();
  let callbackUrl: string | undefined;
  const provider = createWecomProvider({
    onCallbackListening: address => {
      callbackUrl = address.url;
    },
    reconnectDelaysMs: [50, 100, 200],
    busyRetryDelaysMs: [10, 20, 40],
  });
  const sender = () => {
    if (!callbackUrl) throw new Error('no session has opened its callback server');
    return createCallbackSender({ url: callbackUrl, token: callbackToken, aesKey, corpId: fake.corpId, agentId: fake.agentId });
  };
  const failures: Record<HarnessFailureV1, () => void> = {
    network: () => fake.failNext('*', 'network'),
    server: () => fake.failNext('*', { status: 502, body: 'Bad Gateway' }),
    'rate-limit': () => fake.failNext('*', 45009),
    // An admin resets the app's Secret: the token stops working and a new one cannot be had.
    auth: () => {
      fake.setSecret(`${fake.secret}-rotated`);
      fake.expireToken();
    },
  };

  const deliver = async (inbound: SimulatedInboundV1) => {
    if (inbound.room) throw new Error('WeCom sends no callback for messages posted in an app group chat (reference A.3)');
    const from = inbound.from;
    const post = async (delivery: Promise<{ status: number }>) => {
      const { status } = await delivery;
      if (status !== 200) throw new Error(`the callback server answered ${status}`);
    };
    switch (inbound.kind) {
      case 'text':
        return post(sender().send({ type: 'text', from, content: inbound.text }));
      case 'image': {
        const mediaId = fake.putMedia({
          type: 'image',
          data: inbound.data,
          mimeType: inbound.mimeType,
          fileName: inbound.fileName,
        });
        return post(sender().send({ type: 'image', from, mediaId, picUrl: fake.picUrl(mediaId) }));
      }
      case 'voice': {
        const mediaId = fake.putMedia({
          type: 'voice',
          data: inbound.data,
          mimeType: inbound.mimeType,
          fileName: inbound.fileName,
        });
        return post(sender().send({ type: 'voice', from, mediaId, format: 'amr' }));
      }
      case 'video': {
        const mediaId = fake.putMedia({
          type: 'video',
          data: inbound.data,
          mimeType: inbound.mimeType,
          fileName: inbound.fileName,
        });
        const thumbMediaId = fake.putMedia({ type: 'image', data: thumbnailPng, mimeType: 'image/png', fileName: 'thumb.png' });
        return post(sender().send({ type: 'video', from, mediaId, thumbMediaId }));
      }
      default:
        throw new Error(`WeCom app callbacks carry no ${inbound.kind} messages`);
    }
  };

  return {
    config: {
      enabled: true,
      corp_id: fake.corpId,
      app_secret: fake.secret,
      agent_id: fake.agentId,
      api_base_url: fake.url,
      callback: { port: 0, host: '127.0.0.1', token: callbackToken, aes_key: aesKey },
    },
    provider,
    fixtures: {
      contactId: contactId('zhangsan'),
      roomId: roomId('wrbridgeroom01'),
      roomMemberId: contactId('lisi'),
      selfId: selfContactId(fake.agentId),
    },
    cannotSimulate: {
      mentions: 'WeCom sends no callback for app group chats, and app messages carry no mentions',
      recall: 'WeCom sends an app no callback when a member recalls a message',
      file: 'WeCom app callbacks carry no file messages (doc 96467)',
      sticker: 'WeCom app callbacks carry no sticker messages (doc 96467)',
    },
    deliver,
    sent: async () => fake.sentMessages().flatMap(sent => recordedContent(fake, sent) ?? []),
    failNext: failure => failures[failure](),
    reset: async () => {
      fake.clearRecords();
      fake.clearFailures();
    },
    dispose: () => fake.close(),
  };
}
