import {
  defineProvider,
  type OptionalSessionMethodV1,
  optionalMethodsV1,
  type ProviderCapabilitiesV1,
  type ProviderSessionV1,
  type ProviderV1,
} from '@wechat/provider-api';
import { mockFullCapabilities } from '../mock/mock-capabilities.ts';
import { testkitVersion } from '../version.ts';
import { type RemoteMockConfig, remoteMockConfigSchema } from './remote-mock-config.ts';
import { RemoteMockSession } from './remote-mock-session.ts';

const providerId = 'mock';

/**
 * The mock provider for an app in another process than its test: each session proxies to a remote session of
 * a mock world served by `startRemoteMockServer`. Same id and capabilities as `world.provider`, so the app
 * cannot tell the difference; load it by name: `loadProvider('@wechat/provider-testkit/remote-mock')`.
 */
export const remoteMockProvider: ProviderV1<RemoteMockConfig> = defineProvider({
  specificationVersion: 'v1',
  id: providerId,
  displayName: 'Mock WeChat (remote)',
  version: testkitVersion,
  configSchema: remoteMockConfigSchema,
  capabilities: mockFullCapabilities,
  // No IO here: the session key is read and the server reached in start().
  createSession: options => exposeRemoteSession(new RemoteMockSession({ providerId, options }), mockFullCapabilities),
});

type OptionalMethods = { readonly [METHOD in OptionalSessionMethodV1]-?: NonNullable<ProviderSessionV1[METHOD]> };

/** The session as hosts see it: the required methods, and exactly the optional ones the capabilities promise. */
function exposeRemoteSession(session: RemoteMockSession, capabilities: ProviderCapabilitiesV1): ProviderSessionV1 {
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
