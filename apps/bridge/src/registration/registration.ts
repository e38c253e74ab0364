import { stringify } from 'yaml';
import type { AppConfig } from '../config/app-config-schema.ts';
import { userNamespaceRegex } from './user-namespace.ts';

/** The appservice registration file the homeserver loads (Synapse: `app_service_config_files`). */
export interface AppserviceRegistration {
  readonly id: string;
  readonly url: string;
  readonly as_token: string;
  readonly hs_token: string;
  readonly sender_localpart: string;
  readonly namespaces: {
    readonly users: readonly [{ readonly exclusive: true; readonly regex: string }];
    readonly aliases: readonly [];
    readonly rooms: readonly [];
  };
  readonly rate_limited: false;
  readonly receive_ephemeral: true;
  readonly 'de.sorunome.msc2409.push_ephemeral': true;
  readonly 'org.matrix.msc3202'?: true;
}

export function buildRegistration(config: AppConfig): AppserviceRegistration {
  const { appservice, bridge, homeserver } = config;
  return {
    id: appservice.id,
    url: appservice.address,
    as_token: appservice.as_token,
    hs_token: appservice.hs_token,
    sender_localpart: appservice.bot.username,
    namespaces: {
      users: [
        {
          exclusive: true,
          regex: userNamespaceRegex({
            usernameTemplate: bridge.username_template,
            botUsername: appservice.bot.username,
            domain: homeserver.domain,
          }),
        },
      ],
      aliases: [],
      rooms: [],
    },
    // Ghosts send as fast as WeChat delivers; the homeserver must not throttle them.
    rate_limited: false,
    // Typing, receipts and presence. Synapse reads the stable key; matrix-bot-sdk only reads what the unstable
    // MSC2409 key produces, which also carries to-device messages (needed for encryption).
    receive_ephemeral: true,
    'de.sorunome.msc2409.push_ephemeral': true,
    // One-time key counts and device lists in transactions, which appservice encryption needs. Synapse
    // ignores it unless experimental_features.msc3202_transaction_extensions is on.
    ...(bridge.encryption.allow ? { 'org.matrix.msc3202': true as const } : {}),
  };
}

/** The registration as YAML, with a header saying where it goes. */
export function renderRegistration(registration: AppserviceRegistration): string {
  return `# Appservice registration for wechat-bridge, written by \`wechat-bridge generate-registration\`.
# Give this file to the homeserver (Synapse: list it under app_service_config_files) and restart it.
# It contains the appservice tokens: keep it as secret as the bridge config.
${stringify(registration)}`;
}
