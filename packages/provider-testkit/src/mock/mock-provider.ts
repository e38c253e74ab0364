import {
  defineProvider,
  type OptionalSessionMethodV1,
  optionalMethodsV1,
  type ProviderCapabilitiesV1,
  type ProviderSessionV1,
  type ProviderV1,
} from '@wechat/provider-api';
import { testkitVersion } from '../version.ts';
import { type MockCapabilitiesOverride, mockCapabilities } from './mock-capabilities.ts';
import { type MockConfig, mockConfigSchema } from './mock-config.ts';
import { MockSession } from './mock-session.ts';
import type { MockWorldState } from './mock-world-state.ts';

export interface MockProviderOptions {
  /** Default 'mock'. Give two providers on one world different ids to test failover between them. */
  readonly id?: string;
  /** Default 'Mock WeChat'. */
  readonly displayName?: string;
  /** Narrow the full capabilities; the sessions follow them. */
  readonly capabilities?: MockCapabilitiesOverride;
}

/** A provider whose sessions are accounts on `world`. Used through `world.provider` / `world.createProvider()`. */
export function createMockProviderForWorld(world: MockWorldState, options: MockProviderOptions = {}): ProviderV1<MockConfig> {
  const id = options.id ?? 'mock';
  const capabilities = mockCapabilities(options.capabilities);
  return defineProvider({
    specificationVersion: 'v1',
    id,
    displayName: options.displayName ?? 'Mock WeChat',
    version: testkitVersion,
    configSchema: mockConfigSchema,
    capabilities,
    createSession: sessionOptions =>
      exposeMockSession(new MockSession({ world, providerId: id, capabilities, options: sessionOptions }), id, capabilities),
  });
}

type OptionalMethods = { readonly [METHOD in OptionalSessionMethodV1]-?: NonNullable<ProviderSessionV1[METHOD]> };

/**
 * The session as hosts see it: the required methods, plus exactly the optional methods the capabilities promise
 * (`optionalMethodsV1`), so narrowing a capability also removes its method.
 */
export function exposeMockSession(
  session: MockSession,
  providerId: string,
  capabilities: ProviderCapabilitiesV1,
): ProviderSessionV1 {
  const exposed: ProviderSessionV1 = {
    specificationVersion: 'v1',
    providerId,
    get state() {
      return session.state;
    },
    start: () => session.start(),
    stop: () => session.stop(),
    logout: () => session.logout(),
    getSelf: () => session.getSelf(),
    getContact: contactId => session.getContact(contactId),
    getRoom: roomId => session.getRoom(roomId),
    listRoomMembers: roomId => session.listRoomMembers(roomId),
    sendMessage: message => session.sendMessage(message),
    downloadMedia: (media, options) => session.downloadMedia(media, options),
  };
  const optional: OptionalMethods = {
    login: () => session.login(),
    recallMessage: target => session.recallMessage(target),
    listContacts: () => session.listContacts(),
    setContactRemark: (contactId, remark) => session.setContactRemark(contactId, remark),
    listRooms: () => session.listRooms(),
    createRoom: params => session.createRoom(params),
    inviteToRoom: (roomId, contactIds) => session.inviteToRoom(roomId, contactIds),
    removeFromRoom: (roomId, contactIds) => session.removeFromRoom(roomId, contactIds),
    renameRoom: (roomId, name) => session.renameRoom(roomId, name),
    setRoomTopic: (roomId, topic) => session.setRoomTopic(roomId, topic),
    leaveRoom: roomId => session.leaveRoom(roomId),
    acceptFriendRequest: requestId => session.acceptFriendRequest(requestId),
    fetchHistory: params => session.fetchHistory(params),
    getRoomCapabilities: roomId => session.getRoomCapabilities(roomId),
    checkHealth: () => session.checkHealth(),
  };
  for (const rule of optionalMethodsV1) {
    if (rule.promised === undefined || rule.promised(capabilities))
      Object.assign(exposed, { [rule.method]: optional[rule.method] });
  }
  return exposed;
}
