import {
  createMemorySessionStorage,
  parseConfig,
  type ProviderEventOfTypeV1,
  type ProviderEventV1,
  type ProviderV1,
  type SessionStorageV1,
} from '@wechat/provider-api';
import {
  createMockWorld,
  createRecordingLogger,
  type MockCapabilitiesOverride,
  type MockWorld,
  type RecordedLogEntry,
} from '@wechat/provider-testkit';
import { type FailoverConfigInput, failoverConfigSchema } from '../failover-config.ts';
import { createFailoverProvider } from '../failover-provider.ts';
import type { FailoverProviderV1, FailoverSessionV1, FailoverSwitch } from '../failover-types.ts';
import { FakeClock } from './fake-clock.ts';

export interface ServiceSpec {
  readonly id: string;
  readonly tier: number;
  /** Default: a credentials login (the member connects in `start()`). */
  readonly capabilities?: MockCapabilitiesOverride;
  /** Wraps the member's provider (to give its sessions another behaviour, say). */
  readonly wrap?: (provider: ProviderV1) => ProviderV1;
}

export interface GroupFixture {
  readonly clock: FakeClock;
  /** The world a member's provider runs on: its own service, unless the group shares one world. */
  world(id: string): MockWorld;
  readonly provider: FailoverProviderV1;
  readonly session: FailoverSessionV1;
  readonly storage: SessionStorageV1;
  readonly events: ProviderEventV1[];
  readonly logs: RecordedLogEntry[];
  readonly switches: FailoverSwitch[];
  stateChanges(): ProviderEventOfTypeV1<'state-changed'>[];
  /** Emitted events of one type. */
  eventsOf<TYPE extends ProviderEventV1['type']>(type: TYPE): ProviderEventOfTypeV1<TYPE>[];
  /** `clock.advanceTo` in seconds since the start. */
  at(seconds: number): Promise<void>;
}

/**
 * A failover group over mock providers, in virtual time. By default every member runs on a world of its own:
 * the services behind real providers (a GeWeChat server, a WeChatFerry host) fail independently, and one world
 * going offline takes down only its member. `sharedWorld` puts every member on one world instead, so the same
 * WeChat message reaches every member, as it does when one account is logged in through several services.
 */
export function createGroupFixture(options: {
  readonly services: readonly ServiceSpec[];
  readonly failover?: FailoverConfigInput;
  readonly sharedWorld?: boolean;
}): GroupFixture {
  const clock = new FakeClock();
  const shared = options.sharedWorld ? createMockWorld() : undefined;
  const worlds = new Map<string, MockWorld>();
  const members = options.services.map(spec => {
    const world = shared ?? createMockWorld();
    worlds.set(spec.id, world);
    const provider = world.createProvider({ id: spec.id, capabilities: { login: 'credentials', ...spec.capabilities } });
    return { provider: spec.wrap ? spec.wrap(provider) : provider, config: world.config, tier: spec.tier };
  });
  const switches: FailoverSwitch[] = [];
  const provider = createFailoverProvider({
    members,
    failover: parseConfig(failoverConfigSchema, { enabled: true, ...options.failover }),
    clock,
    onSwitch: change => switches.push(change),
  });
  const events: ProviderEventV1[] = [];
  const logs: RecordedLogEntry[] = [];
  const storage = createMemorySessionStorage();
  const session = provider.createSession({
    config: {},
    logger: createRecordingLogger(logs).child({ provider: provider.id }),
    storage,
    emit: event => events.push(event),
  });
  const eventsOf = <TYPE extends ProviderEventV1['type']>(type: TYPE) =>
    events.filter((event): event is ProviderEventOfTypeV1<TYPE> => event.type === type);
  return {
    clock,
    world: id => {
      const world = worlds.get(id);
      if (!world) throw new Error(`no member '${id}'`);
      return world;
    },
    provider,
    session,
    storage,
    events,
    logs,
    switches,
    stateChanges: () => eventsOf('state-changed'),
    eventsOf,
    at: seconds => clock.advanceTo(seconds * 1000),
  };
}
