import {
  type ContactV1,
  type LoginProcessV1,
  type LoginStepV1,
  type Logger,
  WechatAuthenticationError,
  WechatError,
} from '@wechat/provider-api';
import { type Clock, sleep } from '../client/clock.ts';
import type { WcfClient } from '../client/wcf-client.ts';
import { pchookProviderId } from '../client/wcf-errors.ts';

export interface LoginHooks {
  /** The connection, or a throw while there is none (the process then keeps waiting). */
  readonly client: () => WcfClient;
  /** The account, when the session is connected (logged in by whatever means). */
  readonly connectedSelf: () => ContactV1 | undefined;
  /** Brings the session to `connected` once the host reports a login; resolves with the account. */
  readonly completeLogin: (client: WcfClient) => Promise<ContactV1>;
  readonly emitStep: (step: LoginStepV1) => void;
  /** Called when the process begins, e.g. to move the session from `logged-out` to `awaiting-login`. */
  readonly began: () => void;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborted when the session stops. */
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  readonly qrRefreshIntervalMs: number;
  readonly timeoutMs: number;
}

const cancelled = (why: string) =>
  new WechatAuthenticationError({ code: 'AUTH_REQUIRED', providerId: pchookProviderId, message: `The login was ${why}` });

/**
 * The QR login of the WeChat client on the host: FUNC_REFRESH_QRCODE gives the URL the QR code encodes (when
 * the host can read it; otherwise the user scans the code WeChat shows on the Windows screen), then
 * FUNC_IS_LOGIN is polled until the phone confirmed.
 */
export function createLoginProcess(hooks: LoginHooks): LoginProcessV1 {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, hooks.signal]);
  let started = false;
  let lastUrl = '';
  let lastRefreshAt = 0;
  let deadline = 0;

  const step = (value: LoginStepV1): LoginStepV1 => {
    if (!signal.aborted) hooks.emitStep(value);
    return value;
  };
  const complete = (self: ContactV1) => step({ type: 'complete', self });
  const qrStep = (url: string): LoginStepV1 =>
    url === ''
      ? step({ type: 'waiting-for-confirmation', message: 'Scan the QR code WeChat shows on the Windows host with the phone' })
      : step({ type: 'qr-code', data: url });
  const ensureActive = () => {
    if (controller.signal.aborted) throw cancelled('cancelled');
    if (hooks.signal.aborted) throw cancelled('abandoned: the session stopped');
  };

  return {
    async start() {
      if (started) throw new Error('LoginProcessV1.start() may be called once');
      started = true;
      ensureActive();
      deadline = hooks.clock.now() + hooks.timeoutMs;
      const self = hooks.connectedSelf();
      if (self !== undefined) return complete(self);
      hooks.began();
      const client = hooks.client();
      if (await client.isLogin()) return complete(await hooks.completeLogin(client));
      lastUrl = await client.refreshQrcode();
      lastRefreshAt = hooks.clock.now();
      ensureActive();
      return qrStep(lastUrl);
    },

    async next() {
      if (!started) throw new Error('Call start() before next()');
      for (;;) {
        ensureActive();
        const self = hooks.connectedSelf();
        if (self !== undefined) return complete(self);
        if (hooks.clock.now() >= deadline) {
          throw new WechatAuthenticationError({
            code: 'AUTH_REQUIRED',
            providerId: pchookProviderId,
            message: `Nobody confirmed the login within ${hooks.timeoutMs} ms`,
          });
        }
        try {
          const client = hooks.client();
          if (await client.isLogin()) {
            ensureActive();
            return complete(await hooks.completeLogin(client));
          }
          if (hooks.clock.now() - lastRefreshAt >= hooks.qrRefreshIntervalMs) {
            lastRefreshAt = hooks.clock.now();
            const url = await client.refreshQrcode();
            ensureActive();
            if (url !== '' && url !== lastUrl) {
              lastUrl = url;
              return qrStep(url);
            }
          }
        } catch (error) {
          ensureActive();
          // The host may be reconnecting; the login goes on once it is back.
          if (!WechatError.isInstance(error) || !error.retryable) throw error;
          hooks.logger.debug({ error: error.message }, 'login poll failed; still waiting');
        }
        await sleep(hooks.clock, hooks.pollIntervalMs, signal);
      }
    },

    async cancel() {
      controller.abort();
    },
  };
}
