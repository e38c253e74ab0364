import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { wecomConfigSchema } from './wecom-config.ts';

const valid = { corp_id: 'ww1234567890abcdef', app_secret: 's3cret', agent_id: 1000002 };

describe('wecomConfigSchema', () => {
  it('applies the reference defaults', () => {
    expect(parseConfig(wecomConfigSchema, valid)).toEqual({
      ...valid,
      enabled: false,
      api_base_url: 'https://qyapi.weixin.qq.com',
    });
    const withCallback = parseConfig(wecomConfigSchema, { ...valid, callback: { token: 't', aes_key: 'a'.repeat(43) } });
    expect(withCallback.callback).toEqual({ port: 29351, host: '0.0.0.0', token: 't', aes_key: 'a'.repeat(43) });
  });

  it('names the key and what is expected', () => {
    expect(() => parseConfig(wecomConfigSchema, { ...valid, corp_id: '' }, { path: 'providers.wecom' })).toThrow(
      'providers.wecom.corp_id: is required (the WeCom corp id, "ww…")',
    );
    expect(() =>
      parseConfig(wecomConfigSchema, { ...valid, callback: { token: 't', aes_key: 'short' } }, { path: 'providers.wecom' }),
    ).toThrow('providers.wecom.callback.aes_key: must be the 43-character EncodingAESKey');
    expect(() => parseConfig(wecomConfigSchema, { ...valid, agent_id: '1000002' }, { path: 'providers.wecom' })).toThrow(
      /providers\.wecom\.agent_id: Invalid type: Expected number/,
    );
    expect(() =>
      parseConfig(wecomConfigSchema, { ...valid, callback: { port: 70000, token: 't', aes_key: 'a'.repeat(43) } }),
    ).toThrow(/callback\.port/);
  });

  it('accepts port 0 (an ephemeral port, for tests) and another interface', () => {
    const config = parseConfig(wecomConfigSchema, {
      ...valid,
      callback: { port: 0, host: '127.0.0.1', token: 't', aes_key: 'a'.repeat(43) },
    });
    expect(config.callback).toMatchObject({ port: 0, host: '127.0.0.1' });
  });
});
