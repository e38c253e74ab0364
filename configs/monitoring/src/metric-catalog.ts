/** Prometheus metric types the bridge exposes. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
}

/**
 * The bridge's metric families (the @wechat/metrics collectors), which the alerts and the dashboard may use.
 * The reference bridge plotted metrics it never updated; anything outside this list is a mistake here.
 */
export const BRIDGE_METRICS: readonly MetricSpec[] = [
  { name: 'mautrix_wechat_connected', type: 'gauge', labels: ['provider'] },
  { name: 'mautrix_wechat_login_state', type: 'gauge', labels: ['provider'] },
  { name: 'mautrix_wechat_messages_sent_total', type: 'counter', labels: ['provider', 'kind'] },
  { name: 'mautrix_wechat_messages_received_total', type: 'counter', labels: ['provider', 'kind'] },
  { name: 'mautrix_wechat_messages_failed_total', type: 'counter', labels: ['provider', 'direction', 'kind'] },
  { name: 'mautrix_wechat_wechat_to_matrix_latency_seconds', type: 'histogram', labels: ['provider'] },
  { name: 'mautrix_wechat_matrix_to_wechat_latency_seconds', type: 'histogram', labels: ['provider'] },
  { name: 'mautrix_wechat_reconnect_attempts_total', type: 'counter', labels: ['provider'] },
  { name: 'mautrix_wechat_provider_errors_total', type: 'counter', labels: ['provider', 'code'] },
  { name: 'mautrix_wechat_risk_control_blocked_total', type: 'counter', labels: ['provider'] },
  { name: 'mautrix_wechat_active_provider', type: 'gauge', labels: ['provider'] },
  { name: 'mautrix_wechat_failover_switches_total', type: 'counter', labels: ['provider', 'reason'] },
  { name: 'mautrix_wechat_outbox_depth', type: 'gauge', labels: [] },
  { name: 'mautrix_wechat_inbox_depth', type: 'gauge', labels: [] },
  { name: 'mautrix_wechat_media_bytes_total', type: 'counter', labels: ['provider', 'direction'] },
  { name: 'mautrix_wechat_uptime_seconds', type: 'gauge', labels: [] },
];

/** Labels Prometheus attaches to every scraped series. */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];

/** The series a histogram family is exposed as. */
export const HISTOGRAM_SUFFIXES: readonly string[] = ['_bucket', '_sum', '_count'];

/** The family a series name belongs to: `x_bucket` of histogram `x` is `x`; anything else is itself. */
export function metricFamily(seriesName: string, catalog: readonly MetricSpec[] = BRIDGE_METRICS): string {
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!seriesName.endsWith(suffix)) continue;
    const family = seriesName.slice(0, -suffix.length);
    if (catalog.some(spec => spec.name === family && spec.type === 'histogram')) return family;
  }
  return seriesName;
}

/** The catalog entry for a series name (histogram series resolve to their family), if any. */
export function findMetric(seriesName: string, catalog: readonly MetricSpec[] = BRIDGE_METRICS): MetricSpec | undefined {
  const family = metricFamily(seriesName, catalog);
  return catalog.find(spec => spec.name === family);
}

/**
 * Labels a series carries: the family's labels plus the target labels, and `le` on histogram buckets.
 * A plain histogram family name is not a series and carries nothing.
 */
export function seriesLabels(seriesName: string, catalog: readonly MetricSpec[] = BRIDGE_METRICS): readonly string[] | undefined {
  const spec = findMetric(seriesName, catalog);
  if (!spec || (spec.type === 'histogram' && spec.name === seriesName)) return undefined;
  return [...spec.labels, ...TARGET_LABELS, ...(seriesName.endsWith('_bucket') ? ['le'] : [])];
}
