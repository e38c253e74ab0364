import {
  messageId,
  noopLogger,
  type ProviderSessionV1,
  WechatProviderUnavailableError,
  WechatRiskControlError,
  contactId,
} from '@wechat/provider-api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeMetrics } from './bridge-metrics.ts';
import { createMetricsObserver } from './metrics-observer.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';
import { withMetrics } from './with-metrics.ts';

/** The value of one series in the registry, or undefined when it is absent. */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find(
    sample =>
      Object.entries(labels).every(([key, expected]) => String(sample.labels[key]) === expected) &&
      Object.keys(sample.labels).filter(key => key !== 'le').length === Object.keys(labels).length,
  );
  return match?.value;
}

function setup() {
  const registry = new Registry();
  let now = 1_000_000;
  const metrics = createBridgeMetrics({
    registry,
    queueDepths: async () => ({ inbox: 2, outbox: 5 }),
    now: () => now,
    startedAt: now,
  });
  return { registry, metrics, observer: createMetricsObserver(metrics), advance: (ms: number) => (now += ms) };
}

const to = { type: 'direct' as const, contactId: contactId('wxid_a') };

describe('bridge metrics', () => {
  it('uses the reference names and never the global registry', async () => {
    const { registry } = setup();
    const names = (await registry.getMetricsAsJSON()).map(metric => metric.name).sort();
    expect(names).toEqual(
      [
        'mautrix_wechat_active_provider',
        'mautrix_wechat_connected',
        'mautrix_wechat_failover_switches_total',
        'mautrix_wechat_inbox_depth',
        'mautrix_wechat_login_state',
        'mautrix_wechat_matrix_to_wechat_latency_seconds',
        'mautrix_wechat_media_bytes_total',
        'mautrix_wechat_messages_failed_total',
        'mautrix_wechat_messages_received_total',
        'mautrix_wechat_messages_sent_total',
        'mautrix_wechat_outbox_depth',
        'mautrix_wechat_provider_errors_total',
        'mautrix_wechat_reconnect_attempts_total',
        'mautrix_wechat_risk_control_blocked_total',
        'mautrix_wechat_uptime_seconds',
        'mautrix_wechat_wechat_to_matrix_latency_seconds',
      ].sort(),
    );
    // A second set on another registry does not clash (no global state).
    expect(() => setup()).not.toThrow();
  });

  it('follows session states: connected, login state, active provider, reconnects, errors', async () => {
    const { registry, observer } = setup();
    expect(await value(registry, 'mautrix_wechat_connected', { provider: 'ipad' })).toBeUndefined();
    observer.sessionStateChanged({ loginId: 'l1', providerId: 'ipad', state: 'starting', previous: 'stopped' });
    observer.sessionStateChanged({ loginId: 'l1', providerId: 'ipad', state: 'awaiting-login', previous: 'starting' });
    expect(await value(registry, 'mautrix_wechat_login_state', { provider: 'ipad' })).toBe(1);
    expect(await value(registry, 'mautrix_wechat_connected', { provider: 'ipad' })).toBe(0);
    observer.sessionStateChanged({ loginId: 'l1', providerId: 'ipad', state: 'connected', previous: 'awaiting-login' });
    expect(await value(registry, 'mautrix_wechat_connected', { provider: 'ipad' })).toBe(1);
    expect(await value(registry, 'mautrix_wechat_login_state', { provider: 'ipad' })).toBe(3);
    expect(await value(registry, 'mautrix_wechat_active_provider', { provider: 'ipad' })).toBe(1);
    observer.sessionStateChanged({
      loginId: 'l1',
      providerId: 'ipad',
      state: 'transient-disconnect',
      previous: 'connected',
      errorCode: 'PROVIDER_UNAVAILABLE',
    });
    expect(await value(registry, 'mautrix_wechat_reconnect_attempts_total', { provider: 'ipad' })).toBe(1);
    expect(
      await value(registry, 'mautrix_wechat_provider_errors_total', { provider: 'ipad', code: 'PROVIDER_UNAVAILABLE' }),
    ).toBe(1);
    expect(await value(registry, 'mautrix_wechat_connected', { provider: 'ipad' })).toBe(0);
    expect(await value(registry, 'mautrix_wechat_active_provider', { provider: 'ipad' })).toBe(0);
    observer.sessionStateChanged({ loginId: 'l1', providerId: 'ipad', state: 'unknown-error', previous: 'transient-disconnect' });
    expect(await value(registry, 'mautrix_wechat_login_state', { provider: 'ipad' })).toBe(4);
    observer.sessionClosed({ loginId: 'l1' });
    expect(await value(registry, 'mautrix_wechat_connected', { provider: 'ipad' })).toBeUndefined();
  });

  it('shows failover switches and the serving member', async () => {
    const { registry, observer } = setup();
    observer.sessionStateChanged({ loginId: 'l1', providerId: 'failover', state: 'connected', previous: 'starting' });
    observer.failoverSwitched({ loginId: 'l1', to: 'pchook', reason: 'health-check-failed' });
    expect(
      await value(registry, 'mautrix_wechat_failover_switches_total', { provider: 'pchook', reason: 'health-check-failed' }),
    ).toBe(1);
    expect(await value(registry, 'mautrix_wechat_active_provider', { provider: 'pchook' })).toBe(1);
    observer.failoverSwitched({ loginId: 'l1', to: 'ipad', reason: 'recovered' });
    expect(await value(registry, 'mautrix_wechat_active_provider', { provider: 'pchook' })).toBe(0);
    expect(await value(registry, 'mautrix_wechat_active_provider', { provider: 'ipad' })).toBe(1);
  });

  it('counts messages and latencies from the observer', async () => {
    const { registry, observer } = setup();
    observer.messageReceived({ providerId: 'ipad', kind: 'text' });
    observer.messageBridged({ providerId: 'ipad', direction: 'wechat-to-matrix', kind: 'text', latencyMs: 40 });
    observer.messageBridged({ providerId: 'ipad', direction: 'matrix-to-wechat', kind: 'image', latencyMs: 3000 });
    observer.messageFailed({ providerId: 'ipad', direction: 'matrix-to-wechat', kind: 'voice' });
    expect(await value(registry, 'mautrix_wechat_messages_received_total', { provider: 'ipad', kind: 'text' })).toBe(1);
    expect(
      await value(registry, 'mautrix_wechat_messages_failed_total', {
        provider: 'ipad',
        direction: 'matrix-to-wechat',
        kind: 'voice',
      }),
    ).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('mautrix_wechat_wechat_to_matrix_latency_seconds_bucket{le="0.05",provider="ipad"} 1');
    expect(text).toContain('mautrix_wechat_wechat_to_matrix_latency_seconds_bucket{le="0.025",provider="ipad"} 0');
    expect(text).toContain('mautrix_wechat_matrix_to_wechat_latency_seconds_bucket{le="5",provider="ipad"} 1');
    expect(text).toContain('mautrix_wechat_matrix_to_wechat_latency_seconds_bucket{le="2.5",provider="ipad"} 0');
  });

  it('reads queue depths and uptime at scrape time', async () => {
    const { registry, advance } = setup();
    advance(90_000);
    expect(await value(registry, 'mautrix_wechat_outbox_depth')).toBe(5);
    expect(await value(registry, 'mautrix_wechat_inbox_depth')).toBe(2);
    expect(await value(registry, 'mautrix_wechat_uptime_seconds')).toBe(90);
  });
});

