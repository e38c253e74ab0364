import type { LogFields, Logger, LogLevel } from '@wechat/provider-api';

export interface RecordedLogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/** A `Logger` that keeps every entry (bindings merged in), for assertions in tests. */
export function createRecordingLogger(): Logger & { readonly entries: RecordedLogEntry[] } {
  const entries: RecordedLogEntry[] = [];
  const make = (bindings: LogFields): Logger => {
    const log = (level: LogLevel) => (fields: LogFields, message: string) => {
      entries.push({ level, message, fields: { ...bindings, ...fields } });
    };
    return {
      trace: log('trace'),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: childBindings => make({ ...bindings, ...childBindings }),
    };
  };
  return Object.assign(make({}), { entries });
}
