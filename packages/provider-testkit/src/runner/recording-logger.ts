import type { LogFields, Logger, LogLevel } from '@wechat/provider-api';
import { collectText } from './collect-text.ts';

/** One call to a recording logger, with the bindings of every `child()` on the way. */
export interface RecordedLogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
  readonly bindings: LogFields;
  /**
   * Every string reachable from the message, bindings and fields, rendered when the entry was logged (a provider
   * may mutate a logged object later; what counts is what a real logger would have written at that moment).
   */
  readonly text: string;
}

/** A `Logger` that appends every entry, at every level and through every child, to `entries`. */
export function createRecordingLogger(entries: RecordedLogEntry[], bindings: LogFields = {}): Logger {
  const log = (level: LogLevel) => (fields: LogFields, message: string) => {
    entries.push({ level, message, fields, bindings, text: collectText([message, bindings, fields]) });
  };
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: more => createRecordingLogger(entries, { ...bindings, ...more }),
  };
}
