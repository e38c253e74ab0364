import * as v from 'valibot';

const isHttpUrl = (url: string) => {
  const protocol = URL.parse(url)?.protocol;
  return protocol === 'http:' || protocol === 'https:';
};

/** `providers.mock` of an app that reaches a mock world in another process (`startRemoteMockServer`). */
export const remoteMockConfigSchema = v.object({
  /** The server's `url`, e.g. `http://127.0.0.1:43123`. */
  url: v.pipe(v.string(), v.check(isHttpUrl, 'must be an http:// or https:// URL (the url startRemoteMockServer returned)')),
  /** The bearer token given to `startRemoteMockServer`. A secret: never logged. */
  token: v.pipe(
    v.string(),
    v.nonEmpty('is required (the token given to startRemoteMockServer)'),
    // It travels in an HTTP header, which cannot carry control or non-ASCII characters.
    v.regex(/^[\x20-\x7e]+$/, 'must be printable ASCII'),
  ),
  /**
   * Which remote session (account) to use. Default: a random key kept in the session storage, so a restarted app
   * finds its login again, as a real device would.
   */
  session_key: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty (leave it out for a generated key)'))),
});

export type RemoteMockConfigInput = v.InferInput<typeof remoteMockConfigSchema>;
export type RemoteMockConfig = v.InferOutput<typeof remoteMockConfigSchema>;
