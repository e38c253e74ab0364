import { appConfigSchema } from '../config/app-config-schema.ts';
import { type ConfigKeyNode, describeConfigKeys } from '../config/config-key-tree.ts';

/**
 * Every setting of the bridge's own schema as a dotted path (`appservice.bot.username`); a record such as
 * `bridge.permissions` counts as one setting. Provider sections are not included: their keys belong to the
 * provider packages. Used by tests that keep the example config and the README complete.
 */
export function configLeafPaths(): string[] {
  return leafPaths(describeConfigKeys(appConfigSchema), []);
}

function leafPaths(node: ConfigKeyNode, path: readonly string[]): string[] {
  if (node.kind === 'text' || node.kind === 'other') return [path.join('.')];
  if (node.kind === 'open') return [];
  if (node.keys.size === 0) return [path.join('.')];
  return [...node.keys].flatMap(([key, child]) => leafPaths(child, [...path, key]));
}
