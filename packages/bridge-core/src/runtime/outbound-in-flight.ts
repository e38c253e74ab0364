/**
 * Tracks sends to WeChat that have not returned yet, per login. WeChat echoes our own sends back as
 * `isSelf` messages, sometimes before the send call returns; the inbox waits for in-flight sends of the login
 * to settle, then finds the echo in the message map and skips it instead of bridging it twice.
 */
export interface OutboundInFlight {
  track<RESULT>(loginId: string, send: Promise<RESULT>): Promise<RESULT>;
  settled(loginId: string): Promise<void>;
}

export function createOutboundInFlight(): OutboundInFlight {
  const pending = new Map<string, Set<Promise<unknown>>>();
  return {
    track(loginId, send) {
      let set = pending.get(loginId);
      if (!set) {
        set = new Set();
        pending.set(loginId, set);
      }
      const tracked = set;
      tracked.add(send);
      const forget = () => {
        tracked.delete(send);
        if (tracked.size === 0) pending.delete(loginId);
      };
      send.then(forget, forget);
      return send;
    },
    async settled(loginId) {
      const set = pending.get(loginId);
      if (set) await Promise.allSettled([...set]);
    },
  };
}
