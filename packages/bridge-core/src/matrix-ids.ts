// Grammar from the Matrix spec, appendix "Identifier Grammar" (server names, user identifiers).

/** `hostname [":" port]`: an IPv4 address, a bracketed IPv6 address or a DNS name, with an optional port. */
const serverNamePattern = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,255})(?::\d{1,5})?$/;
/** The characters a user ID's localpart may contain (since spec v1.8 including `+`). */
const localpartPattern = /^[a-z0-9._=/+-]+$/;

/** A homeserver's server name, the part after the colon in `@alice:example.org`. */
export function isMatrixServerName(value: string): boolean {
  return serverNamePattern.test(value);
}

/** A localpart this bridge may create, e.g. `wechatbot`. */
export function isMatrixLocalpart(value: string): boolean {
  return localpartPattern.test(value);
}

/**
 * A user ID as permission keys name them. The localpart check is lenient on purpose: users registered before
 * the grammar was tightened may still hold historical IDs with other characters.
 */
export function isMatrixUserId(value: string): boolean {
  const separator = value.indexOf(':');
  return value.startsWith('@') && separator > 1 && isMatrixServerName(value.slice(separator + 1));
}
