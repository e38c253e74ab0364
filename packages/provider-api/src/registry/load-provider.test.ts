import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { echoProvider } from '../../examples/echo-provider.ts';
import { WechatProviderLoadError } from '../errors/wechat-errors.ts';
import { loadProvider } from './load-provider.ts';

async function loadError(promise: Promise<unknown>): Promise<WechatProviderLoadError> {
  try {
    await promise;
  } catch (error) {
    if (WechatProviderLoadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a load error');
}

describe('loadProvider', () => {
  it('loads the `provider` export of a module', async () => {
    const url = pathToFileURL(new URL('../../examples/echo-provider.ts', import.meta.url).pathname).href;
    const provider = await loadProvider(url);
    expect(provider.id).toBe('echo');
    expect(provider.createSession).toBeTypeOf('function');
  });

  it('uses the host-supplied importer', async () => {
    const requested: string[] = [];
    const provider = await loadProvider('wechat-provider-echo', {
      importModule: async name => {
        requested.push(name);
        return { provider: echoProvider };
      },
    });
    expect(provider).toBe(echoProvider);
    expect(requested).toEqual(['wechat-provider-echo']);
  });

  it('tells the user how to install a missing package', async () => {
    const error = await loadError(loadProvider('wechat-provider-that-does-not-exist'));
    expect(error.code).toBe('PROVIDER_LOAD_FAILED');
    expect(error.moduleName).toBe('wechat-provider-that-does-not-exist');
    expect(error.message).toContain('is not installed');
    expect(error.message).toContain('pnpm add wechat-provider-that-does-not-exist');
  });

  it('reports a package that throws while loading with its own message', async () => {
    const error = await loadError(
      loadProvider('wechat-provider-broken', {
        importModule: async () => {
          throw new SyntaxError('Unexpected token');
        },
      }),
    );
    expect(error.message).toBe("Provider package 'wechat-provider-broken' failed to load: Unexpected token");
  });

  it('explains the missing `provider` export', async () => {
    const error = await loadError(loadProvider('some-lib', { importModule: async () => ({ other: 1 }) }));
    expect(error.message).toContain('does not export a `provider`');
  });

  it('wraps shape problems with the package name', async () => {
    const error = await loadError(
      loadProvider('wechat-provider-old', {
        importModule: async () => ({ provider: { ...echoProvider, specificationVersion: 'v0' } }),
      }),
    );
    expect(error.message).toMatch(/^Package 'wechat-provider-old': Provider 'echo' implements specification version "v0"/);
  });
});
