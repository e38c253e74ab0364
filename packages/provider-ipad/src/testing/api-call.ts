import { parseJsonText, writeJsonText } from './json-text.ts';

export interface GewechatApiAnswer<T> {
  /** The HTTP status (200 even for GeWe failures). */
  readonly status: number;
  /** The raw answer text, e.g. to check that a 64-bit id came as a bare number. */
  readonly text: string;
  readonly ret: number | undefined;
  readonly msg: string | undefined;
  /** Parsed with 64-bit integers as bigint. */
  readonly data: T;
}

/**
 * One call to a GeWeChat API (`POST <apiUrl><path>`, JSON, `X-GEWE-TOKEN`), for tests that poke the simulator
 * directly. Bigint members of `body` are written as bare JSON numbers.
 */
export async function callGewechatApi<T = unknown>(
  apiUrl: string,
  path: string,
  body: unknown,
  options: { readonly token?: string; readonly rawBody?: string } = {},
): Promise<GewechatApiAnswer<T>> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token !== undefined ? { 'X-GEWE-TOKEN': options.token } : {}),
    },
    body: options.rawBody ?? writeJsonText(body),
  });
  const text = await response.text();
  let parsed: { ret?: unknown; msg?: unknown; data?: unknown } = {};
  try {
    parsed = (parseJsonText(text) ?? {}) as typeof parsed;
  } catch {
    parsed = {};
  }
  return {
    status: response.status,
    text,
    ret: typeof parsed.ret === 'number' ? parsed.ret : undefined,
    msg: typeof parsed.msg === 'string' ? parsed.msg : undefined,
    data: parsed.data as T,
  };
}
