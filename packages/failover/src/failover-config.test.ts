import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { failoverConfigSchema } from './failover-config.ts';

describe('failoverConfigSchema', () => {
  it('applies the reference defaults', () => {
    expect(parseConfig(failoverConfigSchema, {})).toEqual({
      enabled: false,
      health_check_interval_s: 30,
      failure_threshold: 3,
      recovery_check_interval_s: 120,
      recovery_threshold: 3,
    });
  });

  it('keeps the values it is given', () => {
    const input = {
      enabled: true,
      health_check_interval_s: 10,
      failure_threshold: 5,
      recovery_check_interval_s: 600,
      recovery_threshold: 2,
    };
    expect(parseConfig(failoverConfigSchema, input)).toEqual(input);
  });

  it.each([
    [{ health_check_interval_s: 0 }, 'providers.failover.health_check_interval_s: Invalid value: Expected >=1 but received 0'],
    [{ failure_threshold: 1.5 }, 'providers.failover.failure_threshold: Invalid integer: Received 1.5'],
    [{ recovery_check_interval_s: 86_401 }, 'providers.failover.recovery_check_interval_s: Invalid value: Expected <=86400'],
    [{ recovery_threshold: -1 }, 'providers.failover.recovery_threshold: Invalid value: Expected >=1 but received -1'],
    [{ enabled: 'yes' }, 'providers.failover.enabled: Invalid type: Expected boolean but received "yes"'],
    [{ failure_treshold: 3 }, 'providers.failover.failure_treshold: Invalid key'],
  ])('rejects %j with the key path', (input, message) => {
    expect(() => parseConfig(failoverConfigSchema, input, { path: 'providers.failover' })).toThrow(message);
  });
});
