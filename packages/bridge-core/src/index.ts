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
export { type MatrixCreateRoomOptions, type MatrixPort, MatrixPortError } from './matrix/matrix-port.ts';
export type * from './store/bridge-store.ts';
export {
  type AppserviceTransactionBody,
  type Bridge,
  type BridgeHealth,
  type BridgeOptions,
  createBridge,
  type LoginHealth,
} from './runtime/bridge.ts';
export type { Clock, RenderedQrCode } from './runtime/bridge-context.ts';
export {
  type BridgeDirection,
  type BridgeObserver,
  kindOfMatrixEvent,
  noopObserver,
  type SessionDecorator,
  servingProviderId,
} from './runtime/bridge-observer.ts';
export {
  createGhostUserIds,
  escapeLocalpart,
  type GhostUserIds,
  renderDisplayName,
  unescapeLocalpart,
} from './ghosts/ghost-user-ids.ts';
export { createPermissions, type Permissions } from './permissions/permissions.ts';
export { convertInboundMessage, type InboundConversionContext, type MatrixMessage } from './convert/wechat-to-matrix.ts';
export {
  convertOutboundMessage,
  type OutboundConversion,
  type OutboundConversionContext,
  stripReplyFallback,
} from './convert/matrix-to-wechat.ts';
export { createKyselyBridgeStore } from './store/kysely-bridge-store.ts';
export { migrateToLatest, StoreMigrationError } from './store/migrate-to-latest.ts';
export {
  openPgliteDatabase,
  openPostgresDatabase,
  type PgliteDatabaseOptions,
  type PostgresDatabaseOptions,
} from './store/open-database.ts';
export { DirectoryLockedError } from './store/directory-lock.ts';
export type { Database } from './store/database-schema.ts';
