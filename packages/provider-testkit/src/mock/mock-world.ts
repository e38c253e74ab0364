import {
  type ChatRefV1,
  chatKey,
  type ContactId,
  type ContactV1,
  type InboundMessageV1,
  type ManagedSessionV1,
  type OpenSessionOptions,
  openSession,
  type ProviderSessionV1,
  type ProviderV1,
  type RoomV1,
} from '@wechat/provider-api';
import type { ConformanceHarnessV1, HarnessFailureV1, RecordedOutboundV1 } from '../harness/conformance-harness.ts';
import type { MockConfig } from './mock-config.ts';
import {
  defaultMockApiToken,
  defaultMockContacts,
  defaultMockRooms,
  defaultMockSelf,
  defaultMockStartTime,
  type MockContactSeed,
  type MockRoomSeed,
} from './mock-fixtures.ts';
import {
  contactHandle,
  type MockContactHandle,
  type MockRoomHandle,
  type MockSelfHandle,
  roomHandle,
  selfHandle,
} from './mock-handles.ts';
import { createMockHarness } from './mock-harness.ts';
import { createMockProviderForWorld, type MockProviderOptions } from './mock-provider.ts';
import { MockWorldState } from './mock-world-state.ts';

export interface MockWorldOptions {
  /** The account. Default: `mock-self` ("Mock Self"). */
  readonly self?: MockContactSeed;
  /** Default: alice, bob, carol (friends) and dave (not a friend). */
  readonly contacts?: readonly MockContactSeed[];
  /** Default: `room-1` (the account's, with alice, bob, carol) and `room-2` (dave's, with the account and alice). */
  readonly rooms?: readonly MockRoomSeed[];
  /** The token sessions must present as `config.token`. Default 'mock-api-token-0001'. */
  readonly apiToken?: string;
  /** The clock's start, in milliseconds since the epoch; each event is one second later. */
  readonly startTime?: number;
}

/** `openSession` options for a session on this world; `config` defaults to `world.config`. */
export type MockOpenSessionOptions = Omit<OpenSessionOptions, 'config'> & { readonly config?: unknown };

/**
 * A deterministic, in-memory WeChat: contacts, rooms, a message log, media, logins. Sessions of `world.provider`
 * are accounts on it; tests drive the remote side with `world.contact('alice').says('hi')` and observe what the
 * sessions did with `world.sent()`. No randomness and no timers: the same calls give the same ids and timestamps.
 */
export class MockWorld {
  readonly #state: MockWorldState;
  /** The full-capability mock provider bound to this world. */
  readonly provider: ProviderV1<MockConfig>;

