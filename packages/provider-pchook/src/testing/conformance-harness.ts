import { type ChatRefV1, contactId, messageId, roomId } from '@wechat/provider-api';
import type { ConformanceHarnessV1, HarnessFailureV1, RecordedOutboundV1 } from '@wechat/provider-testkit';
import { mentionAll } from '../provider/inbound/map-wx-message.ts';
import { createPchookProvider, type PchookProviderOptions } from '../provider/pchook-provider.ts';
import type { SimSentMessage } from './simulator-types.ts';
import { startWcfHostSimulator, type WcfHostSimulator } from './wcf-host-simulator.ts';

/** Short delays, so recovery and login polls fit the kit's per-case budget. */
export const harnessTimings: PchookProviderOptions['timings'] = {
  requestTimeoutMs: 1_000,
  connectTimeoutMs: 1_000,
  // Long enough that no heartbeat consumes a failure the kit arms with failNext.
  heartbeatIntervalMs: 60_000,
  backoff: { initialMs: 20, maxMs: 200 },
  loginPollIntervalMs: 20,
  echoTimeoutMs: 1_000,
  mediaPollIntervalMs: 20,
  mediaTimeoutMs: 2_000,
  voiceTimeoutMs: 1_000,
  stopTimeoutMs: 500,
};

const self = { wxid: 'wxid_self', name: 'Me' };
const alice = { wxid: 'wxid_alice', name: 'Alice' };
const bob = { wxid: 'wxid_bob', name: 'Bob' };
const room = '20948762891@chatroom';

function chatOf(receiver: string): ChatRefV1 {
  return receiver.endsWith('@chatroom')
    ? { type: 'room', roomId: roomId(receiver) }
    : { type: 'direct', contactId: contactId(receiver) };
}

/** What the simulated WeChat sent, as the kit records outbound messages. */
export function recordedOutbound(sent: SimSentMessage): RecordedOutboundV1 {
  const base = { chat: chatOf(sent.receiver), messageId: messageId(sent.id) };
  switch (sent.kind) {
    case 'text': {
      const mentioned = sent.aters.filter(wxid => wxid !== mentionAll).map(contactId);
      return {
        ...base,
        kind: 'text',
        text: sent.text,
        ...(mentioned.length === 0 ? {} : { mentions: mentioned }),
        ...(sent.aters.includes(mentionAll) ? { mentionsAll: true } : {}),
      };
    }
    case 'image':
    case 'file':
      return { ...base, kind: sent.kind, data: sent.data, fileName: sent.fileName };
    case 'emotion':
      return { ...base, kind: 'sticker', data: sent.data, fileName: sent.fileName };
    case 'rich-text':
      return {
        ...base,
        kind: 'link',
        link: { url: sent.url, title: sent.title, ...(sent.digest === '' ? {} : { description: sent.digest }) },
      };
  }
}

/**
 * The conformance kit's view of a simulated WeChatFerry host: WeChat starts logged out (so the QR login is
 * exercised), with a friend (Alice), a room with Alice and Bob, and the shared directory in a temp dir.
 */
export async function createPchookHarness(): Promise<ConformanceHarnessV1 & { readonly host: WcfHostSimulator }> {
  const host = await startWcfHostSimulator({
    loggedIn: false,
    self,
    contacts: [alice, { wxid: 'gh_news', name: 'News' }, { wxid: 'filehelper', name: '文件传输助手' }],
    rooms: [
      {
        id: room,
        name: 'Family',
        members: [
          { wxid: self.wxid, nickname: self.name },
          { wxid: alice.wxid, nickname: alice.name },
          { wxid: bob.wxid, nickname: bob.name, displayName: 'Bobby' },
        ],
        admins: [alice.wxid],
      },
    ],
    pushTimeoutMs: 200,
  });
  const failures: Readonly<Record<HarnessFailureV1, () => void>> = {
    network: () => host.failNext('close'),
    server: () => host.failNext('dispatch-error'),
    auth: () => host.setLoggedIn(false),
    'rate-limit': () => {
      throw new Error('WeChatFerry has no rate-limit signal to simulate');
    },
  };
  return {
    host,
    config: { enabled: true, rpc_endpoint: host.endpoint, shared_dir: host.sharedDir, windows_dir: host.windowsDir },
    provider: createPchookProvider({ timings: harnessTimings }),
    fixtures: {
      contactId: contactId(alice.wxid),
      roomId: roomId(room),
      roomMemberId: contactId(bob.wxid),
      selfId: contactId(self.wxid),
    },
    async deliver(inbound) {
      const origin = { sender: inbound.from, ...(inbound.room === undefined ? {} : { roomid: inbound.room }) };
      switch (inbound.kind) {
        case 'text': {
          const aters = inbound.mentions ?? [];
          // WeChat shows "@name" in the text for each mention; the account's own name for itself.
          const tags = aters.map(wxid => `@${wxid === self.wxid ? self.name : wxid}\u2005`).join('');
          await host.pushText({ ...origin, content: tags + inbound.text, aters });
          return;
        }
        case 'image':
          await host.pushImage({ ...origin, data: inbound.data });
          return;
        case 'voice':
          await host.pushVoice({
            ...origin,
            data: inbound.data,
            ...(inbound.durationMs === undefined ? {} : { durationMs: inbound.durationMs }),
          });
          return;
        case 'video':
          await host.pushVideo({
            ...origin,
            data: inbound.data,
            ...(inbound.durationMs === undefined ? {} : { durationMs: inbound.durationMs }),
          });
          return;
        case 'file':
          await host.pushFile({ ...origin, data: inbound.data, fileName: inbound.fileName });
          return;
        case 'sticker':
          await host.pushSticker({ ...origin, data: inbound.data, mimeType: inbound.mimeType });
          return;
        case 'recall':
          await host.pushRecall({ ...origin, messageId: inbound.messageId });
          return;
      }
    },
    sent: async () => host.sent().map(recordedOutbound),
    failNext: failure => failures[failure](),
    completeLogin: async () => host.setLoggedIn(true),
    reset: async () => host.clearRecords(),
    dispose: () => host.close(),
  };
}
