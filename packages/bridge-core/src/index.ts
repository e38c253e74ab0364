export {
  type BridgeConfig,
  type BridgeConfigInput,
  bridgeConfigSchema,
  type PermissionLevel,
  permissionLevels,
  usernameTemplatePlaceholder,
} from './bridge-config.ts';
export { isMatrixLocalpart, isMatrixServerName, isMatrixUserId } from './matrix-ids.ts';
export { ghostLocalpartPattern } from './username-template.ts';
