import { describe, expect, it } from 'vitest';
import { parseRuleGroups, templateLabelReferences } from './alert-rules.ts';
import { expressionProblems, possibleResultLabels, referencedFamilies } from './expression-checks.ts';
import { KIT_FILES, readKitYaml } from './kit-files.ts';
import { findMetric } from './metric-catalog.ts';
import { bridgeMetricIdentifiers } from './promql.ts';
import { expectArray, expectRecord, expectString } from './shape.ts';

const EXPECTED_SEVERITY: Readonly<Record<string, string>> = {
  WeChatBridgeDisconnected: 'critical',
  WeChatBridgeHighFailureRate: 'warning',
  WeChatBridgeReconnectStorm: 'warning',
  WeChatBridgeProviderErrors: 'warning',
  WeChatBridgeHighLatency: 'warning',
  WeChatBridgeLoginFailed: 'critical',
  WeChatBridgeDown: 'critical',
  WeChatBridgeRiskControlActive: 'info',
  WeChatBridgeOutboxBacklog: 'warning',
  WeChatBridgeFailover: 'warning',
};

const groups = parseRuleGroups(readKitYaml(KIT_FILES.alertRules));
const rules = groups.flatMap(group => group.rules);
const rule = (name: string) => {
  const found = rules.find(item => item.alert === name);
  if (!found) throw new Error(`no alert ${name}`);
  return found;
};

describe('alerts.yml', () => {
  it('has the single group mautrix_wechat_alerts', () => {
    expect(groups.map(group => group.name)).toEqual(['mautrix_wechat_alerts']);
  });

  it('defines exactly the expected alerts, each once', () => {
    expect(rules.map(item => item.alert).sort()).toEqual(Object.keys(EXPECTED_SEVERITY).sort());
  });

  it('mentions only metrics the bridge exposes, in expressions and annotations', () => {
    const text = rules.flatMap(item => [item.expr, ...Object.values(item.annotations)]).join('\n');
    expect(bridgeMetricIdentifiers(text).filter(name => !findMetric(name))).toEqual([]);
  });

  it.each(Object.keys(EXPECTED_SEVERITY))('%s has a sound expression', name => {
    expect(expressionProblems(rule(name).expr)).toEqual([]);
  });

  it.each(Object.entries(EXPECTED_SEVERITY))('%s has severity %s and a valid for duration', (name, severity) => {
    const { labels, for: pending } = rule(name);
    expect(labels).toEqual({ severity });
    if (pending !== undefined) expect(pending).toMatch(/^(\d+(ms|s|m|h|d|w|y))+$/);
  });

  it.each(Object.keys(EXPECTED_SEVERITY))('%s annotations only read labels its result carries', name => {
    const { expr, annotations } = rule(name);
    expect(Object.keys(annotations).sort()).toEqual(['description', 'summary']);
    expect(annotations.summary?.trim()).not.toBe('');
    expect(annotations.description?.trim()).not.toBe('');
    const available = possibleResultLabels(expr);
    const used = Object.values(annotations).flatMap(templateLabelReferences);
    expect(used.filter(label => !available.has(label))).toEqual([]);
    // A per-provider alert must say which provider.
    if (available.has('provider')) expect(used).toContain('provider');
  });

  it('pages about disconnection only for a provider that has logins', () => {
    const { expr, for: pending } = rule('WeChatBridgeDisconnected');
    // absent() would fire on a bridge nobody has logged in to yet.
    expect(expr).not.toMatch(/absent/);
    expect(referencedFamilies(expr)).toEqual(['mautrix_wechat_connected', 'mautrix_wechat_login_state']);
    expect(pending).toBe('2m');
  });

  it('watches the latency of both directions through their buckets', () => {
    const { expr } = rule('WeChatBridgeHighLatency');
    expect(referencedFamilies(expr).sort()).toEqual([
      'mautrix_wechat_matrix_to_wechat_latency_seconds',
      'mautrix_wechat_wechat_to_matrix_latency_seconds',
    ]);
    expect(expr.match(/histogram_quantile\(0\.95,/g)).toHaveLength(2);
  });

  it('reads the scrape health of the bridge job for WeChatBridgeDown', () => {
    expect(rule('WeChatBridgeDown').expr.trim()).toBe('up{job="mautrix-wechat"} == 0');
  });

  it('uses $value where the number is the news', () => {
    for (const name of [
      'WeChatBridgeHighFailureRate',
      'WeChatBridgeReconnectStorm',
      'WeChatBridgeProviderErrors',
      'WeChatBridgeHighLatency',
    ]) {
      expect(rule(name).annotations.description, name).toContain('$value');
    }
  });
});

describe('alerts.test.yml', () => {
  const document = expectRecord(readKitYaml(KIT_FILES.alertRuleTests), KIT_FILES.alertRuleTests);
  const tests = expectArray(document.tests, 'tests').map((value, index) => expectRecord(value, `tests[${index}]`));
  const checks = tests.flatMap(test =>
    expectArray(test.alert_rule_test, 'alert_rule_test').map((value, index) => {
      const check = expectRecord(value, `alert_rule_test[${index}]`);
      return {
        alertname: expectString(check.alertname, 'alertname'),
        expected: check.exp_alerts === undefined ? [] : expectArray(check.exp_alerts, 'exp_alerts'),
      };
    }),
  );

  it('tests the rule file this kit ships', () => {
    expect(document.rule_files).toEqual([KIT_FILES.alertRules]);
  });

  it.each(Object.keys(EXPECTED_SEVERITY))('has a firing and a quiet case for %s', name => {
    const cases = checks.filter(check => check.alertname === name);
    expect(cases.some(check => check.expected.length > 0)).toBe(true);
    expect(cases.some(check => check.expected.length === 0)).toBe(true);
  });

  it('only tests alerts that exist', () => {
    expect(checks.map(check => check.alertname).filter(name => !(name in EXPECTED_SEVERITY))).toEqual([]);
  });
});
