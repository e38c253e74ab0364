import { contactId, type ContactId, messageId, type ProviderV1, roomId } from '@wechat/provider-api';
import type { ConformanceHarnessV1, HarnessFailureV1, RecordedOutboundV1, SimulatedInboundV1 } from '@wechat/provider-testkit';
import { createIpadProvider, type IpadProviderOptions } from '../ipad-provider.ts';
import { createGewechatSimulator, type GewechatSimulator } from '../testing/index.ts';
import type { SentMessage } from '../testing/sim-core.ts';
import { freePort } from './free-port.ts';

export const harnessFixtures = {
  self: { wxid: 'wxid_conformance_self', nickName: 'Conformance Self' },
  contact: 'wxid_conformance_alice',
  member: 'wxid_conformance_bob',
  room: '34757816141@chatroom',
} as const;

/** Timings short enough for the kit's two-second waits. */
export const fastTimings: IpadProviderOptions = {
  loginPollIntervalMs: 10,
  heartbeatIntervalMs: 200,
  reconnectBaseMs: 20,
  reconnectMaxMs: 200,
  reconnectionRetryMs: 10,
};

export interface IpadHarness extends ConformanceHarnessV1 {
  readonly simulator: GewechatSimulator;
  readonly provider: ProviderV1;
}

/** The provider against a fresh GeWeChat simulator, as the conformance kit's remote side. */
export async function createIpadHarness(options: IpadProviderOptions = {}): Promise<IpadHarness> {
  const simulator = await createGewechatSimulator({ self: harnessFixtures.self });
  simulator.addContact({ wxid: harnessFixtures.contact, nickName: 'Alice' });
  simulator.addContact({ wxid: harnessFixtures.member, nickName: 'Bob' });
  simulator.addRoom({
    roomId: harnessFixtures.room,
    name: 'Conformance Room',
    owner: harnessFixtures.self.wxid,
    members: [{ wxid: harnessFixtures.self.wxid }, { wxid: harnessFixtures.contact }, { wxid: harnessFixtures.member }],
  });
  const callbackPort = await freePort();
  let sentSince = 0;

  return {
    simulator,
    provider: createIpadProvider({ ...fastTimings, ...options }),
    config: {
      enabled: true,
      api_endpoint: simulator.apiUrl,
      download_endpoint: simulator.downloadUrl,
      // Configured rather than fetched, so the kit also checks that the token never reaches a log.
      api_token: simulator.token,
      callback_url: `http://127.0.0.1:${callbackPort}/callback`,
      callback_port: callbackPort,
      risk_control: { new_account_silence_days: 0, message_interval_ms: 0 },
    },
    fixtures: {
      contactId: contactId(harnessFixtures.contact),
      roomId: roomId(harnessFixtures.room),
      roomMemberId: contactId(harnessFixtures.member),
      selfId: contactId(harnessFixtures.self.wxid),
    },
    cannotSimulate: {
      voice:
        'WeChat carries voice as SILK and the provider hands it out as Ogg Opus, so the delivered bytes cannot come back unchanged; real SILK voice is tested in ipad-voice.test.ts',
    },
    async deliver(inbound: SimulatedInboundV1) {
      const origin = { from: inbound.from, ...(inbound.room === undefined ? {} : { room: inbound.room }) };
      switch (inbound.kind) {
        case 'text':
          await simulator.receive.text({
            ...origin,
            text: inbound.text,
            ...(inbound.mentions ? { mentions: [...inbound.mentions] } : {}),
          });
          break;
        case 'image':
          await simulator.receive.image({ ...origin, data: inbound.data });
          break;
        case 'sticker':
          await simulator.receive.emoji({ ...origin, data: inbound.data });
          break;
        case 'video':
          await simulator.receive.video({
            ...origin,
            data: inbound.data,
            durationSeconds: Math.round((inbound.durationMs ?? 1000) / 1000),
          });
          break;
        case 'file':
          await simulator.receive.file({ ...origin, fileName: inbound.fileName, data: inbound.data });
          break;
        case 'voice':
          await simulator.receive.voice({ ...origin, data: inbound.data, durationMs: inbound.durationMs ?? 1000 });
          break;
        case 'recall':
          await simulator.recall({ newMsgId: inbound.messageId });
          break;
      }
      await simulator.idle();
    },
    async sent() {
      await simulator.idle();
      return simulator.sent.slice(sentSince).flatMap(toRecorded);
    },
    async failNext(failure: HarnessFailureV1) {
      await simulator.idle();
      switch (failure) {
        case 'network':
          simulator.failNext('*', { network: true });
          return;
        case 'server':
          simulator.failNext('*', { ret: 500, msg: '系统异常' });
          return;
        case 'rate-limit':
          // GeWeChat has no rate-limit answer; the kit's case is skipped with this reason (see the test file).
          return;
        case 'auth': {
          // Signed out elsewhere (the phone's "log out of iPad"): the device is gone without a callback.
          const appId = simulator.appId;
          if (appId) {
            await fetch(`${simulator.apiUrl}/login/logout`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'X-GEWE-TOKEN': simulator.token },
              body: JSON.stringify({ appId }),
            });
          }
          return;
        }
      }
    },
    async completeLogin() {
      simulator.confirmLogin();
    },
    async reset() {
      await simulator.idle();
      sentSince = simulator.sent.length;
    },
    async dispose() {
      await simulator.stop();
    },
  };
}

function toRecorded(sent: SentMessage): RecordedOutboundV1[] {
  const chat = sent.toWxid.endsWith('@chatroom')
    ? { type: 'room' as const, roomId: roomId(sent.toWxid) }
    : { type: 'direct' as const, contactId: contactId(sent.toWxid) };
  const base = {
    chat,
    messageId: messageId(sent.newMsgId),
    ...(sent.ats && sent.ats.length > 0
      ? {
          mentions: sent.ats.filter(at => at !== 'notify@all').map(at => contactId(at)) as ContactId[],
          ...(sent.ats.includes('notify@all') ? { mentionsAll: true } : {}),
        }
      : {}),
  };
  switch (sent.path) {
    case '/message/postText':
      return [{ ...base, kind: 'text', text: sent.content ?? '' }];
    case '/message/postImage':
      return [{ ...base, kind: 'image', data: sent.media ?? new Uint8Array() }];
    case '/message/postFile':
      return [
        { ...base, kind: 'file', data: sent.media ?? new Uint8Array(), ...(sent.fileName ? { fileName: sent.fileName } : {}) },
      ];
    case '/message/postVoice':
      return [{ ...base, kind: 'voice', data: sent.media ?? new Uint8Array() }];
    case '/message/postVideo':
      return [{ ...base, kind: 'video', data: sent.media ?? new Uint8Array() }];
    case '/message/postLink':
      return [
        {
          ...base,
          kind: 'link',
          link: {
            url: sent.link?.linkUrl ?? '',
            title: sent.link?.title ?? '',
            ...(sent.link?.desc ? { description: sent.link.desc } : {}),
          },
        },
      ];
    case '/message/postNameCard':
      return [
        {
          ...base,
          kind: 'contact-card',
          card: { name: String(sent.body.nickName ?? ''), contactId: contactId(String(sent.body.nameCardWxid ?? '')) },
        },
      ];
    default:
      return [];
  }
}
