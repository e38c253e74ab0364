// The conformance harness of the text-gateway example: a simulated gateway the kit drives as "the other side".
import { contactId, messageId, roomId } from '@wechat/provider-api';
import type { ConformanceHarnessV1, HarnessFailureV1, RecordedOutboundV1 } from '@wechat/provider-testkit';
import { createTextGatewayProvider, GatewayError, type GatewayMessage, type TextGatewayClient } from './text-gateway-provider.ts';

const token = 'gateway-token-0001';
const statusOf: Record<HarnessFailureV1, number | undefined> = { network: undefined, auth: 401, 'rate-limit': 429, server: 500 };

export async function createTextGatewayHarness(): Promise<ConformanceHarnessV1> {
  const accounts = new Map([
    ['wxid_self', 'Me'],
    ['wxid_alice', 'Alice'],
    ['wxid_bob', 'Bob'],
  ]);
  const rooms = new Map([
    ['family@chatroom', { id: 'family@chatroom', name: 'Family', memberIds: ['wxid_self', 'wxid_alice', 'wxid_bob'] }],
  ]);
  const listeners = new Set<(message: GatewayMessage) => void>();
  const sent: RecordedOutboundV1[] = [];
  const failures: HarnessFailureV1[] = [];
  let sequence = 0;

  // Every call first meets the failure `failNext` queued, as a real gateway's HTTP answer would.
  const answer = async <T>(result: () => T): Promise<T> => {
    const failure = failures.shift();
    if (failure) throw new GatewayError(`simulated ${failure} failure`, statusOf[failure]);
    return result();
  };
  const account = (id: string) => {
    const name = accounts.get(id);
    if (name === undefined) throw new GatewayError(`no account ${id}`, 404);
    return { id, name };
  };
  const client: TextGatewayClient = {
    login: given =>
      answer(() => {
        if (given !== token) throw new GatewayError('bad token', 401);
        return account('wxid_self');
      }),
    send: (chat, text) =>
      answer(() => {
        const id = `gw-${++sequence}`;
        const to = chat.endsWith('@chatroom')
          ? ({ type: 'room', roomId: roomId(chat) } as const)
          : ({ type: 'direct', contactId: contactId(chat) } as const);
        sent.push({ kind: 'text', text, chat: to, messageId: messageId(id) });
        return { id, timestamp: Date.now() };
      }),
    contact: id => answer(() => account(id)),
    room: id =>
      answer(() => {
        const room = rooms.get(id);
        if (!room) throw new GatewayError(`no room ${id}`, 404);
        return room;
      }),
    subscribe: listener => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {},
  };

  return {
    config: { url: 'https://gateway.invalid/', token },
    provider: createTextGatewayProvider(() => client),
    fixtures: {
      contactId: contactId('wxid_alice'),
      roomId: roomId('family@chatroom'),
      roomMemberId: contactId('wxid_bob'),
      selfId: contactId('wxid_self'),
    },
    cannotSimulate: { mentions: 'the gateway does not report mentions' },
    deliver: async inbound => {
      if (inbound.kind !== 'text') throw new Error(`the gateway carries text only, not ${inbound.kind}`);
      const message = {
        id: `gw-${++sequence}`,
        chat: inbound.room ?? inbound.from,
        from: inbound.from,
        text: inbound.text,
        timestamp: Date.now(),
      };
      for (const listener of listeners) listener(message);
    },
    sent: async () => [...sent],
    failNext: failure => {
      failures.push(failure);
    },
    reset: async () => {
      sent.length = 0;
      failures.length = 0;
    },
    dispose: async () => listeners.clear(),
  };
}
