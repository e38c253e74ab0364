import { describe, expect, it } from 'vitest';
import { dashboardQueries, panelsOverlap, parseDashboard, toPromQL } from './dashboard.ts';
import { expressionProblems, possibleResultLabels, referencedFamilies } from './expression-checks.ts';
import { KIT_FILES, readKitJson, readKitYaml } from './kit-files.ts';
import { BRIDGE_METRICS, findMetric } from './metric-catalog.ts';
import { bracketProblems, bridgeMetricIdentifiers, functionCalls, rangeFunctionSeries, selectorMatchers } from './promql.ts';
import { expectArray, expectRecord, expectString } from './shape.ts';

const dashboard = parseDashboard(readKitJson(KIT_FILES.dashboard));
const datasources = expectArray(
  expectRecord(readKitYaml(KIT_FILES.grafanaDatasources), 'datasources file').datasources,
  'datasources',
);
const provisionedUid = expectString(expectRecord(datasources[0], 'datasources[0]').uid, 'datasources[0].uid');
const queries = dashboardQueries(dashboard);
const queryPanels = dashboard.panels.filter(panel => panel.type !== 'row');
const panelExprs = queryPanels.flatMap(panel => panel.targets.map(target => target.expr));

describe('toPromQL', () => {
  it('turns Grafana variables and label_values into plain PromQL', () => {
    expect(toPromQL(`rate(x{provider=~"$provider"}[$__rate_interval]) + increase(y[\${__interval}]) + z[$__range]`)).toBe(
      'rate(x{provider=~"$provider"}[1m]) + increase(y[1m]) + z[1h]',
    );
    expect(toPromQL('label_values(mautrix_wechat_active_provider, provider)')).toBe('mautrix_wechat_active_provider');
  });

  it('detects overlapping panels', () => {
    expect(panelsOverlap({ x: 0, y: 0, w: 12, h: 8 }, { x: 11, y: 7, w: 6, h: 2 })).toBe(true);
    expect(panelsOverlap({ x: 0, y: 0, w: 12, h: 8 }, { x: 12, y: 0, w: 12, h: 8 })).toBe(false);
    expect(panelsOverlap({ x: 0, y: 0, w: 24, h: 1 }, { x: 0, y: 1, w: 24, h: 8 })).toBe(false);
  });
});

describe('wechat-bridge.json', () => {
  it('is the provisioned main dashboard', () => {
    expect(dashboard.uid).toBe('mautrix-wechat-main');
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.title).not.toBe('');
  });

  it('has unique panel ids and a non-overlapping layout inside 24 columns', () => {
    const ids = dashboard.panels.map(panel => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      const { x, w, h } = panel.gridPos;
      expect(x >= 0 && w > 0 && h > 0 && x + w <= 24, `panel ${panel.id} fits the grid`).toBe(true);
    }
    const overlapping = dashboard.panels.flatMap((a, index) =>
      dashboard.panels
        .slice(index + 1)
        .filter(b => panelsOverlap(a.gridPos, b.gridPos))
        .map(b => `${a.id}/${b.id}`),
    );
    expect(overlapping).toEqual([]);
  });

  it('queries only the provisioned data source, in every panel, target, variable and annotation', () => {
    expect(provisionedUid).toMatch(/^[\w-]{1,40}$/);
    for (const panel of queryPanels) {
      expect(panel.datasourceUid, `panel ${panel.id} "${panel.title}"`).toBe(provisionedUid);
      expect(panel.targets.length, `panel ${panel.id} has queries`).toBeGreaterThan(0);
    }
    for (const query of queries) expect(query.datasourceUid, query.where).toBe(provisionedUid);
    expect(dashboard.panels.filter(panel => panel.type === 'row').flatMap(panel => panel.targets)).toEqual([]);
  });

  it('has sound PromQL everywhere', () => {
    for (const query of queries) {
      expect(bracketProblems(query.expr), query.where).toEqual([]);
      expect(expressionProblems(toPromQL(query.expr)), query.where).toEqual([]);
    }
  });

  it('mentions only metrics the bridge exposes', () => {
    const names = queries.flatMap(query => bridgeMetricIdentifiers(query.expr));
    expect(names.filter(name => !findMetric(name))).toEqual([]);
  });

  it('plots every bridge metric in at least one panel', () => {
    const plotted = new Set(panelExprs.flatMap(expr => referencedFamilies(expr)));
    expect(BRIDGE_METRICS.map(metric => metric.name).filter(name => !plotted.has(name))).toEqual([]);
  });

  it('shows p50, p95 and p99 latency for both directions', () => {
    for (const family of ['mautrix_wechat_wechat_to_matrix_latency_seconds', 'mautrix_wechat_matrix_to_wechat_latency_seconds']) {
      const quantiles = panelExprs
        .filter(expr => referencedFamilies(expr).includes(family))
        .flatMap(expr => functionCalls(expr, 'histogram_quantile').map(call => call.args[0]));
      expect(quantiles.sort(), family).toEqual(['0.5', '0.95', '0.99']);
    }
  });

  it('uses $__rate_interval for every rate and increase', () => {
    for (const expr of panelExprs) {
      for (const { name } of rangeFunctionSeries(expr).filter(call => ['rate', 'increase', 'irate'].includes(call.name))) {
        expect(expr, `${name} window`).toMatch(new RegExp(`${name}\\([^[]*\\[\\$__rate_interval\\]`));
      }
    }
  });

  it('filters every per-provider series by the $provider variable', () => {
    for (const expr of panelExprs) {
      for (const { series, labels } of selectorMatchers(expr)) {
        if (findMetric(series)?.labels.includes('provider')) expect(labels, `${series} in ${expr}`).toContain('provider');
      }
      for (const name of bridgeMetricIdentifiers(expr)) {
        if (findMetric(name)?.labels.includes('provider'))
          expect(expr, name).toMatch(new RegExp(`${name}\\{provider=~"\\$provider"`));
      }
    }
    expect(queries.some(query => query.where === 'variable provider')).toBe(true);
  });

  it('uses in legends only labels the query returns', () => {
    for (const panel of queryPanels) {
      for (const target of panel.targets) {
        const used = [...(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(match => match[1]);
        const available = possibleResultLabels(toPromQL(target.expr));
        expect(
          used.filter(label => label !== undefined && !available.has(label)),
          `panel ${panel.id} ${target.refId}`,
        ).toEqual([]);
      }
    }
  });

  it('covers the brief: status, throughput, latency, errors, risk control, reconnects, failover, queues, media', () => {
    const byMetric = (family: string) =>
      queryPanels
        .filter(panel => panel.targets.some(target => referencedFamilies(target.expr).includes(family)))
        .map(panel => panel.type);
    expect(byMetric('mautrix_wechat_connected')).toContain('stat');
    expect(byMetric('mautrix_wechat_login_state')).toContain('stat');
    expect(byMetric('mautrix_wechat_uptime_seconds')).toContain('stat');
    expect(byMetric('mautrix_wechat_active_provider')).toContain('stat');
    const throughput = queryPanels.find(panel =>
      ['sent', 'received', 'failed'].every(kind =>
        panel.targets.some(target => referencedFamilies(target.expr).includes(`mautrix_wechat_messages_${kind}_total`)),
      ),
    );
    expect(throughput?.type).toBe('timeseries');
  });
});
