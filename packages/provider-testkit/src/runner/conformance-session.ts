import type { ProviderEventOfTypeV1, ProviderSessionV1, SessionStateV1, SessionStorageV1 } from '@wechat/provider-api';
import type { EventLog, RecordedEvent } from './event-log.ts';

/**
 * A session created by the kit, with its own view of the recorded events. `start` and `stop` go through the
 * wrapper so the kit knows when `stop()` resolved: events after that are flagged `afterStop`. Call every other
 * method on `session`.
 */
export interface ConformanceSession {
  /** Position among the sessions of the case, from 0. */
  readonly index: number;
  /** The session exactly as the provider created it. */
  readonly session: ProviderSessionV1;
  readonly storage: SessionStorageV1;
  readonly state: SessionStateV1;
  /** This session's events, oldest first. */
  readonly events: readonly RecordedEvent[];
  /** This session's `state-changed` events, oldest first. */
  stateChanges(): ProviderEventOfTypeV1<'state-changed'>[];
  /** `session.start()`; events from now on count as before stop. */
  start(): Promise<void>;
  /** `session.stop()`; once it resolves, later events are flagged `afterStop`. */
  stop(): Promise<void>;
  /** Resolves when the state satisfies `predicate`: at once if it already does, else on a `state-changed`. */
  waitForState(predicate: (state: SessionStateV1) => boolean, timeoutMs: number, what: string): Promise<SessionStateV1>;
}

export interface TrackedSessionParts {
  readonly index: number;
  readonly session: ProviderSessionV1;
  readonly storage: SessionStorageV1;
  readonly log: EventLog;
  readonly setStopped: (stopped: boolean) => void;
}

export function trackSession({ index, session, storage, log, setStopped }: TrackedSessionParts): ConformanceSession {
  const ownEvents = () => log.events.filter(recorded => recorded.session === index);
  return {
    index,
    session,
    storage,
    get state() {
      return session.state;
    },
    get events() {
      return ownEvents();
    },
    stateChanges() {
      return ownEvents().flatMap(({ event }) => (event.type === 'state-changed' ? [event] : []));
    },
    async start() {
      setStopped(false);
      await session.start();
    },
    async stop() {
      await session.stop();
      setStopped(true);
    },
    async waitForState(predicate, timeoutMs, what) {
      if (predicate(session.state)) return session.state;
      const from = log.events.length;
      const recorded = await log.waitFor(
        (event, { session: emitter, index: position }) =>
          emitter === index && position >= from && event.type === 'state-changed' && predicate(event.state),
        timeoutMs,
        `${what} (session #${index} is ${session.state})`,
      );
      return (recorded.event as ProviderEventOfTypeV1<'state-changed'>).state;
    },
  };
}
