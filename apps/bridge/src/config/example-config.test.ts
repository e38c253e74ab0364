import { bridgeConfigSchema } from '@wechat/bridge-core';
import { createProviderRegistry, parseConfig } from '@wechat/provider-api';
import { ipadProvider } from '@wechat/provider-ipad';
import { pchookProvider } from '@wechat/provider-pchook';
import { wecomProvider } from '@wechat/provider-wecom';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configLeafPaths } from '../testing/config-leaf-paths.ts';
import { minimalConfig } from '../testing/minimal-config.ts';
import { appConfigSchema } from './app-config-schema.ts';
import { renderExampleConfig } from './example-config.ts';
import { validateConfigDocument } from './load-config.ts';
import { validateProviderSections } from './provider-sections.ts';

const tokens = { asToken: 'a'.repeat(64), hsToken: 'b'.repeat(64) };
const noSecrets = { env: {}, readFile: () => Promise.reject(new Error('no files in this test')) };
const registry = createProviderRegistry();

/** The example as a user would edit it: with the homeserver filled in. */
function filledIn(example: string): Record<string, unknown> {
  const document = parse(example) as Record<string, unknown>;
  return { ...document, homeserver: minimalConfig.homeserver };
}

/** Turns the commented-out settings (`# key: value`) into real ones; prose comments start with a capital. */
function uncommented(example: string): string {
  return example.replace(/^(\s*)# (?=\s*(?:"[^"]+"|[a-z][\w.]*):(?: |$))/gm, '$1');
}

function pathsIn(value: unknown, prefix: readonly string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.join('.')];
  return Object.entries(value).flatMap(([key, child]) => [prefix.join('.'), ...pathsIn(child, [...prefix, key])]);
}

describe('renderExampleConfig', () => {
  it('is rejected until the homeserver is filled in', async () => {
    const document = parse(renderExampleConfig(tokens));
    await expect(validateConfigDocument(document, { ...noSecrets, providers: registry })).rejects.toThrow(
      'homeserver.address: must be an http:// or https:// URL',
    );
  });

  it('validates once the homeserver is filled in, with the generated tokens', async () => {
    const { config } = await validateConfigDocument(filledIn(renderExampleConfig(tokens)), { ...noSecrets, providers: registry });
    expect(config.appservice.as_token).toBe(tokens.asToken);
    expect(config.appservice.hs_token).toBe(tokens.hsToken);
  });

  it('shows exactly the defaults the schemas apply', () => {
    const example = parseConfig(appConfigSchema, filledIn(renderExampleConfig(tokens)));
    const defaults = parseConfig(appConfigSchema, {
      ...minimalConfig,
      appservice: { ...minimalConfig.appservice, as_token: tokens.asToken, hs_token: tokens.hsToken },
    });
    expect(example).toEqual(defaults);
    expect(example.bridge).toEqual(parseConfig(bridgeConfigSchema, {}));
  });

  it('mentions every setting; the commented-out ones are valid once uncommented', () => {
    const document = filledIn(uncommented(renderExampleConfig(tokens)));
    const database = document.database as Record<string, unknown>;
    // uri is only valid together with type postgres, which the example explains in prose.
    const config = parseConfig(appConfigSchema, { ...document, database: { ...database, type: 'postgres' } });
    expect(config.appservice.bot.avatar).toMatch(/^mxc:\/\//);
    expect(config.bridge.permissions).toEqual({ '*': 'relay', 'example.org': 'user', '@admin:example.org': 'admin' });
    const present = new Set(pathsIn(document));
    expect(configLeafPaths().filter(path => !present.has(path))).toEqual([]);
  });

  it("shows provider sections that each provider's own schema accepts once enabled", () => {
    const document = filledIn(uncommented(renderExampleConfig(tokens)));
    const providers = document.providers as Record<string, Record<string, unknown>>;
    expect(Object.keys(providers).sort()).toEqual(['failover', 'ipad', 'pchook', 'wecom']);
    const enabled = Object.fromEntries(
      Object.entries(providers).map(([id, section]) => [id, id === 'failover' ? section : { ...section, enabled: true }]),
    );
    const sections = validateProviderSections(enabled, createProviderRegistry([wecomProvider, ipadProvider, pchookProvider]));
    expect(sections.enabled.map(section => section.provider.id)).toEqual(['wecom', 'ipad', 'pchook']);
    expect(sections.enabled.find(section => section.provider.id === 'pchook')?.config).toMatchObject({
      windows_dir: 'C:\\wcf-share',
    });
  });

  it('puts the tokens it is given into the appservice section', () => {
    const example = renderExampleConfig({ asToken: 'first-token', hsToken: 'second-token' });
    expect(parse(example).appservice).toMatchObject({ as_token: 'first-token', hs_token: 'second-token' });
  });
});
