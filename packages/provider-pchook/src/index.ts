export { type PchookConfig, type PchookConfigInput, pchookConfigSchema } from './pchook-config.ts';
