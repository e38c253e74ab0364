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
