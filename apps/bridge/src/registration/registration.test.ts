import { parseConfig } from '@wechat/provider-api';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from '../config/app-config-schema.ts';
import { minimalConfig } from '../testing/minimal-config.ts';
import { buildRegistration, renderRegistration } from './registration.ts';

const configWith = (overrides: Record<string, unknown> = {}) => parseConfig(appConfigSchema, { ...minimalConfig, ...overrides });

describe('buildRegistration', () => {
  it('describes the appservice the way Synapse and matrix-bot-sdk need it', () => {
    expect(buildRegistration(configWith())).toEqual({
      id: 'wechat',
      url: 'http://localhost:29350',
      as_token: 'as-token-0123',
      hs_token: 'hs-token-4567',
      sender_localpart: 'wechatbot',
      namespaces: {
        users: [{ exclusive: true, regex: '@wechat_.+:example\\.org$|@wechatbot:example\\.org$' }],
        aliases: [],
        rooms: [],
      },
      rate_limited: false,
      receive_ephemeral: true,
      'de.sorunome.msc2409.push_ephemeral': true,
      'org.matrix.msc3202': true,
    });
  });

  it('follows the configured id, bot and template, and asks for MSC3202 only when encryption is allowed', () => {
    const registration = buildRegistration(
      configWith({
        appservice: { ...minimalConfig.appservice, id: 'wx', bot: { username: 'wxbot' } },
        bridge: { username_template: 'wx_{{.}}', encryption: { allow: false } },
      }),
    );
    expect(registration.id).toBe('wx');
    expect(registration.sender_localpart).toBe('wxbot');
    expect(registration.namespaces.users[0].regex).toBe('@wx_.+:example\\.org$|@wxbot:example\\.org$');
    expect(registration).not.toHaveProperty('org.matrix.msc3202');
  });
});

describe('renderRegistration', () => {
  it('writes YAML that reads back to the same registration, regex escapes intact', () => {
    const registration = buildRegistration(configWith());
    const rendered = renderRegistration(registration);
    expect(rendered.startsWith('# Appservice registration for wechat-bridge')).toBe(true);
    expect(parse(rendered)).toEqual(registration);
  });
});
