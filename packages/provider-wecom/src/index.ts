export { type WecomConfig, type WecomConfigInput, wecomConfigSchema } from './wecom-config.ts';
