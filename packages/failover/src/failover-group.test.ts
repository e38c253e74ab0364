import {
  contactId,
  type ProviderV1,
  WechatAuthenticationError,
  WechatInvalidArgumentError,
  WechatProviderUnavailableError,
} from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupFixture, type GroupFixture, type ServiceSpec } from './testing/group-fixture.ts';

// The failover state machine in virtual time (health every 30 s, 3 failures; recovery every 120 s, 3 probes: the
// defaults). Each member runs on a mock world of its own, so one service can go down while the other stays up.

const ipadAndPchook: readonly ServiceSpec[] = [
  { id: 'pchook', tier: 3 },
  { id: 'ipad', tier: 2 },
];
const text = (body: string) =>
  ({ to: { type: 'direct', contactId: contactId('alice') }, content: { kind: 'text', text: body } }) as const;

let fixture: GroupFixture | undefined;
const setUp = (...args: Parameters<typeof createGroupFixture>) => {
  fixture = createGroupFixture(...args);
  return fixture;
};

afterEach(async () => {
  await fixture?.session.stop();
  // Every timer the group set is gone once it is stopped.
  expect(fixture?.clock.pendingTimers ?? 0).toBe(0);
  fixture = undefined;
});

describe('a failover group at start', () => {
  it('serves through the preferred member, whatever the order of the members', async () => {
    const { session, stateChanges, switches } = setUp({ services: ipadAndPchook });
    await session.start();
    expect(session.activeProviderId).toBe('ipad');
    expect(session.state).toBe('connected');
    expect(stateChanges().map(change => `${change.previous}→${change.state}`)).toEqual([
      'stopped→starting',
      'starting→connecting',
      'connecting→connected',
    ]);
    expect(switches).toEqual([]);
    expect(session.members()).toEqual([
      expect.objectContaining({ providerId: 'ipad', tier: 2, state: 'connected', healthy: true, active: true }),
      expect.objectContaining({ providerId: 'pchook', tier: 3, state: 'connected', healthy: true, active: false }),
    ]);
  });

  it('waits for a preferred member that needs a QR login, not for the connected standby', async () => {
    const { session, world, eventsOf, switches, at } = setUp({
      services: [
        { id: 'ipad', tier: 2, capabilities: { login: 'interactive' } },
        { id: 'pchook', tier: 3 },
      ],
    });
    await session.start();
    expect(session.state).toBe('awaiting-login');
    expect(session.activeProviderId).toBeUndefined();
    expect(session.members().map(member => member.state)).toEqual(['awaiting-login', 'connected']);

    const login = await session.login!();
    const first = await login.start();
    expect(first.type).toBe('qr-code');
    await at(200); // the user takes a while to find the phone: a login under way is waited for
    expect(session.state).toBe('awaiting-login');
    world('ipad').completeLogin();
    let step = await login.next();
    while (step.type !== 'complete') step = await login.next();
    expect(session.state).toBe('connected');
    expect(session.activeProviderId).toBe('ipad');
    expect(eventsOf('login-step').map(event => event.step.type)).toEqual(['qr-code', 'waiting-for-confirmation', 'complete']);
    expect(switches).toEqual([]);
  });

  it('stops waiting for an unattended login after failure_threshold checks, and promotes the member once logged in', async () => {
    const { session, world, switches, at, stateChanges } = setUp({
      services: [
        { id: 'ipad', tier: 2, capabilities: { login: 'interactive' } },
        { id: 'pchook', tier: 3 },
      ],
    });
    await session.start();
    await at(89.999);
    expect(session.state).toBe('awaiting-login');
    await at(90);
    // Nothing served before, so this is the group's first member, not a switch.
    expect(session.activeProviderId).toBe('pchook');
    expect(session.state).toBe('connected');
    expect(switches).toEqual([]);
    expect(stateChanges().at(-1)).toMatchObject({ previous: 'awaiting-login', state: 'connected' });

    // Logged in later (a QR provider the reference never logged in): its session stays up and is promoted.
    const login = await session.login!();
    await login.start();
    world('ipad').completeLogin();
    let step = await login.next();
    while (step.type !== 'complete') step = await login.next();
    await at(359.999); // good probes at 120 and 240 s
    expect(session.activeProviderId).toBe('pchook');
    await at(360);
    expect(switches).toEqual([{ from: 'pchook', to: 'ipad', reason: 'recovered', at: fixture!.clock.start + 360_000 }]);
  });

  it('does not wait for a preferred member whose service is down', async () => {
    const { session, world, switches } = setUp({ services: ipadAndPchook });
    world('ipad').goOffline();
    await session.start();
    expect(session.activeProviderId).toBe('pchook');
    expect(session.state).toBe('connected');
    expect(switches).toEqual([]);
  });
  it("leaves out a member whose start() rejects, and rejects only when every member's does", async () => {
    const broken = (provider: ProviderV1): ProviderV1 => ({
      ...provider,
      createSession: options =>
        new Proxy(provider.createSession(options), {
          get: (target, key) =>
            key === 'start' ? () => Promise.reject(new TypeError('a programming error')) : Reflect.get(target, key),
        }),
    });
    const partly = setUp({
      services: [
        { id: 'ipad', tier: 2, wrap: broken },
        { id: 'pchook', tier: 3 },
      ],
    });
    await partly.session.start();
    expect(partly.session.activeProviderId).toBe('pchook');
    expect(partly.logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'failover group: a member did not start',
        fields: { member: 'ipad', code: 'UNKNOWN' },
      }),
    );
    await partly.session.stop();
    expect(partly.clock.pendingTimers).toBe(0);

    const wholly = setUp({ services: [{ id: 'ipad', tier: 2, wrap: broken }] });
    await expect(wholly.session.start()).rejects.toThrow('a programming error');
  });
});

