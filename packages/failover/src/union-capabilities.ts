import { type MessageKindV1, type ProviderCapabilitiesV1, type SupportLevelV1, supportLevelOf } from '@wechat/provider-api';

type KindLevels = Readonly<Partial<Record<MessageKindV1, SupportLevelV1>>>;

/**
 * One feature across the members. Offered (not `none`) when any member offers it, since the group can serve it
 * while that member is active. `full` only when every member supports it fully: otherwise a switch may hand the
 * account to a member that degrades it or refuses it (with its own `WechatUnsupportedCapabilityError`), which is
 * what `partial` tells hosts here. A send through a member that supports the feature fully carries no warning.
 */
export function unionLevel(levels: readonly SupportLevelV1[]): SupportLevelV1 {
  if (levels.every(level => level === 'none')) return 'none';
  return levels.every(level => level === 'full') ? 'full' : 'partial';
}

function unionKinds<LEVELS extends KindLevels>(all: readonly LEVELS[]): LEVELS {
  const kinds = new Set(all.flatMap(levels => Object.keys(levels) as MessageKindV1[]));
  const union: Partial<Record<MessageKindV1, SupportLevelV1>> = {};
  for (const kind of kinds) {
    const level = unionLevel(all.map(levels => supportLevelOf(levels, kind)));
    if (level !== 'none') union[kind] = level;
  }
  return union as LEVELS;
}

/** The smallest limit any member declares: a message must fit whichever member serves it. */
function smallest(values: readonly (number | undefined)[]): number | undefined {
  const declared = values.filter((value): value is number => value !== undefined);
  return declared.length === 0 ? undefined : Math.min(...declared);
}

/** What a group of members can do, as one provider's capabilities. */
export function unionCapabilities(members: readonly ProviderCapabilitiesV1[]): ProviderCapabilitiesV1 {
  if (members.length === 0) throw new RangeError('A failover group needs at least one member');
  const level = (pick: (capabilities: ProviderCapabilitiesV1) => SupportLevelV1) => unionLevel(members.map(pick));
  const maxTextLength = smallest(members.map(capabilities => capabilities.limits?.maxTextLength));
  const maxFileBytes = smallest(members.map(capabilities => capabilities.limits?.maxFileBytes));
  const limits = {
    ...(maxTextLength === undefined ? {} : { maxTextLength }),
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
  };
  return {
    // One interactive member is enough for `login()` to have something to log in.
    login: members.some(capabilities => capabilities.login === 'interactive') ? 'interactive' : 'credentials',
    // Every member session is created for each group session, so each member must allow several.
    multipleSessions: members.every(capabilities => capabilities.multipleSessions),
    send: unionKinds(members.map(capabilities => capabilities.send)),
    receive: unionKinds(members.map(capabilities => capabilities.receive)),
    mentions: level(capabilities => capabilities.mentions),
    replies: level(capabilities => capabilities.replies),
    recall: level(capabilities => capabilities.recall),
    contacts: {
      list: level(capabilities => capabilities.contacts.list),
      setRemark: level(capabilities => capabilities.contacts.setRemark),
    },
    rooms: {
      list: level(capabilities => capabilities.rooms.list),
      create: level(capabilities => capabilities.rooms.create),
      invite: level(capabilities => capabilities.rooms.invite),
      remove: level(capabilities => capabilities.rooms.remove),
      rename: level(capabilities => capabilities.rooms.rename),
      setTopic: level(capabilities => capabilities.rooms.setTopic),
      leave: level(capabilities => capabilities.rooms.leave),
    },
    friendRequests: level(capabilities => capabilities.friendRequests),
    history: level(capabilities => capabilities.history),
    ...(Object.keys(limits).length === 0 ? {} : { limits }),
  };
}
