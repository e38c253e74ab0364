export { type FailoverConfig, type FailoverConfigInput, failoverConfigSchema } from './failover-config.ts';
