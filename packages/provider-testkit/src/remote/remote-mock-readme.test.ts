import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

// The README's remote-mock section shows these files as they are, so what it shows keeps working.
describe('README: Remote mock', () => {
  it.each(['remote-mock-example.test', '__fixtures__/ding-dong-app'])('shows src/remote/%s.ts exactly as it is tested', name => {
    const marker = `example:remote/${name}`;
    const readme = read('../../README.md');
    const start = readme.indexOf(`<!-- ${marker} -->\n\`\`\`ts\n`);
    const end = readme.indexOf(`\`\`\`\n<!-- /${marker} -->`);
    expect(start, `the README has no ${marker} block`).toBeGreaterThan(-1);
    expect(readme.slice(start + `<!-- ${marker} -->\n\`\`\`ts\n`.length, end)).toBe(read(`./${name}.ts`));
  });
});
