import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardQueries, parseDashboard, toPromQL } from './dashboard.ts';
import { KIT_FILES, kitRoot, readKitJson, readKitYaml } from './kit-files.ts';
import { findExecutable, runCommand } from './promtool.ts';
import { expectRecord } from './shape.ts';

const promtool = findExecutable('promtool', process.env.PATH);
const skipReason =
  'promtool is not on PATH (install the Debian/Ubuntu "prometheus" package or a Prometheus release to run these checks)';
if (!promtool) console.warn(`Skipping the promtool checks: ${skipReason}.`);

const workDir = mkdtempSync(join(tmpdir(), 'monitoring-kit-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function promtoolRun(args: readonly string[], cwd: string = kitRoot()) {
  if (!promtool) throw new Error(skipReason);
  return runCommand(promtool, args, cwd);
}

describe('findExecutable', () => {
  it('finds an executable on PATH and nothing for an unknown name', () => {
    expect(findExecutable('node', process.env.PATH)).toMatch(/node$/);
    expect(findExecutable('no-such-tool-in-the-monitoring-kit', process.env.PATH)).toBeUndefined();
    expect(findExecutable('node', undefined)).toBeUndefined();
  });
});

describe.skipIf(!promtool)(`promtool${promtool ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('accepts prometheus.yml together with its rule file', () => {
    // rule_files names the path inside the container; point it at the kit's copy.
    const config = expectRecord(readKitYaml(KIT_FILES.prometheusConfig), 'prometheus.yml');
    const localConfig = join(workDir, 'prometheus.yml');
    writeFileSync(localConfig, stringify({ ...config, rule_files: [join(kitRoot(), KIT_FILES.alertRules)] }));
    const result = promtoolRun(['check', 'config', localConfig]);
    expect(result.output).toMatch(/SUCCESS: 10 rules found/);
    expect(result.status, result.output).toBe(0);
  });

  it('accepts alerts.yml', () => {
    const result = promtoolRun(['check', 'rules', KIT_FILES.alertRules]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS: 10 rules found');
  });

  it('passes the alert unit tests in alerts.test.yml', () => {
    const result = promtoolRun(['test', 'rules', KIT_FILES.alertRuleTests]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('parses every dashboard query (as recording rules)', () => {
    const queries = dashboardQueries(parseDashboard(readKitJson(KIT_FILES.dashboard)));
    const rules = queries.map((query, index) => ({ record: `dashboard:query_${index}`, expr: toPromQL(query.expr) }));
    const file = join(workDir, 'dashboard-rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const result = promtoolRun(['check', 'rules', file]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
