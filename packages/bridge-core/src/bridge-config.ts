import * as v from 'valibot';
import { isMatrixServerName, isMatrixUserId } from './matrix-ids.ts';

/** Where the WeChat id goes in `username_template`. */
export const usernameTemplatePlaceholder = '{{.}}';

/** What a Matrix user may do with the bridge: relay (be relayed), user (log in to WeChat), admin (manage it). */
export const permissionLevels = ['relay', 'user', 'admin'] as const;
export type PermissionLevel = (typeof permissionLevels)[number];

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

// Literal parts of the template must be localpart characters, so every ghost gets a valid user ID.
const usernameTemplatePattern = /^[a-z0-9._=/+-]*\{\{\.\}\}[a-z0-9._=/+-]*$/;

const usernameTemplateSchema = v.pipe(
  v.string(),
  v.check(
    template => template.split(usernameTemplatePlaceholder).length === 2,
    `must contain ${usernameTemplatePlaceholder} exactly once, where the WeChat id goes`,
  ),
  v.regex(usernameTemplatePattern, `may contain only a-z, 0-9 and . _ = - / + around ${usernameTemplatePlaceholder}`),
  // A bare placeholder would make the bridge's exclusive namespace swallow every user on the homeserver.
  v.check(
    template => template !== usernameTemplatePlaceholder,
    `needs a prefix or suffix around ${usernameTemplatePlaceholder}, e.g. wechat_${usernameTemplatePlaceholder}`,
  ),
);

const permissionKeySchema = v.pipe(
  v.string(),
  v.check(
    key => key === '*' || isMatrixServerName(key) || isMatrixUserId(key),
    'permission keys are "*", a homeserver domain (example.org) or a user ID (@alice:example.org)',
  ),
);

/** `bridge.*`: how WeChat appears in Matrix, and who may use the bridge. */
export const bridgeConfigSchema = v.strictObject({
  /** Localpart of a WeChat contact's ghost user; `{{.}}` is replaced by the (escaped) WeChat id. */
  username_template: v.optional(usernameTemplateSchema, `wechat_${usernameTemplatePlaceholder}`),
  /** Display name of a ghost user; `{{.Nickname}}` is replaced by the contact's WeChat name. */
  displayname_template: v.optional(v.pipe(v.string(), v.nonEmpty()), '{{.Nickname}} (WeChat)'),
  /** Who may do what: "*" (everyone), a homeserver domain or a user ID → relay | user | admin. */
  permissions: v.optional(v.record(permissionKeySchema, v.picklist(permissionLevels)), () => ({ '*': 'relay' as const })),
  message_handling: v.optional(
    v.strictObject({
      /** WeChat messages older than this many seconds (e.g. after downtime) are not bridged as new messages. */
      max_message_age: v.optional(positiveInteger, 300),
      /** Send a Matrix read receipt from the bridge bot once a message has reached WeChat. */
      delivery_receipts: v.optional(v.boolean(), true),
    }),
    {},
  ),
  encryption: v.optional(
    v.pipe(
      v.strictObject({
        /** Allow end-to-end encrypted portal rooms. */
        allow: v.optional(v.boolean(), true),
        /** Create new portal rooms encrypted. */
        default: v.optional(v.boolean(), false),
      }),
      v.forward(
        v.check(encryption => encryption.allow || !encryption.default, 'cannot be true while encryption.allow is false'),
        ['default'],
      ),
    ),
    {},
  ),
  rate_limit: v.optional(
    v.strictObject({
      /** Outgoing messages per minute to WeChat, per login. */
      messages_per_minute: v.optional(positiveInteger, 30),
    }),
    {},
  ),
  media: v.optional(
    v.strictObject({
      /** Largest file bridged in either direction, in bytes (checked before downloading). */
      max_file_size: v.optional(positiveInteger, 104_857_600),
      /** Converts WeChat voice (SILK) to Matrix audio (Ogg Opus) and back. */
      voice_converter: v.optional(v.picklist(['silk2ogg']), 'silk2ogg'),
    }),
    {},
  ),
});

export type BridgeConfigInput = v.InferInput<typeof bridgeConfigSchema>;
export type BridgeConfig = v.InferOutput<typeof bridgeConfigSchema>;