describe('withMetrics', () => {
  const fakeSession = (behaviour: { send?: () => Promise<unknown>; download?: () => Promise<unknown> }) =>
    ({
      specificationVersion: 'v1',
      providerId: 'ipad',
      state: 'connected',
      sendMessage: behaviour.send ?? (async () => ({ messageId: messageId('1'), warnings: [] })),
      downloadMedia: behaviour.download ?? (async () => ({ data: new Uint8Array(7), mimeType: 'image/png' })),
      recallMessage: async () => {
        throw new WechatProviderUnavailableError({ message: 'down' });
      },
    }) as unknown as ProviderSessionV1;

  it('counts sends by kind, media bytes both ways, errors by code and risk-control refusals', async () => {
    const { registry, metrics } = setup();
    const session = withMetrics(fakeSession({}), { metrics, providerId: () => 'ipad' });
    await session.sendMessage({ to, content: { kind: 'text', text: 'hi' } });
    await session.sendMessage({ to, content: { kind: 'image', media: { data: new Uint8Array(10), mimeType: 'image/png' } } });
    await session.downloadMedia({ ref: 'x' });
    await expect(session.recallMessage?.({ id: messageId('1'), chat: to })).rejects.toThrow('down');
    expect(await value(registry, 'mautrix_wechat_messages_sent_total', { provider: 'ipad', kind: 'text' })).toBe(1);
    expect(await value(registry, 'mautrix_wechat_messages_sent_total', { provider: 'ipad', kind: 'image' })).toBe(1);
    expect(await value(registry, 'mautrix_wechat_media_bytes_total', { provider: 'ipad', direction: 'matrix-to-wechat' })).toBe(
      10,
    );
    expect(await value(registry, 'mautrix_wechat_media_bytes_total', { provider: 'ipad', direction: 'wechat-to-matrix' })).toBe(
      7,
    );
    expect(
      await value(registry, 'mautrix_wechat_provider_errors_total', { provider: 'ipad', code: 'PROVIDER_UNAVAILABLE' }),
    ).toBe(1);

    const blocked = withMetrics(
      fakeSession({ send: () => Promise.reject(new WechatRiskControlError({ rule: 'daily-quota', message: 'quota' })) }),
      { metrics, providerId: () => 'ipad' },
    );
    await expect(blocked.sendMessage({ to, content: { kind: 'text', text: 'x' } })).rejects.toThrow('quota');
    expect(await value(registry, 'mautrix_wechat_risk_control_blocked_total', { provider: 'ipad' })).toBe(1);
    expect(
      await value(registry, 'mautrix_wechat_provider_errors_total', { provider: 'ipad', code: 'RISK_CONTROL_BLOCKED' }),
    ).toBe(1);
  });

  it('keeps the session shape: state, optional methods, private-field methods', async () => {
    class Session {
      readonly #secret = 'private';
      readonly specificationVersion = 'v1';
      get state() {
        return 'connected';
      }
      async getSelf() {
        return { id: this.#secret, name: 'me' };
      }
    }
    const { metrics } = setup();
    const session = withMetrics(new Session() as unknown as ProviderSessionV1, { metrics, providerId: () => 'x' });
    expect(session.state).toBe('connected');
    expect(await session.getSelf()).toEqual({ id: 'private', name: 'me' });
    expect(session.login).toBeUndefined();
  });
});

describe('the metrics server', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('serves /metrics and a /health that is 200 before any login, 503 only when health fails', async () => {
    const { registry } = setup();
    let healthy = true;
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      logger: noopLogger,
      health: async () => {
        if (!healthy) throw new Error('database unreachable');
        return { logins: [] };
      },
    });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('# TYPE mautrix_wechat_messages_sent_total counter');
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', logins: [] });
    healthy = false;
    const failing = await fetch(`${server.url}/health`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual({ status: 'error', error: 'database unreachable' });
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });
});
