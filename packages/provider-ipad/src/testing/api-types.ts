import type { SimCore, SimDevice } from './sim-core.ts';

/**
 * A failed call: answered with HTTP 200 and `{ret, msg, data?}`, GeWe's only failure shape (B.1). `data`
 * follows the observed `{"code":"-1","msg":"…"}` detail (Devo919/Gewechat#116).
 */
export class ApiFailure extends Error {
  readonly ret: number;
  readonly data: unknown;
  constructor(msg: string, data?: unknown, ret = 500) {
    super(msg);
    this.name = 'ApiFailure';
    this.ret = ret;
    this.data = data;
  }
}

/** What a handler answers: `data` (omitted from the envelope when `undefined`), an optional `msg`. */
export interface ApiAnswer {
  readonly data?: unknown;
  readonly msg?: string;
  /** Runs after the answer was written, like GeWe's echo of a sent message arriving after the send returns. */
  readonly after?: () => Promise<unknown>;
}

export type ApiHandler = (body: Record<string, unknown>) => Promise<ApiAnswer> | ApiAnswer;
export type ApiHandlers = Record<string, ApiHandler>;

export function detailFailure(operation: string, detail: string): ApiFailure {
  return new ApiFailure(`${operation}失败`, { code: '-1', msg: detail });
}

export function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** A wxid list sent as an array or a comma-separated string (clients differ, trap 16). */
export function wxidList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(item => String(item)) : typeof value === 'string' ? value.split(',') : [];
  return items.map(item => item.trim()).filter(item => item !== '');
}

export function requireDevice(core: SimCore, body: Record<string, unknown>, operation: string): SimDevice {
  const appId = text(body, 'appId');
  const device = core.devices.get(appId);
  if (!device) throw detailFailure(operation, `[${appId}]设备不存在`);
  return device;
}

/** The device must be logged in and online; sends, downloads and lookups need it. */
export function requireOnline(core: SimCore, body: Record<string, unknown>, operation: string): SimDevice {
  const device = requireDevice(core, body, operation);
  if (device.state === 'online') return device;
  const reason = device.state === 'offline' || device.state === 'kicked' ? '微信已离线' : '微信未登录';
  throw detailFailure(operation, `[${device.appId}]${reason}`);
}
