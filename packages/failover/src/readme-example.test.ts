// A failover group over two providers of one WeChat account. In production the members are real providers
// (`@wechat/provider-ipad`, `@wechat/provider-pchook`, …) with their own config sections; here two mock
// services on one mock WeChat stand in for them.
import { createFailoverProvider, type FailoverSwitch, failoverConfigSchema, isFailoverSession } from '@wechat/failover';
import { contactId, openSession, parseConfig } from '@wechat/provider-api';
import { createMockWorld } from '@wechat/provider-testkit';
import { expect, it } from 'vitest';

it('serves one account through two providers', async () => {
  const world = createMockWorld();
  const ipad = world.createProvider({ id: 'ipad', capabilities: { login: 'credentials' } });
  const pchook = world.createProvider({ id: 'pchook', capabilities: { login: 'credentials', recall: 'none' } });

  const switches: FailoverSwitch[] = [];
  const group = createFailoverProvider({
    members: [
      { provider: pchook, config: world.config, tier: 3 },
      { provider: ipad, config: world.config, tier: 2 }, // the lower tier is preferred
    ],
    failover: parseConfig(failoverConfigSchema, { enabled: true, health_check_interval_s: 10 }),
    onSwitch: change => switches.push(change),
  });
  expect(group.capabilities.recall).toBe('partial'); // only while the iPad provider serves

  const session = openSession(group, { config: {} });
  const received: string[] = [];
  session.on('message-received', ({ message }) => {
    if (message.content.kind === 'text') received.push(message.content.text);
  });
  await session.start();
  const failover = session.session; // the group's own session, with activeProviderId and members()
  if (!isFailoverSession(failover)) throw new Error('not a failover session');
  expect(failover.activeProviderId).toBe('ipad');

  // Both members receive every message of the account; the group emits each once.
  await world.contact('alice').says('hello');
  expect(received).toEqual(['hello']);

  // An operator moves the account to the PC hook (the group switches by itself when health checks fail).
  failover.forceProvider('pchook');
  expect(switches).toEqual([{ from: 'ipad', to: 'pchook', reason: 'forced', at: expect.any(Number) }]);
  await session.sendMessage({ to: { type: 'direct', contactId: contactId('alice') }, content: { kind: 'text', text: 'hi' } });
  expect(failover.members().map(member => `${member.providerId}: ${member.active ? 'active' : 'standby'}`)).toEqual([
    'ipad: standby',
    'pchook: active',
  ]);

  await session.stop(); // stops both members and every timer of the group
});
