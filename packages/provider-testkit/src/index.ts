// The harness a provider implements over its simulator.
export {
  type ConformanceHarnessV1,
  type HarnessFailureV1,
  type HarnessLimitationsV1,
  harnessFailuresV1,
  type MediaMessageKindV1,
  mediaMessageKindsV1,
  type RecordedOutboundBaseV1,
  type RecordedOutboundContentV1,
  type RecordedOutboundV1,
  type SimulatedInboundKindV1,
  type SimulatedInboundV1,
  type SimulatedOriginV1,
} from './harness/conformance-harness.ts';

// Suites as data, and the two ways to run them.
export { allSuites, suites } from './suites/all-suites.ts';
export {
  type ConformanceCase,
  conformanceCaseKey,
  type ConformanceSuite,
  type ConformanceTarget,
  createSuite,
} from './runner/conformance-suite.ts';
export type { ConformanceContext, StartConnectedResult } from './runner/conformance-context.ts';
export type { ConformanceSession } from './runner/conformance-session.ts';
export type { EventPredicate, RecordedEvent } from './runner/event-log.ts';
export type { RecordedLogEntry } from './runner/recording-logger.ts';
export { type ConformanceOptions, defaultCaseTimeoutMs } from './runner/conformance-options.ts';
export type { ConformanceCaseResult, ConformanceCaseStatus } from './runner/run-case.ts';
export {
  type ConformanceReport,
  formatConformanceReport,
  type RunConformanceHooks,
  runConformance,
} from './runner/run-conformance.ts';
export { describeProviderConformance } from './runner/describe-provider-conformance.ts';
export { ConformanceAssertionError } from './runner/assertions.ts';

// Building blocks for custom suites and other test helpers.
export { createRecordingLogger } from './runner/recording-logger.ts';
export { findSecretLeaks, findSecrets, type SecretLeak, secretKeyPattern } from './runner/secrets.ts';

// The deterministic mock provider.
export {
  createMockProvider,
  createMockWorld,
  MockWorld,
  type MockOpenSessionOptions,
  type MockWorldOptions,
} from './mock/mock-world.ts';
export type { MockProviderOptions } from './mock/mock-provider.ts';
export { type MockCapabilitiesOverride, mockFullCapabilities } from './mock/mock-capabilities.ts';
export { type MockConfig, type MockConfigInput, mockConfigSchema } from './mock/mock-config.ts';
export {
  defaultMockApiToken,
  defaultMockContacts,
  defaultMockRooms,
  defaultMockSelf,
  type MockContactSeed,
  type MockRoomSeed,
} from './mock/mock-fixtures.ts';
export type {
  MockContactHandle,
  MockInboundCard,
  MockInboundMedia,
  MockRoomHandle,
  MockSayOptions,
  MockSelfHandle,
  MockSpeaker,
} from './mock/mock-handles.ts';
export { mockLoginStorageKey } from './mock/mock-session.ts';
export { testkitVersion } from './version.ts';
