import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleGroups } from './alert-rules.ts';
import { KIT_FILES, kitRoot, parseYamlStrict, readKitJson, readKitText, readKitYaml } from './kit-files.ts';
import { expectArray, expectRecord, expectString, isRecord, type JsonRecord } from './shape.ts';

const prometheus = expectRecord(readKitYaml(KIT_FILES.prometheusConfig), 'prometheus.yml');
const scrapeConfigs = expectArray(prometheus.scrape_configs, 'scrape_configs').map((value, index) =>
  expectRecord(value, `scrape_configs[${index}]`),
);
const bridgeJob = scrapeConfigs.find(job => job.job_name === 'mautrix-wechat');
const datasource = expectRecord(
  expectArray(expectRecord(readKitYaml(KIT_FILES.grafanaDatasources), 'datasources file').datasources, 'datasources')[0],
  'datasources[0]',
);
const dashboardProvider = expectRecord(
  expectArray(expectRecord(readKitYaml(KIT_FILES.grafanaDashboardProviders), 'dashboards file').providers, 'providers')[0],
  'providers[0]',
);
const compose = expectRecord(readKitYaml(KIT_FILES.compose), 'compose.yml');
const services = expectRecord(compose.services, 'services');

interface Mount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

function mounts(service: JsonRecord): Mount[] {
  return expectArray(service.volumes, 'volumes').map(value => {
    const [source = '', target = '', mode] = expectString(value, 'volume').split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

/** Where a kit file lands in a container, through the service's bind mounts. */
function containerPath(service: JsonRecord, kitFile: string): string | undefined {
  for (const { source, target } of mounts(service)) {
    const relative = posix.relative(posix.normalize(source), kitFile);
    if (relative === '') return target;
    if (source.startsWith('.') && !relative.startsWith('..')) return posix.join(target, relative);
  }
  return undefined;
}

const prometheusService = expectRecord(services.prometheus, 'services.prometheus');
const grafanaService = expectRecord(services.grafana, 'services.grafana');

describe('prometheus.yml', () => {
  it('scrapes and evaluates every 15 s by default', () => {
    expect(prometheus.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s' });
  });

  it('scrapes the bridge service every 10 s at /metrics as job mautrix-wechat', () => {
    expect(bridgeJob).toMatchObject({
      scrape_interval: '10s',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['wechat-bridge:9110'] }],
    });
  });

  it('loads the alert rules from /etc/prometheus/alerts.yml and leaves Alertmanager commented out', () => {
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(prometheus.alerting).toBeUndefined();
    expect(readKitText(KIT_FILES.prometheusConfig)).toMatch(/^# alerting:\n#\s+alertmanagers:/m);
  });

  it('names the job that WeChatBridgeDown watches', () => {
    const down = parseRuleGroups(readKitYaml(KIT_FILES.alertRules))
      .flatMap(group => group.rules)
      .find(rule => rule.alert === 'WeChatBridgeDown');
    expect(down?.expr).toContain(`job="${String(bridgeJob?.job_name)}"`);
  });
});

describe('Grafana provisioning', () => {
  it('provisions one Prometheus data source with a fixed uid', () => {
    expect(datasource).toMatchObject({
      type: 'prometheus',
      uid: 'wechat-bridge-prometheus',
      access: 'proxy',
      url: 'http://prometheus:9090',
    });
  });

  it("tells Grafana the bridge's scrape interval, so $__rate_interval spans enough samples", () => {
    expect(expectRecord(datasource.jsonData, 'jsonData').timeInterval).toBe(bridgeJob?.scrape_interval);
  });

  it('loads dashboards from /var/lib/grafana/dashboards', () => {
    expect(dashboardProvider).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
  });
});

describe('compose.yml', () => {
  it('mounts only files and directories that exist in the kit, read-only', () => {
    for (const service of [prometheusService, grafanaService]) {
      for (const { source, readOnly } of mounts(service).filter(mount => mount.source.startsWith('.'))) {
        expect(existsSync(join(kitRoot(), source)), source).toBe(true);
        expect(readOnly, source).toBe(true);
      }
    }
  });

  it('puts the Prometheus config and rules where the config expects them', () => {
    const configPath = containerPath(prometheusService, KIT_FILES.prometheusConfig);
    expect(expectArray(prometheusService.command, 'command')).toContain(`--config.file=${configPath}`);
    expect(prometheus.rule_files).toEqual([containerPath(prometheusService, KIT_FILES.alertRules)]);
  });

  it('puts the provisioning files where Grafana reads them and the dashboard where the provider looks', () => {
    expect(containerPath(grafanaService, KIT_FILES.grafanaDatasources)).toBe(
      '/etc/grafana/provisioning/datasources/prometheus.yml',
    );
    expect(containerPath(grafanaService, KIT_FILES.grafanaDashboardProviders)).toBe(
      '/etc/grafana/provisioning/dashboards/dashboards.yml',
    );
    const dashboardPath = containerPath(grafanaService, KIT_FILES.dashboard);
    expect(dashboardPath).toBe(
      posix.join(expectString(expectRecord(dashboardProvider.options, 'options').path, 'path'), 'wechat-bridge.json'),
    );
    expect(expectRecord(grafanaService.environment, 'environment').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(dashboardPath);
  });

  it('names the Prometheus service the data source URL points at', () => {
    const url = new URL(expectString(datasource.url, 'url'));
    expect(Object.keys(services)).toContain(url.hostname);
    expect(url.port).toBe('9090');
  });

  it('keeps secrets out and ports on loopback', () => {
    expect(expectRecord(grafanaService.environment, 'environment').GF_SECURITY_ADMIN_PASSWORD).toMatch(
      /^\$\{GRAFANA_ADMIN_PASSWORD:\?/,
    );
    for (const service of [prometheusService, grafanaService]) {
      for (const port of expectArray(service.ports, 'ports')) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('runs both services under the monitoring profile', () => {
    expect(prometheusService.profiles).toEqual(['monitoring']);
    expect(grafanaService.profiles).toEqual(['monitoring']);
  });
});

describe('README.md', () => {
  const readme = readKitText(KIT_FILES.readme);
  const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(match =>
    parseYamlStrict(match[1] as string, 'README yaml block'),
  );

  it('documents every alert under its own heading', () => {
    const names = parseRuleGroups(readKitYaml(KIT_FILES.alertRules)).flatMap(group => group.rules.map(rule => rule.alert));
    for (const name of names) expect(readme, name).toContain(`### ${name}\n`);
  });

  it('shows the same images and mounts as compose.yml', () => {
    const shown = yamlBlocks
      .map(block => expectRecord(block, 'README yaml block'))
      .find(block => isRecord(block.services) && 'prometheus' in block.services);
    const shownServices = expectRecord(shown?.services, 'README services');
    for (const name of ['prometheus', 'grafana']) {
      const actual = expectRecord(services[name], name);
      const documented = expectRecord(shownServices[name], `README ${name}`);
      expect(documented.image, name).toBe(actual.image);
      expect(documented.volumes, name).toEqual(actual.volumes);
    }
  });

  it('names the bridge service prometheus.yml scrapes in its include example', () => {
    const example = yamlBlocks.map(block => expectRecord(block, 'README yaml block')).find(block => block.include !== undefined);
    const staticConfig = expectRecord(expectArray(bridgeJob?.static_configs, 'static_configs')[0], 'static_configs[0]');
    const [host] = expectString(expectArray(staticConfig.targets, 'targets')[0], 'target').split(':');
    expect(Object.keys(expectRecord(example?.services, 'example services'))).toContain(host);
  });

  it('lists every file of the kit, and they exist', () => {
    for (const file of Object.values(KIT_FILES)) {
      expect(existsSync(join(kitRoot(), file)), file).toBe(true);
      if (file !== KIT_FILES.readme) expect(readme, file).toContain(`\`${file}\``);
    }
  });
});

describe('kit files', () => {
  it.each(Object.values(KIT_FILES).filter(file => file.endsWith('.yml')))('%s is strict YAML', file => {
    expect(isRecord(readKitYaml(file))).toBe(true);
  });

  it('the dashboard is JSON', () => {
    expect(isRecord(readKitJson(KIT_FILES.dashboard))).toBe(true);
  });

  it('strict YAML parsing rejects duplicate keys', () => {
    expect(() => parseYamlStrict('a: 1\na: 2\n', 'dup.yml')).toThrow(/dup\.yml/);
  });
});
