import { Writable } from 'node:stream';
import type { LogLevel } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { createWinstonLogger } from './create-logger.ts';

function capture(isTTY = false) {
  const lines: string[] = [];
  let pending = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        pending += chunk.toString('utf8');
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        lines.push(...parts);
        callback();
      },
    }),
    { isTTY },
  );
  // Winston hands entries to its transports through streams; let them drain before asserting.
  const flush = () => new Promise(resolve => setImmediate(resolve));
  return { stream, lines, flush, entries: () => lines.map(line => JSON.parse(line) as Record<string, unknown>) };
}

const fixedNow = () => new Date('2030-01-02T03:04:05.678Z');

describe('createWinstonLogger', () => {
  it('writes one JSON object per entry with timestamp, level, message and fields', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream, now: fixedNow });
    logger.info({ roomId: '!a:b', count: 3, big: 2n ** 64n }, 'portal created');
    await out.flush();
    expect(out.entries()).toEqual([
      {
        timestamp: '2030-01-02T03:04:05.678Z',
        level: 'info',
        message: 'portal created',
        roomId: '!a:b',
        count: 3,
        big: '18446744073709551616',
      },
    ]);
  });

  it('filters by level, including trace', async () => {
    const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
    const written = async (threshold: LogLevel) => {
      const out = capture();
      const logger = createWinstonLogger({ level: threshold, stream: out.stream });
      for (const level of levels) logger[level]({}, level);
      await out.flush();
      return out.entries().map(entry => entry.level);
    };
    expect(await written('warn')).toEqual(['warn', 'error']);
    expect(await written('info')).toEqual(['info', 'warn', 'error']);
    expect(await written('trace')).toEqual(levels);
  });

  it('binds child fields, nests children, and lets call-site fields win', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream });
    const child = logger.child({ component: 'matrix', login: 'l1' });
    const grandchild = child.child({ roomId: '!r:x' });
    child.info({}, 'one');
    grandchild.info({ login: 'l2' }, 'two');
    logger.info({}, 'three');
    await out.flush();
    const [one, two, three] = out.entries();
    expect(one).toMatchObject({ message: 'one', component: 'matrix', login: 'l1' });
    expect(two).toMatchObject({ message: 'two', component: 'matrix', login: 'l2', roomId: '!r:x' });
    expect(three).not.toHaveProperty('component');
  });

  it('never lets fields overwrite level, message or timestamp', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream, now: fixedNow });
    logger.child({ level: 'bound' }).info({ message: 'field', timestamp: 1 }, 'real');
    await out.flush();
    expect(out.entries()[0]).toMatchObject({
      level: 'info',
      message: 'real',
      timestamp: '2030-01-02T03:04:05.678Z',
      field_level: 'bound',
      field_message: 'field',
      field_timestamp: 1,
    });
  });

  it('redacts secret-looking keys at every depth, in fields and in bindings', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream });
    logger.child({ hs_token: 'h' }).info(
      {
        as_token: 'a',
        config: { appservice: { hsToken: 'x', nested: [{ password: 'p', ok: 1 }] } },
        headers: { Authorization: 'Bearer z', accept: 'json' },
        query: { access_token: 'q' },
        clientSecret: 's',
        tokenCount: 0,
        empty: { token: undefined },
      },
      'configured',
    );
    await out.flush();
    const line = out.lines[0] ?? '';
    for (const secret of ['"a"', '"h"', '"x"', '"p"', 'Bearer z', '"q"', '"s"']) expect(line).not.toContain(secret);
    expect(out.entries()[0]).toMatchObject({
      hs_token: '[redacted]',
      as_token: '[redacted]',
      config: { appservice: { hsToken: '[redacted]', nested: [{ password: '[redacted]', ok: 1 }] } },
      headers: { Authorization: '[redacted]', accept: 'json' },
      query: { access_token: '[redacted]' },
      clientSecret: '[redacted]',
      tokenCount: '[redacted]',
    });
  });

  it('serialises errors without stacks above debug, with code and cause', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream });
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = Object.assign(new Error('homeserver unreachable', { cause }), { statusCode: 502, accessToken: 't' });
    logger.error({ err: error }, 'send failed');
    await out.flush();
    expect(out.entries()[0]?.err).toEqual({
      name: 'Error',
      message: 'homeserver unreachable',
      statusCode: 502,
      accessToken: '[redacted]',
      cause: { name: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    });
  });

  it('includes stacks at debug', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'debug', stream: out.stream });
    logger.error({ err: new TypeError('boom') }, 'failed');
    await out.flush();
    const err = out.entries()[0]?.err as Record<string, unknown>;
    expect(err.name).toBe('TypeError');
    expect(err.stack).toContain('TypeError: boom');
  });

  it('survives cycles, byte arrays, dates, maps and sets', async () => {
    const out = capture();
    const logger = createWinstonLogger({ level: 'info', stream: out.stream });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const shared = { id: 1 };
    logger.info(
      {
        cyclic,
        twice: [shared, shared],
        data: new Uint8Array(2048),
        at: new Date(0),
        map: new Map([['k', { secret: 1 }]]),
        set: new Set(['a']),
        fn: () => 1,
      },
      'odd values',
    );
    await out.flush();
    expect(out.entries()[0]).toMatchObject({
      cyclic: { name: 'loop', self: '[circular]' },
      twice: [{ id: 1 }, { id: 1 }],
      data: '[Uint8Array 2048 bytes]',
      at: '1970-01-01T00:00:00.000Z',
      map: { k: { secret: '[redacted]' } },
      set: ['a'],
    });
    expect(out.entries()[0]).not.toHaveProperty('fn');
  });

  it('writes readable lines on a TTY, coloured unless NO_COLOR is set', async () => {
    const out = capture(true);
    const logger = createWinstonLogger({ level: 'info', stream: out.stream, now: fixedNow, env: {} });
    logger.warn({ roomId: '!a:b', password: 'p' }, 'slow');
    logger.info({}, 'plain');
    const noColor = capture(true);
    createWinstonLogger({ level: 'info', stream: noColor.stream, now: fixedNow, env: { NO_COLOR: '1' } }).info({}, 'x');
    await out.flush();
    expect(out.lines).toEqual([
      '2030-01-02T03:04:05.678Z \u001b[33mWARN \u001b[39m slow {"roomId":"!a:b","password":"[redacted]"}',
      '2030-01-02T03:04:05.678Z \u001b[32mINFO \u001b[39m plain',
    ]);
    expect(noColor.lines).toEqual(['2030-01-02T03:04:05.678Z INFO  x']);
  });

  it('prints stacks on their own lines in readable mode at debug', async () => {
    const out = capture(true);
    const logger = createWinstonLogger({ level: 'debug', stream: out.stream, colors: false });
    logger.error({ err: new Error('boom') }, 'failed');
    await out.flush();
    expect(out.lines[0]).toMatch(/ERROR failed \{"err":\{"name":"Error","message":"boom"\}\}$/);
    expect(out.lines[1]).toBe('  Error: boom');
  });

  it('honours json: true on a TTY', async () => {
    const out = capture(true);
    createWinstonLogger({ level: 'info', stream: out.stream, json: true }).info({ a: 1 }, 'j');
    await out.flush();
    expect(out.entries()[0]).toMatchObject({ level: 'info', message: 'j', a: 1 });
  });

  it('hands each entry to a write function, as JSON by default', async () => {
    const lines: string[] = [];
    const logger = createWinstonLogger({ level: 'debug', write: line => lines.push(line) });
    logger.info({ a: 1 }, 'first');
    logger.error({ err: new Error('boom') }, 'second');
    await new Promise(resolve => setImmediate(resolve));
    expect(lines.map(line => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { level: 'info', message: 'first', a: 1 },
      { level: 'error', message: 'second', err: { name: 'Error', message: 'boom' } },
    ]);
  });
});
