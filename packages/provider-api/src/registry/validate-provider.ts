import { WechatInvalidProviderError, WechatUnsupportedSpecificationVersionError } from '../errors/wechat-errors.ts';
import type { ProviderV1 } from '../provider/v1/provider-v1.ts';

export const supportedSpecificationVersions = ['v1'] as const;

/** Provider ids are kebab-case: they appear in config keys, logs and metric labels. */
export const providerIdPattern: RegExp = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Checks that a value is a provider this host can use and returns it typed. Today only V1 exists; when V2
 * arrives, V1 providers will be adapted here with a one-time warning instead of being rejected (AI SDK 6).
 */
export function asProviderV1(candidate: unknown): ProviderV1 {
  if (typeof candidate !== 'object' || candidate === null) {
    throw new WechatInvalidProviderError({
      problems: [`expected an object, received ${candidate === null ? 'null' : typeof candidate}`],
    });
  }
  const provider = candidate as Record<string, unknown>;
  const id = typeof provider.id === 'string' ? provider.id : undefined;
  if (provider.specificationVersion !== 'v1') {
    throw new WechatUnsupportedSpecificationVersionError({
      received: provider.specificationVersion,
      supported: supportedSpecificationVersions,
      ...(id === undefined ? {} : { providerId: id }),
    });
  }
  const problems: string[] = [];
  if (id === undefined) problems.push('`id` must be a string');
  else if (!providerIdPattern.test(id)) problems.push(`\`id\` must be kebab-case (got '${id}')`);
  if (typeof provider.displayName !== 'string' || provider.displayName === '')
    problems.push('`displayName` must be a non-empty string');
  if (typeof provider.version !== 'string') problems.push('`version` must be a string');
  if (typeof provider.createSession !== 'function') problems.push('`createSession` must be a function');
  const schema = provider.configSchema as { '~standard'?: { validate?: unknown } } | undefined;
  if (typeof schema?.['~standard']?.validate !== 'function') problems.push('`configSchema` must be a Standard Schema');
  const capabilities = provider.capabilities as Record<string, unknown> | undefined;
  if (typeof capabilities !== 'object' || capabilities === null) problems.push('`capabilities` must be an object');
  else {
    if (capabilities.login !== 'interactive' && capabilities.login !== 'credentials') {
      problems.push("`capabilities.login` must be 'interactive' or 'credentials'");
    }
    for (const group of ['send', 'receive', 'contacts', 'rooms']) {
      if (typeof capabilities[group] !== 'object' || capabilities[group] === null)
        problems.push(`\`capabilities.${group}\` must be an object`);
    }
    const send = capabilities.send as Record<string, unknown> | null | undefined;
    if (typeof send === 'object' && send !== null && (send.system ?? 'none') !== 'none') {
      problems.push('`capabilities.send.system` must be absent: system messages are inbound only');
    }
  }
  if (problems.length > 0) throw new WechatInvalidProviderError({ problems, ...(id === undefined ? {} : { providerId: id }) });
  return candidate as ProviderV1;
}
