export {
  type BridgeMetrics,
  type BridgeMetricsOptions,
  createBridgeMetrics,
  type Direction,
  latencyBuckets,
} from './bridge-metrics.ts';
export { type ListenAddress, parseListenAddress } from './listen-address.ts';
export { type MetricsConfig, type MetricsConfigInput, metricsConfigSchema } from './metrics-config.ts';
export { createMetricsObserver, loginStateValue, type MetricsObserver } from './metrics-observer.ts';
export { type MetricsServer, type MetricsServerOptions, startMetricsServer } from './metrics-server.ts';
export { withMetrics, type WithMetricsOptions } from './with-metrics.ts';
