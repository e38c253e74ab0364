export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/**
 * The logger every library takes by injection. Small on purpose, so winston, pino or console fit behind it.
 * Rules: never log message bodies or secrets above `debug`; bind context with `child`.
 */
export interface Logger {
  trace(fields: LogFields, message: string): void;
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): Logger;
}

export const logLevels: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** A logger that discards everything: the default inside libraries. */
export const noopLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return noopLogger;
  },
};

export interface ConsoleLoggerOptions {
  /** The lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default: `console.error`, so stdout stays free for program output. */
  readonly write?: (line: string) => void;
  /** Fields bound to every line. */
  readonly bindings?: LogFields;
}

/** A readable one-line-per-entry logger for examples, scripts and bots. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = logLevels.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => console.error(line));
  const bindings = options.bindings ?? {};
  const log = (level: LogLevel) => (fields: LogFields, message: string) => {
    if (logLevels.indexOf(level) < threshold) return;
    const all = { ...bindings, ...fields };
    const rendered = Object.keys(all).length === 0 ? '' : ` ${safeStringify(all)}`;
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${rendered}`);
  };
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: childBindings => createConsoleLogger({ ...options, bindings: { ...bindings, ...childBindings } }),
  };
}

/** JSON that survives bigints, errors and cycles, for log lines. */
function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Error) return { name: item.name, message: item.message };
    if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) return '[circular]';
      seen.add(item);
    }
    return item;
  });
}
