import type { ConfigIssue } from '@wechat/provider-api';
import { acceptsSecret, type ConfigKeyNode, childKeyNode } from './config-key-tree.ts';
import { isMapping } from './mapping.ts';

/** Every environment variable with this prefix must name a text setting. */
export const envPrefix = 'WECHAT_BRIDGE_';

export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
  readonly value: string;
}

/** `appservice.as_token` → `WECHAT_BRIDGE_APPSERVICE_AS_TOKEN`. */
export function envVariableFor(path: readonly string[]): string {
  return envPrefix + path.map(toEnvToken).join('_');
}

function toEnvToken(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Finds the setting each `WECHAT_BRIDGE_*` variable names. Keys contain underscores themselves, so the name is
 * matched against the keys the schema knows, plus the keys the file has where the schema does not know them
 * (provider sections). Inside a provider section that exists in the file, a name matching no key there sets a
 * new top-level key of that section (`WECHAT_BRIDGE_PROVIDERS_WECOM_APP_SECRET` → `providers.wecom.app_secret`).
 * A variable that names nothing, or a setting that is not text, is an error rather than silently unused.
 * Empty values are treated as unset, as compose files produce them for undefined variables.
 */
export function collectEnvOverrides(
  env: Readonly<Record<string, string | undefined>>,
  document: unknown,
  keys: ConfigKeyNode,
): { readonly overrides: readonly EnvOverride[]; readonly issues: readonly ConfigIssue[] } {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(envPrefix) || value === undefined || value === '') continue;
    const issuePath = `$${variable}`;
    const paths = matchPaths(variable.slice(envPrefix.length), keys, document);
    const [path, ...others] = paths;
    if (!path) {
      issues.push({ path: issuePath, message: 'does not name a config setting' });
    } else if (others.length > 0) {
      issues.push({ path: issuePath, message: `is ambiguous: it could mean ${paths.map(each => each.join('.')).join(' or ')}` });
    } else if (!acceptsSecret(nodeAt(keys, path))) {
      issues.push({ path: issuePath, message: `${path.join('.')} is not a text setting; set it in the config file` });
    } else {
      overrides.push({ variable, path, value });
    }
  }
  return { overrides, issues };
}

function matchPaths(name: string, node: ConfigKeyNode, document: unknown): string[][] {
  const candidates = new Set<string>(node.kind === 'section' ? node.keys.keys() : []);
  const useDocumentKeys = (node.kind === 'open' || (node.kind === 'section' && node.rest)) && isMapping(document);
  if (useDocumentKeys) for (const key of Object.keys(document)) candidates.add(key);
  const paths: string[][] = [];
  for (const key of candidates) {
    const token = toEnvToken(key);
    const child = childKeyNode(node, key);
    if (!child) continue;
    if (name === token) paths.push([key]);
    else if (name.startsWith(`${token}_`)) {
      const below = isMapping(document) ? document[key] : undefined;
      for (const rest of matchPaths(name.slice(token.length + 1), child, below)) paths.push([key, ...rest]);
    }
  }
  if (paths.length === 0 && node.kind === 'open' && isMapping(document)) paths.push([name.toLowerCase()]);
  return paths;
}

function nodeAt(root: ConfigKeyNode, path: readonly string[]): ConfigKeyNode | undefined {
  let node: ConfigKeyNode | undefined = root;
  for (const key of path) node = node && childKeyNode(node, key);
  return node;
}
