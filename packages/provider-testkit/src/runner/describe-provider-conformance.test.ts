import { describe, expect, it } from 'vitest';
import { createMockWorld } from '../mock/mock-world.ts';
import { createSuite } from './conformance-suite.ts';
import { registerProviderConformance, type TestRegistrar } from './describe-provider-conformance.ts';

interface Registered {
  readonly suite: string;
  readonly name: string;
  readonly skipped: boolean;
  readonly fn: (context: { skip: (note?: string) => never }) => Promise<void>;
  readonly timeoutMs?: number;
}

/** A stand-in for vitest's describe/it that records what the kit registers. */
function fakeRegistrar() {
  const tests: Registered[] = [];
  const warnings: string[] = [];
  let suite = '';
  const it = Object.assign(
    (name: string, fn: Registered['fn'], timeoutMs?: number) => {
      tests.push({ suite, name, skipped: false, fn, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    },
    { skip: (name: string) => tests.push({ suite, name, skipped: true, fn: async () => {} }) },
  );
  const registrar: TestRegistrar = {
    describe: (name, factory) => {
      suite = name;
      factory();
    },
    it,
    warn: message => warnings.push(message),
  };
  return { registrar, tests, warnings };
}

const skipSignal = (note?: string): never => {
  throw Object.assign(new Error('vitest skip'), { note });
};

const options = {
  provider: createMockWorld().provider,
  createHarness: async () => createMockWorld().harness(),
};

describe('describeProviderConformance', () => {
  it('registers one describe per suite and one it per case, with room for the kit’s own timeout', () => {
    const { registrar, tests } = fakeRegistrar();
    registerProviderConformance(
      {
        ...options,
        timeoutMs: 1_000,
        suites: [
          createSuite('a', [
            { name: 'one', run: async () => {} },
            { name: 'two', run: async () => {} },
          ]),
        ],
      },
      registrar,
    );
    expect(tests.map(({ suite, name, skipped, timeoutMs }) => ({ suite, name, skipped, timeoutMs }))).toEqual([
      { suite: 'mock conformance › a', name: 'one', skipped: false, timeoutMs: 4_000 },
      { suite: 'mock conformance › a', name: 'two', skipped: false, timeoutMs: 4_000 },
    ]);
  });

  it('registers skipped cases with it.skip, the reason in the name, and prints the reason', () => {
    const { registrar, tests, warnings } = fakeRegistrar();
    registerProviderConformance(
      {
        ...options,
        suites: [
          createSuite('a', [
            { name: 'skipped by option', run: async () => {} },
            { name: 'not applicable', notApplicable: () => 'no such feature', run: async () => {} },
          ]),
        ],
        skip: { 'a › skipped by option': 'see issue #7' },
      },
      registrar,
    );
    expect(tests.map(({ name, skipped }) => ({ name, skipped }))).toEqual([
      { name: 'skipped by option (skipped: see issue #7)', skipped: true },
      { name: 'not applicable (skipped: no such feature)', skipped: true },
    ]);
    expect(warnings).toEqual([
      "[provider-testkit] mock: skipped 'a › skipped by option': see issue #7",
      "[provider-testkit] mock: skipped 'a › not applicable': no such feature",
    ]);
  });

  it('turns a failed case into a failed test and a run-time skip into a skipped one, printing the reason', async () => {
    const { registrar, tests, warnings } = fakeRegistrar();
    registerProviderConformance(
      {
        ...options,
        suites: [
          createSuite('a', [
            { name: 'passes', run: async () => {} },
            {
              name: 'fails',
              run: async () => {
                throw new Error('broken');
              },
            },
            { name: 'skips', run: async context => context.skip('the harness cannot do that') },
          ]),
        ],
      },
      registrar,
    );
    const [passes, fails, skips] = tests;
    await expect(passes?.fn({ skip: skipSignal })).resolves.toBeUndefined();
    await expect(fails?.fn({ skip: skipSignal })).rejects.toThrow('broken');
    await expect(skips?.fn({ skip: skipSignal })).rejects.toMatchObject({ note: 'the harness cannot do that' });
    expect(warnings).toEqual(["[provider-testkit] mock: skipped 'a › skips': the harness cannot do that"]);
  });
});
