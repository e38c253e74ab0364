import { describe, expect, it } from 'vitest';
import { createAccessTokenCache, type IssuedToken } from './access-token-cache.ts';

function setup(expiresInSeconds = 7200) {
  let clock = 1_000_000;
  let issued = 0;
  const releases: (() => void)[] = [];
  let hold = false;
  const fetchToken = async (): Promise<IssuedToken> => {
    issued++;
    const token = `token-${issued}`;
    if (hold) await new Promise<void>(resolve => releases.push(resolve));
    return { token, expiresInSeconds };
  };
  const cache = createAccessTokenCache({ fetchToken, now: () => clock });
  return {
    cache,
    issued: () => issued,
    advance: (ms: number) => {
      clock += ms;
    },
    hold: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      for (const release of releases.splice(0)) release();
    },
  };
}

describe('createAccessTokenCache', () => {
  it('fetches once and reuses the token while it is valid', async () => {
    const { cache, issued, advance } = setup();
    expect(await cache.get()).toBe('token-1');
    advance(7_000_000);
    expect(await cache.get()).toBe('token-1');
    expect(issued()).toBe(1);
  });

  it('refreshes before expiry, within the 60 s margin', async () => {
    const { cache, issued, advance } = setup();
    await cache.get();
    advance(7200_000 - 60_000);
    expect(await cache.get()).toBe('token-2');
    expect(issued()).toBe(2);
  });

  it('shares one fetch between concurrent callers (single flight)', async () => {
    const { cache, issued, hold, release } = setup();
    hold();
    const all = Promise.all([cache.get(), cache.get(), cache.get()]);
    release();
    expect(await all).toEqual(['token-1', 'token-1', 'token-1']);
    expect(issued()).toBe(1);
  });

  it('invalidates only the token it was told about', async () => {
    const { cache } = setup();
    await cache.get();
    cache.invalidate('token-0');
    expect(await cache.get()).toBe('token-1');
    cache.invalidate('token-1');
    expect(await cache.get()).toBe('token-2');
  });

  it('forgets everything on clear(), even a fetch that completes afterwards', async () => {
    const { cache, hold, release } = setup();
    await cache.get();
    hold();
    cache.invalidate('token-1');
    const inFlight = cache.get();
    cache.clear();
    release();
    expect(await inFlight).toBe('token-2');
    expect(await cache.get()).toBe('token-3');
  });
});
