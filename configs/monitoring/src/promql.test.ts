import { describe, expect, it } from 'vitest';
import {
  aggregations,
  blankStrings,
  bracketProblems,
  bridgeMetricIdentifiers,
  functionCalls,
  groupingClauses,
  matchingClose,
  rangeFunctionSeries,
  selectedSeriesNames,
  selectorMatchers,
} from './promql.ts';

describe('blankStrings', () => {
  it('blanks string contents and comments but keeps every offset', () => {
    const expr = 'up{job="a(b"} # note (\nrate(x[5m])';
    const { text, unterminatedStringAt } = blankStrings(expr);
    expect(text).toHaveLength(expr.length);
    expect(text).toBe('up{job="   "}         \nrate(x[5m])');
    expect(unterminatedStringAt).toBeUndefined();
  });

  it('handles escaped quotes and reports an unterminated string', () => {
    expect(blankStrings('x{a="q\\"("}').text).toBe('x{a="    "}');
    expect(blankStrings('x{a="open}').unterminatedStringAt).toBe(4);
  });
});

describe('bracketProblems', () => {
  it('accepts balanced expressions, ignoring brackets inside strings', () => {
    expect(bracketProblems('sum by (provider) (rate(x{code=~"a)|b]"}[5m]))')).toEqual([]);
  });

  it('reports unclosed, unexpected and mismatched brackets', () => {
    expect(bracketProblems('sum(rate(x[5m])')).toEqual(["unclosed '(' at offset 3"]);
    expect(bracketProblems('rate(x[5m]))')).toEqual(["unexpected ')' at offset 11"]);
    expect(bracketProblems('rate(x[5m)]')).toEqual([
      "'[' at offset 6 closed by ')' at offset 9",
      "'(' at offset 4 closed by ']' at offset 10",
    ]);
    expect(bracketProblems('x{a="b}')).toContain('unterminated string at offset 4');
  });

  it('finds the matching bracket', () => {
    const text = 'sum(rate(x[5m])) + 1';
    expect(matchingClose(text, 3)).toBe(15);
    expect(matchingClose('sum(', 3)).toBe(-1);
  });
});

describe('identifiers and selectors', () => {
  it('finds every mautrix_wechat_ identifier once, even in strings and comments', () => {
    const text = 'rate(mautrix_wechat_a_total[5m]) / mautrix_wechat_a_total # mautrix_wechat_b\nfoo_mautrix_wechat_c';
    expect(bridgeMetricIdentifiers(text)).toEqual(['mautrix_wechat_a_total', 'mautrix_wechat_b']);
  });

  it('lists selected series, skipping functions, aggregators, keywords, grouping labels and durations', () => {
    const expr = `(sum by (provider, le) (rate(m_bucket{provider=~"$provider"}[$__rate_interval])) > bool 2)
      and on (provider) max(up offset 10m) unless label_replace(g, "direction", "x", "", "")`;
    expect(selectedSeriesNames(expr)).toEqual(['m_bucket', 'up', 'g']);
  });

  it('lists grouping clauses and selector label names', () => {
    const expr = 'sum by (provider, code) (x{provider="a", code!~"b"}) / ignoring (code) group_left sum without (kind) (y)';
    expect(groupingClauses(expr)).toEqual([
      { keyword: 'by', labels: ['provider', 'code'] },
      { keyword: 'ignoring', labels: ['code'] },
      { keyword: 'without', labels: ['kind'] },
    ]);
    expect(selectorMatchers(expr)).toEqual([{ series: 'x', labels: ['provider', 'code'] }]);
  });

  it('splits function arguments at top-level commas only', () => {
    const calls = functionCalls(
      'label_replace(histogram_quantile(0.9, sum by (le, a) (b)), "dst", "v,w", "", "")',
      'label_replace',
    );
    expect(calls).toEqual([
      { name: 'label_replace', args: ['histogram_quantile(0.9, sum by (le, a) (b))', '"dst"', '"v,w"', '""', '""'] },
    ]);
  });

  it('names the series each range function reads', () => {
    expect(
      rangeFunctionSeries('increase(a_total{x="1"}[5m]) + last_over_time(b[1h] offset 5m) + rate(c[$__rate_interval])'),
    ).toEqual([
      { name: 'increase', series: 'a_total' },
      { name: 'last_over_time', series: 'b' },
      { name: 'rate', series: 'c' },
    ]);
  });

  it('reads grouping clauses written before or after an aggregation body, or none', () => {
    expect(aggregations('sum by (le) (a) + sum(b) by (le, p) + max(c) + max_over_time(d[5m]) + count without (le) (e)')).toEqual([
      { aggregator: 'sum', keyword: 'by', labels: ['le'] },
      { aggregator: 'sum', keyword: 'by', labels: ['le', 'p'] },
      { aggregator: 'max', keyword: undefined, labels: [] },
      { aggregator: 'count', keyword: 'without', labels: ['le'] },
    ]);
  });
});
