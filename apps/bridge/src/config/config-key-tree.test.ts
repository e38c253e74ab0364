import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from './app-config-schema.ts';
import { acceptsSecret, childKeyNode, describeConfigKeys } from './config-key-tree.ts';

const nodeAt = (path: string) =>
  path
    .split('.')
    .reduce<ReturnType<typeof describeConfigKeys> | undefined>(
      (node, key) => node && childKeyNode(node, key),
      describeConfigKeys(appConfigSchema),
    );

describe('describeConfigKeys', () => {
  it('sees through optional, pipe and record schemas', () => {
    const keys = describeConfigKeys(
      v.object({
        name: v.optional(v.pipe(v.string(), v.nonEmpty()), 'x'),
        count: v.number(),
        level: v.picklist(['a', 'b']),
        labels: v.record(v.string(), v.string()),
        nested: v.nullish(v.strictObject({ flag: v.boolean() })),
        extra: v.looseObject({}),
      }),
    );
    expect(keys.kind).toBe('section');
    expect(childKeyNode(keys, 'name')).toEqual({ kind: 'text' });
    expect(childKeyNode(keys, 'count')).toEqual({ kind: 'other' });
    expect(childKeyNode(keys, 'level')).toEqual({ kind: 'text' });
    expect(childKeyNode(childKeyNode(keys, 'labels')!, 'any-label')).toEqual({ kind: 'text' });
    expect(childKeyNode(childKeyNode(keys, 'nested')!, 'flag')).toEqual({ kind: 'other' });
    expect(childKeyNode(childKeyNode(keys, 'nested')!, 'unknown')).toBeUndefined();
    expect(childKeyNode(childKeyNode(keys, 'extra')!, 'anything')).toEqual({ kind: 'open' });
    expect(childKeyNode(keys, 'missing')).toBeUndefined();
  });

  it('lets exactly the text settings of the bridge config come from secrets', () => {
    expect(acceptsSecret(nodeAt('appservice.as_token'))).toBe(true);
    expect(acceptsSecret(nodeAt('database.uri'))).toBe(true);
    expect(acceptsSecret(nodeAt('database.type'))).toBe(true);
    expect(acceptsSecret(nodeAt('appservice.port'))).toBe(false);
    expect(acceptsSecret(nodeAt('bridge.encryption.allow'))).toBe(false);
    expect(acceptsSecret(nodeAt('appservice'))).toBe(false);
    expect(acceptsSecret(nodeAt('appservice.as_tokn'))).toBe(false);
  });

  it('leaves provider sections open and knows the failover keys', () => {
    expect(nodeAt('providers.wecom.app_secret')).toEqual({ kind: 'open' });
    expect(nodeAt('providers.failover.enabled')).toEqual({ kind: 'other' });
    expect(nodeAt('providers.failover.secret')).toBeUndefined();
  });
});
