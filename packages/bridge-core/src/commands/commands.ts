import type { PermissionLevel } from '../bridge-config.ts';
import type { BridgeContext } from '../runtime/bridge-context.ts';
import { describeError } from '../runtime/errors.ts';
import type { Ghosts } from '../runtime/ghosts.ts';
import type { LoginSessions } from '../runtime/login-sessions.ts';
import type { Logins, Replier } from '../runtime/logins.ts';
import type { Portals } from '../runtime/portals.ts';
import type { TaskTracker } from '../runtime/task-tracker.ts';

interface CommandDefinition {
  readonly usage: string;
  readonly summary: string;
  readonly level: PermissionLevel;
  readonly run: (invocation: { userId: string; args: string[]; reply: Replier }) => Promise<void>;
}

export interface Commands {
  /** Runs one line typed in a management room. Never throws: failures are answered in the room. */
  handle(userId: string, roomId: string, line: string): Promise<void>;
  helpText(): string;
}

function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const parts = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  return (
    parts
      .filter(([value]) => value > 0)
      .map(([value, unit]) => `${value}${unit}`)
      .join(' ') || '0s'
  );
}

export function createCommands(
  context: BridgeContext,
  dependencies: { logins: Logins; sessions: LoginSessions; ghosts: Ghosts; portals: Portals; tasks: TaskTracker },
): Commands {
  const { matrix, permissions, logger, clock, store } = context;
  const { logins, sessions, ghosts, portals, tasks } = dependencies;
  const background = (task: Promise<void>) => tasks.run('a login', task);

  const definitions: Record<string, CommandDefinition> = {
    help: { usage: 'help', summary: 'Show this help.', level: 'relay', run: async ({ reply }) => reply.notice(helpText()) },
    login: {
      usage: 'login [provider]',
      summary: 'Log in to WeChat (shows a QR code to scan, or checks the configured credentials).',
      level: 'user',
      // A login waits minutes for the phone: it runs in the background so `cancel` (and everything else) is
      // handled meanwhile.
      run: async ({ userId, args, reply }) => {
        background(logins.login(userId, args[0], reply));
      },
    },
    cancel: {
      usage: 'cancel',
      summary: 'Stop a login in progress.',
      level: 'user',
      run: async ({ userId, reply }) => {
        if (!(await logins.cancel(userId))) await reply.notice('Nothing to cancel.');
      },
    },
    logout: {
      usage: 'logout',
      summary: 'Log out of WeChat.',
      level: 'user',
      run: async ({ userId, reply }) => logins.logout(userId, reply),
    },
    ping: {
      usage: 'ping',
      summary: 'Show the login state, provider, connection and uptime.',
      level: 'relay',
      run: async ({ userId, reply }) => {
        const records = await logins.of(userId);
        const uptime = `Bridge uptime ${formatDuration(clock.now() - context.startedAt)}.`;
        if (records.length === 0) return reply.notice(`You are not logged in to WeChat. ${uptime}`);
        const lines = records.map(record => {
          const live = sessions.get(record.id);
          const state = live?.session.state ?? 'not running';
          const since =
            live?.connectedSince && state === 'connected'
              ? `, connected for ${formatDuration(clock.now() - live.connectedSince)}`
              : '';
          const seen = live?.lastSeenAt ? `, last heard from WeChat ${formatDuration(clock.now() - live.lastSeenAt)} ago` : '';
          return `Logged in as ${record.selfName ?? record.selfContactId ?? 'unknown'} through ${record.providerId}: ${state}${since}${seen}.`;
        });
        return reply.notice(`${lines.join('\n')}\n${uptime}`);
      },
    },
    sync: {
      usage: 'sync',
      summary: 'Update contacts, groups and room details from WeChat (safe to repeat).',
      level: 'user',
      run: async ({ userId, reply }) => {
        const records = await logins.of(userId);
        const running = records.flatMap(record => {
          const live = sessions.get(record.id);
          return live && live.session.state === 'connected' ? [live] : [];
        });
        if (running.length === 0)
          return reply.notice('Nothing to sync: you are not connected to WeChat. Send `login` or `ping`.');
        for (const live of running) {
          const { session, login } = live;
          let contacts = 0;
          let groups = 0;
          if (session.listContacts) {
            for (const contact of await session.listContacts()) {
              await ghosts.ensure(session, login.providerId, contact.id, contact);
              contacts++;
            }
          }
          if (session.listRooms) {
            for (const room of await session.listRooms()) {
              const portal = await portals.ensure(login, session, { type: 'room', roomId: room.id });
              await portals.refresh(login, session, portal);
              groups++;
            }
          }
          for (const portal of await store.portals.listByLogin(login.id)) {
            if (portal.chat.type === 'direct') await portals.refresh(login, session, portal);
          }
          await reply.notice(`Synced ${contacts} contacts and ${groups} groups from WeChat.`);
        }
      },
    },
  };

  function helpText(): string {
    const width = Math.max(...Object.values(definitions).map(definition => definition.usage.length));
    const lines = Object.values(definitions).map(definition => `${definition.usage.padEnd(width)}  ${definition.summary}`);
    return `WeChat bridge commands:\n${lines.join('\n')}`;
  }

  const replierFor = (roomId: string): Replier => ({
    notice: async text => {
      await matrix.sendEvent(matrix.botUserId, roomId, 'm.room.message', { msgtype: 'm.notice', body: text });
    },
    image: async (data, mimeType, body, info) => {
      const mxc = await matrix.uploadContent(matrix.botUserId, data, mimeType, 'login-qr.png');
      await matrix.sendEvent(matrix.botUserId, roomId, 'm.room.message', {
        msgtype: 'm.image',
        body,
        url: mxc,
        info: { mimetype: mimeType, size: data.byteLength, w: info.width, h: info.height },
      });
    },
  });

  return {
    helpText,
    async handle(userId, roomId, line) {
      const reply = replierFor(roomId);
      const [rawName = '', ...args] = line.trim().split(/\s+/);
      const name = rawName.toLowerCase().replace(/^!/, '');
      const definition = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
      try {
        if (!definition) {
          await reply.notice(`Unknown command '${rawName}'.\n\n${helpText()}`);
          return;
        }
        if (!permissions.allows(userId, definition.level)) {
          await reply.notice(`Sorry, you are not allowed to use '${name}'. Ask the bridge administrator for access.`);
          return;
        }
        await definition.run({ userId, args, reply });
      } catch (error) {
        logger.error({ command: name, userId, error }, 'command failed');
        await reply.notice(`'${name}' failed: ${describeError(error)}`).catch(() => undefined);
      }
    },
  };
}
