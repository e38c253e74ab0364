export * from './provider/v1/index.ts';
export { defineProvider } from './provider/define-provider.ts';
export { WechatError, type WechatErrorOptions } from './errors/wechat-error.ts';
export * from './errors/wechat-errors.ts';
export { createProviderRegistry, type ProviderRegistry } from './registry/provider-registry.ts';
export { loadProvider, type LoadProviderOptions } from './registry/load-provider.ts';
export { asProviderV1, providerIdPattern, supportedSpecificationVersions } from './registry/validate-provider.ts';
export {
  createConsoleLogger,
  type ConsoleLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  logLevels,
  noopLogger,
} from './logger/logger.ts';
export { parseConfig } from './config/parse-config.ts';
export { createMemorySessionStorage } from './session/memory-session-storage.ts';
export { createProviderEventHub, type ProviderEventHub, type ProviderEventListener } from './session/event-hub.ts';
export { openSession, type ManagedSessionV1, type OpenSessionOptions } from './session/open-session.ts';
export type { StandardSchemaV1 } from '@standard-schema/spec';
