import { usernameTemplatePlaceholder } from './bridge-config.ts';

/**
 * The regular expression (source text) matching every localpart `bridge.username_template` can produce:
 * the placeholder becomes `.+`, everything else is literal. It works in JavaScript and in Python's `re`
 * (Synapse), so it can go into the appservice registration.
 */
export function ghostLocalpartPattern(usernameTemplate: string): string {
  return usernameTemplate.split(usernameTemplatePlaceholder).map(escapeRegExp).join('.+');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
