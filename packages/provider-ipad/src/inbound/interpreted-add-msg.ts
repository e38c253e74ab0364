import type {
  ContactId,
  InboundContentV1,
  InboundMessageV1,
  MentionsV1,
  MessageRefV1,
  QuoteV1,
  RoomId,
} from '@wechat/provider-api';

/** What one `AddMsg` means for the bridge. */
export type InterpretedAddMsg =
  | { readonly type: 'message'; readonly message: InboundMessageV1 }
  | { readonly type: 'recall'; readonly target: MessageRefV1; readonly actorId: ContactId; readonly timestamp: number }
  | {
      readonly type: 'friend-request';
      /** Opaque; `decodeFriendRequestId` gives back what `/contacts/addContacts` needs. */
      readonly requestId: string;
      readonly contactId: ContactId;
      readonly name?: string;
      readonly greeting?: string;
    }
  | {
      readonly type: 'room-members-joined';
      readonly roomId: RoomId;
      readonly contactIds: ContactId[];
      readonly inviterId?: ContactId;
    }
  | {
      readonly type: 'room-members-left';
      readonly roomId: RoomId;
      readonly contactIds: ContactId[];
      readonly removerId?: ContactId;
    }
  | { readonly type: 'room-updated'; readonly roomId: RoomId }
  /** Nothing for the bridge to show (status sync, a file still uploading, a pat); `reason` is for logs. */
  | { readonly type: 'ignore'; readonly reason: string };

/** A message's content with what may come along with it. */
export interface MessageParts {
  readonly content: InboundContentV1;
  readonly mentions?: MentionsV1;
  readonly replyTo?: QuoteV1;
}

export type IgnoredAddMsg = Extract<InterpretedAddMsg, { type: 'ignore' }>;

export const ignore = (reason: string): IgnoredAddMsg => ({ type: 'ignore', reason });

export const unsupported = (description: string): MessageParts => ({ content: { kind: 'unsupported', description } });