describe('failing over', () => {
  it('switches after exactly failure_threshold failed checks', async () => {
    const { session, world, switches, at, clock, eventsOf } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(1);
    world('ipad').goOffline();
    expect(session.state).toBe('transient-disconnect');
    await at(89.999);
    expect(switches).toEqual([]);
    expect(session.members()[0]).toMatchObject({ providerId: 'ipad', consecutiveFailures: 2, healthy: false });
    await at(90);
    const change = { from: 'ipad', to: 'pchook', reason: 'health-check-failed', at: clock.start + 90_000 };
    expect(switches).toEqual([change]);
    expect(eventsOf('provider-switched')).toEqual([{ type: 'provider-switched', ...change }]);
    expect(session.activeProviderId).toBe('pchook');
    expect(session.state).toBe('connected');
  });

  it('promotes the preferred member after exactly recovery_threshold good probes', async () => {
    const { session, world, switches, at, clock } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(1);
    world('ipad').goOffline();
    await at(100);
    world('ipad').goOnline();
    expect(session.members()[0]).toMatchObject({ providerId: 'ipad', state: 'connected', active: false });
    await at(359.999); // probes at 120 and 240 s passed
    expect(session.activeProviderId).toBe('pchook');
    expect(session.members()[0]?.consecutiveSuccesses).toBe(2);
    await at(360);
    expect(switches.at(-1)).toEqual({ from: 'pchook', to: 'ipad', reason: 'recovered', at: clock.start + 360_000 });
    expect(session.activeProviderId).toBe('ipad');
  });

  it('counts only consecutive good probes: a disconnect between two probes starts the count again', async () => {
    const { session, world, switches, at } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(1);
    world('ipad').goOffline();
    await at(100);
    world('ipad').goOnline();
    await at(150); // after one good probe (120 s)
    world('ipad').goOffline();
    await at(160);
    world('ipad').goOnline();
    await at(479.999); // probes at 240 and 360 s: two in a row
    expect(switches.map(change => change.reason)).toEqual(['health-check-failed']);
    await at(480);
    expect(switches.map(change => change.reason)).toEqual(['health-check-failed', 'recovered']);
  });

  it('switches at the next check when the active member is signed out, without waiting for the threshold', async () => {
    const { session, world, switches, at, stateChanges } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(10);
    world('ipad').failNext('auth');
    // The send that meets the failure gets the member's own error, unchanged.
    await expect(session.sendMessage(text('refused'))).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    expect(session.state).toBe('bad-credentials');
    // Until the switch, sends fail retryably: another member is about to take over.
    await expect(session.sendMessage(text('wait'))).rejects.toSatisfy(WechatProviderUnavailableError.isInstance);
    await at(30);
    expect(switches).toEqual([expect.objectContaining({ from: 'ipad', to: 'pchook', reason: 'health-check-failed' })]);
    expect(session.state).toBe('connected');
    // bad-credentials → connected is no single session's move: the group goes through connecting.
    expect(
      stateChanges()
        .slice(-3)
        .map(change => `${change.previous}→${change.state}`),
    ).toEqual(['connected→bad-credentials', 'bad-credentials→connecting', 'connecting→connected']);
  });

  it('fails checks of a connected member whose checkHealth() reports it unhealthy', async () => {
    const { session, world, switches, at } = setUp({ services: ipadAndPchook });
    await session.start();
    for (let failure = 0; failure < 3; failure++) world('ipad').failNext('network'); // met by checkHealth()
    await at(89.999);
    expect(switches).toEqual([]);
    expect(session.members()[0]).toMatchObject({ state: 'connected', consecutiveFailures: 2 });
    await at(90);
    expect(switches).toEqual([expect.objectContaining({ from: 'ipad', to: 'pchook', reason: 'health-check-failed' })]);
    // A connected session is not restarted to probe it; it simply passes its next checks.
    expect(session.members()[0]).toMatchObject({ state: 'connected' });
  });

  it('fails checks of a member that stopped heartbeating for 3 health intervals', async () => {
    const { session, world, switches, at, eventsOf } = setUp({ services: ipadAndPchook });
    await session.start();
    // Two heartbeats 5 s apart show its pace; silence is then judged by 3 health intervals (the longer).
    await at(5);
    world('ipad').heartbeat();
    await at(10);
    world('ipad').heartbeat();
    world('pchook').heartbeat(); // a standby's heartbeat is not the group's
    expect(eventsOf('heartbeat')).toHaveLength(2);
    // Silent from 10 s: checks at 30, 60 and 90 s pass; 120, 150 and 180 s fail (90 s and more since).
    await at(170);
    world('pchook').heartbeat(); // the standby keeps heartbeating, so it is healthy to take over
    expect(eventsOf('heartbeat')).toHaveLength(2);
    await at(179.999);
    expect(switches).toEqual([]);
    expect(session.members()[0]).toMatchObject({ consecutiveFailures: 2, lastHeartbeatAt: fixture!.clock.start + 10_000 });
    await at(180);
    expect(switches).toEqual([expect.objectContaining({ to: 'pchook', reason: 'health-check-failed' })]);
  });

  it('does not judge a member by one heartbeat: its pace is unknown until the second', async () => {
    const { session, world, switches, at } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(10);
    world('ipad').heartbeat();
    await at(600);
    expect(switches).toEqual([]);
  });

  it("judges heartbeat silence by the member's own pace, not only by the health interval", async () => {
    const { session, world, switches, at } = setUp({ services: ipadAndPchook });
    await session.start();
    // ipad heartbeats every 80 s: slower than 3 health intervals would suggest, but steady.
    for (const second of [10, 90, 170]) {
      await at(second);
      world('ipad').heartbeat();
      world('pchook').heartbeat();
    }
    // 150 s of silence is within three of its usual 80 s gaps: no switch.
    await at(320);
    world('ipad').heartbeat();
    world('pchook').heartbeat();
    expect(switches).toEqual([]);
    // Then it falls silent for good; pchook keeps going. Its longest recent gap is now 150 s: after 3 × 150 s of
    // silence (at 770 s) its checks fail, and three failed checks later it is replaced.
    for (let second = 330; second <= 760; second += 10) {
      await at(second);
      world('pchook').heartbeat();
    }
    expect(switches).toEqual([]);
    for (let second = 770; second <= 900; second += 10) {
      await at(second);
      world('pchook').heartbeat();
    }
    expect(switches).toEqual([expect.objectContaining({ from: 'ipad', to: 'pchook', reason: 'health-check-failed' })]);
  });

  it('counts a checkHealth() that never answers as a failed check', async () => {
    const hanging = (provider: ProviderV1): ProviderV1 => ({
      ...provider,
      createSession: options =>
        new Proxy(provider.createSession(options), {
          get: (target, key) => (key === 'checkHealth' ? () => new Promise(() => {}) : Reflect.get(target, key)),
        }),
    });
    const { session, switches, at, clock } = setUp({
      services: [
        { id: 'ipad', tier: 2, wrap: hanging },
        { id: 'pchook', tier: 3 },
      ],
    });
    await session.start();
    await at(30);
    expect(clock.pendingTimers).toBeGreaterThan(0); // the check's own deadline
    // Each check times out after one interval; the next begins after it.
    await at(179.999);
    expect(switches).toEqual([]);
    await at(180);
    expect(switches).toEqual([expect.objectContaining({ from: 'ipad', to: 'pchook' })]);
    await at(215); // stopping during a check that never answers leaves no timer behind (checked after each test)
  });

  it('wraps around to any healthy member, of a lower or a higher tier', async () => {
    const { session, world, switches, at } = setUp({
      services: [
        { id: 'tier-one', tier: 1 },
        { id: 'tier-two', tier: 2 },
        { id: 'tier-three', tier: 3 },
      ],
    });
    await session.start();
    world('tier-two').goOffline();
    session.forceProvider('tier-three');
    await at(1);
    world('tier-three').goOffline();
    await at(90);
    expect(switches.map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: 'tier-one', to: 'tier-three', reason: 'forced' },
      { from: 'tier-three', to: 'tier-one', reason: 'health-check-failed' },
    ]);
  });

  it('keeps members of one tier in the order they were given in', async () => {
    const { session, world, switches, at } = setUp({
      services: [
        { id: 'second', tier: 2 },
        { id: 'first', tier: 1 },
        { id: 'second-b', tier: 2 },
        { id: 'first-b', tier: 1 },
      ],
    });
    await session.start();
    expect(session.members().map(member => member.providerId)).toEqual(['first', 'first-b', 'second', 'second-b']);
    world('first').goOffline();
    await at(90);
    expect(switches).toEqual([expect.objectContaining({ from: 'first', to: 'first-b' })]);
  });
});

