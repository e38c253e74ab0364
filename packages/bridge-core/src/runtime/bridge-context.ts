import type { Logger, ProviderRegistry } from '@wechat/provider-api';
import type { BridgeConfig } from '../bridge-config.ts';
import type { GhostUserIds } from '../ghosts/ghost-user-ids.ts';
import type { MatrixPort } from '../matrix/matrix-port.ts';
import type { Permissions } from '../permissions/permissions.ts';
import type { BridgeStore } from '../store/bridge-store.ts';
import type { BridgeObserver, SessionDecorator } from './bridge-observer.ts';

/** A QR code as an image the bridge can upload. */
export interface RenderedQrCode {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly width: number;
  readonly height: number;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What every part of the runtime shares; built once by `createBridge`. */
export interface BridgeContext {
  readonly config: BridgeConfig;
  readonly matrix: MatrixPort;
  readonly store: BridgeStore;
  readonly providers: ProviderRegistry;
  /** Validated config sections of the enabled providers, by provider id. */
  readonly providerConfigs: ReadonlyMap<string, unknown>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ghostIds: GhostUserIds;
  readonly permissions: Permissions;
  readonly renderQrCode: (text: string) => Promise<RenderedQrCode>;
  readonly bot: { readonly displayName: string; readonly avatarMxc?: string };
  /** How long `login` waits for the user before giving up. */
  readonly loginTimeoutMs: number;
  /** First retry delay of the inbox and outbox; doubles per attempt. */
  readonly retryBaseMs: number;
  /** After this many failed attempts a message is given up (and the user told). */
  readonly maxAttempts: number;
  /** When the bridge process started, for `ping`. */
  readonly startedAt: number;
  /** Told what the bridge does, for metrics. */
  readonly observer: BridgeObserver;
  /** Wraps every provider session (metrics). */
  readonly decorateSession: SessionDecorator;
}
