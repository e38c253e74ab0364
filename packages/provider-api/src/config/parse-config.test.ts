import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { WechatConfigValidationError } from '../errors/wechat-errors.ts';
import { parseConfig } from './parse-config.ts';

const schema = v.object({
  corp_id: v.pipe(v.string(), v.nonEmpty('must not be empty')),
  agent_id: v.optional(v.pipe(v.number(), v.integer()), 1000002),
  callback: v.object({ port: v.optional(v.number(), 29351), token: v.string() }),
  admins: v.optional(v.array(v.string()), []),
});

function issuesOf(input: unknown, path?: string) {
  try {
    parseConfig(schema, input, path === undefined ? {} : { path });
  } catch (error) {
    if (WechatConfigValidationError.isInstance(error)) return error.issues.map(issue => issue.path);
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parseConfig', () => {
  it('returns the output with defaults applied', () => {
    expect(parseConfig(schema, { corp_id: 'ww1', callback: { token: 't' } })).toEqual({
      corp_id: 'ww1',
      agent_id: 1000002,
      callback: { port: 29351, token: 't' },
      admins: [],
    });
  });

  it('names the full key path of every issue, prefixed by where the section lives', () => {
    expect(issuesOf({ corp_id: '', callback: {} }, 'providers.wecom')).toEqual([
      'providers.wecom.corp_id',
      'providers.wecom.callback.token',
    ]);
    expect(issuesOf({ corp_id: 'x', callback: { token: 't' }, admins: ['a', 7] })).toEqual(['admins[1]']);
  });

  it('says what is expected', () => {
    expect(() =>
      parseConfig(schema, { corp_id: 'x', callback: { token: 't', port: 'eighty' } }, { path: 'providers.wecom' }),
    ).toThrow(/providers\.wecom\.callback\.port: Invalid type: Expected number but received "eighty"/);
  });

  it('reports a wrong root type at the section path', () => {
    expect(issuesOf('nope', 'providers.wecom')).toEqual(['providers.wecom']);
  });

  it('refuses asynchronous schemas instead of silently accepting', () => {
    const asyncSchema: StandardSchemaV1<unknown, unknown> = {
      '~standard': { version: 1, vendor: 'test', validate: async value => ({ value }) },
    };
    expect(() => parseConfig(asyncSchema, {}, { path: 'providers.x' })).toThrow(/must validate synchronously/);
  });
});
