import type { Logger, ProviderEventV1, ProviderRegistry } from '@wechat/provider-api';
import type { BridgeConfig } from '../bridge-config.ts';
import { createCommands } from '../commands/commands.ts';
import { createGhostUserIds } from '../ghosts/ghost-user-ids.ts';
import type { MatrixPort } from '../matrix/matrix-port.ts';
import { createPermissions } from '../permissions/permissions.ts';
import type { BridgeStore, MatrixEventJson } from '../store/bridge-store.ts';
import { type BridgeContext, type Clock, type RenderedQrCode, systemClock } from './bridge-context.ts';
import { type BridgeObserver, noopObserver, type SessionDecorator, servingProviderId } from './bridge-observer.ts';
import { createGhosts } from './ghosts.ts';
import { createInboxProcessor } from './inbox-processor.ts';
import { createLoginSessions, type LiveSession } from './login-sessions.ts';
import { createLogins } from './logins.ts';
import { createManagementRooms } from './management-rooms.ts';
import { createOutboundInFlight } from './outbound-in-flight.ts';
import { createOutboxProcessor } from './outbox-processor.ts';
import { createPortals } from './portals.ts';
import { createSerialWorker } from './serial-worker.ts';
import { createTaskTracker } from './task-tracker.ts';

export interface BridgeOptions {
  readonly config: BridgeConfig;
  readonly matrix: MatrixPort;
  readonly store: BridgeStore;
  /** The enabled providers. */
  readonly providers: ProviderRegistry;
  /** Their validated config sections, by provider id. */
  readonly providerConfigs: ReadonlyMap<string, unknown>;
  readonly logger: Logger;
  readonly renderQrCode: (text: string) => Promise<RenderedQrCode>;
  readonly bot?: { readonly displayName: string; readonly avatarMxc?: string };
  readonly clock?: Clock;
  /** Default 5 minutes. */
  readonly loginTimeoutMs?: number;
  /** Default 1 s (then 2, 4, … up to 5 minutes). */
  readonly retryBaseMs?: number;
  /** Default 8. */
  readonly maxAttempts?: number;
  /** Told about messages, failures and session states (metrics). */
  readonly observer?: BridgeObserver;
  /** Wraps every provider session as it is created (e.g. `withMetrics`). */
  readonly decorateSession?: SessionDecorator;
}

export interface AppserviceTransactionBody {
  readonly events: readonly unknown[];
}

export interface Bridge {
  /** Registers the bot, restores every stored login and replays whatever the inbox and outbox still hold. */
  start(): Promise<void>;
  /** Stops sessions and workers; pending work stays in the database for the next start. */
  stop(): Promise<void>;
  /**
   * Stores a homeserver transaction durably (deduplicated by transaction id and event id) and schedules its
   * events. Resolve → the homeserver may be told 200; reject → it must retry.
   */
  acceptTransaction(txnId: string, body: AppserviceTransactionBody): Promise<void>;
  /** Answers the homeserver's user query: true (after registering) for a ghost of a known contact. */
  queryUser(userId: string): Promise<boolean>;
  /** Resolves when nothing is pending in memory (workers idle, background commands finished). */
  idle(): Promise<void>;
  /** Per login: provider, state, last contact with WeChat. For `/health` and tests. */
  status(): { loginId: string; owner: string; providerId: string; state: string; lastSeenAt: number | undefined }[];
  /** What `/health` shows: per login, and the queues. No Matrix ids or WeChat ids (the endpoint may be public). */
  health(): Promise<BridgeHealth>;
}

export interface LoginHealth {
  /** The login's provider (`failover` for a failover group). */
  readonly provider: string;
  /** The provider serving it now (a failover group's active member). */
  readonly activeProvider: string;
  /** The active member's tier, for failover groups. */
  readonly activeTier?: number;
  readonly state: string;
  readonly connectedSince: string | null;
  readonly lastSeenAt: string | null;
  readonly lastMessageReceivedAt: string | null;
  readonly lastMessageSentAt: string | null;
  /** Matrix events in this login's portals waiting for WeChat. */
  readonly outboxDepth: number;
  /** Failover group members, when there are any. */
  readonly members?: readonly unknown[];
}

export interface BridgeHealth {
  readonly uptimeSeconds: number;
  readonly logins: readonly LoginHealth[];
  readonly inboxDepth: number;
  readonly outboxDepth: number;
}

