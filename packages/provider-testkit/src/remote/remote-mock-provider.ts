import {
  defineProvider,
  exposeSessionV1,
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

/** The session as hosts see it: the required methods, and exactly the optional ones the capabilities promise. */
function exposeRemoteSession(session: RemoteMockSession, capabilities: ProviderCapabilitiesV1): ProviderSessionV1 {
  return exposeSessionV1(session, { providerId, capabilities });
}
