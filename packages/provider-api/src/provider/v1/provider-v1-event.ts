import type { WechatError } from '../../errors/wechat-error.ts';
import type { ContactId, RoomId } from './provider-v1-ids.ts';
import type { InboundMessageV1, MessageRefV1 } from './provider-v1-message.ts';
import type { LoginStepV1 } from './provider-v1-session.ts';
import type { SessionStateV1 } from './provider-v1-state.ts';

/**
 * Everything a session reports, pushed through the injected `emit`. Types are noun-verb strings. Hosts must
 * ignore event types they do not know (new ones may arrive in a minor release of this package).
 */
export type ProviderEventV1 =
  /** Includes the account's own messages (sent from the phone, or echoes of `sendMessage`) with `isSelf: true`. */
  | { readonly type: 'message-received'; readonly message: InboundMessageV1 }
  | { readonly type: 'message-recalled'; readonly target: MessageRefV1; readonly actorId: ContactId; readonly timestamp: number }
  /** The contact's profile changed (name, remark, avatar): hosts re-fetch it with `getContact`. */
  | { readonly type: 'contact-updated'; readonly contactId: ContactId }
  /** The room's name, topic or avatar changed: hosts re-fetch it with `getRoom`. */
  | { readonly type: 'room-updated'; readonly roomId: RoomId }
  | {
      readonly type: 'room-member-joined';
      readonly roomId: RoomId;
      readonly contactIds: readonly ContactId[];
      readonly inviterId?: ContactId;
    }
  | {
      readonly type: 'room-member-left';
      readonly roomId: RoomId;
      readonly contactIds: readonly ContactId[];
      readonly removerId?: ContactId;
    }
  | {
      readonly type: 'friend-request-received';
      /** Opaque; pass it to `acceptFriendRequest`. */
      readonly requestId: string;
      readonly contactId: ContactId;
      readonly name?: string;
      readonly greeting?: string;
    }
  | { readonly type: 'login-step'; readonly step: LoginStepV1 }
  | {
      readonly type: 'state-changed';
      readonly state: SessionStateV1;
      readonly previous: SessionStateV1;
      readonly error?: WechatError;
    }
  /** Proof of life from the remote side; feeds watchdogs and failover. `at` is milliseconds since the epoch. */
  | { readonly type: 'heartbeat'; readonly at: number }
  /**
   * A composite session (a failover group) now serves the account through another provider. `from` is absent
   * when nothing served it before (every provider was down). Reasons are stable strings, e.g.
   * `health-check-failed`, `recovered`, `all-down-recovered`, `forced`.
   */
  | {
      readonly type: 'provider-switched';
      readonly from?: string;
      readonly to: string;
      readonly reason: string;
      readonly at: number;
    };

export type ProviderEventTypeV1 = ProviderEventV1['type'];
export type ProviderEventOfTypeV1<TYPE extends ProviderEventTypeV1> = Extract<ProviderEventV1, { type: TYPE }>;