describe('when every member is down', () => {
  it('goes transient-disconnect and serves through the first member back, at once', async () => {
    const { session, world, switches, at, clock, stateChanges } = setUp({ services: ipadAndPchook });
    await session.start();
    await at(1);
    world('ipad').goOffline();
    await at(2);
    world('pchook').goOffline();
    await at(90);
    expect(switches).toEqual([]);
    expect(session.activeProviderId).toBeUndefined();
    expect(session.state).toBe('transient-disconnect');
    expect(stateChanges().at(-1)?.error).toSatisfy(WechatProviderUnavailableError.isInstance);
    const refused = await session.sendMessage(text('nobody serves')).catch((error: unknown) => error);
    expect(refused).toSatisfy(WechatProviderUnavailableError.isInstance);
    expect(refused).toMatchObject({ retryable: true, providerId: 'failover' });

    await at(600); // the reference stayed here forever
    expect(session.activeProviderId).toBeUndefined();
    await at(601.234);
    world('pchook').goOnline();
    // No threshold: the first member back serves at once.
    expect(switches).toEqual([{ to: 'pchook', reason: 'all-down-recovered', at: clock.start + 601_234 }]);
    expect(session.state).toBe('connected');
    await expect(session.sendMessage(text('back'))).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(world('pchook').sent()).toEqual([expect.objectContaining({ text: 'back' })]);
  });

  it('serves again through a member that stayed connected once its check passes', async () => {
    const { session, world, switches, at } = setUp({ services: ipadAndPchook });
    await session.start();
    world('pchook').goOffline();
    for (let failure = 0; failure < 3; failure++) world('ipad').failNext('network');
    await at(90);
    expect(session.activeProviderId).toBeUndefined();
    expect(session.state).toBe('transient-disconnect');
    await at(120);
    expect(switches).toEqual([expect.objectContaining({ to: 'ipad', reason: 'all-down-recovered' })]);
    expect(switches[0]?.from).toBeUndefined();
    expect(session.state).toBe('connected');
  });
});

