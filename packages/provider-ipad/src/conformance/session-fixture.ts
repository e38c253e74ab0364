import {
  createMemorySessionStorage,
  noopLogger,
  type ProviderEventV1,
  type ProviderSessionV1,
  type SessionStateV1,
  type SessionStorageV1,
} from '@wechat/provider-api';
import type { IpadConfig } from '../ipad-config.ts';
import type { IpadProviderOptions } from '../ipad-provider.ts';
import { createIpadHarness, type IpadHarness } from './ipad-harness.ts';

/** A session against a simulator, with its events recorded; for tests beyond the conformance kit. */
export interface SessionFixture {
  readonly harness: IpadHarness;
  readonly storage: SessionStorageV1;
  readonly events: ProviderEventV1[];
  session: ProviderSessionV1;
  /** A new session with the same storage and config (a restarted bridge). */
  restart(): Promise<ProviderSessionV1>;
  waitForEvent(predicate: (event: ProviderEventV1) => boolean, what: string, timeoutMs?: number): Promise<ProviderEventV1>;
  waitForState(state: SessionStateV1, timeoutMs?: number): Promise<void>;
  /** Starts and logs in through the QR flow (the simulator confirms). */
  loginWithQr(): Promise<void>;
  states(): SessionStateV1[];
  dispose(): Promise<void>;
}

export async function createSessionFixture(
  options: { provider?: IpadProviderOptions; config?: Partial<IpadConfig>; storage?: SessionStorageV1 } = {},
): Promise<SessionFixture> {
  const harness = await createIpadHarness(options.provider);
  const storage = options.storage ?? createMemorySessionStorage();
  const events: ProviderEventV1[] = [];
  const config = { ...(harness.config as IpadConfig), ...options.config } as IpadConfig;
  const create = () => harness.provider.createSession({ config, logger: noopLogger, storage, emit: event => events.push(event) });
  const waitForEvent = async (predicate: (event: ProviderEventV1) => boolean, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; events: ${events.map(event => (event.type === 'state-changed' ? `state:${event.state}` : event.type)).join(', ')}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  };
  const fixture: SessionFixture = {
    harness,
    storage,
    events,
    session: create(),
    async restart() {
      await fixture.session.stop();
      fixture.session = create();
      return fixture.session;
    },
    waitForEvent,
    async waitForState(state, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (fixture.session.state !== state) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for state ${state}; states: ${fixture.states().join(' → ')}`);
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    async loginWithQr() {
      await fixture.session.start();
      await fixture.waitForState('awaiting-login');
      const login = await fixture.session.login?.();
      if (!login) throw new Error('no login()');
      await login.start();
      harness.simulator.confirmLogin();
      let step = await login.next();
      while (step.type !== 'complete') step = await login.next();
      await fixture.waitForState('connected');
    },
    states: () => events.flatMap(event => (event.type === 'state-changed' ? [event.state] : [])),
    async dispose() {
      await fixture.session.stop();
      await harness.dispose();
    },
  };
  return fixture;
}
