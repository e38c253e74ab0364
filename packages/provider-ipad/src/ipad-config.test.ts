import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { ipadConfigSchema } from './ipad-config.ts';

const valid = { api_endpoint: 'http://gewechat:2531/v2/api', callback_url: 'http://bridge:29352/callback' };

describe('ipadConfigSchema', () => {
  it('applies the reference risk-control defaults', () => {
    expect(parseConfig(ipadConfigSchema, valid)).toEqual({
      ...valid,
      enabled: false,
      callback_port: 29352,
      risk_control: {
        new_account_silence_days: 3,
        max_messages_per_day: 500,
        max_groups_per_day: 10,
        max_friends_per_day: 20,
        message_interval_ms: 1000,
        random_delay: false,
      },
    });
  });

  it('names the key and what is expected', () => {
    expect(() => parseConfig(ipadConfigSchema, { ...valid, api_endpoint: 'gewechat' }, { path: 'providers.ipad' })).toThrow(
      'providers.ipad.api_endpoint: must be the GeWeChat API URL',
    );
    expect(() =>
      parseConfig(ipadConfigSchema, { ...valid, risk_control: { max_messages_per_day: -1 } }, { path: 'providers.ipad' }),
    ).toThrow(/providers\.ipad\.risk_control\.max_messages_per_day: Invalid value/);
  });
});
