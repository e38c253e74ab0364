import { describe, expect, it } from 'vitest';
import { createConsoleLogger, noopLogger } from './logger.ts';

describe('createConsoleLogger', () => {
  it('writes lines at or above its level with bound fields', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ level: 'info', write: line => lines.push(line) });
    logger.debug({}, 'hidden');
    logger.child({ provider: 'ipad' }).warn({ attempt: 2, id: 12345678901234567890n }, 'reconnecting');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}reconnecting \{"provider":"ipad","attempt":2,"id":"12345678901234567890"\}$/,
    );
  });

  it('survives cycles and errors in fields', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    createConsoleLogger({ write: line => lines.push(line) }).error({ cyclic, error: new TypeError('bad') }, 'failed');
    expect(lines[0]).toContain('{"cyclic":{"self":"[circular]"},"error":{"name":"TypeError","message":"bad"}}');
  });
});

describe('noopLogger', () => {
  it('returns itself from child', () => {
    expect(noopLogger.child({ a: 1 })).toBe(noopLogger);
  });
});
