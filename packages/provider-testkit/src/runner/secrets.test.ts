import { describe, expect, it } from 'vitest';
import { collectText } from './collect-text.ts';
import { createRecordingLogger, type RecordedLogEntry } from './recording-logger.ts';
import { findSecretLeaks, findSecrets } from './secrets.ts';

describe('findSecrets', () => {
  it('takes secret-looking keys at any depth, in arrays too, and skips short values', () => {
    const config = {
      corp_id: 'ww-not-a-secret',
      app_secret: 'app-secret-value',
      callback: { token: 'callback-token', aes_key: 'A'.repeat(43), port: 29351 },
      apiKeys: ['first-api-key', 'x'],
      password: 'short',
    };
    expect(findSecrets(config, ['extra-secret', ''])).toEqual([
      'app-secret-value',
      'callback-token',
      'A'.repeat(43),
      'first-api-key',
      'extra-secret',
    ]);
  });

  it('survives cycles and non-objects', () => {
    const config: Record<string, unknown> = { token: 'cyclic-token' };
    config.self = config;
    expect(findSecrets(config)).toEqual(['cyclic-token']);
    expect(findSecrets(undefined)).toEqual([]);
    expect(findSecrets('token-like-string')).toEqual([]);
  });
});

describe('collectText', () => {
  it('reaches keys, nested values, Maps, Sets, bytes, URLs and error causes, without looping on cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.again = cyclic;
    const error = new Error('outer', { cause: new Error('inner-cause') });
    const text = collectText({
      nested: { deeper: ['in-array'] },
      map: new Map([['map-key', 'map-value']]),
      set: new Set(['set-value']),
      bytes: new TextEncoder().encode('in-bytes'),
      url: new URL('https://example.com/?access_token=in-url'),
      error,
      cyclic,
      count: 42n,
    });
    for (const expected of [
      'nested',
      'in-array',
      'map-key',
      'map-value',
      'set-value',
      'in-bytes',
      'access_token=in-url',
      'outer',
      'inner-cause',
      'loop',
      '42',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('findSecretLeaks', () => {
  const secret = 'hunter2-secret';
  const leaksOf = (log: (logger: ReturnType<typeof createRecordingLogger>) => void) => {
    const entries: RecordedLogEntry[] = [];
    log(createRecordingLogger(entries));
    return findSecretLeaks(entries, [secret]).map(leak => `${leak.entry.level}: ${leak.secretHint}`);
  };

  it('finds a secret in the message, in nested fields, in errors and in child bindings, at every level', () => {
    expect(leaksOf(logger => logger.trace({}, `token is ${secret}`))).toEqual(['trace: hu…et (14 characters)']);
    expect(leaksOf(logger => logger.debug({ request: { headers: [secret] } }, 'request'))).toHaveLength(1);
    expect(leaksOf(logger => logger.error({ error: new Error(`denied for ${secret}`) }, 'failed'))).toHaveLength(1);
    expect(leaksOf(logger => logger.child({ session: { token: secret } }).info({}, 'connected'))).toHaveLength(1);
  });

  it('finds a URL-encoded secret, and records what was logged at that moment', () => {
    const special = 'p@ss/word+secret';
    const entries: RecordedLogEntry[] = [];
    const logger = createRecordingLogger(entries);
    logger.warn({ url: `https://api.example.com/?key=${encodeURIComponent(special)}` }, 'calling');
    const fields: Record<string, string> = { value: 'harmless' };
    logger.info(fields, 'later mutated');
    fields.value = special;
    expect(findSecretLeaks(entries, [special]).map(leak => leak.entry.message)).toEqual(['calling']);
  });

  it('reports nothing for clean logs', () => {
    expect(leaksOf(logger => logger.info({ messageId: 'msg-1' }, 'sent'))).toEqual([]);
  });
});
