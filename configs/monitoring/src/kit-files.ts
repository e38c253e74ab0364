import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

/** The kit's files, relative to its root (the package directory). */
export const KIT_FILES = {
  prometheusConfig: 'prometheus.yml',
  alertRules: 'alerts.yml',
  alertRuleTests: 'alerts.test.yml',
  grafanaDatasources: 'grafana/provisioning/datasources/prometheus.yml',
  grafanaDashboardProviders: 'grafana/provisioning/dashboards/dashboards.yml',
  dashboard: 'grafana/dashboards/wechat-bridge.json',
  compose: 'compose.yml',
  readme: 'README.md',
} as const;

/** The package directory, found from this module so tests run from any working directory. */
export function kitRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

export function readKitText(relativePath: string, root: string = kitRoot()): string {
  return readFileSync(join(root, relativePath), 'utf8');
}

/** Parses YAML strictly: any error or warning (duplicate keys, bad indentation, unknown tags) throws. */
export function parseYamlStrict(text: string, where: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, strict: true, uniqueKeys: true });
  const issues = [...document.errors, ...document.warnings];
  if (issues.length > 0) throw new SyntaxError(`${where}: ${issues.map(issue => issue.message).join('; ')}`);
  return document.toJS();
}

export function readKitYaml(relativePath: string, root: string = kitRoot()): unknown {
  return parseYamlStrict(readKitText(relativePath, root), relativePath);
}

export function readKitJson(relativePath: string, root: string = kitRoot()): unknown {
  return JSON.parse(readKitText(relativePath, root));
}
