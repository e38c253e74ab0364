import {
  findCapabilityMismatchesV1,
  messageKindsV1,
  type ProviderCapabilitiesV1,
  type ProviderV1,
  providerIdPattern,
} from '@wechat/provider-api';
import { check, describeValue, fail } from '../runner/assertions.ts';
import { describeEvent } from '../runner/event-log.ts';
import { createSuite } from '../runner/conformance-suite.ts';
import { describeRecorded } from './outbound-matching.ts';

/** semver.org's recommended pattern. */
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const supportLevels: readonly unknown[] = ['full', 'partial', 'none'];
/** How long IO started (and not awaited) by createSession gets to show up. */
const settleMs = 50;

/** Runs the schema the way a host does: synchronously, reporting issues. */
function validate(provider: ProviderV1, value: unknown): readonly { message: string }[] | undefined {
  const result = provider.configSchema['~standard'].validate(value);
  if (result instanceof Promise)
    fail('configSchema validated asynchronously; hosts need config schemas to validate synchronously');
  return result.issues;
}

function capabilityProblems(capabilities: ProviderCapabilitiesV1): string[] {
  const problems: string[] = [];
  const level = (path: string, value: unknown) => {
    if (!supportLevels.includes(value)) problems.push(`${path} is ${describeValue(value)}, not 'full' | 'partial' | 'none'`);
  };
  if (capabilities.login !== 'interactive' && capabilities.login !== 'credentials') {
    problems.push(`login is ${describeValue(capabilities.login)}, not 'interactive' | 'credentials'`);
  }
  if (typeof capabilities.multipleSessions !== 'boolean') problems.push('multipleSessions is not a boolean');
  for (const direction of ['send', 'receive'] as const) {
    const levels: Record<string, unknown> = capabilities[direction] ?? {};
    for (const [kind, value] of Object.entries(levels)) {
      if (!(messageKindsV1 as readonly string[]).includes(kind)) problems.push(`${direction}.${kind} is not a message kind`);
      level(`${direction}.${kind}`, value);
    }
  }
  // A JavaScript provider can still declare it, whatever the type says.
  if (((capabilities.send as Record<string, unknown> | undefined)?.system ?? 'none') !== 'none')
    problems.push("send.system must be 'none': system messages are inbound only");
  for (const key of ['mentions', 'replies', 'recall', 'friendRequests', 'history'] as const) level(key, capabilities[key]);
  for (const key of ['list', 'setRemark'] as const) level(`contacts.${key}`, capabilities.contacts?.[key]);
  for (const key of ['list', 'create', 'invite', 'remove', 'rename', 'setTopic', 'leave'] as const) {
    level(`rooms.${key}`, capabilities.rooms?.[key]);
  }
  for (const [key, value] of Object.entries(capabilities.limits ?? {})) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) problems.push(`limits.${key} must be a positive integer`);
  }
  return problems;
}

/** The provider descriptor, its config schema, its capabilities, and what creating a session may (not) do. */
export const contractSuite = createSuite('contract', [
  {
    name: "declares specification version 'v1'",
    run: async ({ provider }) => {
      check(provider.specificationVersion === 'v1', `specificationVersion is ${describeValue(provider.specificationVersion)}`);
    },
  },
  {
    name: 'has a kebab-case id',
    run: async ({ provider }) => {
      check(
        typeof provider.id === 'string' && providerIdPattern.test(provider.id),
        `id ${describeValue(provider.id)} is not kebab-case`,
      );
    },
  },
  {
    name: 'has a semver version',
    run: async ({ provider }) => {
      check(
        typeof provider.version === 'string' && semver.test(provider.version),
        `version ${describeValue(provider.version)} is not semver`,
      );
    },
  },
  {
    name: 'has a display name',
    run: async ({ provider }) => {
      check(typeof provider.displayName === 'string' && provider.displayName.trim() !== '', 'displayName is empty');
    },
  },
  {
    name: 'declares well-formed capabilities',
    run: async ({ provider }) => {
      const problems = capabilityProblems(provider.capabilities);
      check(problems.length === 0, () => `The capabilities are malformed: ${problems.join('; ')}`);
    },
  },
  {
    name: 'config schema accepts the harness config',
    run: async ({ provider, harness }) => {
      const issues = validate(provider, harness.config);
      check(
        issues === undefined,
        () => `configSchema rejected harness.config: ${issues?.map(issue => issue.message).join('; ')}`,
      );
    },
  },
  {
    name: 'config schema rejects every invalid config',
    notApplicable: ({ invalidConfigs }) =>
      invalidConfigs.length === 0 ? 'options.invalidConfigs is empty: list configs the schema must reject' : undefined,
    run: async ({ provider, invalidConfigs }) => {
      const accepted = invalidConfigs.filter(config => validate(provider, config) === undefined);
      check(accepted.length === 0, () => `configSchema accepted invalid configs: ${accepted.map(describeValue).join(', ')}`);
    },
  },
  {
    name: 'optional methods match the capabilities',
    run: async context => {
      const { session } = context.openSession();
      const mismatches = findCapabilityMismatchesV1(context.provider.capabilities, session);
      check(mismatches.length === 0, () =>
        mismatches
          .map(({ method, capability, problem }) =>
            problem === 'promised-but-missing'
              ? `capabilities.${capability} promises ${method}(), but the session has no such method`
              : `the session has ${method}(), but capabilities.${capability} is 'none'`,
          )
          .join('; '),
      );
    },
  },
  {
    name: 'createSession does no IO',
    run: async context => {
      const tracked = context.openSession();
      await context.sleep(settleMs);
      const sent = await context.harness.sent();
      check(sent.length === 0, () => `Creating a session sent messages: ${describeRecorded(sent)}`);
      check(
        context.events.length === 0,
        () => `Creating a session emitted events: ${context.events.map(r => describeEvent(r.event)).join(', ')}`,
      );
      check(tracked.state === 'stopped', `A new session is \`${tracked.state}\`; it must be \`stopped\` until start()`);
    },
  },
  {
    name: 'a new session names its specification version and provider',
    run: async context => {
      const { session } = context.openSession();
      check(
        session.specificationVersion === 'v1',
        `session.specificationVersion is ${describeValue(session.specificationVersion)}`,
      );
      check(
        session.providerId === context.provider.id,
        `session.providerId is ${describeValue(session.providerId)}; the provider's id is '${context.provider.id}'`,
      );
    },
  },
]);
