import { WechatError } from '@wechat/provider-api';
import { MatrixPortError } from '../matrix/matrix-port.ts';

/** Whether trying the same operation later may succeed. Decided on typed error data, never on messages. */
export function isRetryable(error: unknown): boolean {
  if (WechatError.isInstance(error)) return error.retryable;
  if (MatrixPortError.isInstance(error)) return error.retryable;
  return false;
}

/** A short reason for the user: the typed error's message, without stack or internals. */
export function describeError(error: unknown): string {
  if (WechatError.isInstance(error) || MatrixPortError.isInstance(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
