import type { Clock } from '../../client/clock.ts';
import type { WxMsg } from '../../protocol/wcf-messages.ts';

/** What the echo of a send looks like: the account's own message, in that chat, of one of these types. */
export interface EchoExpectation {
  /** The receiver: a wxid or a room id (WxMsg.roomid of the echo). */
  readonly chat: string;
  readonly types: readonly number[];
  /** For texts: the exact content. */
  readonly content?: string;
}

interface Waiting extends EchoExpectation {
  readonly resolve: (message: WxMsg | undefined) => void;
}

/**
 * WeChatFerry's send functions answer only a status, no message id; WeChat then reports the message through
 * the push like any other, flagged `is_self`. A send waits for that echo to learn its id, so hosts can match
 * the echo to the send.
 */
export function createEchoWaiter(clock: Clock) {
  const waiting: Waiting[] = [];
  const timers = new Map<Waiting, unknown>();

  const settle = (entry: Waiting, message: WxMsg | undefined) => {
    const index = waiting.indexOf(entry);
    if (index !== -1) waiting.splice(index, 1);
    clock.clearTimeout(timers.get(entry));
    timers.delete(entry);
    entry.resolve(message);
  };

  return {
    /**
     * Registers before the send goes out (the echo may overtake the send's answer). `wait` resolves with the
     * echo, or undefined after `timeoutMs`; `cancel` drops the expectation when the send failed.
     */
    expect(expectation: EchoExpectation) {
      let entry: Waiting | undefined;
      const echo = new Promise<WxMsg | undefined>(resolve => {
        entry = { ...expectation, resolve };
        waiting.push(entry);
      });
      const registered = entry as Waiting;
      return {
        wait(timeoutMs: number): Promise<WxMsg | undefined> {
          if (waiting.includes(registered) && !timers.has(registered)) {
            timers.set(
              registered,
              clock.setTimeout(() => settle(registered, undefined), timeoutMs),
            );
          }
          return echo;
        },
        cancel() {
          if (waiting.includes(registered)) settle(registered, undefined);
        },
      };
    },
    /** Offers a pushed message; true when it was the echo of a pending send. */
    offer(message: WxMsg): boolean {
      if (!message.is_self) return false;
      const match = waiting.find(
        entry =>
          entry.chat === message.roomid &&
          entry.types.includes(message.type) &&
          (entry.content === undefined || entry.content === message.content),
      );
      if (match === undefined) return false;
      settle(match, message);
      return true;
    },
    /** Resolves every pending expectation with undefined (the session stops). */
    clear() {
      for (const entry of [...waiting]) settle(entry, undefined);
    },
  };
}

export type EchoWaiter = ReturnType<typeof createEchoWaiter>;
