import {
  type ContactV1,
  type LoginProcessV1,
  type LoginStepV1,
  WechatAuthenticationError,
  WechatInvalidArgumentError,
} from '@wechat/provider-api';
import type { MockWorldState } from './mock-world-state.ts';

export interface MockLoginParts {
  readonly world: MockWorldState;
  readonly providerId: string;
  /** Reports each step as a `login-step` event too. */
  readonly announce: (step: LoginStepV1) => void;
  /** Persists the token and connects; resolves with the account, or rejects when the session can no longer log in. */
  readonly complete: (token: string) => Promise<ContactV1>;
}

/**
 * A QR login against the mock world: `start()` shows a QR code; `world.scanQrCode()` produces
 * `waiting-for-confirmation`; `world.confirmLogin()` logs the session in and produces `complete`. Steps that
 * arrive before anyone calls `next()` are queued, so the order of calls does not matter.
 */
export class MockLoginProcess implements LoginProcessV1 {
  readonly #parts: MockLoginParts;
  readonly #queued: LoginStepV1[] = [];
  #waiting: { resolve: (step: LoginStepV1) => void; reject: (error: Error) => void } | undefined;
  #withdraw: (() => void) | undefined;
  #started = false;
  #failure: Error | undefined;

  constructor(parts: MockLoginParts) {
    this.#parts = parts;
  }

  async start(): Promise<LoginStepV1> {
    if (this.#started) {
      throw new WechatInvalidArgumentError({
        argument: 'start',
        message: 'start() was already called for this login.',
        providerId: this.#parts.providerId,
      });
    }
    this.#started = true;
    if (this.#failure) throw this.#failure;
    const { world } = this.#parts;
    this.#withdraw = world.beginLogin({
      scanned: () => {
        const self = world.contactV1(world.contact(world.selfId));
        this.#push({ type: 'waiting-for-confirmation', message: 'Confirm the login on your phone.', name: self.name });
      },
      expired: () => {
        const fresh: LoginStepV1 = { type: 'qr-code', data: `https://mock.wechat.invalid/login/${world.nextId('qr')}` };
        this.#parts.announce(fresh);
        this.#push(fresh);
      },
      confirmed: token => {
        this.#withdraw = undefined;
        this.#parts.complete(token).then(
          self => this.#push({ type: 'complete', self }),
          (error: unknown) => this.#fail(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    const step: LoginStepV1 = { type: 'qr-code', data: `https://mock.wechat.invalid/login/${world.nextId('qr')}` };
    this.#parts.announce(step);
    return step;
  }

  next(): Promise<LoginStepV1> {
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#started)
      return Promise.reject(new WechatInvalidArgumentError({ argument: 'next', message: 'Call start() first.' }));
    if (this.#waiting)
      return Promise.reject(new WechatInvalidArgumentError({ argument: 'next', message: 'next() is already pending.' }));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  async cancel(): Promise<void> {
    this.abandon();
  }

  /** Cancels synchronously; the session calls it from `stop()` and `logout()`. Idempotent. */
  abandon(): void {
    this.#fail(
      new WechatAuthenticationError({
        code: 'AUTH_REQUIRED',
        message: 'The login was cancelled.',
        providerId: this.#parts.providerId,
      }),
    );
  }

  #push(step: LoginStepV1): void {
    if (this.#failure) return;
    this.#parts.announce(step);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting.resolve(step);
    else this.#queued.push(step);
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#withdraw?.();
    this.#withdraw = undefined;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }
}
