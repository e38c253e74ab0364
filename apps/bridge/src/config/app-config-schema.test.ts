import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { minimalConfig } from '../testing/minimal-config.ts';
import { appConfigSchema } from './app-config-schema.ts';

const parseApp = (input: unknown) => parseConfig(appConfigSchema, input);
const withSection = (key: string, value: unknown) => ({ ...minimalConfig, [key]: value });
const withAppservice = (overrides: Record<string, unknown>) =>
  withSection('appservice', { ...minimalConfig.appservice, ...overrides });

describe('appConfigSchema', () => {
  it('applies every default to the smallest valid config', () => {
    const config = parseApp(minimalConfig);
    expect(config.homeserver).toEqual(minimalConfig.homeserver);
    expect(config.appservice).toEqual({
      ...minimalConfig.appservice,
      hostname: '0.0.0.0',
      port: 29350,
      id: 'wechat',
      bot: { username: 'wechatbot', displayname: 'WeChat bridge bot' },
    });
    expect(config.database).toEqual({ type: 'pglite', path: './data/db' });
    expect(config.bridge.username_template).toBe('wechat_{{.}}');
    expect(config.bridge.permissions).toEqual({ '*': 'relay' });
    expect(config.providers).toEqual({
      failover: {
        enabled: false,
        health_check_interval_s: 30,
        failure_threshold: 3,
        recovery_check_interval_s: 120,
        recovery_threshold: 3,
      },
    });
    expect(config.metrics).toEqual({ enabled: true, listen: '0.0.0.0:9110' });
    expect(config.logging).toEqual({ min_level: 'info' });
  });

  it('keeps provider sections as they are, for their own schemas', () => {
    const providers = { wecom: { enabled: true, corp_id: 'ww1' }, failover: { enabled: true } };
    const config = parseApp(withSection('providers', providers));
    expect(config.providers.wecom).toEqual({ enabled: true, corp_id: 'ww1' });
    expect(config.providers.failover.enabled).toBe(true);
  });

  it('accepts a postgres database with its URI', () => {
    const database = { type: 'postgres', uri: 'postgresql://bridge:pw@db:5432/bridge' };
    expect(parseApp(withSection('database', database)).database).toEqual({ ...database, path: './data/db' });
  });

  it('names a missing required key and the type it expects', () => {
    expect(() => parseApp({ appservice: minimalConfig.appservice, homeserver: { domain: 'example.org' } })).toThrow(
      'homeserver.address: Invalid type: Expected string but received undefined',
    );
    expect(() => parseApp({ homeserver: minimalConfig.homeserver })).toThrow(
      'appservice: Invalid type: Expected Object but received undefined',
    );
  });

  it.each([
    [
      withSection('homeserver', { address: 'matrix.example.org', domain: 'example.org' }),
      'homeserver.address: must be an http:// or https:// URL',
    ],
    [
      withSection('homeserver', { address: 'https://matrix.example.org', domain: 'https://example.org' }),
      'homeserver.domain: must be the server name',
    ],
    [withAppservice({ address: 'ftp://bridge' }), 'appservice.address: must be an http:// or https:// URL'],
    [withAppservice({ port: 70_000 }), 'appservice.port: Invalid value: Expected <=65535 but received 70000'],
    [withAppservice({ hostname: 'every interface' }), 'appservice.hostname: must be an IP address or host name'],
    [withAppservice({ bot: { username: 'WeChat Bot' } }), 'appservice.bot.username: must be a user ID localpart'],
    [withAppservice({ bot: { avatar: 'https://example.org/a.png' } }), 'appservice.bot.avatar: must be an mxc:// URI'],
    [withAppservice({ as_token: '' }), 'appservice.as_token: must not be empty'],
    [
      withAppservice({ hs_token: minimalConfig.appservice.as_token }),
      'appservice.hs_token: must differ from appservice.as_token',
    ],
    [withSection('database', { type: 'mysql' }), 'database.type: Invalid type: Expected ("pglite" | "postgres")'],
    [withSection('database', { type: 'postgres' }), 'database.uri: is required when database.type is postgres'],
    [withSection('database', { uri: 'postgres://db/bridge' }), 'database.type: is pglite (the default), but database.uri is set'],
    [
      withSection('database', { type: 'postgres', uri: 'mysql://db' }),
      'database.uri: must be a postgres:// or postgresql:// connection URI',
    ],
    [withSection('bridge', { username_template: 'wechat' }), 'bridge.username_template: must contain {{.}} exactly once'],
    [
      withSection('providers', { failover: { failure_threshold: 0 } }),
      'providers.failover.failure_threshold: Invalid value: Expected >=1',
    ],
    [withSection('metrics', { listen: 'localhost' }), 'metrics.listen: must be host:port'],
    [
      withSection('logging', { min_level: 'verbose' }),
      'logging.min_level: Invalid type: Expected ("trace" | "debug" | "info" | "warn" | "error")',
    ],
    [withSection('homeserve', {}), 'homeserve: Invalid key: Expected never but received "homeserve"'],
  ])('rejects %j with the key path', (input, message) => {
    expect(() => parseApp(input)).toThrow(message);
  });

  it('keeps the bot out of the ghost namespace', () => {
    const input = { ...withAppservice({ bot: { username: 'wechat_bot' } }) };
    expect(() => parseApp(input)).toThrow(
      'appservice.bot.username: must not be a ghost user name that bridge.username_template (wechat_{{.}}) can produce',
    );
    const renamed = { ...input, bridge: { username_template: 'wx_{{.}}' } };
    expect(parseApp(renamed).appservice.bot.username).toBe('wechat_bot');
  });
});
