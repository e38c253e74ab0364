import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { pchookConfigSchema } from './pchook-config.ts';

describe('pchookConfigSchema', () => {
  it('defaults to WeChatFerry on the local host', () => {
    expect(parseConfig(pchookConfigSchema, {})).toEqual({ enabled: false, rpc_endpoint: 'tcp://127.0.0.1:10086' });
  });

  it('rejects endpoints that are not tcp://HOST:PORT', () => {
    expect(() => parseConfig(pchookConfigSchema, { rpc_endpoint: 'localhost:19088' }, { path: 'providers.pchook' })).toThrow(
      'providers.pchook.rpc_endpoint: must look like tcp://HOST:PORT',
    );
  });

  it('requires both sides of the shared directory', () => {
    expect(() => parseConfig(pchookConfigSchema, { shared_dir: '/srv/wcf' }, { path: 'providers.pchook' })).toThrow(
      'providers.pchook.windows_dir: shared_dir and windows_dir name the same directory',
    );
    expect(parseConfig(pchookConfigSchema, { shared_dir: '/srv/wcf', windows_dir: 'C:\\wcf' }).windows_dir).toBe('C:\\wcf');
  });
});
