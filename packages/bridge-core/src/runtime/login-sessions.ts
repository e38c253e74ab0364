import type { ProviderEventV1, ProviderSessionV1, SessionStateV1, SessionStorageV1 } from '@wechat/provider-api';
import type { LoginRecord } from '../store/bridge-store.ts';
import type { BridgeContext } from './bridge-context.ts';

export interface LiveSession {
  readonly login: LoginRecord;
  readonly session: ProviderSessionV1;
  /** Milliseconds since the epoch of the last heartbeat or message from WeChat. */
  lastSeenAt: number | undefined;
  /** When the session last became `connected`. */
  connectedSince: number | undefined;
  /** When the last message arrived from WeChat, and when the last one was sent there. */
  lastReceivedAt: number | undefined;
  lastSentAt: number | undefined;
}

/** The running provider sessions, one per login. */
export interface LoginSessions {
  /** Creates (without starting) the session of a login; an existing one is returned as is. */
  open(login: LoginRecord): LiveSession;
  get(loginId: string): LiveSession | undefined;
  list(): LiveSession[];
  /** Stops the session and forgets it. */
  close(loginId: string): Promise<void>;
  closeAll(): Promise<void>;
}

/** Backs one login's `SessionStorageV1` with the bridge database. */
function sessionStorageFor(context: BridgeContext, loginId: string): SessionStorageV1 {
  const repository = context.store.sessionStorage;
  return {
    get: key => repository.get(loginId, key),
    set: (key, value) => repository.set(loginId, key, value),
    delete: key => repository.delete(loginId, key),
  };
}

export function createLoginSessions(
  context: BridgeContext,
  onEvent: (live: LiveSession, event: ProviderEventV1) => void,
): LoginSessions {
  const sessions = new Map<string, LiveSession>();
  return {
    open(login) {
      const existing = sessions.get(login.id);
      if (existing) return existing;
      const provider = context.providers.get(login.providerId);
      const logger = context.logger.child({ provider: provider.id, loginId: login.id });
      let live: LiveSession | undefined;
      const created = provider.createSession({
        config: context.providerConfigs.get(provider.id),
        logger,
        storage: sessionStorageFor(context, login.id),
        emit: event => {
          if (!live) return;
          if (event.type === 'heartbeat' || event.type === 'message-received') live.lastSeenAt = context.clock.now();
          if (event.type === 'message-received' && !event.message.isSelf) live.lastReceivedAt = context.clock.now();
          if (event.type === 'state-changed') {
            live.connectedSince = event.state === 'connected' ? context.clock.now() : live.connectedSince;
            context.observer.sessionStateChanged({
              loginId: login.id,
              providerId: login.providerId,
              state: event.state,
              previous: event.previous,
              ...(event.error ? { errorCode: event.error.code } : {}),
            });
          }
          try {
            onEvent(live, event);
          } catch (error) {
            logger.error({ eventType: event.type, error }, 'handling a provider event failed');
          }
        },
      });
      const session = context.decorateSession(created, login);
      live = {
        login,
        session,
        lastSeenAt: undefined,
        connectedSince: undefined,
        lastReceivedAt: undefined,
        lastSentAt: undefined,
      };
      sessions.set(login.id, live);
      return live;
    },
    get: loginId => sessions.get(loginId),
    list: () => [...sessions.values()],
    async close(loginId) {
      const live = sessions.get(loginId);
      sessions.delete(loginId);
      await live?.session.stop();
      if (live) context.observer.sessionClosed({ loginId });
    },
    async closeAll() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map(live => live.session.stop()));
      for (const live of all) context.observer.sessionClosed({ loginId: live.login.id });
    },
  };
}

/** Waits until the session reaches one of `states` (or already is in one), or rejects after `timeoutMs`. */
export function waitForState(
  context: BridgeContext,
  session: ProviderSessionV1,
  states: readonly SessionStateV1[],
  timeoutMs: number,
  subscribe: (listener: (state: SessionStateV1) => void) => () => void,
): Promise<SessionStateV1> {
  if (states.includes(session.state)) return Promise.resolve(session.state);
  return new Promise((resolve, reject) => {
    const timer = context.clock.setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for WeChat (state: ${session.state})`));
    }, timeoutMs);
    const unsubscribe = subscribe(state => {
      if (!states.includes(state)) return;
      context.clock.clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}
