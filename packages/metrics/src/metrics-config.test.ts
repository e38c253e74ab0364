import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { metricsConfigSchema } from './metrics-config.ts';

describe('metricsConfigSchema', () => {
  it('applies the reference defaults', () => {
    expect(parseConfig(metricsConfigSchema, {})).toEqual({ enabled: true, listen: '0.0.0.0:9110' });
  });

  it('accepts an IPv6 listen address', () => {
    expect(parseConfig(metricsConfigSchema, { enabled: false, listen: '[::]:9110' })).toEqual({
      enabled: false,
      listen: '[::]:9110',
    });
  });

  it('names the key and what is expected', () => {
    expect(() => parseConfig(metricsConfigSchema, { listen: '9110' }, { path: 'metrics' })).toThrow(
      'metrics.listen: must be host:port, e.g. 0.0.0.0:9110',
    );
    expect(() => parseConfig(metricsConfigSchema, { listen: 9110 }, { path: 'metrics' })).toThrow(
      'metrics.listen: Invalid type: Expected string but received 9110',
    );
    expect(() => parseConfig(metricsConfigSchema, { enable: true }, { path: 'metrics' })).toThrow('metrics.enable: Invalid key');
  });
});
