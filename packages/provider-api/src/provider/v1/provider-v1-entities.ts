import type { MediaRefV1 } from './provider-v1-message.ts';
import type { ContactId, RoomId } from './provider-v1-ids.ts';

export interface ContactV1 {
  readonly id: ContactId;
  /** The contact's own nickname. */
  readonly name: string;
  /** The remark the account owner gave this contact, if any (shown instead of `name` by WeChat clients). */
  readonly remark?: string;
  /** The user-chosen WeChat ID (微信号), when it differs from `id`. */
  readonly alias?: string;
  /**
   * Where the avatar can be downloaded with `downloadMedia`. `avatar.ref` changes when the picture changes,
   * so hosts compare refs to decide whether to re-upload.
   */
  readonly avatar?: MediaRefV1;
  readonly gender?: 'male' | 'female' | 'unknown';
  readonly region?: { readonly country?: string; readonly province?: string; readonly city?: string };
  readonly signature?: string;
  /** `personal` accounts, `official` accounts (公众号), `enterprise` (WeCom) users. */
  readonly kind?: 'personal' | 'official' | 'enterprise';
  /** Whether the contact is in the account's friend list. */
  readonly isFriend?: boolean;
}

export interface RoomV1 {
  readonly id: RoomId;
  readonly name: string;
  /** The group announcement (群公告). */
  readonly topic?: string;
  readonly avatar?: MediaRefV1;
  readonly ownerId?: ContactId;
  readonly memberCount?: number;
}

export interface RoomMemberV1 extends ContactV1 {
  /** The member's nickname inside this room (群昵称), if set. */
  readonly displayName?: string;
  readonly role: 'owner' | 'admin' | 'member';
  readonly inviterId?: ContactId;
  /** Milliseconds since the epoch. */
  readonly joinedAt?: number;
}
