export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

export interface AccessTokenCache {
  /** A token valid for at least the margin; fetched when missing or about to expire, one fetch at a time. */
  get(): Promise<string>;
  /** Drops `token` if it is still the cached one (a concurrent refresh may already have replaced it). */
  invalidate(token: string): void;
  /** Forgets everything (logout). A fetch in flight is not cached when it completes. */
  clear(): void;
}

export interface AccessTokenCacheOptions {
  readonly fetchToken: () => Promise<IssuedToken>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Refetch when fewer than this many milliseconds remain (wechatpy uses 60 s, reference A.1). */
  readonly refreshMarginMs?: number;
}

/**
 * Caches the app's access token. `gettoken` is rate-limited and each app has its own token (reference A.1), so
 * concurrent callers share one fetch (single flight) and the token is reused until shortly before it expires.
 */
export function createAccessTokenCache({ fetchToken, now, refreshMarginMs = 60_000 }: AccessTokenCacheOptions): AccessTokenCache {
  let cached: { readonly token: string; readonly expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let generation = 0;

  const refresh = (): Promise<string> => {
    const started = generation;
    const fetching = fetchToken().then(({ token, expiresInSeconds }) => {
      if (started === generation) cached = { token, expiresAt: now() + expiresInSeconds * 1000 };
      return token;
    });
    pending = fetching.finally(() => {
      if (pending === guarded) pending = undefined;
    });
    const guarded = pending;
    return guarded;
  };

  return {
    get: async () => {
      if (cached && now() < cached.expiresAt - refreshMarginMs) return cached.token;
      return pending ?? refresh();
    },
    invalidate: token => {
      if (cached?.token === token) cached = undefined;
    },
    clear: () => {
      generation++;
      cached = undefined;
      pending = undefined;
    },
  };
}
