import { createBridgeMetrics } from '@wechat/metrics';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BRIDGE_METRICS } from './metric-catalog.ts';

describe('the kit’s metric catalog', () => {
  it('is exactly what @wechat/metrics registers: names, types and labels', async () => {
    const registry = new Registry();
    const metrics = createBridgeMetrics({ registry });
    const registered = (await registry.getMetricsAsJSON()).map(metric => {
      const collector = registry.getSingleMetric(metric.name) as unknown as { labelNames?: readonly string[] };
      return { name: metric.name, type: metric.type, labels: [...(collector.labelNames ?? [])] };
    });
    const sortByName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(sortByName(registered)).toEqual(sortByName(BRIDGE_METRICS.map(spec => ({ ...spec, labels: [...spec.labels] }))));
    expect(metrics.registry).toBe(registry);
  });
});
