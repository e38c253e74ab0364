import { describe, expect, it } from 'vitest';
import { createdLabels, expressionProblems, possibleResultLabels, referencedFamilies } from './expression-checks.ts';
import { BRIDGE_METRICS, metricFamily, seriesLabels } from './metric-catalog.ts';

const W2M_BUCKET = 'mautrix_wechat_wechat_to_matrix_latency_seconds_bucket';

describe('metric catalog', () => {
  it('folds histogram series into their family and leaves other names alone', () => {
    expect(metricFamily(W2M_BUCKET)).toBe('mautrix_wechat_wechat_to_matrix_latency_seconds');
    expect(metricFamily('mautrix_wechat_matrix_to_wechat_latency_seconds_count')).toBe(
      'mautrix_wechat_matrix_to_wechat_latency_seconds',
    );
    expect(metricFamily('mautrix_wechat_messages_sent_total')).toBe('mautrix_wechat_messages_sent_total');
    expect(metricFamily('mautrix_wechat_outbox_depth_bucket')).toBe('mautrix_wechat_outbox_depth_bucket');
  });

  it('gives each series its labels, with le only on buckets and none for a bare histogram name', () => {
    expect(seriesLabels(W2M_BUCKET)).toEqual(['provider', 'job', 'instance', 'le']);
    expect(seriesLabels('mautrix_wechat_wechat_to_matrix_latency_seconds_sum')).toEqual(['provider', 'job', 'instance']);
    expect(seriesLabels('mautrix_wechat_wechat_to_matrix_latency_seconds')).toBeUndefined();
    expect(seriesLabels('mautrix_wechat_outbox_depth')).toEqual(['job', 'instance']);
  });

  it('lists sixteen distinct families', () => {
    expect(new Set(BRIDGE_METRICS.map(metric => metric.name)).size).toBe(16);
  });
});

describe('expressionProblems', () => {
  it('accepts correct expressions', () => {
    for (const expr of [
      'up{job="mautrix-wechat"} == 0',
      'sum by (provider, code) (increase(mautrix_wechat_provider_errors_total[5m])) > 10',
      `histogram_quantile(0.95, sum by (provider, le) (rate(${W2M_BUCKET}{provider=~"$provider"}[5m])))`,
      `histogram_quantile(0.5, sum(rate(${W2M_BUCKET}[5m])) by (le))`,
      `histogram_quantile(0.99, rate(${W2M_BUCKET}[5m]))`,
      'label_replace(mautrix_wechat_outbox_depth > 5, "queue", "outbox", "", "") and on (queue) vector(1)',
    ]) {
      expect(expressionProblems(expr), expr).toEqual([]);
    }
  });

  it('rejects metrics the bridge does not expose, including prom-client defaults', () => {
    expect(expressionProblems('mautrix_wechat_active_users > 0')).toContain('unknown bridge metric mautrix_wechat_active_users');
    expect(expressionProblems('rate(process_cpu_seconds_total[5m])')).toEqual([
      'selects process_cpu_seconds_total, which is not a series the bridge or Prometheus exposes',
    ]);
    expect(expressionProblems('mautrix_wechat_wechat_to_matrix_latency_seconds > 1')).toEqual([
      'selects mautrix_wechat_wechat_to_matrix_latency_seconds, which is not a series the bridge or Prometheus exposes',
    ]);
  });

  it('rejects unbalanced brackets', () => {
    expect(expressionProblems('sum(mautrix_wechat_outbox_depth')).toEqual(["unclosed '(' at offset 3"]);
  });

  it('rejects range functions over the wrong metric type', () => {
    expect(expressionProblems('rate(mautrix_wechat_outbox_depth[5m])')).toEqual([
      'rate() over mautrix_wechat_outbox_depth, which is a gauge, not a counter',
    ]);
    expect(expressionProblems('deriv(mautrix_wechat_messages_sent_total[5m])')).toEqual([
      'deriv() over mautrix_wechat_messages_sent_total, which is a counter, not a gauge',
    ]);
  });

  it('rejects labels a series does not carry', () => {
    expect(expressionProblems('mautrix_wechat_connected{provder="ipad"}')).toEqual([
      "mautrix_wechat_connected has no label 'provder'",
    ]);
    expect(expressionProblems('sum by (kind) (mautrix_wechat_reconnect_attempts_total)')).toEqual([
      "by (kind) names 'kind', which no selected series carries",
    ]);
  });

  it('rejects histogram_quantile that loses le or reads the wrong series', () => {
    expect(expressionProblems(`histogram_quantile(0.95, sum by (provider) (rate(${W2M_BUCKET}[5m])))`)).toEqual([
      'histogram_quantile over sum by (provider): le is missing',
    ]);
    expect(expressionProblems(`histogram_quantile(0.95, sum(rate(${W2M_BUCKET}[5m])))`)).toEqual([
      'histogram_quantile over sum(...) without by (..., le): le is lost',
    ]);
    expect(expressionProblems(`histogram_quantile(0.95, sum without (le) (rate(${W2M_BUCKET}[5m])))`)).toEqual([
      'histogram_quantile over sum without (..., le): le is dropped',
    ]);
    expect(
      expressionProblems('histogram_quantile(0.95, rate(mautrix_wechat_wechat_to_matrix_latency_seconds_count[5m]))'),
    ).toEqual(['histogram_quantile over mautrix_wechat_wechat_to_matrix_latency_seconds_count, which is not a _bucket series']);
    expect(expressionProblems(`histogram_quantile(95, rate(${W2M_BUCKET}[5m]))`)).toEqual([
      "histogram_quantile quantile '95' is not a number in [0, 1]",
    ]);
  });
});

describe('expression labels', () => {
  it('names labels created by label_replace', () => {
    expect(createdLabels('label_replace(a, "direction", "x", "", "") or label_join(b, "all", ",", "p", "q")')).toEqual([
      'direction',
      'all',
    ]);
  });

  it('predicts the labels an alert can carry', () => {
    expect([...possibleResultLabels('sum by (provider, code) (mautrix_wechat_provider_errors_total) > 1')]).toEqual([
      'provider',
      'code',
    ]);
    expect([...possibleResultLabels('mautrix_wechat_outbox_depth > 50')]).toEqual(['job', 'instance']);
  });

  it('lists the families an expression references', () => {
    expect(
      referencedFamilies(`rate(${W2M_BUCKET}[5m]) / rate(mautrix_wechat_wechat_to_matrix_latency_seconds_count[5m])`),
    ).toEqual(['mautrix_wechat_wechat_to_matrix_latency_seconds']);
  });
});
