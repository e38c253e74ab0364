import { createProviderRegistry, WechatConfigValidationError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { testProvider } from '../testing/test-provider.ts';
import { ConfigFileError } from './config-file-error.ts';
import { type LoadConfigOptions, loadConfigFile } from './load-config.ts';

const configYaml = `
homeserver:
  address: https://matrix.example.org
  domain: example.org
appservice:
  address: http://bridge:29350
  as_token_file: /run/secrets/as_token
  hs_token: inline-hs
providers:
  wecom:
    enabled: true
    corp_id: ww1
`;

function options(files: Record<string, string>, env: Record<string, string> = {}): LoadConfigOptions {
  return {
    env,
    providers: createProviderRegistry([testProvider]),
    readFile: async path => {
      const contents = files[path];
      if (contents === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return contents;
    },
  };
}

describe('loadConfigFile', () => {
  it('parses, resolves secrets from files and the environment, validates and checks provider sections', async () => {
    const { config, providers } = await loadConfigFile(
      'config.yaml',
      options(
        { 'config.yaml': configYaml, '/run/secrets/as_token': 'as-from-file\n' },
        { WECHAT_BRIDGE_PROVIDERS_WECOM_APP_SECRET: 'app-secret-from-env' },
      ),
    );
    expect(config.appservice.as_token).toBe('as-from-file');
    expect(config.appservice.hs_token).toBe('inline-hs');
    expect(config.appservice.port).toBe(29350);
    expect(providers.enabled).toEqual([
      {
        provider: testProvider,
        config: { enabled: true, corp_id: 'ww1', app_secret: 'app-secret-from-env', agent_id: 1_000_002 },
        tier: 1,
      },
    ]);
  });

  it('says which config file it cannot read', async () => {
    await expect(loadConfigFile('missing.yaml', options({}))).rejects.toThrow(
      "missing.yaml: cannot read the config file: ENOENT: no such file or directory, open 'missing.yaml'",
    );
    await expect(loadConfigFile('missing.yaml', options({}))).rejects.toBeInstanceOf(ConfigFileError);
  });

  it('reports a provider section problem with its full path', async () => {
    const error = await loadConfigFile(
      'config.yaml',
      options({ 'config.yaml': configYaml, '/run/secrets/as_token': 'as' }),
    ).catch((caught: unknown) => caught);
    expect(WechatConfigValidationError.isInstance(error)).toBe(true);
    expect((error as WechatConfigValidationError).issues).toEqual([
      { path: 'providers.wecom.app_secret', message: 'Invalid key: Expected "app_secret" but received undefined' },
    ]);
  });
});