  constructor(options: MockWorldOptions = {}) {
    this.#state = new MockWorldState({
      self: options.self ?? defaultMockSelf,
      contacts: options.contacts ?? defaultMockContacts,
      rooms: options.rooms ?? defaultMockRooms,
      apiToken: options.apiToken ?? defaultMockApiToken,
      startTime: options.startTime ?? defaultMockStartTime,
    });
    this.provider = createMockProviderForWorld(this.#state);
  }

  /** The account's contact id. */
  get selfId(): ContactId {
    return this.#state.selfId;
  }

  get apiToken(): string {
    return this.#state.apiToken;
  }

  /** A valid config for this world's providers. */
  get config(): MockConfig {
    return { token: this.#state.apiToken };
  }

  /** Another provider on this world: narrowed capabilities, another id. */
  createProvider(options: MockProviderOptions = {}): ProviderV1<MockConfig> {
    return createMockProviderForWorld(this.#state, options);
  }

  /** `openSession(world.provider, { config: world.config, ...options })`: a session for a bot or a host test. */
  openSession(options: MockOpenSessionOptions = {}): ManagedSessionV1 {
    return openSession(this.provider, { ...options, config: options.config ?? this.config });
  }

  /**
   * Starts `session` and, when it asks for a QR login, scans and confirms it: resolves once it is `connected`.
   * The shortcut for tests that need a logged-in session and are not about logging in.
   */
  async connectSession(session: ProviderSessionV1): Promise<void> {
    await session.start();
    if (session.state === 'awaiting-login') {
      if (!session.login) throw new Error('The session is awaiting a login but has no login() method');
      const login = await session.login();
      let step = await login.start();
      this.completeLogin();
      while (step.type !== 'complete') step = await login.next();
    }
    if (session.state !== 'connected') throw new Error(`The session is '${session.state}', not connected`);
  }

  /** This world as a conformance harness (pass `provider` to run the kit on a variant of the mock). */
  harness(options: { readonly provider?: ProviderV1 } = {}): ConformanceHarnessV1 {
    return createMockHarness(this, options);
  }

  // ── the remote side ──────────────────────────────────────────────────────────────────────────────────────

  /** A contact acting on the remote side. Throws for an unknown id (or the account itself: use `self`). */
  contact(id: string): MockContactHandle {
    return contactHandle(this.#state, id);
  }

  /** The account acting from its phone. */
  get self(): MockSelfHandle {
    return selfHandle(this.#state);
  }

  room(id: string): MockRoomHandle {
    return roomHandle(this.#state, id);
  }

  /** Adds a contact to the world (not a friend unless `isFriend`). */
  addContact(seed: MockContactSeed): MockContactHandle {
    this.#state.addContact(seed);
    return this.contact(seed.id);
  }

  /** The next remote operation of any session (a send, a download, a lookup) fails this way. Queues up. */
  failNext(failure: HarnessFailureV1): void {
    this.#state.failNext(failure);
  }

  /** Every pending QR login's code expires: each shows a new `qr-code` step. Throws when no login is pending. */
  expireQrCode(): void {
    this.#state.expireLoginCodes();
  }

  /** Every pending QR login moves to `waiting-for-confirmation`. Throws when no login is pending. */
  scanQrCode(): void {
    this.#state.scanLogin();
  }

  /** Every pending QR login completes: its session persists the login and connects. */
  confirmLogin(): void {
    this.#state.confirmLogin();
  }

  /** `scanQrCode()` then `confirmLogin()`. */
  completeLogin(): void {
    this.scanQrCode();
    this.confirmLogin();
  }

  /** Connected sessions go `transient-disconnect`; remote operations fail with `WechatProviderUnavailableError`. */
  goOffline(): void {
    this.#state.setOnline(false);
  }

  /** Sessions reconnect by themselves, then receive what was delivered while offline. */
  goOnline(): void {
    this.#state.setOnline(true);
  }

  get online(): boolean {
    return this.#state.online;
  }

  /** Connected sessions emit a `heartbeat`. */
  heartbeat(): void {
    this.#state.broadcast({ type: 'heartbeat', at: this.#state.now() });
  }

  // ── observing ────────────────────────────────────────────────────────────────────────────────────────────

  /** What sessions sent since the last `reset()`, as the remote side received it, oldest first. */
  sent(): readonly RecordedOutboundV1[] {
    return [...this.#state.sentLog];
  }

  /** The message log (inbound and sent, recalled ones included), optionally of one chat, oldest first. */
  messages(chat?: ChatRefV1): readonly InboundMessageV1[] {
    const key = chat === undefined ? undefined : chatKey(chat);
    return this.#state.messages.map(entry => entry.message).filter(message => key === undefined || chatKey(message.chat) === key);
  }

  /** Every contact but the account, as `getContact` returns them now. */
  contacts(): readonly ContactV1[] {
    return [...this.#state.contacts.values()]
      .filter(contact => contact.id !== this.#state.selfId)
      .map(contact => this.#state.contactV1(contact));
  }

  /** Every room, as `getRoom` returns them now (including rooms the account is not in). */
  rooms(): readonly RoomV1[] {
    return [...this.#state.rooms.values()].map(room => this.#state.roomV1(room));
  }

  /** Delivers an earlier message to the sessions again, same id and all, as WeChat services do after retries. */
  redeliver(messageId: string): InboundMessageV1 {
    return this.#state.redeliver(messageId);
  }

  isRecalled(messageId: string): boolean {
    return this.#state.messages.some(entry => entry.message.id === messageId && entry.recalled);
  }

  /** Forgets what was sent and any pending failure; contacts, rooms and logins stay. */
  reset(): void {
    this.#state.reset();
  }

  /** Disconnects every session and refuses further use. */
  dispose(): void {
    this.#state.dispose();
  }
}

/** A new world; see `MockWorld`. */
export function createMockWorld(options: MockWorldOptions = {}): MockWorld {
  return new MockWorld(options);
}

/** A provider on `world`, optionally narrowed: `createMockProvider({ world, capabilities: { recall: 'none' } })`. */
export function createMockProvider({
  world,
  ...options
}: MockProviderOptions & { readonly world: MockWorld }): ProviderV1<MockConfig> {
  return world.createProvider(options);
}
