import type { ProviderEventV1 } from '@wechat/provider-api';
import { ConformanceAssertionError } from './assertions.ts';

/** One event a session emitted during a case. */
export interface RecordedEvent {
  readonly event: ProviderEventV1;
  /** Position in the case's event log, from 0: compare with `context.events.length` taken earlier. */
  readonly index: number;
  /** Which session of the case emitted it (`ConformanceSession.index`). */
  readonly session: number;
  /** True when the session's `stop()` had resolved (and it was not started again) when the event arrived. */
  readonly afterStop: boolean;
}

export type EventPredicate = (event: ProviderEventV1, recorded: RecordedEvent) => boolean;

export interface EventLog {
  readonly events: readonly RecordedEvent[];
  record(session: number, event: ProviderEventV1, afterStop: boolean): void;
  /** Resolves with the first matching event, already recorded or still to come. */
  waitFor(predicate: EventPredicate, timeoutMs: number, what: string): Promise<RecordedEvent>;
  /** Rejects every pending wait; used when the case ends. */
  close(): void;
}

interface Waiter {
  readonly predicate: EventPredicate;
  readonly resolve: (recorded: RecordedEvent) => void;
  readonly reject: (error: Error) => void;
}

/** The case-wide log behind every recording `emit`. Recording never throws: `emit` must not. */
export function createEventLog(): EventLog {
  const events: RecordedEvent[] = [];
  const waiters = new Set<Waiter>();
  const matches = (predicate: EventPredicate, recorded: RecordedEvent) => {
    try {
      return predicate(recorded.event, recorded);
    } catch {
      // A predicate that throws on an unexpected event shape simply does not match it.
      return false;
    }
  };
  return {
    events,
    record(session, event, afterStop) {
      const recorded: RecordedEvent = { event, index: events.length, session, afterStop };
      events.push(recorded);
      for (const waiter of waiters) {
        if (matches(waiter.predicate, recorded)) {
          waiters.delete(waiter);
          waiter.resolve(recorded);
        }
      }
    },
    waitFor(predicate, timeoutMs, what) {
      const already = events.find(recorded => matches(predicate, recorded));
      if (already) return Promise.resolve(already);
      return new Promise<RecordedEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(entry);
          reject(new ConformanceAssertionError(`Timed out after ${timeoutMs} ms waiting for ${what}. ${summarise(events)}`));
        }, timeoutMs);
        const entry: Waiter = {
          predicate,
          resolve: recorded => {
            clearTimeout(timer);
            resolve(recorded);
          },
          reject: error => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(entry);
      });
    },
    close() {
      for (const waiter of waiters) waiter.reject(new ConformanceAssertionError('The case ended while waiting for an event.'));
      waiters.clear();
    },
  };
}

/** The last events, for timeout messages: what did arrive tells the author more than what did not. */
function summarise(events: readonly RecordedEvent[]): string {
  if (events.length === 0) return 'No events were emitted.';
  const last = events.slice(-8).map(({ event, session }) => `#${session} ${describeEvent(event)}`);
  return `Last events: ${last.join(', ')}.`;
}

export function describeEvent(event: ProviderEventV1): string {
  switch (event.type) {
    case 'state-changed':
      return `state-changed ${event.previous}→${event.state}${event.error ? ` (${event.error.code})` : ''}`;
    case 'message-received': {
      const { message } = event;
      const chat = message.chat.type === 'direct' ? `direct:${message.chat.contactId}` : `room:${message.chat.roomId}`;
      return `message-received ${message.content.kind} from ${message.senderId} in ${chat}${message.isSelf ? ' (self)' : ''}`;
    }
    case 'login-step':
      return `login-step ${event.step.type}`;
    default:
      return String((event as { type?: unknown }).type);
  }
}
