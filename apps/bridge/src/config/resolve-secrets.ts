import { type ConfigIssue, WechatConfigValidationError } from '@wechat/provider-api';
import { acceptsSecret, type ConfigKeyNode, childKeyNode } from './config-key-tree.ts';
import { collectEnvOverrides, type EnvOverride } from './env-overrides.ts';
import { isMapping, type Mapping } from './mapping.ts';

/** Where secrets come from; injected so that only the CLI entry touches the real process and disk. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a whole file as UTF-8. Relative paths are relative to the working directory. */
  readonly readFile: (path: string) => Promise<string>;
}

const fileSuffix = '_file';

/**
 * Returns a copy of the parsed config file in which every text setting given as `<key>_file: <path>` holds
 * the trimmed contents of that file (Docker secrets), and every `WECHAT_BRIDGE_*` variable has replaced the
 * setting it names. Precedence: environment, then file, then the value written in the config.
 * Problems are reported together, naming the key or variable; secret values never appear in messages.
 */
export async function resolveSecrets(document: unknown, keys: ConfigKeyNode, sources: SecretSources): Promise<unknown> {
  const root: unknown = document === null || document === undefined ? {} : structuredClone(document);
  if (!isMapping(root)) return root;
  const { overrides, issues } = collectEnvOverrides(sources.env, root, keys);
  const overridden = new Set(overrides.map(override => override.path.join('.')));
  const fileIssues = await resolveFiles(root, keys, [], overridden, sources.readFile);
  const applyIssues = overrides.flatMap(override => applyOverride(root, override));
  const all = [...issues, ...fileIssues, ...applyIssues];
  if (all.length > 0) throw new WechatConfigValidationError({ path: '', issues: all });
  return root;
}

async function resolveFiles(
  mapping: Mapping,
  keys: ConfigKeyNode,
  path: readonly string[],
  overridden: ReadonlySet<string>,
  readFile: SecretSources['readFile'],
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    const isSecretFile =
      key.endsWith(fileSuffix) && key.length > fileSuffix.length && !(keys.kind === 'section' && keys.keys.has(key));
    if (!isSecretFile) {
      const child = childKeyNode(keys, key);
      if (child && isMapping(value)) issues.push(...(await resolveFiles(value, child, [...path, key], overridden, readFile)));
      continue;
    }
    const target = key.slice(0, -fileSuffix.length);
    const issuePath = [...path, key].join('.');
    delete mapping[key];
    if (!acceptsSecret(childKeyNode(keys, target))) {
      issues.push({ path: issuePath, message: `there is no text setting '${target}' here to read from a file` });
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      issues.push({ path: issuePath, message: 'must be the path of the file that holds the value' });
      continue;
    }
    // The environment wins: the file may exist only where the variable is not set.
    if (overridden.has([...path, target].join('.'))) continue;
    const contents = await readFile(value).then(
      text => text.trim(),
      (error: unknown) => {
        issues.push({
          path: issuePath,
          message: `cannot read ${value}: ${error instanceof Error ? error.message : String(error)}`,
        });
        return undefined;
      },
    );
    if (contents === '') issues.push({ path: issuePath, message: `${value} is empty` });
    else if (contents !== undefined) mapping[target] = contents;
  }
  return issues;
}

function applyOverride(root: Mapping, { variable, path, value }: EnvOverride): ConfigIssue[] {
  let mapping = root;
  for (const [index, key] of path.slice(0, -1).entries()) {
    if (mapping[key] === undefined) mapping[key] = {};
    const next = mapping[key];
    if (!isMapping(next)) {
      return [
        { path: `$${variable}`, message: `cannot set ${path.join('.')}: ${path.slice(0, index + 1).join('.')} is not a mapping` },
      ];
    }
    mapping = next;
  }
  mapping[path.at(-1)!] = value;
  return [];
}
