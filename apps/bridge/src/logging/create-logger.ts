import { Writable } from 'node:stream';
import type { LogFields, Logger, LogLevel } from '@wechat/provider-api';
import winston from 'winston';
import { serializeFields } from './serialize-fields.ts';

export interface WinstonLoggerOptions {
  /** The lowest level written. */
  readonly level: LogLevel;
  /** JSON lines when true, readable lines when false. Default: JSON unless the stream is a TTY. */
  readonly json?: boolean;
  /**
   * Where lines go. Default `process.stdout`: containers collect stdout, and the CLI commands that print YAML
   * to stdout never create this logger, so the two never mix.
   */
  readonly stream?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /**
   * Instead of `stream`: called once per entry with the rendered entry, no trailing newline (a readable entry
   * with a stack spans several lines). Not a TTY, so JSON unless `json: false`.
   */
  readonly write?: (line: string) => void;
  /** ANSI colours on readable lines. Default: the stream is a TTY and `NO_COLOR` is unset. */
  readonly colors?: boolean;
  /** For tests. */
  readonly now?: () => Date;
  /** For tests. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Winston's level numbers: lower is more severe. `trace` is ours; winston's npm levels have no such name. */
const winstonLevels: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3, trace: 4 };

// Winston reads these well-known symbols (triple-beam) on every entry; triple-beam is not our dependency.
const messageSymbol = Symbol.for('message');

/** Keys that winston's info object owns; a field with the same name is renamed instead of clobbering them. */
const reservedKeys = new Set(['level', 'message', 'timestamp']);

const ansi: Record<LogLevel, string> = { error: '31', warn: '33', info: '32', debug: '34', trace: '90' };

/**
 * Our `Logger` on winston. One line per entry: JSON in containers (`{"timestamp","level","message",…fields}`),
 * `time LEVEL message {fields}` on a terminal. Secrets are redacted by key at every depth, errors are reduced
 * to `{name, message, code, …}` (with `stack` only at debug or trace), byte arrays are summarised.
 */
export function createWinstonLogger(options: WinstonLoggerOptions): Logger {
  const stream: NodeJS.WritableStream & { readonly isTTY?: boolean } =
    options.write === undefined ? (options.stream ?? process.stdout) : lineWriter(options.write);
  const isTty = stream.isTTY === true;
  const json = options.json ?? !isTty;
  const env = options.env ?? process.env;
  const colors = options.colors ?? (isTty && (env.NO_COLOR === undefined || env.NO_COLOR === ''));
  const now = options.now ?? (() => new Date());
  const includeStacks = winstonLevels[options.level] >= winstonLevels.debug;

  const render = winston.format(info => {
    const { level, message, ...rest } = info;
    const logLevel = level as LogLevel;
    const timestamp = now().toISOString();
    const text = typeof message === 'string' ? message : String(message);
    if (json) {
      const fields = serializeFields(rest, { includeStacks });
      (info as Record<symbol, unknown>)[messageSymbol] = JSON.stringify({ timestamp, level, message: text, ...fields });
      return info;
    }
    // On a terminal a stack is only readable on its own lines, so it is printed after the entry, not inside it.
    const fields = serializeFields(rest, { includeStacks: false });
    const rendered = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
    const label = logLevel.toUpperCase().padEnd(5);
    const stacks = includeStacks ? topLevelStacks(rest) : '';
    (info as Record<symbol, unknown>)[messageSymbol] =
      `${timestamp} ${colors ? `\u001b[${ansi[logLevel]}m${label}\u001b[39m` : label} ${text}${rendered}${stacks}`;
    return info;
  });

  const root = winston.createLogger({
    levels: winstonLevels,
    level: options.level,
    format: render(),
    transports: [new winston.transports.Stream({ stream, eol: '\n' })],
    exitOnError: false,
  });
  return wrap(root);
}

function wrap(target: winston.Logger): Logger {
  const log = (level: LogLevel) => (fields: LogFields, message: string) => {
    // Skip building the entry at all for disabled levels: trace and debug calls sit on hot paths.
    if (!target.isLevelEnabled(level)) return;
    target.log({ ...escapeReserved(fields), level, message });
  };
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    // Winston merges a child's bindings under each entry's own fields, so call-site fields win.
    child: bindings => wrap(target.child(escapeReserved(bindings))),
  };
}

function escapeReserved(fields: LogFields): LogFields {
  if (!Object.keys(fields).some(key => reservedKeys.has(key))) return fields;
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[reservedKeys.has(key) ? `field_${key}` : key] = value;
  return out;
}

function topLevelStacks(fields: Record<string, unknown>): string {
  let out = '';
  for (const value of Object.values(fields)) {
    if (value instanceof Error && value.stack !== undefined) out += `\n  ${value.stack.replaceAll('\n', '\n  ')}`;
  }
  return out;
}

function lineWriter(write: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      // Winston's stream transport writes each entry as one chunk ending in a newline.
      write(chunk.toString().replace(/\n$/, ''));
      callback();
    },
  });
}
