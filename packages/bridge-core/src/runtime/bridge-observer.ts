import type { ProviderSessionV1, SessionStateV1 } from '@wechat/provider-api';
import type { LoginRecord } from '../store/bridge-store.ts';

export type BridgeDirection = 'wechat-to-matrix' | 'matrix-to-wechat';

/**
 * What the bridge reports as it works, for metrics (implemented by `@wechat/metrics`' `createMetricsObserver`).
 * Plain data only; every method is called synchronously and must not throw.
 */
export interface BridgeObserver {
  /** A new (not re-delivered) message arrived from WeChat. */
  messageReceived(event: { readonly providerId: string; readonly kind: string }): void;
  /** A message reached the other side. WeChat → Matrix: from receipt to the Matrix send; Matrix → WeChat: from the Matrix event to the WeChat send. */
  messageBridged(event: {
    readonly providerId: string;
    readonly direction: BridgeDirection;
    readonly kind: string;
    readonly latencyMs: number;
  }): void;
  /** A message was given up; the user was told. */
  messageFailed(event: { readonly providerId: string; readonly direction: BridgeDirection; readonly kind: string }): void;
  sessionStateChanged(event: {
    readonly loginId: string;
    readonly providerId: string;
    readonly state: SessionStateV1;
    readonly previous: SessionStateV1;
    readonly errorCode?: string;
  }): void;
  sessionClosed(event: { readonly loginId: string }): void;
  failoverSwitched(event: { readonly loginId: string; readonly to: string; readonly reason: string }): void;
}

export const noopObserver: BridgeObserver = {
  messageReceived: () => {},
  messageBridged: () => {},
  messageFailed: () => {},
  sessionStateChanged: () => {},
  sessionClosed: () => {},
  failoverSwitched: () => {},
};

/** Wraps each session as it is created (metrics, tracing); gets the login it serves. */
export type SessionDecorator = (session: ProviderSessionV1, login: LoginRecord) => ProviderSessionV1;

/** The provider actually serving a session: a failover group's active member, else the login's provider. */
export function servingProviderId(session: ProviderSessionV1, login: LoginRecord): string {
  const active = (session as { readonly activeProviderId?: unknown }).activeProviderId;
  return typeof active === 'string' ? active : login.providerId;
}

/** The message kind a Matrix event becomes, for metric labels. */
export function kindOfMatrixEvent(type: string, content: unknown): string {
  if (type === 'm.room.redaction') return 'recall';
  if (type === 'm.sticker') return 'sticker';
  switch ((content as { msgtype?: unknown } | null)?.msgtype) {
    case 'm.image':
      return 'image';
    case 'm.video':
      return 'video';
    case 'm.file':
      return 'file';
    case 'm.audio':
      return 'voice';
    case 'm.location':
      return 'location';
    default:
      return 'text';
  }
}
