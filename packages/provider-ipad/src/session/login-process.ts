import {
  type ContactV1,
  type LoginProcessV1,
  type LoginStepV1,
  WechatAuthenticationError,
  WechatRequestError,
} from '@wechat/provider-api';
import type { IpadSessionContext, StoredSelf } from './session-parts.ts';

/** `getLoginQrCode` data (reference B.2). */
interface QrCodeData {
  readonly appId?: string;
  readonly qrData?: string;
  readonly uuid?: string;
}

/** `checkLogin` data (reference B.2). */
interface CheckLoginData {
  readonly status?: number;
  readonly expiredTime?: number;
  readonly nickName?: string | null;
  readonly headImgUrl?: string | null;
  readonly loginInfo?: { readonly wxid?: string; readonly nickName?: string; readonly alias?: string } | null;
}

/** The QR code lives about 120 s (reference B.2). */
const qrLifetimeMs = 120_000;

export interface LoginProcessParts {
  readonly context: IpadSessionContext;
  /** The stored device id, or `''` to create a device. */
  readonly appId: () => Promise<string>;
  /** The service created (or confirmed) the device. */
  readonly onDevice: (appId: string) => Promise<void>;
  readonly onComplete: (self: StoredSelf) => Promise<ContactV1>;
  /** Aborted when the session stops. */
  readonly signal: AbortSignal;
}

/**
 * QR login against `/login/getLoginQrCode` and `/login/checkLogin`: poll every few seconds; status 1 means
 * scanned (confirm on the phone), 2 with `loginInfo` means logged in, 4 cancelled; a code with five seconds
 * or less left is replaced by a new one (reference B.2).
 */
export function createLoginProcess(parts: LoginProcessParts): LoginProcessV1 {
  const { context } = parts;
  const cancelled = new AbortController();
  const signal = AbortSignal.any([parts.signal, cancelled.signal]);
  let appId = '';
  let uuid = '';
  let announcedScan = false;
  let started = false;

  const cancelledError = () =>
    new WechatAuthenticationError({
      code: 'AUTH_REQUIRED',
      message: 'The WeChat login was cancelled.',
      providerId: context.providerId,
    });

  const emitStep = (step: LoginStepV1): LoginStepV1 => {
    context.emit({ type: 'login-step', step });
    return step;
  };

  const newQrCode = async (): Promise<LoginStepV1> => {
    const data = await context.client.post<QrCodeData | null>('/login/getLoginQrCode', { appId }, signal);
    if (!data?.qrData || !data.uuid) {
      throw new WechatRequestError({
        operation: '/login/getLoginQrCode',
        message: 'GeWeChat answered without a QR code.',
        retryable: true,
        providerId: context.providerId,
      });
    }
    if (data.appId && data.appId !== appId) {
      appId = data.appId;
      await parts.onDevice(appId);
    }
    uuid = data.uuid;
    announcedScan = false;
    return emitStep({ type: 'qr-code', data: data.qrData, expiresAt: context.runtime.now() + qrLifetimeMs });
  };

  return {
    async start() {
      if (started) throw new Error('loginProcess.start() was already called');
      started = true;
      if (signal.aborted) throw cancelledError();
      appId = await parts.appId();
      return newQrCode();
    },

    async next() {
      if (!started) throw new Error('loginProcess.next() called before start()');
      for (;;) {
        if (signal.aborted) throw cancelledError();
        try {
          await context.runtime.sleep(context.runtime.loginPollIntervalMs, signal);
        } catch {
          throw cancelledError();
        }
        let data: CheckLoginData | null;
        try {
          data = await context.client.post<CheckLoginData | null>('/login/checkLogin', { appId, uuid }, signal);
        } catch (error) {
          throw signal.aborted ? cancelledError() : error;
        }
        if (signal.aborted) throw cancelledError();
        const status = data?.status;
        const wxid = data?.loginInfo?.wxid;
        if (status === 2 && wxid) {
          const self: StoredSelf = {
            wxid,
            nickName: data?.loginInfo?.nickName || data?.nickName || wxid,
            ...(data?.headImgUrl ? { avatarUrl: data.headImgUrl } : {}),
          };
          return emitStep({ type: 'complete', self: await parts.onComplete(self) });
        }
        if (status === 4) {
          throw new WechatAuthenticationError({
            code: 'AUTH_REQUIRED',
            message: 'The login was declined on the phone. Run login again to get a new QR code.',
            providerId: context.providerId,
          });
        }
        if (typeof data?.expiredTime === 'number' && data.expiredTime <= 5) return newQrCode();
        if (status === 1 && !announcedScan) {
          announcedScan = true;
          return emitStep({
            type: 'waiting-for-confirmation',
            message: 'Scanned. Confirm the login on your phone.',
            ...(data?.nickName ? { name: data.nickName } : {}),
            ...(data?.headImgUrl ? { avatarUrl: data.headImgUrl } : {}),
          });
        }
      }
    },

    async cancel() {
      cancelled.abort();
    },
  };
}
