import {
  type LoginProcessV1,
  type LoginStepV1,
  type ProviderEventV1,
  type ProviderSessionV1,
  type SessionStateV1,
  WechatError,
} from '@wechat/provider-api';
import type { LoginRecord } from '../store/bridge-store.ts';
import type { BridgeContext } from './bridge-context.ts';
import { describeError } from './errors.ts';
import type { LiveSession, LoginSessions } from './login-sessions.ts';
import { waitForState } from './login-sessions.ts';
import type { ManagementRooms } from './management-rooms.ts';
import { backoffMs } from './serial-worker.ts';
import type { TaskTracker } from './task-tracker.ts';

/** Sends text or a QR image to the user who runs a command. */
export interface Replier {
  notice(text: string): Promise<void>;
  image(data: Uint8Array, mimeType: string, body: string, info: { width: number; height: number }): Promise<void>;
}

export interface Logins {
  /** Restarts the session of every stored login (bridge start). Failures are reported, never thrown. */
  restoreAll(): Promise<void>;
  login(userId: string, providerId: string | undefined, reply: Replier): Promise<void>;
  cancel(userId: string): Promise<boolean>;
  /** Cancels every login in progress (bridge stop). */
  cancelAll(): Promise<void>;
  logout(userId: string, reply: Replier): Promise<void>;
  /** Reacts to a provider event that concerns the login itself (state, heartbeat). */
  onSessionEvent(live: LiveSession, event: ProviderEventV1): void;
  /** The login records of a user. */
  of(userId: string): Promise<LoginRecord[]>;
}

