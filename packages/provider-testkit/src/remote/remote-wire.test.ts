import { Buffer } from 'node:buffer';
import {
  type ProviderEventV1,
  WechatAuthenticationError,
  WechatConfigValidationError,
  WechatError,
  WechatInvalidArgumentError,
  WechatInvalidProviderError,
  WechatMediaTooLargeError,
  WechatNoSuchProviderError,
  WechatNotFoundError,
  WechatProviderLoadError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatRiskControlError,
  WechatUnsupportedCapabilityError,
  WechatUnsupportedSpecificationVersionError,
} from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { createSseParser } from './remote-event-stream.ts';
import { decodeWire, encodeWire, formatEventId, parseEventId, wireReplacer, wireReviver } from './remote-wire.ts';

const roundTrip = <T>(value: T): T => decodeWire(encodeWire(value)) as T;

describe('bytes on the wire', () => {
  it('travel as { $bytes: base64 } and come back as plain Uint8Arrays, wherever they are', () => {
    const every = Uint8Array.from({ length: 256 }, (_, index) => index);
    const value = { data: every, nested: [{ empty: new Uint8Array(0) }], text: 'kept' };
    const json = JSON.stringify(value, wireReplacer);
    expect(JSON.parse(json)).toEqual({
      data: { $bytes: Buffer.from(every).toString('base64') },
      nested: [{ empty: { $bytes: '' } }],
      text: 'kept',
    });
    const back = JSON.parse(json, wireReviver) as typeof value;
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back.data)).toBe(Uint8Array.prototype);
  });

  it('encode only the viewed part of a buffer, and Buffers like any Uint8Array', () => {
    const whole = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(roundTrip({ part: whole.subarray(2, 4) }).part).toEqual(Uint8Array.from([3, 4]));
    expect(roundTrip([Buffer.from('hi')])[0]).toEqual(new TextEncoder().encode('hi'));
    expect(roundTrip(new Uint8Array([7]))).toEqual(new Uint8Array([7]));
  });

  it('leaves objects that only look a bit like tags alone', () => {
    const value = { $bytes: 'AA==', other: 1 };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip({ $bytes: 42 })).toEqual({ $bytes: 42 });
  });
});

const providerId = 'mock';
/** One error of every class @wechat/provider-api defines, with its class-specific fields set. */
const errors: readonly [string, WechatError, (error: unknown) => boolean][] = [
  [
    'WechatConfigValidationError',
    new WechatConfigValidationError({
      path: 'providers.mock',
      issues: [{ path: 'providers.mock.url', message: 'bad' }],
      providerId,
    }),
    WechatConfigValidationError.isInstance,
  ],
  [
    'WechatNoSuchProviderError',
    new WechatNoSuchProviderError({ providerId, availableProviders: ['a', 'b'] }),
    WechatNoSuchProviderError.isInstance,
  ],
  [
    'WechatProviderLoadError',
    new WechatProviderLoadError({ moduleName: 'x', message: 'no x', cause: new Error('boom') }),
    WechatProviderLoadError.isInstance,
  ],
  [
    'WechatUnsupportedSpecificationVersionError',
    new WechatUnsupportedSpecificationVersionError({ received: 'v9', supported: ['v1'], providerId }),
    WechatUnsupportedSpecificationVersionError.isInstance,
  ],
  [
    'WechatInvalidProviderError',
    new WechatInvalidProviderError({ problems: ['no id'], providerId }),
    WechatInvalidProviderError.isInstance,
  ],
  [
    'WechatUnsupportedCapabilityError',
    new WechatUnsupportedCapabilityError({ capability: 'send.voice', providerId }),
    WechatUnsupportedCapabilityError.isInstance,
  ],
  [
    'WechatProviderUnavailableError',
    new WechatProviderUnavailableError({ message: 'down', providerId }),
    WechatProviderUnavailableError.isInstance,
  ],
  [
    'WechatRateLimitedError',
    new WechatRateLimitedError({ message: 'slow', retryAfterMs: 1000, providerId }),
    WechatRateLimitedError.isInstance,
  ],
  [
    'WechatRiskControlError',
    new WechatRiskControlError({ rule: 'daily-quota', retryAfterMs: 5, message: 'quota', providerId }),
    WechatRiskControlError.isInstance,
  ],
  [
    'WechatAuthenticationError',
    new WechatAuthenticationError({ code: 'CREDENTIALS_INVALID', message: 'no', providerId }),
    WechatAuthenticationError.isInstance,
  ],
  [
    'WechatRequestError',
    new WechatRequestError({
      operation: 'sendMessage',
      statusCode: 404,
      remoteCode: -3,
      responseBody: '{}',
      retryable: true,
      message: 'gone',
      providerId,
    }),
    WechatRequestError.isInstance,
  ],
  ['WechatNotFoundError', new WechatNotFoundError({ entity: 'room', id: 'room-9', providerId }), WechatNotFoundError.isInstance],
  [
    'WechatMediaTooLargeError',
    new WechatMediaTooLargeError({ maxBytes: 10, actualBytes: 20, kind: 'video', providerId }),
    WechatMediaTooLargeError.isInstance,
  ],
  [
    'WechatInvalidArgumentError',
    new WechatInvalidArgumentError({ argument: 'limit', message: 'bad limit' }),
    WechatInvalidArgumentError.isInstance,
  ],
  ['WechatError', new WechatError({ name: 'WechatError', code: 'UNKNOWN', message: 'odd' }), WechatError.isInstance],
];

