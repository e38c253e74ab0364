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
    expect(withCallback.callback).toEqual({ port: 29351, token: 't', aes_key: 'a'.repeat(43) });
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
  });
});
