export { type WecomConfig, type WecomConfigInput, wecomConfigSchema } from './wecom-config.ts';
export { wecomCapabilities, wecomRoomCapabilities } from './wecom-capabilities.ts';
export {
  createWecomProvider,
  type WecomProviderOptions,
  wecomProvider,
  wecomProvider as provider,
  wecomProviderId,
} from './wecom-provider.ts';
export type { CallbackAddress } from './callback/callback-server.ts';
export { type WecomErrcodeKind, type WecomErrcodeRule, wecomErrcodes } from './api/wecom-errcodes.ts';
export { type WecomMediaType, wecomMediaLimits } from './api/media-limits.ts';
export { selfContactId } from './session/wecom-session.ts';
export { packageVersion } from './version.ts';
