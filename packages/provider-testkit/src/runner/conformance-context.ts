import {
  type ContactId,
  createMemorySessionStorage,
  type LoginStepV1,
  type ProviderV1,
  parseConfig,
  type SessionStorageV1,
} from '@wechat/provider-api';
import type { ConformanceHarnessV1 } from '../harness/conformance-harness.ts';
import { describeValue } from './assertions.ts';
import { type ConformanceSession, trackSession } from './conformance-session.ts';
import { createEventLog, type EventPredicate, type RecordedEvent } from './event-log.ts';
import { createRecordingLogger, type RecordedLogEntry } from './recording-logger.ts';
import { findSecrets } from './secrets.ts';
import { ConformanceSkipSignal } from './skip.ts';
import { startConnected } from './start-connected.ts';
import { sleep, withTimeout } from './timing.ts';

export interface StartConnectedResult {
  readonly session: ConformanceSession;
  /** True when the session went through `awaiting-login` and the kit logged it in. */
  readonly loggedIn: boolean;
  /** The steps the login process returned, in order (empty without a login). */
  readonly loginSteps: readonly LoginStepV1[];
}

/** Everything a case gets. Fresh for every case, with a fresh harness. */
export interface ConformanceContext {
  /** The provider under test: `harness.provider`, else `options.provider`. */
  readonly provider: ProviderV1;
  readonly harness: ConformanceHarnessV1;
  readonly fixtures: ConformanceHarnessV1['fixtures'];
  readonly invalidConfigs: readonly unknown[];
  /** Shared by every session of the case unless `openSession` gets another: restarts find the login here. */
  readonly storage: SessionStorageV1;
  /** Every event of every session of the case, oldest first. */
  readonly events: readonly RecordedEvent[];
  /** Every log entry of every session of the case, at every level. */
  readonly logs: readonly RecordedLogEntry[];
  /** `options.secrets` plus the secret-looking values of `harness.config`. */
  readonly secrets: readonly string[];
  /** Unhandled rejections since the case began. */
  readonly unhandledRejections: readonly unknown[];
  /** The default wait for events and states. */
  readonly waitTimeoutMs: number;
  /** Creates a session from the harness config with a recording `emit` and logger (no IO: nothing is started). */
  openSession(options?: { readonly storage?: SessionStorageV1 }): ConformanceSession;
  /**
   * Starts a session (a new one unless given) until it is `connected`. When it asks for a login and the provider
   * is interactive: `login()`, `process.start()`, `harness.completeLogin()`, then `next()` until `complete`.
   */
  startConnected(session?: ConformanceSession): Promise<StartConnectedResult>;
  /** The first event (already recorded or still to come) matching `predicate`. */
  waitForEvent(predicate: EventPredicate, timeoutMs?: number, what?: string): Promise<RecordedEvent>;
  /** `fixtures.selfId`, else the session's `getSelf()` id. */
  selfId(session: ConformanceSession): Promise<ContactId>;
  /** A text unique within the case, so a check can recognise exactly its own message. */
  unique(label: string): string;
  sleep(milliseconds: number): Promise<void>;
  /** Ends the case as skipped with this reason (for conditions only known at run time, such as harness limits). */
  skip(reason: string): never;
}

export interface ContextParameters {
  readonly provider: ProviderV1;
  readonly harness: ConformanceHarnessV1;
  readonly invalidConfigs: readonly unknown[];
  readonly extraSecrets: readonly string[];
  readonly unhandledRejections: readonly unknown[];
  readonly waitTimeoutMs: number;
  readonly cleanupTimeoutMs: number;
}

export interface ContextHandle {
  readonly context: ConformanceContext;
  /** Stops every session of the case and aborts their signal. Resolves with the problems it met, never rejects. */
  close(): Promise<Error[]>;
}

export function createConformanceContext(parameters: ContextParameters): ContextHandle {
  const { provider, harness, waitTimeoutMs } = parameters;
  const log = createEventLog();
  const logs: RecordedLogEntry[] = [];
  const rootLogger = createRecordingLogger(logs);
  const storage = createMemorySessionStorage();
  const sessions: ConformanceSession[] = [];
  // Aborted when the case ends, as a host aborts the signal of a session it discards.
  const abort = new AbortController();
  let counter = 0;
  let closed = false;

  const openSession: ConformanceContext['openSession'] = (options = {}) => {
    // A case that timed out may still be running; sessions it opens after cleanup would never be stopped.
    if (closed) throw new Error('The case has ended: no more sessions can be opened');
    const config = parseConfig(provider.configSchema, harness.config, { path: `providers.${provider.id}` });
    const index = sessions.length;
    const sessionStorage = options.storage ?? storage;
    let stopped = false;
    const session = provider.createSession({
      config,
      logger: rootLogger.child({ provider: provider.id }),
      storage: sessionStorage,
      emit: event => log.record(index, event, stopped),
      signal: abort.signal,
    });
    const tracked = trackSession({
      index,
      session,
      storage: sessionStorage,
      log,
      setStopped: value => {
        stopped = value;
      },
    });
    sessions.push(tracked);
    return tracked;
  };

  const context: ConformanceContext = {
    provider,
    harness,
    fixtures: harness.fixtures,
    invalidConfigs: parameters.invalidConfigs,
    storage,
    events: log.events,
    logs,
    secrets: findSecrets(harness.config, parameters.extraSecrets),
    unhandledRejections: parameters.unhandledRejections,
    waitTimeoutMs,
    openSession,
    startConnected: session => startConnected(context, session ?? openSession()),
    waitForEvent: (predicate, timeoutMs = waitTimeoutMs, what = 'a matching event') => log.waitFor(predicate, timeoutMs, what),
    selfId: async session => harness.fixtures.selfId ?? (await session.session.getSelf()).id,
    unique: label => `conformance ${label} #${++counter}`,
    sleep,
    skip: reason => {
      throw new ConformanceSkipSignal(reason);
    },
  };

  const close = async () => {
    closed = true;
    const problems: Error[] = [];
    // Newest first: a later session may depend on an earlier one's remote state, never the other way round.
    for (const session of [...sessions].reverse()) {
      try {
        await withTimeout(
          session.stop(),
          parameters.cleanupTimeoutMs,
          () => new Error(`session #${session.index}: stop() did not resolve within ${parameters.cleanupTimeoutMs} ms`),
        );
      } catch (error) {
        problems.push(new Error(`session #${session.index}: stop() failed: ${describeValue(error)}`, { cause: error }));
      }
    }
    abort.abort();
    log.close();
    return problems;
  };

  return { context, close };
}