describe('flapping', () => {
  /** Takes the member's service down and up every `periodS / 2` seconds from `firstS`, until `untilS`. */
  async function flap(
    group: GroupFixture,
    id: string,
    { firstS, periodS, untilS }: { firstS: number; periodS: number; untilS: number },
  ) {
    let down = false;
    for (let time = firstS; time < untilS; time += periodS / 2) {
      await group.at(time);
      down = !down;
      if (down) group.world(id).goOffline();
      else group.world(id).goOnline();
    }
    await group.at(untilS);
  }

  it('absorbs a member flapping every half interval that is up at each check: no switch at all', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    await flap(group, 'ipad', { firstS: 7.5, periodS: 30, untilS: 600 });
    expect(group.switches).toEqual([]);
    // The host saw every flap, though: the group's state is honest.
    expect(group.stateChanges().length).toBeGreaterThan(60);
  });

  it('switches at most once when such a member is down at each check, and not back while it keeps flapping', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    await flap(group, 'ipad', { firstS: 22.5, periodS: 30, untilS: 1200 });
    expect(group.switches.map(change => change.reason)).toEqual(['health-check-failed']);
  });

  it('does not switch for a member that fails every other check', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    await flap(group, 'ipad', { firstS: 15, periodS: 60, untilS: 1200 });
    expect(group.switches).toEqual([]);
  });
});

