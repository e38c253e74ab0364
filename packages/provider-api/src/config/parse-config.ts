import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type ConfigIssue, WechatConfigValidationError } from '../errors/wechat-errors.ts';

/**
 * Validates a config section with any Standard Schema (valibot, zod, arktype, …). Errors name the full key
 * path, e.g. `providers.wecom.corp_id: Invalid type: Expected string but received undefined`.
 *
 * @param path where the section lives in the whole config, used as the prefix of every issue path.
 */
export function parseConfig<OUTPUT>(
  schema: StandardSchemaV1<unknown, OUTPUT>,
  input: unknown,
  { path = '' }: { path?: string } = {},
): OUTPUT {
  const result = schema['~standard'].validate(input);
  if (result instanceof Promise) {
    throw new TypeError(`${path || 'config'}: config schemas must validate synchronously`);
  }
  if (result.issues) {
    throw new WechatConfigValidationError({ path, issues: result.issues.map(issue => toConfigIssue(path, issue)) });
  }
  return result.value;
}

function toConfigIssue(prefix: string, issue: StandardSchemaV1.Issue): ConfigIssue {
  const segments = (issue.path ?? []).map(segment => (typeof segment === 'object' && segment !== null ? segment.key : segment));
  const keys = segments.map(segment => (typeof segment === 'number' ? `[${segment}]` : String(segment)));
  const joined = keys.reduce<string>(
    (accumulated, key) => (key.startsWith('[') || accumulated === '' ? accumulated + key : `${accumulated}.${key}`),
    prefix,
  );
  return { path: joined, message: issue.message };
}
