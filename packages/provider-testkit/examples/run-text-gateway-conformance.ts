// Runs the conformance suites without a test runner, e.g. in a CI step or a provider's own CLI:
//   node --conditions=dev-source examples/run-text-gateway-conformance.ts
import process from 'node:process';
import { formatConformanceReport, runConformance } from '@wechat/provider-testkit';
import { createTextGatewayHarness } from './text-gateway-harness.ts';
import { createTextGatewayProvider } from './text-gateway-provider.ts';

const report = await runConformance({
  provider: createTextGatewayProvider(() => {
    throw new Error('sessions come from the harness provider');
  }),
  createHarness: createTextGatewayHarness,
  invalidConfigs: [{}, { url: 'not a url', token: 't' }],
  skip: { 'lifecycle › restarts three times': 'example of a documented skip' },
});
console.log(formatConformanceReport(report));
process.exitCode = report.ok ? 0 : 1;