function isMatrixEvent(value: unknown): value is MatrixEventJson {
  const event = value as Partial<MatrixEventJson> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.type === 'string' &&
    typeof event.event_id === 'string' &&
    typeof event.room_id === 'string' &&
    typeof event.sender === 'string'
  );
}

const switchReasons: Readonly<Record<string, string>> = {
  'health-check-failed': 'the previous one failed its health checks',
  recovered: 'a preferred provider is healthy again',
  'all-down-recovered': 'it came back first after every provider was down',
  forced: 'chosen by an operator',
};

export function createBridge(options: BridgeOptions): Bridge {
  const clock = options.clock ?? systemClock;
  const context: BridgeContext = {
    config: options.config,
    matrix: options.matrix,
    store: options.store,
    providers: options.providers,
    providerConfigs: options.providerConfigs,
    logger: options.logger,
    clock,
    ghostIds: createGhostUserIds({ usernameTemplate: options.config.username_template, serverName: options.matrix.serverName }),
    permissions: createPermissions(options.config.permissions),
    renderQrCode: options.renderQrCode,
    bot: options.bot ?? { displayName: 'WeChat bridge bot' },
    loginTimeoutMs: options.loginTimeoutMs ?? 5 * 60_000,
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxAttempts: options.maxAttempts ?? 8,
    startedAt: clock.now(),
    observer: options.observer ?? noopObserver,
    decorateSession: options.decorateSession ?? (session => session),
  };
  const { logger, store, matrix } = context;
  const providerName = (id: string) => (context.providers.has(id) ? context.providers.get(id).displayName : id);

  const managementRooms = createManagementRooms(context);
  const ghosts = createGhosts(context);
  const portals = createPortals(context, ghosts);
  const inFlight = createOutboundInFlight();
  const tasks = createTaskTracker(logger);

  // Filled in below: sessions need the event handler, which needs the inbox and logins.
  let handleProviderEvent: (live: LiveSession, event: ProviderEventV1) => void = () => {};
  const sessions = createLoginSessions(context, (live, event) => handleProviderEvent(live, event));
  const logins = createLogins(context, sessions, managementRooms, tasks);
  const inbox = createInboxProcessor(context, { sessions, portals, ghosts, managementRooms, inFlight });
  const commands = createCommands(context, { logins, sessions, ghosts, portals, tasks });
  const outbox = createOutboxProcessor(context, { sessions, commands, managementRooms, inFlight });
  const inboxWorker = createSerialWorker({ name: 'inbox', drain: inbox.drain, clock, logger });
  const outboxWorker = createSerialWorker({ name: 'outbox', drain: outbox.drain, clock, logger });

  /** Group members joining or leaving on WeChat: their ghosts join or leave the portal (if there is one). */
  const mirrorMembership = async (
    live: LiveSession,
    event: Extract<ProviderEventV1, { type: 'room-member-joined' | 'room-member-left' }>,
  ) => {
    const portal = await store.portals.get(live.login.id, `room:${event.roomId}`);
    if (!portal) return;
    for (const contactId of event.contactIds) {
      if (contactId === live.login.selfContactId) continue;
      if (event.type === 'room-member-joined') {
        const userId = await ghosts.ensure(live.session, live.login.providerId, contactId);
        await ghosts.ensureInRoom(userId, portal.roomId);
      } else {
        await ghosts.leaveRoom(context.ghostIds.userIdFor(contactId), portal.roomId);
      }
    }
  };

  handleProviderEvent = (live, event) => {
    switch (event.type) {
      case 'message-received':
      case 'message-recalled':
        tasks.run(
          'recording a WeChat event (it is lost unless WeChat re-delivers it)',
          inbox.record(live, event).then(recorded => {
            if (recorded) inboxWorker.kick();
          }),
        );
        return;
      case 'state-changed':
        logins.onSessionEvent(live, event);
        if (event.state === 'connected') outboxWorker.kick(); // messages that waited for the connection
        return;
      case 'contact-updated':
        tasks.run('updating a contact', ghosts.ensure(live.session, live.login.providerId, event.contactId));
        return;
      case 'room-updated':
        tasks.run(
          'updating a group',
          store.portals
            .get(live.login.id, `room:${event.roomId}`)
            .then(portal => (portal ? portals.refresh(live.login, live.session, portal) : undefined)),
        );
        return;
      case 'room-member-joined':
      case 'room-member-left':
        tasks.run('mirroring a group membership change', mirrorMembership(live, event));
        return;
      case 'provider-switched':
        context.observer.failoverSwitched({ loginId: live.login.id, to: event.to, reason: event.reason });
        logger.info({ loginId: live.login.id, from: event.from, to: event.to, reason: event.reason }, 'failover switch');
        tasks.run(
          'a failover notice',
          managementRooms.notify(
            live.login.ownerMxid,
            `🔀 WeChat is now reached through ${providerName(event.to)}${event.from ? ` instead of ${providerName(event.from)}` : ''} (${switchReasons[event.reason] ?? event.reason}).`,
          ),
        );
        return;
      case 'friend-request-received':
        tasks.run(
          'a friend request notice',
          managementRooms.notify(
            live.login.ownerMxid,
            `${event.name ?? event.contactId} sent you a WeChat friend request${event.greeting ? `: “${event.greeting}”` : '.'} Accept it on your phone.`,
          ),
        );
        return;
      default:
        logger.debug({ eventType: event.type }, 'provider event not used by the bridge');
    }
  };

  return {
    async start() {
      await matrix.ensureRegistered(matrix.botUserId);
      await matrix
        .setDisplayName(matrix.botUserId, context.bot.displayName)
        .catch(error => logger.warn({ error }, 'could not set the bot name'));
      if (context.bot.avatarMxc) await matrix.setAvatarUrl(matrix.botUserId, context.bot.avatarMxc).catch(() => undefined);
      await logins.restoreAll();
      inboxWorker.kick();
      outboxWorker.kick();
    },
    async stop() {
      await outboxWorker.stop();
      await inboxWorker.stop();
      await sessions.closeAll();
      // Logins waiting for a phone are abandoned; their state writes and notices finish before the store closes.
      await logins.cancelAll();
      await tasks.settled();
    },
    async acceptTransaction(txnId, body) {
      const events = body.events.filter(isMatrixEvent);
      const skipped = body.events.length - events.length;
      if (skipped > 0) logger.warn({ txnId, skipped }, 'ignored malformed events in a transaction');
      await store.transaction(async transaction => {
        if (await transaction.appserviceTransactions.isCompleted(txnId)) return;
        for (const event of events) {
          await transaction.outbox.enqueue({ eventId: event.event_id, roomId: event.room_id, event, receivedAt: clock.now() });
        }
        await transaction.appserviceTransactions.markCompleted(txnId, clock.now());
      });
      outboxWorker.kick();
    },
    async queryUser(userId) {
      const ghost = await store.ghosts.get(userId);
      if (!ghost) return false;
      await matrix.ensureRegistered(userId);
      return true;
    },
    async idle() {
      for (let round = 0; round < 50; round++) {
        await Promise.all([inboxWorker.idle(), outboxWorker.idle(), tasks.settled()]);
        if ((await store.inbox.countPending()) === 0 && (await store.outbox.listDue(clock.now(), 1)).length === 0) return;
        inboxWorker.kick();
        outboxWorker.kick();
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    async health() {
      const [byLogin, inboxDepth, outboxDepth] = await Promise.all([
        store.outbox.countPendingByLogin(),
        store.inbox.countPending(),
        store.outbox.countPending(),
      ]);
      const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());
      return {
        uptimeSeconds: Math.round((clock.now() - context.startedAt) / 1000),
        inboxDepth,
        outboxDepth,
        logins: sessions.list().map(live => {
          const activeProvider = servingProviderId(live.session, live.login);
          const members = (live.session as { members?: () => readonly { providerId?: string; tier?: number }[] }).members?.();
          const activeTier = members?.find(member => member.providerId === activeProvider)?.tier;
          return {
            provider: live.login.providerId,
            activeProvider,
            ...(activeTier === undefined ? {} : { activeTier }),
            state: live.session.state,
            connectedSince: iso(live.session.state === 'connected' ? live.connectedSince : undefined),
            lastSeenAt: iso(live.lastSeenAt),
            lastMessageReceivedAt: iso(live.lastReceivedAt),
            lastMessageSentAt: iso(live.lastSentAt),
            outboxDepth: byLogin.get(live.login.id) ?? 0,
            ...(members ? { members } : {}),
          };
        }),
      };
    },
    status: () =>
      sessions.list().map(live => ({
        loginId: live.login.id,
        owner: live.login.ownerMxid,
        providerId: live.login.providerId,
        state: live.session.state,
        lastSeenAt: live.lastSeenAt,
      })),
  };
}
