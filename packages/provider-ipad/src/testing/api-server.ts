import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiFailure, type ApiHandlers } from './api-types.ts';
import { readBody, sendBytes } from './http-listener.ts';
import { parseJsonText, writeJsonText } from './json-text.ts';
import type { SimCore } from './sim-core.ts';

/**
 * What `failNext` makes the next call answer: a GeWe failure envelope (`{ret, msg, data?}`, HTTP 200), no
 * answer at all (`{network: true}`: the connection is destroyed), or a bare HTTP status (a proxy in front of
 * the service failing).
 */
export type ApiFailureSpec =
  | { readonly ret: number; readonly msg: string; readonly data?: unknown }
  | { readonly network: true }
  | { readonly httpStatus: number; readonly body?: string };

const apiPrefix = '/v2/api';
const noTokenNeeded = new Set(['/tools/getTokenId']);

/** The `/v2/api` server: envelope, token check, failure injection, recording (B.1). */
export function createApiRequestHandler(
  core: SimCore,
  handlers: ApiHandlers,
  failures: Map<string, ApiFailureSpec[]>,
  track: (work: Promise<unknown>) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  const envelope = (response: ServerResponse, body: Record<string, unknown>, status = 200) =>
    sendBytes(response, status, writeJsonText(body), 'application/json;charset=UTF-8');

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const rawBody = (await readBody(request, 64 * 1024 * 1024)).toString('utf8');
    const pathname = new URL(request.url ?? '/', 'http://simulator').pathname;
    const path = pathname.startsWith(`${apiPrefix}/`) ? pathname.slice(apiPrefix.length) : pathname;
    const tokenHeader = request.headers['x-gewe-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    let body: unknown;
    try {
      body = rawBody.trim() === '' ? undefined : parseJsonText(rawBody);
    } catch {
      body = undefined;
    }
    core.requests.push({ path, body, rawBody, token, at: core.now() });

    if (request.method !== 'POST') {
      sendBytes(response, 405, 'GeWeChat simulator: every API call is a POST', 'text/plain; charset=utf-8');
      return;
    }
    const failure = takeFailure(failures, path);
    if (failure) {
      if ('network' in failure) request.socket.destroy();
      else if ('httpStatus' in failure) sendBytes(response, failure.httpStatus, failure.body ?? '', 'text/plain; charset=utf-8');
      else envelope(response, { ret: failure.ret, msg: failure.msg, data: failure.data });
      return;
    }
    const handler = pathname.startsWith(`${apiPrefix}/`) ? handlers[path] : undefined;
    if (!handler) {
      envelope(response, { ret: 404, msg: `接口不存在: ${pathname}` }, 404);
      return;
    }
    // getTokenId is documented with `{}`; an empty body is taken as that.
    if (noTokenNeeded.has(path) && rawBody.trim() === '') body = {};
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      envelope(response, { ret: 500, msg: '请求体不是合法的JSON对象' });
      return;
    }
    if (!noTokenNeeded.has(path)) {
      // The messages the real service answers (Devo919/Gewechat#234, hanfangyuan4396/dify-on-wechat#340).
      if (token === undefined || token === '') {
        envelope(response, { ret: 500, msg: 'header:X-GEWE-TOKEN 不可为空' });
        return;
      }
      if (token !== core.token) {
        envelope(response, { ret: 500, msg: `HTTP HEADER: X-GEWE-TOKEN=${token} 不可用或已过期` });
        return;
      }
    }
    try {
      const answer = await handler(body as Record<string, unknown>);
      const after = answer.after;
      if (after) response.once('finish', () => track(after()));
      envelope(response, { ret: 200, msg: answer.msg ?? '操作成功', data: answer.data });
    } catch (error) {
      if (error instanceof ApiFailure) {
        envelope(response, { ret: error.ret, msg: error.message, data: error.data });
        return;
      }
      core.logger.error({ path, error }, 'gewechat simulator: handler failed');
      envelope(response, { ret: 500, msg: `系统异常: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  return (request, response) => {
    handle(request, response).catch(error => {
      core.logger.error({ error }, 'gewechat simulator: request failed');
      if (!response.headersSent) sendBytes(response, 500, 'simulator error', 'text/plain; charset=utf-8');
      else response.destroy();
    });
  };
}

function takeFailure(failures: Map<string, ApiFailureSpec[]>, path: string): ApiFailureSpec | undefined {
  for (const key of [path, '*']) {
    const queue = failures.get(key);
    const next = queue?.shift();
    if (next) return next;
  }
  return undefined;
}
