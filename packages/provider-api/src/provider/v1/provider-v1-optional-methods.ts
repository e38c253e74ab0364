import type { ProviderCapabilitiesV1 } from './provider-v1-capabilities.ts';
import type { ProviderSessionV1 } from './provider-v1-session.ts';

export type OptionalSessionMethodV1 = {
  [KEY in keyof ProviderSessionV1]-?: undefined extends ProviderSessionV1[KEY] ? KEY : never;
}[keyof ProviderSessionV1];

export interface OptionalMethodRuleV1 {
  readonly method: OptionalSessionMethodV1;
  /** The capability path in `ProviderCapabilitiesV1`, for messages. Absent for methods no capability governs. */
  readonly capability?: string;
  /** Whether the capabilities promise the method. Absent for methods no capability governs. */
  readonly promised?: (capabilities: ProviderCapabilitiesV1) => boolean;
}

/**
 * Which capability governs which optional session method. A method exists if and only if its capability
 * is promised; the conformance kit checks both directions, and hosts may rely on it.
 */
export const optionalMethodsV1: readonly OptionalMethodRuleV1[] = [
  { method: 'login', capability: 'login', promised: caps => caps.login === 'interactive' },
  { method: 'recallMessage', capability: 'recall', promised: caps => caps.recall !== 'none' },
  { method: 'listContacts', capability: 'contacts.list', promised: caps => caps.contacts.list !== 'none' },
  { method: 'setContactRemark', capability: 'contacts.setRemark', promised: caps => caps.contacts.setRemark !== 'none' },
  { method: 'listRooms', capability: 'rooms.list', promised: caps => caps.rooms.list !== 'none' },
  { method: 'createRoom', capability: 'rooms.create', promised: caps => caps.rooms.create !== 'none' },
  { method: 'inviteToRoom', capability: 'rooms.invite', promised: caps => caps.rooms.invite !== 'none' },
  { method: 'removeFromRoom', capability: 'rooms.remove', promised: caps => caps.rooms.remove !== 'none' },
  { method: 'renameRoom', capability: 'rooms.rename', promised: caps => caps.rooms.rename !== 'none' },
  { method: 'setRoomTopic', capability: 'rooms.setTopic', promised: caps => caps.rooms.setTopic !== 'none' },
  { method: 'leaveRoom', capability: 'rooms.leave', promised: caps => caps.rooms.leave !== 'none' },
  { method: 'acceptFriendRequest', capability: 'friendRequests', promised: caps => caps.friendRequests !== 'none' },
  { method: 'fetchHistory', capability: 'history', promised: caps => caps.history !== 'none' },
  { method: 'getRoomCapabilities' },
  { method: 'checkHealth' },
];

export interface CapabilityMismatchV1 {
  readonly method: OptionalSessionMethodV1;
  readonly capability: string;
  readonly problem: 'promised-but-missing' | 'present-but-not-promised';
}

/** Lists every disagreement between a session's optional methods and the provider's capabilities. */
export function findCapabilityMismatchesV1(
  capabilities: ProviderCapabilitiesV1,
  session: ProviderSessionV1,
): CapabilityMismatchV1[] {
  const mismatches: CapabilityMismatchV1[] = [];
  for (const rule of optionalMethodsV1) {
    if (!rule.promised || !rule.capability) continue;
    const present = typeof session[rule.method] === 'function';
    const promised = rule.promised(capabilities);
    if (promised && !present)
      mismatches.push({ method: rule.method, capability: rule.capability, problem: 'promised-but-missing' });
    if (!promised && present)
      mismatches.push({ method: rule.method, capability: rule.capability, problem: 'present-but-not-promised' });
  }
  return mismatches;
}

/** A session object that implements every method, optional ones included (e.g. a class). */
export type CompleteSessionV1 = Omit<ProviderSessionV1, 'specificationVersion' | 'providerId' | 'state'> & {
  readonly state: ProviderSessionV1['state'];
} & { readonly [METHOD in OptionalSessionMethodV1]-?: NonNullable<ProviderSessionV1[METHOD]> };

const requiredMethodsV1 = [
  'start',
  'stop',
  'logout',
  'getSelf',
  'getContact',
  'getRoom',
  'listRoomMembers',
  'sendMessage',
  'downloadMedia',
] as const satisfies readonly (keyof ProviderSessionV1)[];

/**
 * The session hosts should see for an implementation that has every method: the required ones, and exactly
 * the optional ones `capabilities` promise (so flags and methods agree, as the conformance kit checks).
 * Methods are bound to `implementation`; `state` stays live.
 */
export function exposeSessionV1(
  implementation: CompleteSessionV1,
  { providerId, capabilities }: { readonly providerId: string; readonly capabilities: ProviderCapabilitiesV1 },
): ProviderSessionV1 {
  const exposed: Record<string, unknown> = { specificationVersion: 'v1', providerId };
  Object.defineProperty(exposed, 'state', { enumerable: true, get: () => implementation.state });
  for (const method of requiredMethodsV1) exposed[method] = implementation[method].bind(implementation);
  for (const rule of optionalMethodsV1) {
    if (rule.promised === undefined || rule.promised(capabilities)) {
      exposed[rule.method] = (implementation[rule.method] as (...args: unknown[]) => unknown).bind(implementation);
    }
  }
  return exposed as unknown as ProviderSessionV1;
}
