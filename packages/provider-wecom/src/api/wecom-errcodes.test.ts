import { WechatAuthenticationError, WechatNotFoundError, WechatRateLimitedError, WechatRequestError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { isTokenErrcode, wecomErrcodes, wecomError } from './wecom-errcodes.ts';

const error = (errcode: number, subject?: Parameters<typeof wecomError>[0]['subject']) =>
  wecomError({ operation: 'message/send', errcode, errmsg: 'from WeCom', providerId: 'wecom', ...(subject ? { subject } : {}) });

describe('the errcode table', () => {
  it.each([
    [40001, 'CREDENTIALS_INVALID'],
    [40013, 'CREDENTIALS_INVALID'],
    [60020, 'CREDENTIALS_INVALID'],
  ])('%i refuses the credentials: WechatAuthenticationError, not retryable', (errcode, code) => {
    const typed = error(errcode);
    expect(WechatAuthenticationError.isInstance(typed)).toBe(true);
    expect(typed).toMatchObject({ code, retryable: false, providerId: 'wecom' });
  });

  it.each([45009, 45011, 45033])('%i is a rate limit: WechatRateLimitedError, retryable', errcode => {
    const typed = error(errcode);
    expect(WechatRateLimitedError.isInstance(typed)).toBe(true);
    expect(typed.retryable).toBe(true);
  });

  it('-1 (system busy) is a retryable request error with the remote code', () => {
    const typed = error(-1);
    expect(WechatRequestError.isInstance(typed) && typed.remoteCode).toBe(-1);
    expect(typed.retryable).toBe(true);
  });

  it.each([40014, 41001, 42001])('%i is a token error: refreshed and retried once, then retryable', errcode => {
    expect(isTokenErrcode(errcode)).toBe(true);
    expect(error(errcode)).toMatchObject({ code: 'REQUEST_FAILED', retryable: true, remoteCode: errcode });
  });

  it('refreshes the token on 40001, 40014 and 42001 only (trap 6; 40001 doubles as "invalid credential")', () => {
    expect([...wecomErrcodes.keys()].filter(isTokenErrcode).sort()).toEqual([40014, 41001, 42001]);
    expect(isTokenErrcode(40001)).toBe(false);
  });

  it.each([
    [60111, 'contact'],
    [40003, 'contact'],
    [84061, 'contact'],
    [86001, 'room'],
    [40007, 'media'],
  ] as const)('%i names a missing %s when the call names one', (errcode, entity) => {
    const typed = error(errcode, { entity, id: 'x' });
    expect(WechatNotFoundError.isInstance(typed)).toBe(true);
    expect(typed).toMatchObject({ entity, id: 'x', retryable: false });
    expect(WechatRequestError.isInstance(error(errcode))).toBe(true);
  });

  it.each([40004, 40005, 40006, 40008, 40009, 40011, 40056, 48002, 60011, 81013, 301002, 830002])(
    '%i rejects the request: not retryable, with the remote code',
    errcode => {
      const typed = error(errcode);
      expect(WechatRequestError.isInstance(typed)).toBe(true);
      expect(typed).toMatchObject({ retryable: false, remoteCode: errcode, operation: 'message/send' });
    },
  );

  it('maps an unknown code to a non-retryable WechatRequestError with remoteCode and the errmsg', () => {
    const typed = error(99999);
    expect(typed).toMatchObject({ code: 'REQUEST_FAILED', retryable: false, remoteCode: 99999, responseBody: 'from WeCom' });
    expect(typed.message).toContain('errcode 99999 (unknown)');
  });

  it('gives every known code a meaning', () => {
    for (const [errcode, rule] of wecomErrcodes) expect(rule.meaning, String(errcode)).not.toBe('');
  });
});
