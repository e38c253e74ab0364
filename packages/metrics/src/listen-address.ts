import { isIPv6 } from 'node:net';

/** Where an HTTP listener binds: the host as `server.listen` takes it (IPv6 without brackets) and the port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

// An IPv4 address or a DNS name; IPv6 addresses must be bracketed so the port separator is unambiguous.
const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const portPattern = /^\d{1,5}$/;

/**
 * Parses `host:port` (`0.0.0.0:9110`, `localhost:9110`, `[::]:9110`, `[::1]:9110`). Port 0 is accepted: it
 * asks the system for a free port, which tests that start the real bridge rely on.
 */
export function parseListenAddress(listen: string): ListenAddress {
  const address = tryParseListenAddress(listen);
  if (!address) {
    throw new TypeError(`Invalid listen address '${listen}': expected host:port, e.g. 0.0.0.0:9110 or [::]:9110`);
  }
  return address;
}

/** The non-throwing form, for schema checks. */
export function tryParseListenAddress(listen: string): ListenAddress | undefined {
  const separator = listen.lastIndexOf(':');
  if (separator <= 0) return undefined;
  const rawHost = listen.slice(0, separator);
  const rawPort = listen.slice(separator + 1);
  if (!portPattern.test(rawPort)) return undefined;
  const port = Number(rawPort);
  if (port > 65_535) return undefined;
  if (rawHost.startsWith('[') && rawHost.endsWith(']')) {
    const host = rawHost.slice(1, -1);
    return isIPv6(host) ? { host, port } : undefined;
  }
  return hostnamePattern.test(rawHost) ? { host: rawHost, port } : undefined;
}
