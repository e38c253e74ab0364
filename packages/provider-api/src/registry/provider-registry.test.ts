import { describe, expect, it } from 'vitest';
import { echoProvider } from '../../examples/echo-provider.ts';
import {
  WechatInvalidProviderError,
  WechatNoSuchProviderError,
  WechatUnsupportedSpecificationVersionError,
} from '../errors/wechat-errors.ts';
import { createProviderRegistry } from './provider-registry.ts';

describe('createProviderRegistry', () => {
  it('registers by value and finds providers by id', () => {
    const registry = createProviderRegistry([echoProvider]);
    expect(registry.has('echo')).toBe(true);
    expect(registry.get('echo')).toBe(echoProvider);
    expect(registry.list().map(provider => provider.id)).toEqual(['echo']);
  });

  it('lists the available providers when an id is unknown', () => {
    const registry = createProviderRegistry([echoProvider, { ...echoProvider, id: 'echo-two' }]);
    const error = (() => {
      try {
        registry.get('wecom');
      } catch (caught) {
        return caught;
      }
    })();
    expect(WechatNoSuchProviderError.isInstance(error)).toBe(true);
    expect((error as WechatNoSuchProviderError).availableProviders).toEqual(['echo', 'echo-two']);
    expect((error as Error).message).toBe("No provider with id 'wecom'. Available providers: echo, echo-two.");
  });

  it('says so when nothing is registered', () => {
    expect(() => createProviderRegistry().get('ipad')).toThrow("No provider with id 'ipad': no providers are registered.");
  });

  it('refuses a duplicate id', () => {
    const registry = createProviderRegistry([echoProvider]);
    expect(() => registry.register({ ...echoProvider })).toThrow(/already registered/);
  });

  it('rejects a provider of an unknown specification version with the versions it supports', () => {
    try {
      createProviderRegistry([{ ...echoProvider, specificationVersion: 'v9' }]);
      expect.unreachable();
    } catch (error) {
      expect(WechatUnsupportedSpecificationVersionError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ received: 'v9', supported: ['v1'], providerId: 'echo' });
    }
  });

  it('lists every shape problem of an invalid provider at once', () => {
    try {
      createProviderRegistry([{ specificationVersion: 'v1', id: 'Not Kebab', capabilities: { login: 'qr' } }]);
      expect.unreachable();
    } catch (error) {
      expect(WechatInvalidProviderError.isInstance(error)).toBe(true);
      const problems = (error as WechatInvalidProviderError).problems.join('\n');
      expect(problems).toContain('`id` must be kebab-case');
      expect(problems).toContain('`displayName`');
      expect(problems).toContain('`createSession` must be a function');
      expect(problems).toContain('`configSchema` must be a Standard Schema');
      expect(problems).toContain("`capabilities.login` must be 'interactive' or 'credentials'");
      expect(problems).toContain('`capabilities.send` must be an object');
    }
    expect(() => createProviderRegistry([null])).toThrow(/expected an object, received null/);
  });
});

describe('outbound-only kinds', () => {
  it('refuses a provider that claims to send system messages', () => {
    const capabilities = { ...echoProvider.capabilities, send: { text: 'full', system: 'full' } };
    expect(() => createProviderRegistry([{ ...echoProvider, capabilities }])).toThrow(/system messages are inbound only/);
  });
});
