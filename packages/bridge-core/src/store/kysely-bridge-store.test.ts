import { chatKey, contactId, messageId, type ProviderEventV1, roomId } from '@wechat/provider-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeStore, LoginRecord, MatrixEventJson, MessageMapping, PortalRecord } from './bridge-store.ts';
import { createKyselyBridgeStore } from './kysely-bridge-store.ts';
import { migrateToLatest } from './migrate-to-latest.ts';
import { type Backend, findPostgres, pgliteBackend, postgresBackend, type TestDatabase } from '../testing/test-databases.ts';

/** One suite, run on every backend the bridge supports (see testing/test-databases.ts). */
const storeTables = [
  'users',
  'logins',
  'session_storage',
  'portals',
  'ghosts',
  'message_map',
  'inbox',
  'outbox',
  'appservice_txn',
  'kv',
] as const;

// WeChat message ids exceed 2^53: Number('3617029648233522301') === 3617029648233522000.
const bigMessageId = messageId('3617029648233522301');
const alice = contactId('wxid_alice');
const group = roomId('18912345678901234567@chatroom');
const now = 1_767_225_600_000;

const login = (overrides: Partial<LoginRecord> = {}): LoginRecord => ({
  id: 'ipad:@alice:example.org',
  ownerMxid: '@alice:example.org',
  providerId: 'ipad',
  selfContactId: null,
  selfName: null,
  spaceRoomId: null,
  state: 'connecting',
  createdAt: now,
  ...overrides,
});

const portal = (overrides: Partial<PortalRecord> = {}): PortalRecord => {
  const chat = overrides.chat ?? { type: 'room', roomId: group };
  return {
    loginId: 'login-1',
    chatKey: chatKey(chat),
    chat,
    roomId: '!portal:example.org',
    name: 'Family',
    topic: null,
    avatarRef: null,
    avatarMxc: null,
    createdAt: now,
    ...overrides,
  };
};

const mapping = (overrides: Partial<MessageMapping> = {}): MessageMapping => ({
  loginId: 'login-1',
  chatKey: chatKey({ type: 'room', roomId: group }),
  wechatMessageId: bigMessageId,
  roomId: '!portal:example.org',
  eventId: '$event-1',
  senderContactId: alice,
  direction: 'inbound',
  createdAt: now,
  ...overrides,
});

const textEvent = (id: string, text = 'hello'): ProviderEventV1 => ({
  type: 'message-received',
  message: {
    id: messageId(id),
    chat: { type: 'room', roomId: group },
    senderId: alice,
    isSelf: false,
    timestamp: now,
    content: { kind: 'text', text },
  },
});

const matrixEvent = (eventId: string, body = 'hi'): MatrixEventJson => ({
  type: 'm.room.message',
  event_id: eventId,
  room_id: '!portal:example.org',
  sender: '@alice:example.org',
  origin_server_ts: now,
  content: { msgtype: 'm.text', body, 'm.mentions': { user_ids: ['@wechat_bob:example.org'] } },
});

