import { describe, expect, it } from 'vitest';
import { parseListenAddress } from './listen-address.ts';

describe('parseListenAddress', () => {
  it.each([
    ['0.0.0.0:9110', { host: '0.0.0.0', port: 9110 }],
    ['127.0.0.1:1', { host: '127.0.0.1', port: 1 }],
    ['localhost:65535', { host: 'localhost', port: 65_535 }],
    ['metrics.internal:9110', { host: 'metrics.internal', port: 9110 }],
    ['[::]:9110', { host: '::', port: 9110 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['[2001:db8::7]:9110', { host: '2001:db8::7', port: 9110 }],
  ])('parses %s', (listen, expected) => {
    expect(parseListenAddress(listen)).toEqual(expected);
  });

  it.each([
    '9110',
    ':9110',
    '0.0.0.0',
    '0.0.0.0:',
    '0.0.0.0:65536',
    '0.0.0.0:91a0',
    ':::9110',
    '[::]9110',
    '[not-ipv6]:9110',
    'http://0.0.0.0:9110',
    'host name:9110',
  ])('rejects %s and says what it expects', listen => {
    expect(() => parseListenAddress(listen)).toThrow(`Invalid listen address '${listen}': expected host:port`);
  });
});
