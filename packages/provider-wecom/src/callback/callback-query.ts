/**
 * Parses a query string with `decodeURIComponent` only. `URLSearchParams` would turn a raw `+` into a space, and
 * `echostr` is base64 (trap 4): WeCom sends `%2B %2F %3D`, but a proxy that re-encodes may not. Repeated keys
 * are refused: which copy was signed cannot be told. Returns undefined for a malformed query.
 */
export function parseCallbackQuery(search: string): ReadonlyMap<string, string> | undefined {
  const parameters = new Map<string, string>();
  const query = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const rawKey = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue);
    } catch {
      return undefined;
    }
    if (parameters.has(key)) return undefined;
    parameters.set(key, value);
  }
  return parameters;
}
