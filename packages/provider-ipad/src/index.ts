export { type IpadConfig, type IpadConfigInput, ipadConfigSchema, ipadRiskControlSchema } from './ipad-config.ts';
