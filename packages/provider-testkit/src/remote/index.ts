// `@wechat/provider-testkit/remote-mock`: a mock world in the test process, used by an app in another one.

// The app side: loaded by name (`loadProvider('@wechat/provider-testkit/remote-mock')` finds `provider`).
export { remoteMockProvider, remoteMockProvider as provider } from './remote-mock-provider.ts';
export { type RemoteMockConfig, type RemoteMockConfigInput, remoteMockConfigSchema } from './remote-mock-config.ts';
export { remoteSessionKeyStorageKey } from './remote-mock-session.ts';

// The test side.
export { type RemoteMockServer, type RemoteMockServerOptions, startRemoteMockServer } from './remote-mock-server.ts';
