import { createBridge, servingProviderId } from '@wechat/bridge-core';
import { createBridgeMetrics, createMetricsObserver, parseListenAddress, startMetricsServer, withMetrics } from '@wechat/metrics';
import { Registry } from 'prom-client';
import { createProviderRegistry, type Logger } from '@wechat/provider-api';
import type { LoadedConfig } from '../config/load-config.ts';
import { createAppserviceServer } from '../matrix/appservice-server.ts';
import { routeBotSdkLogs } from '../matrix/bot-sdk-logging.ts';
import { createBotSdkMatrixPort } from '../matrix/bot-sdk-matrix-port.ts';
import { buildRegistration } from '../registration/registration.ts';
import { composeProviders } from './compose-providers.ts';
import { openStore } from './open-store.ts';
import { renderQrCode } from './render-qr-code.ts';
import { runSelfTest } from './self-test.ts';

/**
 * Runs the bridge until `signal` aborts: database, self-test, appservice listener, bridge. Resolves after a
 * clean stop (pending work stays in the database for the next start); rejects when start-up fails.
 */
export async function runBridge(
  { config, providers }: LoadedConfig,
  { logger, signal }: { logger: Logger; signal: AbortSignal },
): Promise<void> {
  // matrix-bot-sdk logs through a process-wide static; route it into our structured log once, before use.
  routeBotSdkLogs(logger.child({ component: 'matrix-bot-sdk' }));
  const store = await openStore(config.database);
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse())
      await close().catch(error => logger.error({ error }, 'error while stopping'));
  };
  try {
    const registration = buildRegistration(config);
    const matrix = createBotSdkMatrixPort({
      homeserverUrl: config.homeserver.address,
      serverName: config.homeserver.domain,
      asToken: config.appservice.as_token,
      hsToken: config.appservice.hs_token,
      botLocalpart: config.appservice.bot.username,
      registration,
      logger: logger.child({ component: 'matrix' }),
    });
    await runSelfTest({ matrix, store, config, logger });

    // Our own registry (never prom-client's global one); queue depths are read at scrape time.
    const registry = new Registry();
    const metrics = createBridgeMetrics({
      registry,
      queueDepths: async () => ({ inbox: await store.inbox.countPending(), outbox: await store.outbox.countPending() }),
    });

    const composed = composeProviders(providers.enabled, config.providers.failover);
    const bridge = createBridge({
      config: config.bridge,
      matrix,
      store,
      providers: createProviderRegistry([...composed.providers]),
      providerConfigs: composed.configs,
      logger: logger.child({ component: 'bridge' }),
      renderQrCode,
      observer: createMetricsObserver(metrics),
      decorateSession: (session, login) => withMetrics(session, { metrics, providerId: () => servingProviderId(session, login) }),
      bot: {
        displayName: config.appservice.bot.displayname,
        ...(config.appservice.bot.avatar ? { avatarMxc: config.appservice.bot.avatar } : {}),
      },
    });
    const server = createAppserviceServer({
      hsToken: config.appservice.hs_token,
      logger: logger.child({ component: 'appservice' }),
      handler: bridge,
    });
    await server.listen({ host: config.appservice.hostname, port: config.appservice.port });
    closers.push(() => server.close());
    logger.info({ host: config.appservice.hostname, port: config.appservice.port }, 'appservice listening');
    // Before the bridge starts: a container health check must get its 200 while logins are being restored.
    if (config.metrics.enabled) {
      const { host, port } = parseListenAddress(config.metrics.listen);
      const metricsServer = await startMetricsServer({
        host,
        port,
        registry,
        health: async () => ({ ...(await bridge.health()) }),
        logger: logger.child({ component: 'metrics' }),
      });
      closers.push(() => metricsServer.close());
      logger.info({ listen: config.metrics.listen }, 'metrics and health listening');
    }
    await bridge.start();
    closers.push(() => bridge.stop());
    // Synapse backs off from an appservice it could not reach; a ping makes it retry pending transactions now.
    await matrix
      .pingAppservice(config.appservice.id)
      .then(durationMs => logger.info({ durationMs }, 'the homeserver reached the appservice'))
      .catch(error =>
        logger.warn(
          { error, address: config.appservice.address },
          'the homeserver could not reach the appservice: check appservice.address and that the registration file is loaded',
        ),
      );
    logger.info(
      {
        providers: providers.enabled.map(enabled => enabled.provider.id),
        ...(composed.providers.length === 1 && composed.providers[0]?.id === 'failover'
          ? { failover: providers.enabled.map(enabled => `${enabled.provider.id} (tier ${enabled.tier})`) }
          : {}),
      },
      'bridge started',
    );
    if (!signal.aborted) await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }));
    logger.info({}, 'stopping');
  } finally {
    await closeAll();
  }
  logger.info({}, 'stopped');
}