function defineStoreSuite(backend: Backend): void {
  describe(`BridgeStore on ${backend.name}`, () => {
    let database: TestDatabase;
    let store: BridgeStore;
    let appliedOnFirstRun: string[];

    beforeAll(async () => {
      database = await backend.create();
      appliedOnFirstRun = await migrateToLatest(database.db);
      store = createKyselyBridgeStore(database.db);
    }, 60_000);

    afterAll(async () => {
      await database?.dispose();
    }, 60_000);

    beforeEach(async () => {
      await sql`truncate table ${sql.join(storeTables.map(table => sql.table(table)))} restart identity`.execute(database.db);
    });

    describe('migrations', () => {
      it('apply once, and a second run finds nothing to do', async () => {
        expect(appliedOnFirstRun).toEqual(['0001-initial-schema']);
        expect(await migrateToLatest(database.db)).toEqual([]);
      });

      it('are safe when two processes start at once on a fresh database', async () => {
        const fresh = await backend.create();
        try {
          const peer = await fresh.openPeer();
          try {
            const [first, second] = await Promise.all([migrateToLatest(fresh.db), migrateToLatest(peer.db)]);
            expect([...first, ...second]).toEqual(['0001-initial-schema']);
            const tables = await fresh.db.introspection.getTables();
            const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(fresh.db)).rows[0]?.schema;
            expect(
              tables
                .filter(table => table.schema === schema)
                .map(table => table.name)
                .sort(),
            ).toEqual([...storeTables].sort());
          } finally {
            await peer.close();
          }
        } finally {
          await fresh.dispose();
        }
      }, 60_000);
    });

    describe('users', () => {
      it('creates a user, then updates the management room', async () => {
        expect(await store.users.get('@alice:example.org')).toBeUndefined();
        await store.users.upsert({ mxid: '@alice:example.org', managementRoomId: null });
        expect(await store.users.get('@alice:example.org')).toEqual({ mxid: '@alice:example.org', managementRoomId: null });
        await store.users.upsert({ mxid: '@alice:example.org', managementRoomId: '!dm:example.org' });
        expect(await store.users.get('@alice:example.org')).toEqual({
          mxid: '@alice:example.org',
          managementRoomId: '!dm:example.org',
        });
      });

      it('finds the user by management room, which belongs to one user only', async () => {
        await store.users.upsert({ mxid: '@alice:example.org', managementRoomId: '!dm:example.org' });
        expect((await store.users.findByManagementRoom('!dm:example.org'))?.mxid).toBe('@alice:example.org');
        expect(await store.users.findByManagementRoom('!other:example.org')).toBeUndefined();
        await expect(store.users.upsert({ mxid: '@bob:example.org', managementRoomId: '!dm:example.org' })).rejects.toThrow();
      });
    });

    describe('logins', () => {
      it('stores a login and lists it by owner and in full', async () => {
        const first = login({ id: 'ipad:@alice:example.org', createdAt: now });
        const second = login({ id: 'wecom:@alice:example.org', providerId: 'wecom', createdAt: now + 1 });
        const other = login({ id: 'ipad:@bob:example.org', ownerMxid: '@bob:example.org', createdAt: now + 2 });
        for (const record of [second, other, first]) await store.logins.upsert(record);
        expect(await store.logins.get(first.id)).toEqual(first);
        expect(await store.logins.get('missing')).toBeUndefined();
        expect(await store.logins.listByOwner('@alice:example.org')).toEqual([first, second]);
        expect(await store.logins.listAll()).toEqual([first, second, other]);
      });

      it('upserts over an existing login but keeps when it was created', async () => {
        await store.logins.upsert(login());
        await store.logins.upsert(login({ state: 'connected', selfName: 'Alice', createdAt: now + 1000 }));
        expect(await store.logins.get(login().id)).toEqual(login({ state: 'connected', selfName: 'Alice', createdAt: now }));
      });

      it('updates only the given fields, and null clears one', async () => {
        await store.logins.upsert(login({ spaceRoomId: '!space:example.org' }));
        await store.logins.update(login().id, { selfContactId: alice, selfName: 'Alice', state: 'connected' });
        await store.logins.update(login().id, { spaceRoomId: null, selfName: undefined });
        await store.logins.update(login().id, {});
        expect(await store.logins.get(login().id)).toEqual(
          login({ selfContactId: alice, selfName: 'Alice', state: 'connected', spaceRoomId: null }),
        );
      });

      it('deletes a login with its session storage, but keeps its portals', async () => {
        const doomed = login({ id: 'login-1' });
        await store.logins.upsert(doomed);
        await store.logins.upsert(login({ id: 'login-2' }));
        await store.sessionStorage.set('login-1', 'token', 'secret');
        await store.sessionStorage.set('login-2', 'token', 'other');
        await store.portals.insertIfAbsent(portal({ loginId: 'login-1' }));
        await store.logins.delete('login-1');
        expect(await store.logins.get('login-1')).toBeUndefined();
        expect(await store.sessionStorage.get('login-1', 'token')).toBeUndefined();
        expect(await store.sessionStorage.get('login-2', 'token')).toBe('other');
        expect(await store.portals.listByLogin('login-1')).toHaveLength(1);
      });
    });

    describe('session storage', () => {
      it('sets, overwrites and deletes values per login', async () => {
        expect(await store.sessionStorage.get('login-1', 'device')).toBeUndefined();
        await store.sessionStorage.set('login-1', 'device', 'a');
        await store.sessionStorage.set('login-2', 'device', 'b');
        await store.sessionStorage.set('login-1', 'device', '{"id":"3617029648233522301"}');
        expect(await store.sessionStorage.get('login-1', 'device')).toBe('{"id":"3617029648233522301"}');
        expect(await store.sessionStorage.get('login-2', 'device')).toBe('b');
        await store.sessionStorage.delete('login-1', 'device');
        await store.sessionStorage.delete('login-1', 'missing');
        expect(await store.sessionStorage.get('login-1', 'device')).toBeUndefined();
        expect(await store.sessionStorage.get('login-2', 'device')).toBe('b');
      });
    });

    describe('portals', () => {
      it('stores direct and room portals and finds them by chat and by room', async () => {
        const direct = portal({
          chat: { type: 'direct', contactId: contactId('3617029648233522301') },
          roomId: '!dm:example.org',
        });
        const room = portal({ roomId: '!group:example.org', topic: '群公告', avatarRef: 'ref', avatarMxc: 'mxc://x/y' });
        expect(await store.portals.insertIfAbsent(direct)).toEqual(direct);
        expect(await store.portals.insertIfAbsent(room)).toEqual(room);
        expect(await store.portals.get('login-1', 'direct:3617029648233522301')).toEqual(direct);
        expect(await store.portals.getByRoomId('!group:example.org')).toEqual(room);
        expect(await store.portals.get('login-2', room.chatKey)).toBeUndefined();
        expect(await store.portals.getByRoomId('!missing:example.org')).toBeUndefined();
        expect(await store.portals.listByLogin('login-1')).toHaveLength(2);
        expect(await store.portals.listByLogin('login-2')).toEqual([]);
      });

      it('returns the stored portal when one exists for the chat', async () => {
        const first = portal({ roomId: '!first:example.org' });
        await store.portals.insertIfAbsent(first);
        expect(await store.portals.insertIfAbsent(portal({ roomId: '!second:example.org', name: 'Other' }))).toEqual(first);
        expect(await store.portals.getByRoomId('!second:example.org')).toBeUndefined();
      });

      it('gives every racing creator the same row', async () => {
        const peer = await database.openPeer();
        try {
          const peerStore = createKyselyBridgeStore(peer.db);
          const results = await Promise.all(
            Array.from({ length: 6 }, (_, index) =>
              (index % 2 === 0 ? store : peerStore).portals.insertIfAbsent(portal({ roomId: `!room-${index}:example.org` })),
            ),
          );
          const winner = results[0];
          expect(results.every(result => result.roomId === winner?.roomId)).toBe(true);
          expect(await store.portals.listByLogin('login-1')).toEqual([winner]);
        } finally {
          await peer.close();
        }
      });

      it('refuses a second chat in the same room, and a key that does not match the chat', async () => {
        await store.portals.insertIfAbsent(portal());
        await expect(
          store.portals.insertIfAbsent(portal({ chat: { type: 'direct', contactId: alice }, roomId: '!portal:example.org' })),
        ).rejects.toThrow();
        await expect(store.portals.insertIfAbsent(portal({ chatKey: 'direct:someone-else' }))).rejects.toThrow(/does not match/);
      });

      it('updates only the given fields', async () => {
        const stored = await store.portals.insertIfAbsent(portal({ avatarRef: 'old', avatarMxc: 'mxc://x/old' }));
        await store.portals.update(stored.loginId, stored.chatKey, { name: 'Renamed', topic: 'Topic' });
        await store.portals.update(stored.loginId, stored.chatKey, { avatarMxc: null, name: undefined });
        await store.portals.update(stored.loginId, stored.chatKey, {});
        expect(await store.portals.get(stored.loginId, stored.chatKey)).toEqual({
          ...stored,
          name: 'Renamed',
          topic: 'Topic',
          avatarMxc: null,
        });
      });
    });

    describe('ghosts', () => {
      it('creates and updates a ghost', async () => {
        const ghost = {
          mxid: '@wechat_alice:example.org',
          providerId: 'ipad',
          contactId: alice,
          displayName: 'Alice (WeChat)',
          avatarRef: null,
          avatarMxc: null,
          registered: false,
        };
        expect(await store.ghosts.get(ghost.mxid)).toBeUndefined();
        await store.ghosts.upsert(ghost);
        expect(await store.ghosts.get(ghost.mxid)).toEqual(ghost);
        const updated = { ...ghost, displayName: '爱丽丝 🌸', avatarRef: 'r', avatarMxc: 'mxc://a/b', registered: true };
        await store.ghosts.upsert(updated);
        expect(await store.ghosts.get(ghost.mxid)).toEqual(updated);
      });
    });

    describe('message map', () => {
      it('stores a mapping and finds it by WeChat id and by event id, with big ids intact', async () => {
        expect(await store.messages.insert(mapping())).toBe(true);
        const stored = await store.messages.getByWechatId('login-1', messageId('3617029648233522301'));
        expect(stored).toEqual(mapping());
        expect(stored?.wechatMessageId).toBe('3617029648233522301');
        expect(await store.messages.getByEventId('$event-1')).toEqual(mapping());
        // One off in the last digit: a number-rounded lookup would find the wrong message.
        expect(await store.messages.getByWechatId('login-1', messageId('3617029648233522300'))).toBeUndefined();
        expect(await store.messages.getByWechatId('login-2', bigMessageId)).toBeUndefined();
        expect(await store.messages.getByEventId('$missing')).toBeUndefined();
      });

      it('ignores a duplicate WeChat id or event id and reports it', async () => {
        expect(await store.messages.insert(mapping())).toBe(true);
        expect(await store.messages.insert(mapping({ eventId: '$event-2' }))).toBe(false);
        expect(await store.messages.insert(mapping({ wechatMessageId: messageId('1') }))).toBe(false);
        expect(await store.messages.insert(mapping({ loginId: 'login-2', eventId: '$event-3' }))).toBe(true);
        expect(
          await store.messages.insert(
            mapping({ senderContactId: null, direction: 'outbound', wechatMessageId: messageId('2'), eventId: '$event-4' }),
          ),
        ).toBe(true);
        expect(await store.messages.getByEventId('$event-4')).toEqual(
          mapping({ senderContactId: null, direction: 'outbound', wechatMessageId: messageId('2'), eventId: '$event-4' }),
        );
      });

      it('lets exactly one of several racing inserts win', async () => {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, index) => store.messages.insert(mapping({ eventId: `$race-${index}` }))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('inbox', () => {
      const enqueue = (dedupKey: string, overrides: { loginId?: string; event?: ProviderEventV1; receivedAt?: number } = {}) =>
        store.inbox.enqueue({
          loginId: overrides.loginId ?? 'login-1',
          dedupKey,
          event: overrides.event ?? textEvent(dedupKey.replace('message:', '')),
          receivedAt: overrides.receivedAt ?? now,
        });

      it('records an event once per login and dedup key', async () => {
        const event = textEvent(bigMessageId);
        const entry = await enqueue(`message:${bigMessageId}`, { event });
        expect(entry).toEqual({
          id: expect.any(Number),
          loginId: 'login-1',
          dedupKey: 'message:3617029648233522301',
          event,
          status: 'pending',
          attempts: 0,
          lastError: null,
          receivedAt: now,
        });
        expect(await enqueue(`message:${bigMessageId}`, { event: textEvent(bigMessageId, 'again') })).toBeUndefined();
        expect(await enqueue(`message:${bigMessageId}`, { loginId: 'login-2' })).toBeDefined();
        expect(await store.inbox.countPending()).toBe(2);
      });

      it('lets exactly one of several racing deliveries in', async () => {
        const results = await Promise.all(Array.from({ length: 6 }, () => enqueue('message:1')));
        expect(results.filter(result => result !== undefined)).toHaveLength(1);
        expect(await store.inbox.countPending()).toBe(1);
      });

      it('keeps events exactly, big ids included', async () => {
        const event: ProviderEventV1 = {
          type: 'message-received',
          message: {
            id: bigMessageId,
            chat: { type: 'direct', contactId: contactId('3617029648233522399') },
            senderId: contactId('3617029648233522399'),
            isSelf: true,
            timestamp: now,
            content: {
              kind: 'image',
              media: { ref: '{"aeskey":"…"}', mimeType: 'image/jpeg', size: 12_345 },
              width: 1,
              height: 2,
            },
            mentions: { contactIds: [alice, contactId('wxid_bob')], all: true },
            replyTo: { messageId: messageId('9223372036854775807'), text: '引用 😀' },
          },
        };
        const recall: ProviderEventV1 = {
          type: 'message-recalled',
          target: { id: bigMessageId, chat: { type: 'room', roomId: group } },
          actorId: alice,
          timestamp: now,
        };
        await enqueue('message:a', { event });
        await enqueue('recall:a', { event: recall });
        const [first, second] = await store.inbox.listPending(10);
        expect(first?.event).toEqual(event);
        expect(second?.event).toEqual(recall);
        expect(JSON.stringify(first?.event)).toContain('"3617029648233522301"');
      });

      it('stores text PostgreSQL cannot hold, with the offending characters replaced', async () => {
        const entry = await enqueue('message:nul', { event: textEvent('nul', 'a\u0000b \uD83D c 😀 \\u0000') });
        const expected = textEvent('nul', 'a\uFFFDb \uFFFD c 😀 \\u0000');
        expect(entry?.event).toEqual(expected);
        expect((await store.inbox.listPending(1))[0]?.event).toEqual(expected);
      });

      it('lists pending entries in arrival order, up to the limit', async () => {
        for (const [index, key] of ['message:c', 'message:a', 'message:b'].entries()) {
          await enqueue(key, { receivedAt: now - index });
        }
        expect((await store.inbox.listPending(10)).map(entry => entry.dedupKey)).toEqual(['message:c', 'message:a', 'message:b']);
        expect((await store.inbox.listPending(2)).map(entry => entry.dedupKey)).toEqual(['message:c', 'message:a']);
      });

      it('counts attempts, keeps failed entries pending until the final one, and forgets done ones', async () => {
        const first = await enqueue('message:1');
        const second = await enqueue('message:2');
        const third = await enqueue('message:3');
        if (!first || !second || !third) throw new Error('not enqueued');

        await store.inbox.markAttemptFailed(first.id, 'homeserver down', false);
        await store.inbox.markAttemptFailed(first.id, 'homeserver still down', false);
        expect((await store.inbox.listPending(10))[0]).toMatchObject({
          id: first.id,
          status: 'pending',
          attempts: 2,
          lastError: 'homeserver still down',
        });

        await store.inbox.markAttemptFailed(first.id, 'gave up', true);
        await store.inbox.markDone(second.id);
        expect((await store.inbox.listPending(10)).map(entry => entry.id)).toEqual([third.id]);
        expect(await store.inbox.countPending()).toBe(1);

        // A settled entry stays settled, and a retry of its dedup key is still a duplicate.
        await store.inbox.markAttemptFailed(first.id, 'late report', false);
        await store.inbox.markAttemptFailed(second.id, 'late report', false);
        expect(await store.inbox.countPending()).toBe(1);
        expect(await enqueue('message:1')).toBeUndefined();
        expect(await enqueue('message:2')).toBeUndefined();
      });
    });

    describe('outbox', () => {
      const enqueue = (eventId: string, receivedAt = now) =>
        store.outbox.enqueue({ eventId, roomId: '!portal:example.org', event: matrixEvent(eventId), receivedAt });

      it('counts pending entries per login through the portals of their rooms', async () => {
        await store.portals.insertIfAbsent(portal({ loginId: 'login-1', roomId: '!portal:example.org' }));
        await enqueue('$one');
        await enqueue('$two');
        await store.outbox.enqueue({
          eventId: '$elsewhere',
          roomId: '!no-portal:example.org',
          event: matrixEvent('$elsewhere'),
          receivedAt: now,
        });
        const [first] = await store.outbox.listDue(now, 1);
        await store.outbox.markDone(first?.id ?? -1);
        expect(await store.outbox.countPendingByLogin()).toEqual(new Map([['login-1', 1]]));
        expect(await store.outbox.countPending()).toBe(2);
      });

      it('postpones an entry without counting an attempt', async () => {
        await enqueue('$wait');
        const [entry] = await store.outbox.listDue(now, 10);
        await store.outbox.postpone(entry?.id ?? -1, now + 500, 'waiting for WeChat');
        expect(await store.outbox.listDue(now + 499, 10)).toEqual([]);
        expect(await store.outbox.listDue(now + 500, 10)).toEqual([
          expect.objectContaining({ eventId: '$wait', attempts: 0, nextAttemptAt: now + 500, lastError: 'waiting for WeChat' }),
        ]);
      });

      it('stores an event once per event id, due at once', async () => {
        expect(await enqueue('$1')).toBe(true);
        expect(await enqueue('$1', now + 5)).toBe(false);
        expect(await store.outbox.countPending()).toBe(1);
        expect(await store.outbox.listDue(now - 1, 10)).toEqual([]);
        expect(await store.outbox.listDue(now, 10)).toEqual([
          {
            id: expect.any(Number),
            eventId: '$1',
            roomId: '!portal:example.org',
            event: matrixEvent('$1'),
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
            receivedAt: now,
          },
        ]);
      });

      it('lets exactly one of several racing enqueues in', async () => {
        const results = await Promise.all(Array.from({ length: 6 }, () => enqueue('$race')));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('keeps Matrix events exactly', async () => {
        const event: MatrixEventJson = {
          ...matrixEvent('$json'),
          content: {
            msgtype: 'm.text',
            body: '> <@wechat_bob:example.org> 原文\n\n回复 🎉',
            format: 'org.matrix.custom.html',
            'm.relates_to': { 'm.in_reply_to': { event_id: '$parent' } },
            nested: [1, 2.5, null, true, { deep: ['x'] }],
          },
          unsigned: { age: 1234, transaction_id: 'm1767225600000.0' },
        };
        await store.outbox.enqueue({ eventId: '$json', roomId: '!portal:example.org', event, receivedAt: now });
        expect((await store.outbox.listDue(now, 1))[0]?.event).toEqual(event);
      });

      it('lists due entries in arrival order, up to the limit', async () => {
        await enqueue('$c', now);
        await enqueue('$a', now - 10);
        await enqueue('$b', now + 10);
        expect((await store.outbox.listDue(now + 10, 10)).map(entry => entry.eventId)).toEqual(['$c', '$a', '$b']);
        expect((await store.outbox.listDue(now, 10)).map(entry => entry.eventId)).toEqual(['$c', '$a']);
        expect((await store.outbox.listDue(now + 10, 1)).map(entry => entry.eventId)).toEqual(['$c']);
      });

      it('schedules retries, fails for good, and forgets done entries', async () => {
        await enqueue('$1');
        await enqueue('$2');
        await enqueue('$3');
        const [first, second, third] = await store.outbox.listDue(now, 10);
        if (!first || !second || !third) throw new Error('not enqueued');

        await store.outbox.markAttemptFailed(first.id, 'session offline', now + 5_000);
        expect((await store.outbox.listDue(now + 4_999, 10)).map(entry => entry.id)).toEqual([second.id, third.id]);
        expect((await store.outbox.listDue(now + 5_000, 10))[0]).toMatchObject({
          id: first.id,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: now + 5_000,
          lastError: 'session offline',
        });
        expect(await store.outbox.countPending()).toBe(3);

        await store.outbox.markAttemptFailed(first.id, 'file too large', null);
        await store.outbox.markDone(second.id);
        expect((await store.outbox.listDue(now + 10_000, 10)).map(entry => entry.id)).toEqual([third.id]);
        expect(await store.outbox.countPending()).toBe(1);

        await store.outbox.markAttemptFailed(first.id, 'late report', now);
        expect(await store.outbox.countPending()).toBe(1);
        expect(await enqueue('$1')).toBe(false);
      });
    });

    describe('appservice transactions and kv', () => {
      it('remembers completed transactions', async () => {
        expect(await store.appserviceTransactions.isCompleted('txn-1')).toBe(false);
        await store.appserviceTransactions.markCompleted('txn-1', now);
        await store.appserviceTransactions.markCompleted('txn-1', now + 1);
        expect(await store.appserviceTransactions.isCompleted('txn-1')).toBe(true);
        expect(await store.appserviceTransactions.isCompleted('txn-2')).toBe(false);
      });

      it('sets, overwrites and deletes values', async () => {
        expect(await store.kv.get('version')).toBeUndefined();
        await store.kv.set('version', '0.1.0');
        await store.kv.set('version', '0.2.0');
        expect(await store.kv.get('version')).toBe('0.2.0');
        await store.kv.delete('version');
        expect(await store.kv.get('version')).toBeUndefined();
      });
    });

    describe('transactions', () => {
      it('commits the work and returns its result', async () => {
        const result = await store.transaction(async transaction => {
          await transaction.messages.insert(mapping());
          const entry = await transaction.inbox.enqueue({
            loginId: 'login-1',
            dedupKey: 'message:1',
            event: textEvent('1'),
            receivedAt: now,
          });
          if (entry) await transaction.inbox.markDone(entry.id);
          return entry?.id;
        });
        expect(result).toEqual(expect.any(Number));
        expect(await store.messages.getByEventId('$event-1')).toBeDefined();
        expect(await store.inbox.countPending()).toBe(0);
      });

      it('leaves nothing written when the work throws', async () => {
        await store.logins.upsert(login({ id: 'login-1' }));
        await store.sessionStorage.set('login-1', 'token', 'kept');
        await expect(
          store.transaction(async transaction => {
            await transaction.inbox.enqueue({
              loginId: 'login-1',
              dedupKey: 'message:1',
              event: textEvent('1'),
              receivedAt: now,
            });
            await transaction.messages.insert(mapping());
            await transaction.portals.insertIfAbsent(portal());
            await transaction.outbox.enqueue({
              eventId: '$1',
              roomId: '!r:example.org',
              event: matrixEvent('$1'),
              receivedAt: now,
            });
            await transaction.logins.delete('login-1');
            throw new Error('crash before commit');
          }),
        ).rejects.toThrow('crash before commit');
        expect(await store.inbox.countPending()).toBe(0);
        expect(
          await store.inbox.enqueue({ loginId: 'login-1', dedupKey: 'message:1', event: textEvent('1'), receivedAt: now }),
        ).toBeDefined();
        expect(await store.messages.getByEventId('$event-1')).toBeUndefined();
        expect(await store.portals.listByLogin('login-1')).toEqual([]);
        expect(await store.outbox.countPending()).toBe(0);
        expect(await store.logins.get('login-1')).toBeDefined();
        expect(await store.sessionStorage.get('login-1', 'token')).toBe('kept');
      });

      it('rolls back a failed nested transaction alone', async () => {
        await store.transaction(async outer => {
          await outer.kv.set('outer', '1');
          await expect(
            outer.transaction(async inner => {
              await inner.kv.set('inner', '1');
              throw new Error('inner failed');
            }),
          ).rejects.toThrow('inner failed');
          await outer.transaction(async inner => inner.kv.set('second', '1'));
        });
        expect(await store.kv.get('outer')).toBe('1');
        expect(await store.kv.get('inner')).toBeUndefined();
        expect(await store.kv.get('second')).toBe('1');
      });

      it('refuses to close from inside a transaction', async () => {
        await expect(store.transaction(transaction => transaction.close())).rejects.toThrow(/root store/);
      });
    });

    it('keeps millisecond timestamps as numbers', async () => {
      const later = 8_640_000_000_000_000; // the largest Date, far beyond 2^32
      await store.logins.upsert(login({ createdAt: later }));
      const stored = await store.logins.get(login().id);
      expect(stored?.createdAt).toBe(later);
      expect(typeof stored?.createdAt).toBe('number');
    });
  });
}

defineStoreSuite(pgliteBackend);

const postgres = await findPostgres();
if ('uri' in postgres) {
  defineStoreSuite(postgresBackend(postgres.uri));
} else if (process.env.CI) {
  describe('BridgeStore on PostgreSQL', () => {
    it('reaches the PostgreSQL server (required in CI)', () => {
      throw new Error(postgres.reason);
    });
  });
} else {
  console.warn(`Skipping the PostgreSQL store tests: ${postgres.reason}`);
  describe.skip('BridgeStore on PostgreSQL', () => {
    it('needs a PostgreSQL server on 127.0.0.1:5432', () => {});
  });
}
