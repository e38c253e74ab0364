import * as v from 'valibot';

/**
 * The longest interval accepted, one day. Longer intervals would make failover meaningless, and timers
 * beyond 2^31 ms (about 24.8 days) overflow in Node and fire at once.
 */
const maxIntervalSeconds = 86_400;

const intervalSeconds = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(maxIntervalSeconds));
const threshold = v.pipe(v.number(), v.integer(), v.minValue(1));

/** `providers.failover.*`: how a failover group watches its sessions and switches between them. */
export const failoverConfigSchema = v.strictObject({
  /** Switch automatically between the providers of one WeChat identity. */
  enabled: v.optional(v.boolean(), false),
  /** Seconds between two health checks of the active session. */
  health_check_interval_s: v.optional(intervalSeconds, 30),
  /** Consecutive failed health checks before switching to the next healthy session. */
  failure_threshold: v.optional(threshold, 3),
  /** Seconds between two probes of the higher-tier sessions that are not active. */
  recovery_check_interval_s: v.optional(intervalSeconds, 120),
  /** Consecutive successful probes before a higher-tier session is promoted back. */
  recovery_threshold: v.optional(threshold, 3),
});

export type FailoverConfigInput = v.InferInput<typeof failoverConfigSchema>;
export type FailoverConfig = v.InferOutput<typeof failoverConfigSchema>;
