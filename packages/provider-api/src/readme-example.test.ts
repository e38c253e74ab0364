import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('README', () => {
  it('shows exactly the example provider that is compiled and tested', () => {
    const readme = read('../README.md');
    const block = /<!-- example:echo-provider -->\n```ts\n([\s\S]*?)```\n<!-- \/example:echo-provider -->/.exec(readme);
    expect(block?.[1]).toBe(read('../examples/echo-provider.ts'));
  });

  it('lists every exported error class', async () => {
    const exports = await import('./index.ts');
    const errorClasses = Object.keys(exports).filter(name => /^Wechat\w+Error$/.test(name));
    const readme = read('../README.md');
    for (const name of errorClasses) expect(readme, name).toContain(`\`${name}\``);
  });
});
