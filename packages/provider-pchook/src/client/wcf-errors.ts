import { type WechatError, WechatProviderUnavailableError, WechatRequestError } from '@wechat/provider-api';
import { NngError } from '../nng/nng-error.ts';
import { wcfFunctionName } from '../protocol/wcf-functions.ts';

export const pchookProviderId = 'pchook';

/**
 * The host answered with a zero-length message: it could not decode or dispatch the request (an unknown
 * function, a failed handler). It did not run it, so trying again is safe.
 */
export function dispatchError(func: number): WechatRequestError {
  return new WechatRequestError({
    operation: wcfFunctionName(func),
    remoteCode: 'dispatch-failed',
    retryable: true,
    providerId: pchookProviderId,
    message: `WeChatFerry could not dispatch ${wcfFunctionName(func)} (it answered with an empty message)`,
  });
}

/**
 * The host ran the function and answered with a status that means failure for it. Not retryable by default:
 * the host checked the request (an empty text, an unknown message id) or WeChat refused it.
 */
export function statusError(func: number, status: number, retryable = false): WechatRequestError {
  return new WechatRequestError({
    operation: wcfFunctionName(func),
    remoteCode: status,
    retryable,
    providerId: pchookProviderId,
    message: `WeChatFerry answered ${wcfFunctionName(func)} with status ${status}`,
  });
}

/** The host cannot be reached, went away, or does not answer. */
export function unavailableError(message: string, cause?: unknown): WechatProviderUnavailableError {
  return new WechatProviderUnavailableError({
    message,
    providerId: pchookProviderId,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function transportError(what: string, error: unknown): WechatError {
  if (error instanceof NngError) return unavailableError(`${what}: ${error.message}`, error);
  return unavailableError(`${what}: ${error instanceof Error ? error.message : String(error)}`, error);
}
