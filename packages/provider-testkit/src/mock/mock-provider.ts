import {
  defineProvider,
  exposeSessionV1,
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

/**
 * The session as hosts see it: the required methods, plus exactly the optional methods the capabilities promise
 * (`optionalMethodsV1`), so narrowing a capability also removes its method.
 */
export function exposeMockSession(
  session: MockSession,
  providerId: string,
  capabilities: ProviderCapabilitiesV1,
): ProviderSessionV1 {
  return exposeSessionV1(session, { providerId, capabilities });
}
