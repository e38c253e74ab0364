import * as v from 'valibot';

const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Anti-ban limits; the defaults are the reference design's. */
export const ipadRiskControlSchema = v.object({
  /** No sends at all during the first days after the account's first login. */
  new_account_silence_days: v.optional(count, 3),
  max_messages_per_day: v.optional(count, 500),
  /** Group creations and invitations. */
  max_groups_per_day: v.optional(count, 10),
  /** Accepted friend requests. */
  max_friends_per_day: v.optional(count, 20),
  /** Minimum time between two sends. */
  message_interval_ms: v.optional(count, 1000),
  /** Add random jitter to the interval, so sends do not look machine-timed. */
  random_delay: v.optional(v.boolean(), false),
});

/** `providers.ipad.*` — the GeWeChat service. */
export const ipadConfigSchema = v.object({
  enabled: v.optional(v.boolean(), false),
  /** The GeWeChat API base, e.g. `http://gewechat:2531/v2/api`. */
  api_endpoint: v.pipe(v.string(), v.url('must be the GeWeChat API URL, e.g. http://gewechat:2531/v2/api')),
  /** X-GEWE-TOKEN; obtained from the service and stored when absent. */
  api_token: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** The file server for downloads; default: the API host on port 2532, path `/download`. */
  download_endpoint: v.optional(v.pipe(v.string(), v.url())),
  /** The URL GeWeChat posts callbacks to: it must reach `callback_port` on this host. */
  callback_url: v.pipe(
    v.string(),
    v.url('must be the URL at which GeWeChat reaches the bridge, e.g. http://bridge:29352/callback'),
  ),
  callback_port: v.optional(port, 29352),
  risk_control: v.optional(ipadRiskControlSchema, {}),
});

export type IpadConfigInput = v.InferInput<typeof ipadConfigSchema>;
export type IpadConfig = v.InferOutput<typeof ipadConfigSchema>;
