import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allSuites } from './suites/all-suites.ts';
import { mediaMessageKindsV1 } from './harness/conformance-harness.ts';
import { outgoingMessageKindsV1 } from '@wechat/provider-api';
import { testkitVersion } from './version.ts';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');
const readme = read('../README.md');

describe('README', () => {
  it.each([
    'text-gateway.conformance.test',
    'text-gateway-harness',
    'run-text-gateway-conformance',
    'room-suite',
    'mock-world.test',
  ])('shows examples/%s.ts exactly as it is compiled and tested', name => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const block = new RegExp(`<!-- example:${escaped} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n<!-- /example:${escaped} -->`).exec(
      readme,
    );
    expect(block?.[1]).toBe(read(`../examples/${name}.ts`));
  });

  it('documents every case of the built-in suites', () => {
    const perKind = new RegExp(
      `^(sends|receives) (${[...outgoingMessageKindsV1, ...mediaMessageKindsV1].join('|')})( and downloads it)?$`,
    );
    for (const suite of allSuites) {
      for (const testCase of suite.cases) {
        const documented = testCase.name.replace(
          perKind,
          (_match, verb: string, _kind: string, rest = '') => `${verb} <kind>${rest}`,
        );
        expect(readme, `${suite.name} › ${testCase.name}`).toContain(`\`${documented}\``);
      }
    }
  });
});

describe('testkitVersion', () => {
  it('is the version in package.json (the mock provider reports it)', () => {
    expect(testkitVersion).toBe((JSON.parse(read('../package.json')) as { version: string }).version);
  });
});
