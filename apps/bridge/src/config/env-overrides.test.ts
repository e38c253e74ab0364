import { describe, expect, it } from 'vitest';
import { appConfigSchema } from './app-config-schema.ts';
import { describeConfigKeys } from './config-key-tree.ts';
import { collectEnvOverrides, envVariableFor } from './env-overrides.ts';

const keys = describeConfigKeys(appConfigSchema);
const collect = (env: Record<string, string | undefined>, document: unknown = {}) => collectEnvOverrides(env, document, keys);

describe('envVariableFor', () => {
  it('spells a key path in upper snake case after the prefix', () => {
    expect(envVariableFor(['appservice', 'as_token'])).toBe('WECHAT_BRIDGE_APPSERVICE_AS_TOKEN');
    expect(envVariableFor(['bridge', 'media', 'voice_converter'])).toBe('WECHAT_BRIDGE_BRIDGE_MEDIA_VOICE_CONVERTER');
  });
});

describe('collectEnvOverrides', () => {
  it('splits names at the keys the schema knows, although keys contain underscores', () => {
    const { overrides, issues } = collect({
      WECHAT_BRIDGE_APPSERVICE_AS_TOKEN: 'as',
      WECHAT_BRIDGE_APPSERVICE_BOT_DISPLAYNAME: 'Bot',
      WECHAT_BRIDGE_BRIDGE_USERNAME_TEMPLATE: 'wx_{{.}}',
      WECHAT_BRIDGE_DATABASE_URI: 'postgres://db/bridge',
    });
    expect(issues).toEqual([]);
    expect(overrides.map(({ path, value }) => [path.join('.'), value])).toEqual([
      ['appservice.as_token', 'as'],
      ['appservice.bot.displayname', 'Bot'],
      ['bridge.username_template', 'wx_{{.}}'],
      ['database.uri', 'postgres://db/bridge'],
    ]);
  });

  it('ignores other variables and empty values', () => {
    expect(collect({ PATH: '/bin', WECHAT_BRIDGE_APPSERVICE_AS_TOKEN: '', WECHAT_BRIDGE_DATABASE_URI: undefined })).toEqual({
      overrides: [],
      issues: [],
    });
  });

  it('reaches into provider sections present in the file, adding a key where none matches', () => {
    const document = { providers: { wecom: { corp_id: 'ww1', callback: { port: 29351 } } } };
    const { overrides, issues } = collect(
      {
        WECHAT_BRIDGE_PROVIDERS_WECOM_CORP_ID: 'ww2',
        WECHAT_BRIDGE_PROVIDERS_WECOM_APP_SECRET: 'secret',
        WECHAT_BRIDGE_PROVIDERS_WECOM_CALLBACK_TOKEN: 'token',
      },
      document,
    );
    expect(issues).toEqual([]);
    expect(overrides.map(({ path }) => path.join('.'))).toEqual([
      'providers.wecom.corp_id',
      'providers.wecom.app_secret',
      'providers.wecom.callback.token',
    ]);
  });

  it('reports variables that name nothing, or a setting that is not text, without their values', () => {
    const { overrides, issues } = collect(
      {
        WECHAT_BRIDGE_APPSERVICE_AS_TOKN: 'secret-1',
        WECHAT_BRIDGE_PROVIDERS_IPAD_API_TOKEN: 'secret-2',
        WECHAT_BRIDGE_APPSERVICE_PORT: '29350',
        WECHAT_BRIDGE_APPSERVICE: 'secret-3',
      },
      { providers: {} },
    );
    expect(overrides).toEqual([]);
    expect(issues).toEqual([
      { path: '$WECHAT_BRIDGE_APPSERVICE_AS_TOKN', message: 'does not name a config setting' },
      { path: '$WECHAT_BRIDGE_PROVIDERS_IPAD_API_TOKEN', message: 'does not name a config setting' },
      { path: '$WECHAT_BRIDGE_APPSERVICE_PORT', message: 'appservice.port is not a text setting; set it in the config file' },
      { path: '$WECHAT_BRIDGE_APPSERVICE', message: 'appservice is not a text setting; set it in the config file' },
    ]);
  });

  it('refuses a name that fits two keys', () => {
    const document = { bridge: { permissions: { 'example.org': 'user', example_org: 'admin' } } };
    const { issues } = collect({ WECHAT_BRIDGE_BRIDGE_PERMISSIONS_EXAMPLE_ORG: 'relay' }, document);
    expect(issues).toEqual([
      {
        path: '$WECHAT_BRIDGE_BRIDGE_PERMISSIONS_EXAMPLE_ORG',
        message: 'is ambiguous: it could mean bridge.permissions.example.org or bridge.permissions.example_org',
      },
    ]);
  });
});
