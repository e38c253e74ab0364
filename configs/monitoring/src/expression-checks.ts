import { BRIDGE_METRICS, findMetric, type MetricSpec, metricFamily, seriesLabels, TARGET_LABELS } from './metric-catalog.ts';
import {
  aggregations,
  bracketProblems,
  bridgeMetricIdentifiers,
  functionCalls,
  groupingClauses,
  rangeFunctionSeries,
  selectedSeriesNames,
  selectorMatchers,
} from './promql.ts';

export interface ExpressionContext {
  readonly catalog: readonly MetricSpec[];
  /** Series from outside the bridge that expressions may select, with their labels (Prometheus' `up`). */
  readonly externalSeries: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_CONTEXT: ExpressionContext = {
  catalog: BRIDGE_METRICS,
  externalSeries: { up: TARGET_LABELS },
};

// Range functions whose input must be a counter (or a histogram's counter series), and those meant for gauges.
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
const GAUGE_FUNCTIONS = new Set(['delta', 'idelta', 'deriv', 'predict_linear']);

/** Labels a selected series carries, or undefined for a series neither the bridge nor the context knows. */
export function labelsOfSeries(series: string, context: ExpressionContext = DEFAULT_CONTEXT): readonly string[] | undefined {
  return context.externalSeries[series] ?? seriesLabels(series, context.catalog);
}

/** Labels `label_replace`/`label_join` write (their second argument). */
export function createdLabels(expr: string): string[] {
  return ['label_replace', 'label_join'].flatMap(name =>
    functionCalls(expr, name).flatMap(call => {
      const target = call.args[1]?.match(/^["'`](\w+)["'`]$/)?.[1];
      return target === undefined ? [] : [target];
    }),
  );
}

/** Every bridge metric family the expression mentions (histogram series folded into their family). */
export function referencedFamilies(expr: string, context: ExpressionContext = DEFAULT_CONTEXT): string[] {
  return [...new Set(bridgeMetricIdentifiers(expr).map(name => metricFamily(name, context.catalog)))];
}

/**
 * Everything wrong with one PromQL expression, as readable messages (empty when it is fine): unknown metrics,
 * unbalanced brackets, range functions on the wrong metric type, labels a series does not have,
 * and `histogram_quantile` over anything but `_bucket` series aggregated `by (..., le)`.
 */
export function expressionProblems(expr: string, context: ExpressionContext = DEFAULT_CONTEXT): string[] {
  const problems = bracketProblems(expr);
  for (const name of bridgeMetricIdentifiers(expr)) {
    if (!findMetric(name, context.catalog)) problems.push(`unknown bridge metric ${name}`);
  }
  const selected = selectedSeriesNames(expr);
  for (const series of selected) {
    if (labelsOfSeries(series, context) === undefined)
      problems.push(`selects ${series}, which is not a series the bridge or Prometheus exposes`);
  }
  problems.push(
    ...rangeFunctionProblems(expr, context),
    ...labelProblems(expr, selected, context),
    ...histogramQuantileProblems(expr),
  );
  return problems;
}

function rangeFunctionProblems(expr: string, context: ExpressionContext): string[] {
  const problems: string[] = [];
  for (const { name, series } of rangeFunctionSeries(expr)) {
    const spec = findMetric(series, context.catalog);
    if (!spec) continue;
    const isCounterSeries = spec.type === 'counter' || (spec.type === 'histogram' && series !== spec.name);
    if (COUNTER_FUNCTIONS.has(name) && !isCounterSeries)
      problems.push(`${name}() over ${series}, which is a ${spec.type}, not a counter`);
    if (GAUGE_FUNCTIONS.has(name) && spec.type !== 'gauge')
      problems.push(`${name}() over ${series}, which is a ${spec.type}, not a gauge`);
  }
  return problems;
}

function labelProblems(expr: string, selected: readonly string[], context: ExpressionContext): string[] {
  const problems: string[] = [];
  for (const { series, labels } of selectorMatchers(expr)) {
    const known = labelsOfSeries(series, context);
    if (!known) continue;
    for (const label of labels) {
      if (label !== '__name__' && !known.includes(label)) problems.push(`${series} has no label '${label}'`);
    }
  }
  const available = new Set([...selected.flatMap(series => labelsOfSeries(series, context) ?? []), ...createdLabels(expr)]);
  for (const { keyword, labels } of groupingClauses(expr)) {
    for (const label of labels) {
      if (!available.has(label))
        problems.push(`${keyword} (${labels.join(', ')}) names '${label}', which no selected series carries`);
    }
  }
  return problems;
}

/** `histogram_quantile` needs a quantile in [0, 1], `_bucket` series only, and `le` kept by every aggregation. */
export function histogramQuantileProblems(expr: string): string[] {
  const problems: string[] = [];
  for (const call of functionCalls(expr, 'histogram_quantile')) {
    const [quantile, vector = ''] = call.args;
    const phi = Number(quantile);
    if (call.args.length !== 2) problems.push(`histogram_quantile takes 2 arguments, got ${call.args.length}`);
    if (!(phi >= 0 && phi <= 1)) problems.push(`histogram_quantile quantile '${quantile}' is not a number in [0, 1]`);
    const series = selectedSeriesNames(vector);
    if (series.length === 0) problems.push('histogram_quantile over no series');
    for (const name of series) {
      if (!name.endsWith('_bucket')) problems.push(`histogram_quantile over ${name}, which is not a _bucket series`);
    }
    for (const { aggregator, keyword, labels } of aggregations(vector)) {
      if (keyword === undefined) problems.push(`histogram_quantile over ${aggregator}(...) without by (..., le): le is lost`);
      else if (keyword === 'by' && !labels.includes('le'))
        problems.push(`histogram_quantile over ${aggregator} by (${labels.join(', ')}): le is missing`);
      else if (keyword === 'without' && labels.includes('le'))
        problems.push(`histogram_quantile over ${aggregator} without (..., le): le is dropped`);
    }
  }
  return problems;
}

/**
 * The labels an alert built on this expression can carry, for checking `{{ $labels.x }}` in annotations:
 * the `by` labels when the expression aggregates, else the selected series' labels, plus created labels.
 */
export function possibleResultLabels(expr: string, context: ExpressionContext = DEFAULT_CONTEXT): Set<string> {
  const byLabels = groupingClauses(expr)
    .filter(clause => clause.keyword === 'by')
    .flatMap(clause => clause.labels);
  const base =
    byLabels.length > 0 ? byLabels : selectedSeriesNames(expr).flatMap(series => labelsOfSeries(series, context) ?? []);
  return new Set([...base, ...createdLabels(expr)]);
}
