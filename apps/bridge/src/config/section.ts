import * as v from 'valibot';

/**
 * A config section that rejects unknown keys (so a typo is an error, not a silently ignored setting) and
 * reports a missing required key as what it expects, e.g. `homeserver.address: Invalid type: Expected string
 * but received undefined`, instead of valibot's `Invalid key: Expected "address"`.
 */
export function section<const ENTRIES extends v.ObjectEntries>(entries: ENTRIES) {
  return v.strictObject(entries, issue => {
    const key = issue.path?.at(-1)?.key;
    const entry = typeof key === 'string' && Object.hasOwn(entries, key) ? entries[key] : undefined;
    return issue.input === undefined && entry ? `Invalid type: Expected ${entry.expects} but received undefined` : issue.message;
  });
}
