import { ghostLocalpartPattern } from '@wechat/bridge-core';

export interface UserNamespaceOptions {
  /** `bridge.username_template`, e.g. `wechat_{{.}}`. */
  readonly usernameTemplate: string;
  /** `appservice.bot.username`, e.g. `wechatbot`. */
  readonly botUsername: string;
  /** `homeserver.domain`, e.g. `example.org`. */
  readonly domain: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The one exclusive user namespace regex of the registration: every ghost user, then the bridge bot, e.g.
 * `@wechat_.+:example\.org$|@wechatbot:example\.org$`.
 *
 * Its shape serves both readers. Synapse matches it from the start of the user ID (Python `re.match`), and `$`
 * stops it at the end, so `@wechat_x:example.org.evil` is outside. matrix-bot-sdk accepts exactly one user
 * namespace and derives its ghost prefix from the text before the first ":" when that ends in `.+`, so the ghost
 * alternative comes first and carries no `^`.
 */
export function userNamespaceRegex({ usernameTemplate, botUsername, domain }: UserNamespaceOptions): string {
  const server = escapeRegExp(domain);
  return `@${ghostLocalpartPattern(usernameTemplate)}:${server}$|@${escapeRegExp(botUsername)}:${server}$`;
}
