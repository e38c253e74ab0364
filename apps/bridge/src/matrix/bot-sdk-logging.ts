import type { LogFields, Logger } from '@wechat/provider-api';
import { LogLevel, LogService } from 'matrix-bot-sdk';

/**
 * bot-sdk modules whose errors are about calls we wrap: the failure reaches our caller as a `MatrixPortError`
 * and is logged (or deliberately ignored, like `M_USER_IN_USE` on registration) there, so bot-sdk's own error
 * line would be a duplicate, or a false alarm.
 */
const wrappedModules = new Set(['MatrixHttpClient', 'Appservice', 'Intent']);

/**
 * Sends matrix-bot-sdk's logging through our logger. bot-sdk logs through a process-wide static `LogService`
 * that defaults to plain `console` lines, which would break the JSON log stream; there is no per-instance
 * logger to inject, so the app calls this once at startup (calling it again replaces the target).
 *
 * The level is capped at debug: at trace bot-sdk serialises every request and response body (message contents
 * included), which our logger's own trace level should not switch on by accident.
 */
export function routeBotSdkLogs(logger: Logger): void {
  const target = logger.child({ component: 'matrix-bot-sdk' });
  const forward =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (module: string, ...parts: unknown[]): void => {
      const effective = (level === 'error' || level === 'warn') && wrappedModules.has(module) ? 'debug' : level;
      const { message, fields } = describe(parts);
      target[effective]({ module, ...fields }, message);
    };
  LogService.setLogger({
    trace: forward('trace'),
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
  });
  LogService.setLevel(LogLevel.DEBUG);
}

/** bot-sdk logs `(module, ...strings, errorOrObject)`; strings become the message, the rest become fields. */
function describe(parts: readonly unknown[]): { message: string; fields: LogFields } {
  const words: string[] = [];
  const fields: LogFields = {};
  let extra = 0;
  for (const part of parts) {
    if (typeof part === 'string' || typeof part === 'number' || typeof part === 'boolean') words.push(String(part));
    else if (part instanceof Error && fields.err === undefined) fields.err = part;
    else fields[extra++ === 0 ? 'data' : `data${extra}`] = part;
  }
  return { message: words.join(' ') || '(no message)', fields };
}
