import {
  type OutgoingContentV1,
  type ProviderCapabilitiesV1,
  type ProviderWarningV1,
  type SupportLevelV1,
  type WechatError,
  WechatAuthenticationError,
  WechatInvalidArgumentError,
  WechatMediaTooLargeError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
} from '@wechat/provider-api';
import type { HarnessFailureV1 } from '../harness/conformance-harness.ts';

// The mock session's rules, as pure functions: support levels, limits, and what each simulated failure becomes.

const levelOrder: readonly SupportLevelV1[] = ['none', 'partial', 'full'];

/** The lower of two levels; a room narrowing (`b`) that is absent changes nothing. */
export function weaker(a: SupportLevelV1, b: SupportLevelV1 | undefined): SupportLevelV1 {
  return b === undefined || levelOrder.indexOf(a) <= levelOrder.indexOf(b) ? a : b;
}

/** What a failure queued with `world.failNext` (or an offline world) turns into, as a real provider would map it. */
export function remoteFailureError(operation: string, failure: HarnessFailureV1, providerId: string): WechatError {
  switch (failure) {
    case 'network':
      return new WechatProviderUnavailableError({
        message: `${operation}: the connection to the mock remote side was reset.`,
        providerId,
      });
    case 'server':
      return new WechatRequestError({
        operation,
        statusCode: 500,
        message: `${operation}: the mock remote side answered 500.`,
        providerId,
      });
    case 'rate-limit':
      return new WechatRateLimitedError({
        message: `${operation}: the mock remote side asks to slow down.`,
        retryAfterMs: 1_000,
        providerId,
      });
    case 'auth':
      return new WechatAuthenticationError({
        code: 'AUTH_REQUIRED',
        message: `${operation}: the mock remote side ended the login.`,
        providerId,
      });
  }
}

/** Refuses empty or too long texts and too large media, before anything is sent. */
export function checkSendLimits(
  content: OutgoingContentV1,
  limits: { readonly maxTextLength?: number | undefined } & ProviderCapabilitiesV1['limits'],
  providerId: string,
): void {
  if (content.kind === 'text') {
    const invalid = (message: string) => new WechatInvalidArgumentError({ argument: 'content.text', message, providerId });
    if (content.text === '') throw invalid('The text is empty.');
    const maxText = limits?.maxTextLength;
    if (maxText !== undefined && content.text.length > maxText) {
      throw invalid(`The text has ${content.text.length} characters; the limit is ${maxText}.`);
    }
  }
  const maxBytes = limits?.maxFileBytes;
  if (maxBytes !== undefined && 'media' in content && content.media.data.byteLength > maxBytes) {
    throw new WechatMediaTooLargeError({ maxBytes, actualBytes: content.media.data.byteLength, kind: content.kind, providerId });
  }
}

/** Applies a feature's level to a send: `none` drops it with an `unsupported` warning, `partial` keeps it and warns. */
export function applyFeatureLevel<T>(
  capability: string,
  level: SupportLevelV1,
  value: T | undefined,
  warnings: ProviderWarningV1[],
): T | undefined {
  if (value === undefined) return undefined;
  if (level === 'none') {
    warnings.push({
      type: 'unsupported',
      feature: capability,
      details: `The mock provider is set to not support ${capability}.`,
    });
    return undefined;
  }
  if (level === 'partial') {
    warnings.push({ type: 'compatibility', feature: capability, details: 'The mock provider is set to partial support.' });
  }
  return value;
}