export function createLogins(
  context: BridgeContext,
  sessions: LoginSessions,
  managementRooms: ManagementRooms,
  tasks: TaskTracker,
): Logins {
  const { store, logger, clock } = context;
  const activeLogins = new Map<string, { process?: LoginProcessV1; cancelled: boolean; wake: () => void }>();
  const stateListeners = new Map<string, Set<(state: SessionStateV1) => void>>();
  /** The last problem announced per login, so recovery is announced once and repeats are not. */
  const announcedProblem = new Map<string, SessionStateV1>();

  const subscribe = (loginId: string) => (listener: (state: SessionStateV1) => void) => {
    let set = stateListeners.get(loginId);
    if (!set) {
      set = new Set();
      stateListeners.set(loginId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  };

  const enabledProviderIds = () => [...context.providerConfigs.keys()];

  const describeSelf = (login: LoginRecord) => login.selfName ?? login.selfContactId ?? 'your WeChat account';

  const announce = (live: LiveSession, state: SessionStateV1, error: WechatError | undefined) => {
    const owner = live.login.ownerMxid;
    const reason = error ? `: ${error.message}` : '';
    const problem = announcedProblem.get(live.login.id);
    if (state === 'connected') {
      if (problem) {
        announcedProblem.delete(live.login.id);
        tasks.run('a notice', managementRooms.notify(owner, `✅ Reconnected to WeChat as ${describeSelf(live.login)}.`));
      }
      return;
    }
    if (state === problem) return;
    const messages: Partial<Record<SessionStateV1, string>> = {
      'transient-disconnect': `⚠️ Lost the connection to WeChat${reason}. Reconnecting automatically; messages are kept until then.`,
      'unknown-error': `⚠️ WeChat reported an error${reason}. The bridge keeps retrying.`,
      'logged-out': `You were logged out of WeChat${reason}. Send \`login\` to log in again.`,
      'bad-credentials': `WeChat refused the credentials${reason}. Fix the provider configuration, then send \`login\`.`,
    };
    const text = messages[state];
    if (!text) return;
    announcedProblem.set(live.login.id, state);
    tasks.run('a notice', managementRooms.notify(owner, text));
  };

  /**
   * The watchdog: a session in `unknown-error` has not promised to recover (unlike `transient-disconnect`), so
   * the bridge restarts it, with capped exponential backoff, until it connects again. No user action needed.
   */
  const restarts = new Map<string, { timer: unknown; attempt: number }>();
  /** The state each session last reported: what the watchdog acts on. */
  const reportedStates = new Map<string, SessionStateV1>();
  const watchdog = (live: LiveSession, state: SessionStateV1) => {
    reportedStates.set(live.login.id, state);
    const pending = restarts.get(live.login.id);
    if (state === 'connected' || state === 'stopped' || state === 'logged-out') {
      if (pending?.timer !== undefined) context.clock.clearTimeout(pending.timer);
      // Only a connection resets the backoff; a restart's own `stopped` keeps the count, so retries slow down.
      if (state === 'connected') restarts.delete(live.login.id);
      else if (pending) restarts.set(live.login.id, { timer: undefined, attempt: pending.attempt });
      return;
    }
    if (state !== 'unknown-error' || (pending && pending.timer !== undefined)) return;
    const attempt = (pending?.attempt ?? 0) + 1;
    const delay = backoffMs(attempt, context.retryBaseMs * 5, 300_000);
    const timer = context.clock.setTimeout(() => {
      restarts.set(live.login.id, { timer: undefined, attempt });
      if (sessions.get(live.login.id) !== live || reportedStates.get(live.login.id) !== 'unknown-error') return;
      logger.warn({ loginId: live.login.id, attempt }, 'restarting a WeChat session stuck in an error');
      tasks.run(
        'restarting a WeChat session',
        live.session.stop().then(() => live.session.start()),
      );
    }, delay);
    restarts.set(live.login.id, { timer, attempt });
  };

  const startSession = async (login: LoginRecord) => {
    const live = sessions.open(login);
    await live.session.start();
    return live;
  };

  const sendQr = async (reply: Replier, step: Extract<LoginStepV1, { type: 'qr-code' }>) => {
    const image = await context.renderQrCode(step.data);
    const expires = step.expiresAt ? ` It expires at ${new Date(step.expiresAt).toISOString().slice(11, 19)} UTC.` : '';
    await reply.image(image.data, image.mimeType, `Scan this QR code with WeChat to log in: ${step.data}`, {
      width: image.width,
      height: image.height,
    });
    await reply.notice(`Scan the QR code above with WeChat (Me → the scan icon).${expires} Send \`cancel\` to stop.`);
  };

  const completeLogin = async (live: LiveSession, reply: Replier) => {
    const self = await live.session.getSelf();
    await store.logins.update(live.login.id, { selfContactId: self.id, selfName: self.name, state: 'connected' });
    Object.assign(live, { login: { ...live.login, selfContactId: self.id, selfName: self.name, state: 'connected' } });
    await reply.notice(`Logged in to WeChat as ${self.name}. New chats appear as rooms in your WeChat space.`);
  };

  return {
    of: userId => store.logins.listByOwner(userId),

    async restoreAll() {
      for (const login of await store.logins.listAll()) {
        if (!context.providers.has(login.providerId)) {
          logger.error({ loginId: login.id, providerId: login.providerId }, 'the provider of a stored login is not enabled');
          await managementRooms.notify(
            login.ownerMxid,
            `Your WeChat login through '${login.providerId}' cannot start: that provider is not enabled in the bridge configuration.`,
          );
          continue;
        }
        try {
          const live = await startSession(login);
          logger.info({ loginId: login.id, state: live.session.state }, 'restored a login');
        } catch (error) {
          logger.error({ loginId: login.id, error }, 'restoring a login failed');
          await managementRooms.notify(login.ownerMxid, `Your WeChat login could not be restored: ${describeError(error)}`);
        }
      }
    },

    async login(userId, requestedProvider, reply) {
      if (activeLogins.has(userId)) {
        await reply.notice('A login is already in progress. Finish it, or send `cancel`.');
        return;
      }
      const existing = (await store.logins.listByOwner(userId)).find(
        login => sessions.get(login.id)?.session.state === 'connected',
      );
      if (existing) {
        await reply.notice(`You are already logged in as ${describeSelf(existing)}. Send \`logout\` first to switch accounts.`);
        return;
      }
      const providerIds = enabledProviderIds();
      const providerId = requestedProvider ?? (providerIds.length === 1 ? providerIds[0] : undefined);
      if (providerId === undefined || !providerIds.includes(providerId)) {
        await reply.notice(
          providerIds.length === 0
            ? 'No WeChat provider is enabled in the bridge configuration (providers.<id>.enabled: true).'
            : `Choose how to reach WeChat: ${providerIds.map(id => `\`login ${id}\``).join(', ')}.`,
        );
        return;
      }
      const provider = context.providers.get(providerId);
      const loginId = `${providerId}:${userId}`;
      const stored = await store.logins.get(loginId);
      const login: LoginRecord = stored ?? {
        id: loginId,
        ownerMxid: userId,
        providerId,
        selfContactId: null,
        selfName: null,
        spaceRoomId: null,
        state: 'starting',
        createdAt: clock.now(),
      };
      if (!stored) await store.logins.upsert(login);
      const attempt: { process?: LoginProcessV1; cancelled: boolean; wake: () => void } = { cancelled: false, wake: () => {} };
      activeLogins.set(userId, attempt);
      const cancelled = new Promise<'cancelled'>(resolve => {
        attempt.wake = () => resolve('cancelled');
      });
      try {
        const live = await startSession(login);
        const timeout = context.loginTimeoutMs;
        const ready = await Promise.race([
          waitForState(
            context,
            live.session,
            ['awaiting-login', 'connected', 'bad-credentials', 'logged-out'],
            timeout,
            subscribe(loginId),
          ),
          cancelled,
        ]);
        if (ready === 'cancelled') throw new LoginCancelled();
        // A failover group may be connected through one member while a preferred one still waits for its QR
        // scan: the login command is how the user logs that one in too.
        if (ready === 'connected' && !memberAwaitsLogin(live.session)) return await completeLogin(live, reply);
        if (ready === 'bad-credentials' || (ready === 'logged-out' && provider.capabilities.login === 'credentials')) {
          await reply.notice(
            `WeChat refused the login through ${provider.displayName}. Check providers.${providerId} in the bridge configuration.`,
          );
          await sessions.close(loginId);
          if (!stored) await store.logins.delete(loginId);
          return;
        }
        if (!live.session.login) throw new Error(`${provider.displayName} waits for a login but offers no interactive login`);
        const process = await live.session.login();
        attempt.process = process;
        const deadline = clock.now() + timeout;
        let step = await process.start();
        for (;;) {
          if (step.type === 'qr-code') await sendQr(reply, step);
          else if (step.type === 'waiting-for-confirmation') await reply.notice(step.message);
          else if (step.type === 'complete') return await completeLogin(live, reply);
          const remaining = deadline - clock.now();
          if (remaining <= 0) throw new LoginTimedOut(timeout);
          let timer: unknown;
          const next = await Promise.race([
            process.next(),
            cancelled,
            new Promise<'timeout'>(resolve => {
              timer = clock.setTimeout(() => resolve('timeout'), remaining);
            }),
          ]).finally(() => clock.clearTimeout(timer));
          if (next === 'cancelled') throw new LoginCancelled();
          if (next === 'timeout') throw new LoginTimedOut(timeout);
          step = next;
        }
      } catch (error) {
        await attempt.process?.cancel().catch(() => undefined);
        if (error instanceof LoginCancelled) await reply.notice('Login cancelled.');
        else if (error instanceof LoginTimedOut) await reply.notice(error.message);
        else await reply.notice(`Login failed: ${describeError(error)}`);
        logger.warn({ loginId, error }, 'login did not complete');
        // A login that never completed leaves nothing behind; a stored one keeps its portals for the next try.
        await sessions.close(loginId);
        if (!stored) await store.logins.delete(loginId);
      } finally {
        activeLogins.delete(userId);
      }
    },

    async cancel(userId) {
      const attempt = activeLogins.get(userId);
      if (!attempt) return false;
      attempt.cancelled = true;
      attempt.wake();
      return true;
    },

    async cancelAll() {
      for (const restart of restarts.values()) if (restart.timer !== undefined) context.clock.clearTimeout(restart.timer);
      restarts.clear();
      for (const attempt of activeLogins.values()) {
        attempt.cancelled = true;
        attempt.wake();
      }
    },

    async logout(userId, reply) {
      const logins = await store.logins.listByOwner(userId);
      if (logins.length === 0) {
        await reply.notice('You are not logged in.');
        return;
      }
      for (const login of logins) {
        const live = sessions.get(login.id);
        try {
          await live?.session.logout();
        } catch (error) {
          logger.warn({ loginId: login.id, error }, 'WeChat logout failed; forgetting the login anyway');
        }
        await sessions.close(login.id);
        await store.logins.delete(login.id);
        announcedProblem.delete(login.id);
        await reply.notice(
          `Logged out of WeChat (${describeSelf(login)}). The chat rooms stay; send \`login\` to continue them.`,
        );
      }
    },

    onSessionEvent(live, event) {
      if (event.type !== 'state-changed') return;
      watchdog(live, event.state);
      for (const listener of stateListeners.get(live.login.id) ?? []) listener(event.state);
      tasks.run('storing a login state', store.logins.update(live.login.id, { state: event.state }));
      // During an interactive login the user is already watching; announce only established logins.
      if (!activeLogins.has(live.login.ownerMxid)) announce(live, event.state, event.error);
      if (event.state === 'connected' || !WechatError.isInstance(event.error)) return;
      logger.warn({ loginId: live.login.id, state: event.state, code: event.error.code }, 'session state changed with an error');
    },
  };
}

class LoginCancelled extends Error {}
class LoginTimedOut extends Error {
  constructor(timeoutMs: number) {
    super(`Login timed out after ${Math.round(timeoutMs / 60_000) || 1} minute(s). Send \`login\` to try again.`);
  }
}

/** Whether a composite session (a failover group, which lists its `members()`) has a member waiting for a login. */
function memberAwaitsLogin(session: ProviderSessionV1): boolean {
  const members = (session as { members?: () => readonly { readonly state?: string }[] }).members;
  return (
    typeof members === 'function' &&
    typeof session.login === 'function' &&
    members.call(session).some(member => member.state === 'awaiting-login')
  );
}
