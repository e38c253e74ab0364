export { type FailoverConfig, type FailoverConfigInput, failoverConfigSchema } from './failover-config.ts';
export { type FailoverClock, systemFailoverClock } from './failover-clock.ts';
export { createFailoverProvider, failoverProviderId } from './failover-provider.ts';
export { type FailoverSessionConfig, failoverSessionConfigSchema } from './failover-session-config.ts';
export {
  type FailoverMemberOptions,
  type FailoverMemberSnapshot,
  type FailoverProviderOptions,
  type FailoverProviderV1,
  type FailoverSessionV1,
  type FailoverSwitch,
  type FailoverSwitchReason,
  failoverSwitchReasons,
  isFailoverSession,
  type ProviderSwitchedEventV1,
} from './failover-types.ts';
export { unionCapabilities } from './union-capabilities.ts';
export { failoverVersion } from './version.ts';