/** What a client can observe of an error: every own field plus the base ones, the cause left out. */
function observable(error: WechatError) {
  const { cause: _cause, ...fields } = Object.fromEntries(Object.entries(error));
  return { ...fields, name: error.name, message: error.message, code: error.code, retryable: error.retryable };
}

describe('typed errors on the wire', () => {
  it.each(errors)('%s comes back as the same class with the same fields', (_name, error, isInstance) => {
    const back = roundTrip({ error }).error;
    expect(isInstance(back)).toBe(true);
    expect(WechatError.isInstance(back)).toBe(true);
    expect(back).toBeInstanceOf(Error);
    expect(observable(back)).toEqual(observable(error));
  });

  it('travel as { $error: { name, code, message, retryable, …fields } } without the cause', () => {
    const error = new WechatRateLimitedError({ message: 'slow', retryAfterMs: 1000, providerId, cause: new Error('429') });
    expect(JSON.parse(encodeWire({ error }))).toEqual({
      error: {
        $error: {
          name: 'WechatRateLimitedError',
          code: 'RATE_LIMITED',
          message: 'slow',
          retryable: true,
          providerId,
          retryAfterMs: 1000,
        },
      },
    });
  });

  it('keep name, code and fields of a class this version does not know', () => {
    const wire = { $error: { name: 'WechatFutureError', code: 'FUTURE', message: 'later', retryable: true, extra: 1 } };
    const back = decodeWire(JSON.stringify(wire)) as WechatError & { extra: number };
    expect(WechatError.isInstance(back)).toBe(true);
    expect([back.name, back.code, back.message, back.retryable, back.extra]).toEqual([
      'WechatFutureError',
      'FUTURE',
      'later',
      true,
      1,
    ]);
  });

  it('survive inside events and results (state-changed.error, a health report)', () => {
    const error = new WechatAuthenticationError({ code: 'AUTH_REQUIRED', message: 'signed out', providerId });
    const event: ProviderEventV1 = { type: 'state-changed', state: 'logged-out', previous: 'connected', error };
    const back = roundTrip([event, { healthy: false, error }]);
    const [changed, report] = back as [typeof event, { error: unknown }];
    expect(changed.type === 'state-changed' && WechatAuthenticationError.isInstance(changed.error)).toBe(true);
    expect(WechatAuthenticationError.isInstance(report.error)).toBe(true);
  });
});

describe('event ids', () => {
  it('are <epoch>:<sequence>', () => {
    expect(formatEventId({ epoch: 'a:b', sequence: 12 })).toBe('a:b:12');
    expect(parseEventId('a:b:12')).toEqual({ epoch: 'a:b', sequence: 12 });
    for (const bad of [undefined, '', '12', ':12', 'a:', 'a:-1', 'a:1.5', 'a:x']) expect(parseEventId(bad)).toBeUndefined();
  });
});

describe('the SSE parser', () => {
  it('handles fields, comments, multi-line data and line breaks split across chunks', () => {
    const messages: unknown[] = [];
    const push = createSseParser(message => messages.push(message));
    for (const chunk of [
      ': hello\n',
      'id: e:1\ndata: {"a"',
      ':1}\n\n',
      'event: ready\r',
      '\ndata: x\r\ndata: y\r\n\r\n',
      'data:z\n',
      '\n',
    ]) {
      push(chunk);
    }
    expect(messages).toEqual([
      { event: 'message', data: '{"a":1}', id: 'e:1' },
      { event: 'ready', data: 'x\ny', id: 'e:1' },
      { event: 'message', data: 'z', id: 'e:1' },
    ]);
  });
});
