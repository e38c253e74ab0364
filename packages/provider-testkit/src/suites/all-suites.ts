import type { ConformanceSuite } from '../runner/conformance-suite.ts';
import { contractSuite } from './contract-suite.ts';
import { errorsSuite } from './errors-suite.ts';
import { hygieneSuite } from './hygiene-suite.ts';
import { inboundSuite } from './inbound-suite.ts';
import { lifecycleSuite } from './lifecycle-suite.ts';
import { messagingSuite } from './messaging-suite.ts';

/** The built-in suites by name. */
export const suites = {
  contract: contractSuite,
  lifecycle: lifecycleSuite,
  messaging: messagingSuite,
  inbound: inboundSuite,
  errors: errorsSuite,
  hygiene: hygieneSuite,
} as const satisfies Record<string, ConformanceSuite>;

/** Every built-in suite, in the order they run by default. */
export const allSuites: readonly ConformanceSuite[] = [
  contractSuite,
  lifecycleSuite,
  messagingSuite,
  inboundSuite,
  errorsSuite,
  hygieneSuite,
];
