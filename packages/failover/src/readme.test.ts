import { readFile } from 'node:fs/promises';
import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { failoverConfigSchema } from './failover-config.ts';

const read = (relative: string) => readFile(new URL(relative, import.meta.url), 'utf8');

describe('README', () => {
  it('shows the example exactly as it is tested', async () => {
    const readme = await read('../README.md');
    const block = /<!-- example:readme-example\.test -->\n```ts\n([\s\S]*?)```\n<!-- \/example:readme-example\.test -->/.exec(
      readme,
    );
    expect(block?.[1]).toBe(await read('./readme-example.test.ts'));
  });

  it('states the defaults the schema applies', async () => {
    const readme = await read('../README.md');
    for (const [key, value] of Object.entries(parseConfig(failoverConfigSchema, {}))) {
      expect(readme).toMatch(new RegExp(`\\| \`${key}\`\\s*\\| \`${String(value)}\`\\s*\\|`));
    }
  });
});
