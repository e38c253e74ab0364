/** A contact the world starts with. */
export interface MockContactSeed {
  readonly id: string;
  readonly name: string;
  readonly alias?: string;
  readonly remark?: string;
  /** Default true. A stranger (false) can send a friend request. */
  readonly isFriend?: boolean;
}

/** A room the world starts with. The owner is a member; `memberIds` lists the others (the account included if it is in). */
export interface MockRoomSeed {
  readonly id: string;
  readonly name: string;
  readonly topic?: string;
  readonly ownerId: string;
  readonly memberIds: readonly string[];
}

export const defaultMockSelf: MockContactSeed = { id: 'mock-self', name: 'Mock Self' };

/** Alice, Bob and Carol are friends of the account; Dave is not. */
export const defaultMockContacts: readonly MockContactSeed[] = [
  { id: 'alice', name: 'Alice', alias: 'alice_wx' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
  { id: 'dave', name: 'Dave', isFriend: false },
];

/** `room-1` is the account's own room with Alice, Bob and Carol; `room-2` is Dave's, with the account and Alice. */
export const defaultMockRooms: readonly MockRoomSeed[] = [
  {
    id: 'room-1',
    name: 'Mock Room',
    topic: 'Welcome to the mock room',
    ownerId: 'mock-self',
    memberIds: ['alice', 'bob', 'carol'],
  },
  { id: 'room-2', name: "Dave's Room", ownerId: 'dave', memberIds: ['mock-self', 'alice'] },
];

/** The API token the default world expects in `config.token`. */
export const defaultMockApiToken = 'mock-api-token-0001';

/** 2023-11-14T22:13:20Z: timestamps are deterministic, one second apart. */
export const defaultMockStartTime = 1_700_000_000_000;
