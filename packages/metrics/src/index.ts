export { type ListenAddress, parseListenAddress } from './listen-address.ts';
export { type MetricsConfig, type MetricsConfigInput, metricsConfigSchema } from './metrics-config.ts';
