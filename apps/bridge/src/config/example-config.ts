import { bridgeConfigSchema } from '@wechat/bridge-core';
import { failoverConfigSchema } from '@wechat/failover';
import { metricsConfigSchema } from '@wechat/metrics';
import { logLevels } from '@wechat/provider-api';
import * as v from 'valibot';
import { stringify } from 'yaml';
import { appserviceBotSchema, appserviceSchema, databaseSchema, loggingSchema } from './app-config-schema.ts';
import { envVariableFor } from './env-overrides.ts';

export interface ExampleConfigOptions {
  readonly asToken: string;
  readonly hsToken: string;
}

/** A YAML scalar, quoted only where YAML needs it. */
function yaml(value: string | number | boolean): string {
  return stringify(value).trimEnd();
}

/**
 * The commented example config that `generate-config` prints. Every value shown is read from the schemas, so
 * the example cannot drift from what the bridge applies. The homeserver is left empty on purpose: the config
 * is rejected until it names one. Commented-out settings are written as `# key: value`, prose as `# Text`.
 */
export function renderExampleConfig({ asToken, hsToken }: ExampleConfigOptions): string {
  const appservice = {
    hostname: v.getDefault(appserviceSchema.entries.hostname),
    port: v.getDefault(appserviceSchema.entries.port),
    id: v.getDefault(appserviceSchema.entries.id),
    bot: v.parse(appserviceBotSchema, {}),
  };
  const database = v.parse(databaseSchema, {});
  const bridge = v.parse(bridgeConfigSchema, {});
  const failover = v.parse(failoverConfigSchema, {});
  const metrics = v.parse(metricsConfigSchema, {});
  const logging = v.parse(loggingSchema, {});
  const permissions = Object.entries(bridge.permissions).map(([key, level]) => `    ${yaml(key)}: ${level}`);

  return `# wechat-bridge configuration, written by \`wechat-bridge generate-config\`.
# Each setting shows its default. Check the file with \`wechat-bridge validate-config --config FILE\`.
#
# Secrets: any text setting can instead be read from a file by adding _file to its key (for Docker secrets),
# e.g. "as_token_file: /run/secrets/as_token" (the file's contents, trimmed), or from an environment variable
# named after its path, e.g. ${envVariableFor(['appservice', 'as_token'])}.
# The environment variable wins over the file, and the file over the value written here.

# The Matrix homeserver. Fill in both settings: the config is rejected while they are empty.
homeserver:
  # The homeserver's client-server API URL as the bridge reaches it, e.g. https://matrix.example.org. Required.
  address: ""
  # The server name: the part after ":" in user IDs (@alice:example.org -> example.org). Required.
  domain: ""

# The bridge as an application service of the homeserver; generate-registration turns this into the registration.
appservice:
  # The URL at which the homeserver reaches the bridge (the registration's url). Required.
  address: http://localhost:${appservice.port}
  # The address the bridge listens on (0.0.0.0: every IPv4 interface, ::: every interface). Default: ${appservice.hostname}
  hostname: ${yaml(appservice.hostname)}
  # The port the bridge listens on. Default: ${appservice.port}
  port: ${appservice.port}
  # The appservice ID, unique on the homeserver. Default: ${appservice.id}
  id: ${yaml(appservice.id)}
  bot:
    # Localpart of the bridge bot's user ID (@${appservice.bot.username}:<domain>). Default: ${appservice.bot.username}
    username: ${yaml(appservice.bot.username)}
    # The bridge bot's display name. Default: ${appservice.bot.displayname}
    displayname: ${yaml(appservice.bot.displayname)}
    # The bridge bot's avatar, an mxc:// URI. Optional; no default.
    # avatar: mxc://example.org/abcdefghijklmnop
  # Shared secrets with the homeserver, freshly generated. Required; keep them secret.
  # as_token authenticates the bridge to the homeserver, hs_token the homeserver to the bridge.
  as_token: ${yaml(asToken)}
  hs_token: ${yaml(hsToken)}

database:
  # pglite (embedded PostgreSQL in a directory, no server needed) or postgres (a PostgreSQL server).
  # Default: ${database.type}
  type: ${database.type}
  # The PostgreSQL connection URI; required when type is postgres, unused otherwise. No default.
  # uri: postgres://wechat_bridge:password@localhost:5432/wechat_bridge
  # The directory where pglite keeps its files (relative to the working directory). Default: ${database.path}
  path: ${yaml(database.path)}

bridge:
  # Localpart of a WeChat contact's Matrix user; {{.}} is replaced by the WeChat id. Default: ${bridge.username_template}
  username_template: ${yaml(bridge.username_template)}
  # Display name of a WeChat contact's Matrix user; {{.Nickname}} is the WeChat name. Default: ${bridge.displayname_template}
  displayname_template: ${yaml(bridge.displayname_template)}
  # Who may use the bridge: "*" (everyone), a homeserver domain or a user ID, mapped to
  # relay (messages may be relayed), user (may log in to WeChat) or admin (may manage the bridge).
  # Default: ${JSON.stringify(bridge.permissions)}
  permissions:
${permissions.join('\n')}
    # example.org: user
    # "@admin:example.org": admin
  message_handling:
    # WeChat messages older than this many seconds are not bridged as new messages. Default: ${bridge.message_handling.max_message_age}
    max_message_age: ${bridge.message_handling.max_message_age}
    # Send a read receipt from the bridge bot once a message reached WeChat. Default: ${bridge.message_handling.delivery_receipts}
    delivery_receipts: ${bridge.message_handling.delivery_receipts}
  encryption:
    # Allow end-to-end encrypted portal rooms. Default: ${bridge.encryption.allow}
    allow: ${bridge.encryption.allow}
    # Create new portal rooms encrypted (needs allow). Default: ${bridge.encryption.default}
    default: ${bridge.encryption.default}
  rate_limit:
    # Messages per minute sent to WeChat, per login. Default: ${bridge.rate_limit.messages_per_minute}
    messages_per_minute: ${bridge.rate_limit.messages_per_minute}
  media:
    # The largest file bridged in either direction, in bytes. Default: ${bridge.media.max_file_size}
    max_file_size: ${bridge.media.max_file_size}
    # Converter between WeChat voice (SILK) and Matrix audio (Ogg Opus). Default: ${bridge.media.voice_converter}
    voice_converter: ${yaml(bridge.media.voice_converter)}

# Providers: the ways to reach WeChat. Each provider package brings its own section (providers.wecom,
# providers.ipad, providers.pchook), validated by that package's schema and switched on with "enabled: true"
# (default false). Each package's README documents every key. With failover enabled and several providers
# enabled, the bridge serves one WeChat account through them, preferring the lowest tier (wecom 1, ipad 2,
# pchook 3; "tier: N" in a section overrides it).
# providers:
#   failover:
#     # Switch automatically between the providers of one WeChat account. Default: ${failover.enabled}
#     enabled: ${failover.enabled}
#     # Seconds between two health checks of the active provider. Default: ${failover.health_check_interval_s}
#     health_check_interval_s: ${failover.health_check_interval_s}
#     # Consecutive failed checks before switching to the next provider. Default: ${failover.failure_threshold}
#     failure_threshold: ${failover.failure_threshold}
#     # Seconds between two probes of a higher-tier provider that is not active. Default: ${failover.recovery_check_interval_s}
#     recovery_check_interval_s: ${failover.recovery_check_interval_s}
#     # Consecutive successful probes before switching back to it. Default: ${failover.recovery_threshold}
#     recovery_threshold: ${failover.recovery_threshold}
#   # WeCom (企业微信), the official API for enterprise accounts (tier 1).
#   wecom:
#     enabled: false
#     corp_id: ww0123456789abcdef
#     # The application's Secret; or app_secret_file: /run/secrets/wecom_secret
#     app_secret: the-application-secret
#     agent_id: 1000002
#     api_base_url: https://qyapi.weixin.qq.com
#     callback:
#       # WeCom must reach <your public URL>/callback, which leads to this port.
#       port: 29351
#       token: the-callback-token
#       aes_key: jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C
#   # A personal account through a GeWeChat (iPad protocol) service (tier 2).
#   ipad:
#     enabled: false
#     api_endpoint: http://gewechat:2531/v2/api
#     # Must be reachable from the GeWeChat container (not 127.0.0.1) and lead to callback_port.
#     callback_url: http://wechat-bridge:29352/callback
#     callback_port: 29352
#     risk_control:
#       new_account_silence_days: 3
#       max_messages_per_day: 500
#       max_groups_per_day: 10
#       max_friends_per_day: 20
#       message_interval_ms: 1000
#       random_delay: false
#   # WeChat on a Windows host with WeChatFerry injected (tier 3).
#   pchook:
#     enabled: false
#     rpc_endpoint: tcp://192.0.2.10:10086
#     # One directory seen from both machines, for media.
#     shared_dir: /srv/wcf-share
#     windows_dir: 'C:\\wcf-share'

metrics:
  # Serve Prometheus /metrics and a JSON /health. Default: ${metrics.enabled}
  enabled: ${metrics.enabled}
  # Where that listener binds, host:port (IPv6 in brackets, e.g. [::]:9110). Default: ${metrics.listen}
  listen: ${yaml(metrics.listen)}

logging:
  # The lowest level logged: ${logLevels.join(', ')}. Default: ${logging.min_level}
  min_level: ${logging.min_level}
`;
}
