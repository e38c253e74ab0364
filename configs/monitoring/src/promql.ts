/**
 * Just enough PromQL lexing to check the kit's expressions without Prometheus: string literals and comments
 * are blanked first (same offsets), so brackets, names and commas inside label values never count.
 */

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set([...GROUPING_KEYWORDS, 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);
const AGGREGATORS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const identifierStart = /[A-Za-z_:]/;
const identifierPart = /[\w:]/;

export interface BlankedExpression {
  /** The expression with string contents and comments replaced by spaces (newlines kept). */
  readonly text: string;
  /** Offset of a string literal that never closes, if any. */
  readonly unterminatedStringAt: number | undefined;
}

export function blankStrings(expr: string): BlankedExpression {
  let text = '';
  let quote: string | undefined;
  let openedAt = 0;
  let inComment = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i] as string;
    if (inComment) {
      inComment = ch !== '\n';
      text += inComment ? ' ' : ch;
    } else if (quote !== undefined) {
      if (ch === '\\' && quote !== '`' && i + 1 < expr.length) {
        text += '  ';
        i++;
      } else if (ch === quote) {
        quote = undefined;
        text += ch;
      } else {
        text += ch === '\n' ? ch : ' ';
      }
    } else if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      openedAt = i;
      text += ch;
    } else if (ch === '#') {
      inComment = true;
      text += ' ';
    } else {
      text += ch;
    }
  }
  return { text, unterminatedStringAt: quote === undefined ? undefined : openedAt };
}

/** Unbalanced or mismatched (), [] and {}, and unterminated strings, as readable messages. */
export function bracketProblems(expr: string): string[] {
  const { text, unterminatedStringAt } = blankStrings(expr);
  const problems: string[] = [];
  const stack: { readonly ch: string; readonly at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '(' || ch === '[' || ch === '{') stack.push({ ch, at: i });
    const opening = CLOSING[ch];
    if (opening === undefined) continue;
    const top = stack.pop();
    if (top === undefined) problems.push(`unexpected '${ch}' at offset ${i}`);
    else if (top.ch !== opening) problems.push(`'${top.ch}' at offset ${top.at} closed by '${ch}' at offset ${i}`);
  }
  for (const open of stack) problems.push(`unclosed '${open.ch}' at offset ${open.at}`);
  if (unterminatedStringAt !== undefined) problems.push(`unterminated string at offset ${unterminatedStringAt}`);
  return problems;
}

/** Offset of the bracket closing the one at `openAt` in blanked text, or -1. */
export function matchingClose(text: string, openAt: number): number {
  let depth = 0;
  for (let i = openAt; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (CLOSING[ch] !== undefined && --depth === 0) return i;
  }
  return -1;
}

/** Every `mautrix_wechat_*` identifier in the text, once each, in order of appearance (strings included). */
export function bridgeMetricIdentifiers(text: string): string[] {
  return [...new Set(text.match(/(?<![\w:])mautrix_wechat_\w*/g) ?? [])];
}

/** Series names the expression selects (vector selectors), once each: not functions, keywords or labels. */
export function selectedSeriesNames(expr: string): string[] {
  const { text } = blankStrings(expr);
  const names = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '{' || ch === '[') {
      const close = matchingClose(text, i);
      i = close < 0 ? text.length : close + 1;
    } else if (ch === '$' || /[0-9.]/.test(ch)) {
      i = skipWhile(text, i + 1, identifierPart);
    } else if (identifierStart.test(ch)) {
      const end = skipWhile(text, i + 1, identifierPart);
      const word = text.slice(i, end);
      const next = nextNonSpace(text, end);
      if (GROUPING_KEYWORDS.has(word) && text[next] === '(') {
        const close = matchingClose(text, next);
        i = close < 0 ? text.length : close + 1;
        continue;
      }
      if (!KEYWORDS.has(word) && !AGGREGATORS.has(word) && text[next] !== '(') names.add(word);
      i = end;
    } else {
      i++;
    }
  }
  return [...names];
}

export interface GroupingClause {
  readonly keyword: string;
  readonly labels: readonly string[];
}

