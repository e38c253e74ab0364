// Adds up the vitest JSON reports that the workspace's packages wrote into one directory and prints one
// closing line, "tests: N passed, N failed, N skipped". Exits non-zero when a test failed, when a suite
// failed to load, or when no test ran at all.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node .ci/summarize-tests.mjs RESULTS_DIR');
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
const files = readdirSync(dir).filter(name => name.endsWith('.json'));
for (const name of files) {
  const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A test file that fails to import has no tests but a failed status.
  brokenSuites += report.testResults.filter(suite => suite.status === 'failed' && suite.assertionResults.length === 0).length;
  console.log(`  ${name.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (brokenSuites > 0) console.log(`${brokenSuites} test file(s) failed to load`);
console.log(`tests: ${passed} passed, ${failed + brokenSuites} failed, ${skipped} skipped`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
