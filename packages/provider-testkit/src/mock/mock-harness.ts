import type { ProviderV1 } from '@wechat/provider-api';
import type { ConformanceHarnessV1, SimulatedInboundV1 } from '../harness/conformance-harness.ts';
import type { MockWorld } from './mock-world.ts';

/** Picks the kit's fixtures from the world: a friend, a room the account is in, and another member of that room. */
function fixturesOf(world: MockWorld): ConformanceHarnessV1['fixtures'] {
  const selfId = world.selfId;
  const friend = world.contacts().find(contact => contact.isFriend);
  const room = world
    .rooms()
    .map(candidate => world.room(candidate.id))
    .find(candidate => candidate.has(selfId) && candidate.members().some(member => member.id !== selfId));
  // A member other than the direct-chat contact, so a message attributed to the wrong one is caught.
  const others = room?.members().filter(candidate => candidate.id !== selfId) ?? [];
  const member = others.find(candidate => candidate.id !== friend?.id) ?? others[0];
  if (!friend || !room || !member) {
    throw new Error('The mock world needs a friend and a room shared with another member to serve as a conformance harness');
  }
  return { contactId: friend.id, roomId: room.id, roomMemberId: member.id, selfId };
}

async function deliver(world: MockWorld, inbound: SimulatedInboundV1): Promise<void> {
  const contact = world.contact(inbound.from);
  const speaker = inbound.room === undefined ? contact : contact.in(inbound.room);
  switch (inbound.kind) {
    case 'text':
      await speaker.says(inbound.text, inbound.mentions === undefined ? {} : { mentions: inbound.mentions });
      return;
    case 'recall':
      await contact.recalls(inbound.messageId);
      return;
    default:
      await speaker.sends(inbound);
  }
}

/** The mock world as the kit's remote side. Every inbound feature can be simulated. */
export function createMockHarness(world: MockWorld, options: { readonly provider?: ProviderV1 }): ConformanceHarnessV1 {
  return {
    config: world.config,
    provider: options.provider ?? world.provider,
    fixtures: fixturesOf(world),
    deliver: inbound => deliver(world, inbound),
    sent: async () => world.sent(),
    failNext: failure => world.failNext(failure),
    completeLogin: async () => world.completeLogin(),
    reset: async () => world.reset(),
    dispose: async () => world.dispose(),
  };
}
