import { WechatInvalidArgumentError, WechatMediaTooLargeError } from '@wechat/provider-api';

/** The `type` of `media/upload`. */
export type WecomMediaType = 'image' | 'voice' | 'video' | 'file';

const megabyte = 1024 * 1024;

/** Upload limits per type (reference A.2, "Upload temporary media"): checked before any byte leaves. */
export const wecomMediaLimits: Readonly<Record<WecomMediaType, number>> = {
  image: 10 * megabyte,
  voice: 2 * megabyte,
  video: 10 * megabyte,
  file: 20 * megabyte,
};

/** "Every file must be larger than 5 bytes." */
export const wecomMinimumMediaBytes = 6;

/** Throws `WechatMediaTooLargeError` (or, below WeCom's minimum, `WechatInvalidArgumentError`) before an upload. */
export function checkMediaSize(type: WecomMediaType, bytes: number, providerId?: string): void {
  const maxBytes = wecomMediaLimits[type];
  if (bytes > maxBytes) {
    throw new WechatMediaTooLargeError({ maxBytes, actualBytes: bytes, kind: type, ...(providerId ? { providerId } : {}) });
  }
  if (bytes < wecomMinimumMediaBytes) {
    throw new WechatInvalidArgumentError({
      argument: 'media',
      message: `WeCom refuses media of ${bytes} bytes: a file must be larger than 5 bytes`,
      ...(providerId ? { providerId } : {}),
    });
  }
}
