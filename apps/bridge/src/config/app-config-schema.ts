import { isIP } from 'node:net';
import { bridgeConfigSchema, ghostLocalpartPattern, isMatrixLocalpart, isMatrixServerName } from '@wechat/bridge-core';
import { failoverConfigSchema } from '@wechat/failover';
import { metricsConfigSchema } from '@wechat/metrics';
import { logLevels } from '@wechat/provider-api';
import * as v from 'valibot';
import { section } from './section.ts';

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

const httpUrl = (example: string) =>
  v.pipe(v.string(), v.check(isHttpUrl, `must be an http:// or https:// URL, e.g. ${example}`));
const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535));
const text = v.pipe(v.string(), v.nonEmpty('must not be empty'));
const bindHost = v.pipe(
  v.string(),
  v.check(
    host => isIP(host) !== 0 || /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host),
    'must be an IP address or host name to listen on, e.g. 0.0.0.0, 127.0.0.1 or ::',
  ),
);
const token = v.pipe(v.string(), v.nonEmpty('must not be empty; generate-config writes random tokens'));

export const homeserverSchema = section({
  /** The client-server API URL, as the bridge reaches it. */
  address: httpUrl('https://matrix.example.org'),
  /** The server name: the part after the colon in user IDs. */
  domain: v.pipe(
    v.string(),
    v.check(isMatrixServerName, 'must be the server name from user IDs (@alice:example.org → example.org), without https://'),
  ),
});

export const appserviceBotSchema = section({
  username: v.optional(
    v.pipe(v.string(), v.check(isMatrixLocalpart, 'must be a user ID localpart: a-z, 0-9 and . _ = - / +')),
    'wechatbot',
  ),
  displayname: v.optional(text, 'WeChat bridge bot'),
  avatar: v.optional(v.pipe(v.string(), v.regex(/^mxc:\/\/[^/]+\/[^/]+$/, 'must be an mxc:// URI, e.g. mxc://example.org/abc'))),
});

export const appserviceSchema = v.pipe(
  section({
    /** Where the homeserver reaches the bridge; written to the registration as `url`. */
    address: httpUrl('http://localhost:29350'),
    hostname: v.optional(bindHost, '0.0.0.0'),
    port: v.optional(port, 29350),
    id: v.optional(text, 'wechat'),
    bot: v.optional(appserviceBotSchema, {}),
    as_token: token,
    hs_token: token,
  }),
  // One token per direction: with equal tokens, anyone who can call the bridge could also act as it.
  v.forward(
    v.partialCheck(
      [['as_token'], ['hs_token']],
      tokens => tokens.as_token !== tokens.hs_token,
      'must differ from appservice.as_token',
    ),
    ['hs_token'],
  ),
);

export const databaseTypes = ['pglite', 'postgres'] as const;

export const databaseSchema = v.pipe(
  section({
    /** pglite: embedded PostgreSQL in a directory, no server needed. postgres: a PostgreSQL server. */
    type: v.optional(v.picklist(databaseTypes), 'pglite'),
    uri: v.optional(
      v.pipe(v.string(), v.regex(/^postgres(?:ql)?:\/\/./, 'must be a postgres:// or postgresql:// connection URI')),
    ),
    /** Where pglite keeps its files. */
    path: v.optional(text, './data/db'),
  }),
  v.forward(
    v.partialCheck(
      [['type'], ['uri']],
      database => database.type !== 'postgres' || database.uri !== undefined,
      'is required when database.type is postgres, e.g. postgres://user:password@localhost:5432/wechat_bridge',
    ),
    ['uri'],
  ),
  // The reference design defaulted to postgres; a config carried over from it must not silently use pglite.
  v.forward(
    v.partialCheck(
      [['type'], ['uri']],
      database => database.type === 'postgres' || database.uri === undefined,
      'is pglite (the default), but database.uri is set: set type to postgres to use that server, or remove uri',
    ),
    ['type'],
  ),
);

export const loggingSchema = section({
  min_level: v.optional(v.picklist(logLevels), 'info'),
});

/** `providers.*`: `failover` is the failover group's settings; every other key is one provider's section. */
export const providersSchema = v.objectWithRest(
  { failover: v.optional(failoverConfigSchema, {}) },
  // Checked after this schema, by each provider's own `configSchema` (see provider-sections.ts).
  v.unknown(),
);

/** The whole config file, after secrets are resolved. */
export const appConfigSchema = v.pipe(
  section({
    homeserver: homeserverSchema,
    appservice: appserviceSchema,
    database: v.optional(databaseSchema, {}),
    bridge: v.optional(bridgeConfigSchema, {}),
    providers: v.optional(providersSchema, {}),
    metrics: v.optional(metricsConfigSchema, {}),
    logging: v.optional(loggingSchema, {}),
  }),
  // A WeChat contact whose ghost user got the bot's ID would take the bot over.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { bridge, appservice } = dataset.value;
    if (!new RegExp(`^${ghostLocalpartPattern(bridge.username_template)}$`).test(appservice.bot.username)) return;
    // forward() cannot type a path through the optional `bot` section, so the issue path is built here.
    const step = (input: Record<string, unknown>, key: string, value: unknown): v.ObjectPathItem => ({
      type: 'object',
      origin: 'value',
      input,
      key,
      value,
    });
    addIssue({
      message: `must not be a ghost user name that bridge.username_template (${bridge.username_template}) can produce`,
      path: [
        step(dataset.value, 'appservice', appservice),
        step(appservice, 'bot', appservice.bot),
        step(appservice.bot, 'username', appservice.bot.username),
      ],
    });
  }),
);

export type AppConfigInput = v.InferInput<typeof appConfigSchema>;
export type AppConfig = v.InferOutput<typeof appConfigSchema>;
