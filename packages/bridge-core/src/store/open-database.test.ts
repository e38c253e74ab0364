import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageId } from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryLockedError } from './directory-lock.ts';
import { createKyselyBridgeStore } from './kysely-bridge-store.ts';
import { migrateToLatest } from './migrate-to-latest.ts';
import { openPgliteDatabase } from './open-database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'wechat-store-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

const mapping = {
  loginId: 'login-1',
  chatKey: 'room:1@chatroom',
  wechatMessageId: messageId('3617029648233522301'),
  roomId: '!portal:example.org',
  eventId: '$event',
  senderContactId: null,
  direction: 'inbound',
  createdAt: 1_767_225_600_000,
} as const;

describe('openPgliteDatabase', () => {
  it('keeps the data on disk across close and reopen, creating missing directories', async () => {
    const path = join(await temporaryDirectory(), 'nested', 'db');

    const db = await openPgliteDatabase({ path });
    expect(await migrateToLatest(db)).toEqual(['0001-initial-schema']);
    const first = createKyselyBridgeStore(db);
    expect(await first.messages.insert(mapping)).toBe(true);
    await first.close();

    const reopened = await openPgliteDatabase({ path });
    cleanups.push(() => reopened.destroy());
    expect(await migrateToLatest(reopened)).toEqual([]);
    expect(await createKyselyBridgeStore(reopened).messages.getByEventId('$event')).toEqual(mapping);
  }, 60_000);

  // The lock names its holder by /proc entries, which only Linux has.
  if (process.platform !== 'linux') console.warn('Skipping the cross-process lock test: it needs Linux (/proc).');
  it.skipIf(process.platform !== 'linux')(
    'refuses a directory that is open, in this process or another, until it is closed',
    async () => {
      const parent = await temporaryDirectory();
      const directory = join(parent, 'db');
      const db = await openPgliteDatabase({ path: directory });
      // Another spelling of the same directory is the same database.
      await symlink(directory, join(parent, 'link'));
      await expect(openPgliteDatabase({ path: join(parent, 'link') })).rejects.toThrow(DirectoryLockedError);

      const otherProcess = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '--eval',
          `import(${JSON.stringify(new URL('./open-database.ts', import.meta.url).href)})
            .then(({ openPgliteDatabase }) => openPgliteDatabase({ path: ${JSON.stringify(directory)} }))
            .then(() => process.exit(0), error => { console.error(error.name); process.exit(3); });`,
        ],
        { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8', timeout: 30_000 },
      );
      expect(otherProcess.stderr).toContain('DirectoryLockedError');
      expect(otherProcess.status).toBe(3);

      await db.destroy();
      const again = await openPgliteDatabase({ path: join(parent, 'link') });
      await again.destroy();
    },
    60_000,
  );

  it('keeps memory:// in memory', async () => {
    const cwd = process.cwd();
    const db = await openPgliteDatabase({ path: 'memory://' });
    cleanups.push(() => db.destroy());
    expect(await migrateToLatest(db)).toEqual(['0001-initial-schema']);
    expect(existsSync(join(cwd, 'memory:'))).toBe(false);
  }, 60_000);
});
