import type { SessionStorageV1 } from '@wechat/provider-api';

/**
 * The host's storage as one member sees it: every key behind `prefix`, so two members that use the same key
 * (a login token under a fixed name) never overwrite each other.
 */
export function prefixedStorage(storage: SessionStorageV1, prefix: string): SessionStorageV1 {
  return {
    get: key => storage.get(`${prefix}${key}`),
    set: (key, value) => storage.set(`${prefix}${key}`, value),
    delete: key => storage.delete(`${prefix}${key}`),
  };
}
