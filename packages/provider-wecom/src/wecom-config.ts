import * as v from 'valibot';

/** WeCom's EncodingAESKey: 43 characters of base64 (the trailing `=` is implied). */
const aesKeySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey from the WeCom admin console'),
);

/** `providers.wecom.*` — keys as in the reference README, defaults in the schema. */
export const wecomConfigSchema = v.object({
  enabled: v.optional(v.boolean(), false),
  /** 企业ID, from My Company → Company Info. */
  corp_id: v.pipe(v.string(), v.nonEmpty('is required (the WeCom corp id, "ww…")')),
  /** The self-built application's Secret. */
  app_secret: v.pipe(v.string(), v.nonEmpty('is required (the application Secret)')),
  /** The application's AgentId. */
  agent_id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  api_base_url: v.optional(v.pipe(v.string(), v.url()), 'https://qyapi.weixin.qq.com'),
  /** Without it the session only sends: WeCom delivers messages to the app through this callback. */
  callback: v.optional(
    v.object({
      /**
       * Where the callback server listens; WeCom must reach it at `<public url>/callback`. `0` picks a free
       * port (for tests: the address is reported to `onCallbackListening`).
       */
      port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)), 29351),
      /** The interface to bind. All interfaces by default, so a reverse proxy or container port mapping reaches it. */
      host: v.optional(v.pipe(v.string(), v.nonEmpty('must name an interface, e.g. 127.0.0.1')), '0.0.0.0'),
      token: v.pipe(v.string(), v.nonEmpty('is required (the callback Token)')),
      aes_key: aesKeySchema,
    }),
  ),
});

export type WecomConfigInput = v.InferInput<typeof wecomConfigSchema>;
export type WecomConfig = v.InferOutput<typeof wecomConfigSchema>;
