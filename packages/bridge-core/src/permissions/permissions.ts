import type { PermissionLevel } from '../bridge-config.ts';

const rank: Readonly<Record<PermissionLevel, number>> = { relay: 1, user: 2, admin: 3 };

export interface Permissions {
  /** The level of a Matrix user: exact user id, else their homeserver's domain, else `"*"`; undefined = none. */
  levelOf(userId: string): PermissionLevel | undefined;
  /** Whether the user has at least `level`. */
  allows(userId: string, level: PermissionLevel): boolean;
}

/** `bridge.permissions` as a lookup; the most specific key wins (mautrix's rule). */
export function createPermissions(table: Readonly<Record<string, PermissionLevel>>): Permissions {
  const levelOf = (userId: string): PermissionLevel | undefined => {
    const domain = userId.slice(userId.indexOf(':') + 1);
    return table[userId] ?? table[domain] ?? table['*'];
  };
  return {
    levelOf,
    allows: (userId, level) => {
      const actual = levelOf(userId);
      return actual !== undefined && rank[actual] >= rank[level];
    },
  };
}
