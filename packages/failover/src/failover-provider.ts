import { WechatInvalidArgumentError } from '@wechat/provider-api';
import { systemFailoverClock } from './failover-clock.ts';
import { FailoverGroup } from './failover-group.ts';
import { exposeFailoverSession, FailoverSession } from './failover-session.ts';
import { failoverSessionConfigSchema } from './failover-session-config.ts';
import type { FailoverMemberOptions, FailoverProviderOptions, FailoverProviderV1 } from './failover-types.ts';
import { unionCapabilities } from './union-capabilities.ts';
import { failoverVersion } from './version.ts';

/** The group's provider id: its config key, and the `provider` label of its logs. */
export const failoverProviderId = 'failover';

/**
 * A provider whose sessions serve one WeChat account through several member providers, switching between them
 * by health. Members are ordered by tier (lower is preferred; equal tiers keep their order). Each group session
 * creates one session per member; the group's capabilities are the union of the members'.
 */
export function createFailoverProvider(options: FailoverProviderOptions): FailoverProviderV1 {
  const members = sortByTier(checkMembers(options.members));
  const capabilities = unionCapabilities(members.map(member => member.provider.capabilities));
  const clock = options.clock ?? systemFailoverClock;
  return {
    specificationVersion: 'v1',
    id: failoverProviderId,
    displayName: 'Failover group',
    version: failoverVersion,
    configSchema: failoverSessionConfigSchema,
    capabilities,
    createSession: session => {
      const group = new FailoverGroup({
        providerId: failoverProviderId,
        members,
        failover: options.failover,
        clock,
        onSwitch: options.onSwitch,
        session,
      });
      return exposeFailoverSession(new FailoverSession(group), { providerId: failoverProviderId, capabilities });
    },
  };
}

/** Stable: members of one tier keep the order they were given in (the reference's sort did not). */
function sortByTier(members: readonly FailoverMemberOptions[]): readonly FailoverMemberOptions[] {
  return members
    .map((member, index) => ({ member, index }))
    .sort((a, b) => a.member.tier - b.member.tier || a.index - b.index)
    .map(({ member }) => member);
}

function checkMembers(members: readonly FailoverMemberOptions[]): readonly FailoverMemberOptions[] {
  const problems: string[] = [];
  if (members.length === 0) problems.push('a failover group needs at least one member');
  const seen = new Set<string>();
  for (const { provider, tier } of members) {
    // Ids name each member's storage namespace and its place in logs and `members()`.
    if (seen.has(provider.id)) problems.push(`'${provider.id}' is a member twice`);
    seen.add(provider.id);
    if (!Number.isFinite(tier)) problems.push(`'${provider.id}' has tier ${tier}; tiers are finite numbers`);
  }
  if (problems.length > 0) {
    throw new WechatInvalidArgumentError({ argument: 'members', message: `Invalid failover members: ${problems.join('; ')}.` });
  }
  return members;
}