/** The label lists of `by`, `without`, `on`, `ignoring`, `group_left` and `group_right`. */
export function groupingClauses(expr: string): GroupingClause[] {
  const { text } = blankStrings(expr);
  const clauses: GroupingClause[] = [];
  for (const match of text.matchAll(/(?<![\w:])(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)/g)) {
    clauses.push({ keyword: match[1] as string, labels: splitLabels(match[2] as string) });
  }
  return clauses;
}

export interface LabelMatchers {
  readonly series: string;
  readonly labels: readonly string[];
}

/** Label names matched in each `series{...}` selector. */
export function selectorMatchers(expr: string): LabelMatchers[] {
  const { text } = blankStrings(expr);
  const selectors: LabelMatchers[] = [];
  for (const match of text.matchAll(/(?<![\w:])([A-Za-z_:][\w:]*)\s*\{([^}]*)\}/g)) {
    const labels = [...(match[2] as string).matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map(label => label[1] as string);
    selectors.push({ series: match[1] as string, labels });
  }
  return selectors;
}

export interface FunctionCall {
  readonly name: string;
  /** Raw source of each top-level argument, trimmed. */
  readonly args: readonly string[];
}

/** Calls of the named function, with their arguments split at top-level commas. */
export function functionCalls(expr: string, name: string): FunctionCall[] {
  const { text } = blankStrings(expr);
  const calls: FunctionCall[] = [];
  for (const match of text.matchAll(new RegExp(`(?<![\\w:])${name}\\s*\\(`, 'g'))) {
    const open = match.index + match[0].length - 1;
    const close = matchingClose(text, open);
    if (close < 0) continue;
    calls.push({ name, args: splitTopLevel(text, open + 1, close).map(([from, to]) => expr.slice(from, to).trim()) });
  }
  return calls;
}

/** The series a range-vector function is applied to: `rate(x[5m])` gives `{ name: 'rate', series: 'x' }`. */
export function rangeFunctionSeries(expr: string): { readonly name: string; readonly series: string }[] {
  const { text } = blankStrings(expr);
  return [...text.matchAll(/(?<![\w:])([a-z_]+)\s*\(\s*([A-Za-z_:][\w:]*)\s*(?:\{[^}]*\}\s*)?\[/g)].map(match => ({
    name: match[1] as string,
    series: match[2] as string,
  }));
}

export interface AggregationGrouping {
  readonly aggregator: string;
  /** `by`/`without`, or undefined when the aggregation names no labels (and so keeps none). */
  readonly keyword: 'by' | 'without' | undefined;
  readonly labels: readonly string[];
}

/** Every aggregation in the expression with its grouping clause, written before or after the body. */
export function aggregations(expr: string): AggregationGrouping[] {
  const { text } = blankStrings(expr);
  const found: AggregationGrouping[] = [];
  for (const match of text.matchAll(/(?<![\w:])([a-z_]+)(?![\w:])/g)) {
    const aggregator = match[1] as string;
    if (!AGGREGATORS.has(aggregator)) continue;
    let at = nextNonSpace(text, match.index + aggregator.length);
    let clause = groupingAt(text, at);
    if (clause) at = nextNonSpace(text, clause.end);
    if (text[at] !== '(') continue;
    const close = matchingClose(text, at);
    if (close < 0) continue;
    clause ??= groupingAt(text, nextNonSpace(text, close + 1));
    found.push({ aggregator, keyword: clause?.keyword, labels: clause?.labels ?? [] });
  }
  return found;
}

function groupingAt(text: string, at: number): { keyword: 'by' | 'without'; labels: string[]; end: number } | undefined {
  const match = /^(by|without)\s*\(([^()]*)\)/.exec(text.slice(at));
  if (!match) return undefined;
  return { keyword: match[1] as 'by' | 'without', labels: splitLabels(match[2] as string), end: at + match[0].length };
}

function splitLabels(list: string): string[] {
  return list
    .split(',')
    .map(label => label.trim())
    .filter(label => label !== '');
}

function splitTopLevel(text: string, from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const ch = text[i] as string;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (CLOSING[ch] !== undefined) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, to]);
  return parts;
}

function skipWhile(text: string, from: number, pattern: RegExp): number {
  let i = from;
  while (i < text.length && pattern.test(text[i] as string)) i++;
  return i;
}

function nextNonSpace(text: string, from: number): number {
  return skipWhile(text, from, /\s/);
}
