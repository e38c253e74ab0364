import * as v from 'valibot';
import { tryParseListenAddress } from './listen-address.ts';

/** `metrics.*`: the Prometheus `/metrics` and JSON `/health` listener. */
export const metricsConfigSchema = v.strictObject({
  /** Serve `/metrics` and `/health`. */
  enabled: v.optional(v.boolean(), true),
  /** Where the listener binds, as host:port; IPv6 in brackets (`[::]:9110`). */
  listen: v.optional(
    v.pipe(
      v.string(),
      v.check(
        listen => tryParseListenAddress(listen) !== undefined,
        'must be host:port, e.g. 0.0.0.0:9110, 127.0.0.1:9110 or [::]:9110',
      ),
    ),
    '0.0.0.0:9110',
  ),
});

export type MetricsConfigInput = v.InferInput<typeof metricsConfigSchema>;
export type MetricsConfig = v.InferOutput<typeof metricsConfigSchema>;
