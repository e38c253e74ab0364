import { readFileSync } from 'node:fs';
import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from './config/app-config-schema.ts';
import { configLeafPaths } from './testing/config-leaf-paths.ts';
import { minimalConfig } from './testing/minimal-config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The configuration reference table: key → default cell. */
const documented = new Map(
  [...readme.matchAll(/^\| `([^`]+)`\s*\| ([^|]+?)\s*\|/gm)].map(([, key, defaultCell]) => [key!, defaultCell!] as const),
);

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

describe('README', () => {
  it('documents every setting, and only settings that exist', () => {
    const settings = [...configLeafPaths(), 'providers.<id>', 'providers.<id>.enabled'];
    expect([...documented.keys()].filter(key => key.includes('.')).sort()).toEqual(settings.sort());
  });

  it('states the defaults the schema applies', () => {
    const defaults = parseConfig(appConfigSchema, minimalConfig);
    for (const path of configLeafPaths()) {
      const value = valueAt(defaults, path);
      const expected = value === undefined ? 'none' : `\`${typeof value === 'object' ? JSON.stringify(value) : String(value)}\``;
      const required = valueAt(minimalConfig, path) !== undefined;
      expect(documented.get(path), path).toBe(required ? 'required' : expected);
    }
  });

  it('lists every command of the CLI', async () => {
    const { usage } = await import('./cli/usage.ts');
    const commands = [...usage.matchAll(/^ {2}([a-z][a-z-]+)(?: --config FILE)? {2,}[A-Z]/gm)].map(([, command]) => command);
    expect(commands).toEqual(['generate-config', 'generate-registration', 'validate-config', 'start', 'help']);
    for (const command of commands) expect(readme, command).toContain(`| \`${command}`);
  });
});
