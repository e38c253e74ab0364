import { describe, expect, it } from 'vitest';
import { WechatError } from './wechat-error.ts';
import {
  toWechatError,
  WechatAuthenticationError,
  WechatConfigValidationError,
  WechatMediaTooLargeError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatRiskControlError,
  WechatUnsupportedCapabilityError,
} from './wechat-errors.ts';

describe('typed errors', () => {
  it('carry code, retryable and a Wechat-prefixed name', () => {
    const cases: [WechatError, string, boolean][] = [
      [new WechatProviderUnavailableError({ message: 'down' }), 'PROVIDER_UNAVAILABLE', true],
      [new WechatRateLimitedError({ message: 'slow down', retryAfterMs: 500 }), 'RATE_LIMITED', true],
      [new WechatRiskControlError({ message: 'quota', rule: 'daily-quota' }), 'RISK_CONTROL_BLOCKED', false],
      [new WechatAuthenticationError({ code: 'AUTH_REQUIRED', message: 'log in' }), 'AUTH_REQUIRED', false],
      [new WechatUnsupportedCapabilityError({ capability: 'send.voice' }), 'CAPABILITY_UNSUPPORTED', false],
      [new WechatNotFoundError({ entity: 'contact', id: 'wxid_x' }), 'ENTITY_NOT_FOUND', false],
      [new WechatMediaTooLargeError({ maxBytes: 10, actualBytes: 11 }), 'MEDIA_TOO_LARGE', false],
    ];
    for (const [error, code, retryable] of cases) {
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error.name).toMatch(/^Wechat[A-Za-z]+Error$/);
      expect(error).toBeInstanceOf(Error);
      expect(WechatError.isInstance(error)).toBe(true);
    }
  });

  it('recognise instances by marker, not by prototype, so duplicate package copies interoperate', () => {
    // What an error thrown by another copy of this package looks like from here: same markers, other classes.
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('wechat.error')]: true,
      [Symbol.for('wechat.error.rate-limited')]: true,
      code: 'RATE_LIMITED',
      retryable: true,
    });
    expect(WechatError.isInstance(foreign)).toBe(true);
    expect(WechatRateLimitedError.isInstance(foreign)).toBe(true);
    expect(WechatProviderUnavailableError.isInstance(foreign)).toBe(false);
  });

  it('tell subclasses apart and reject look-alikes', () => {
    const unavailable = new WechatProviderUnavailableError({ message: 'down' });
    expect(WechatProviderUnavailableError.isInstance(unavailable)).toBe(true);
    expect(WechatRateLimitedError.isInstance(unavailable)).toBe(false);
    expect(WechatError.isInstance(new Error('plain'))).toBe(false);
    expect(WechatError.isInstance({ code: 'RATE_LIMITED', retryable: true })).toBe(false);
    expect(WechatError.isInstance(null)).toBe(false);
    expect(WechatError.isInstance('WechatError')).toBe(false);
  });

  it('derive retryable for request errors from the status code unless told', () => {
    const retryable = (statusCode?: number) => new WechatRequestError({ operation: 'send', message: 'x', statusCode }).retryable;
    expect(retryable(undefined)).toBe(true);
    expect(retryable(408)).toBe(true);
    expect(retryable(429)).toBe(true);
    expect(retryable(503)).toBe(true);
    expect(retryable(400)).toBe(false);
    expect(retryable(404)).toBe(false);
    expect(
      new WechatRequestError({ operation: 'send', message: 'x', statusCode: 200, remoteCode: -1, retryable: true }).retryable,
    ).toBe(true);
  });

  it('format config issues with their paths', () => {
    const error = new WechatConfigValidationError({
      path: 'providers.wecom',
      issues: [{ path: 'providers.wecom.corp_id', message: 'Invalid type: Expected string but received undefined' }],
    });
    expect(error.message).toBe(
      'Invalid configuration:\n  - providers.wecom.corp_id: Invalid type: Expected string but received undefined',
    );
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it('keep the cause and serialise to plain data', () => {
    const cause = new Error('ECONNRESET');
    const error = new WechatProviderUnavailableError({ message: 'socket closed', cause, providerId: 'ipad' });
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'WechatProviderUnavailableError',
      code: 'PROVIDER_UNAVAILABLE',
      message: 'socket closed',
      retryable: true,
      providerId: 'ipad',
    });
  });

  it('wrap unknown throwables without touching WechatErrors', () => {
    const typed = new WechatNotFoundError({ entity: 'room', id: 'r' });
    expect(toWechatError(typed)).toBe(typed);
    const wrapped = toWechatError(new TypeError('boom'), 'pchook');
    expect(WechatError.isInstance(wrapped)).toBe(true);
    expect(wrapped).toMatchObject({ code: 'UNKNOWN', retryable: false, providerId: 'pchook', message: 'boom' });
    expect(toWechatError('text').message).toBe('text');
  });
});