describe('forceProvider', () => {
  it('switches at once and keeps the forced member until it fails', async () => {
    const { session, world, switches, at, clock, stateChanges } = setUp({ services: ipadAndPchook });
    await session.start();
    const changesBefore = stateChanges().length;
    session.forceProvider('pchook');
    expect(switches).toEqual([{ from: 'ipad', to: 'pchook', reason: 'forced', at: clock.start }]);
    expect(session.activeProviderId).toBe('pchook');
    // connected → connected across a switch is no change.
    expect(stateChanges()).toHaveLength(changesBefore);
    await at(1200); // ten recovery intervals: the preferred member is healthy but not promoted
    expect(session.activeProviderId).toBe('pchook');
    world('pchook').goOffline();
    await at(1290);
    expect(switches.at(-1)).toMatchObject({ from: 'pchook', to: 'ipad', reason: 'health-check-failed' });
  });

  it('refuses a member that is not connected, or not a member', async () => {
    const { session, world, switches } = setUp({ services: ipadAndPchook });
    await session.start();
    world('pchook').goOffline();
    expect(() => session.forceProvider('pchook')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', retryable: true }),
    );
    let error: unknown;
    try {
      session.forceProvider('wecom');
    } catch (caught) {
      error = caught;
    }
    expect(error).toSatisfy(WechatInvalidArgumentError.isInstance);
    expect(switches).toEqual([]);
    expect(session.activeProviderId).toBe('ipad');
  });
});

describe('stopping', () => {
  it('leaves no timers and emits nothing afterwards, and can start again', async () => {
    const { session, world, events, at, clock } = setUp({ services: ipadAndPchook });
    await session.start();
    world('ipad').goOffline();
    await at(95);
    await session.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(session.state).toBe('stopped');
    expect(session.activeProviderId).toBeUndefined();
    const count = events.length;
    world('ipad').goOnline();
    await world('pchook').contact('alice').says('to a stopped group');
    await at(1000);
    expect(events).toHaveLength(count);

    await session.start();
    expect(session.activeProviderId).toBe('ipad');
    expect(session.state).toBe('connected');
  });
});
