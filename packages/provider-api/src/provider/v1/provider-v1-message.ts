import type { ContactId, MessageId, RoomId } from './provider-v1-ids.ts';

/**
 * Where a message goes or came from: a one-to-one chat with a contact, or a room (WeChat group). A direct chat
 * is always named after the *other* party, also for messages the account itself sent (from the phone).
 */
export type ChatRefV1 =
  | { readonly type: 'direct'; readonly contactId: ContactId }
  | { readonly type: 'room'; readonly roomId: RoomId };

/** Identifies a message for recall, replies and redaction. */
export interface MessageRefV1 {
  readonly id: MessageId;
  readonly chat: ChatRefV1;
  /** Who sent it, when known. */
  readonly senderId?: ContactId;
}

/**
 * A pointer to media held by the remote side. Plain data (JSON-serialisable) so hosts can persist it and
 * call `downloadMedia` later, after a restart.
 */
export interface MediaRefV1 {
  /** Provider-minted and opaque; may encode URLs, ids or keys. */
  readonly ref: string;
  readonly mimeType?: string;
  readonly fileName?: string;
  /** Bytes, when known in advance. */
  readonly size?: number;
}

export interface MediaDownloadV1 {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName?: string;
}

/** Media a host hands to a provider for sending. */
export interface OutgoingMediaV1 {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName?: string;
}

export interface MentionsV1 {
  readonly contactIds: readonly ContactId[];
  /** "@all" (所有人) in a room. */
  readonly all?: boolean;
}

export interface LocationV1 {
  readonly latitude: number;
  readonly longitude: number;
  /** The place's name (poiname). */
  readonly name?: string;
  /** The street address (label). */
  readonly address?: string;
}

export interface LinkCardV1 {
  readonly url: string;
  readonly title: string;
  readonly description?: string;
  readonly thumbnailUrl?: string;
}

export interface MiniProgramV1 {
  readonly title: string;
  readonly appId?: string;
  /** The page path inside the mini program. */
  readonly pagePath?: string;
  /** A web URL for clients that cannot open mini programs. */
  readonly url?: string;
  readonly description?: string;
}

export interface ContactCardV1 {
  /** Set when the card's user is addressable by this provider. */
  readonly contactId?: ContactId;
  readonly name: string;
  readonly alias?: string;
  readonly avatarUrl?: string;
}

/** What an inbound message carries. Every kind but `unsupported` matches a `MessageKindV1`. */
export type InboundContentV1 =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly media: MediaRefV1; readonly width?: number; readonly height?: number }
  | { readonly kind: 'voice'; readonly media: MediaRefV1; readonly durationMs: number }
  | { readonly kind: 'video'; readonly media: MediaRefV1; readonly durationMs?: number; readonly thumbnail?: MediaRefV1 }
  | { readonly kind: 'file'; readonly media: MediaRefV1; readonly fileName: string }
  | { readonly kind: 'sticker'; readonly media: MediaRefV1; readonly description?: string }
  | { readonly kind: 'location'; readonly location: LocationV1 }
  | { readonly kind: 'link'; readonly link: LinkCardV1 }
  | { readonly kind: 'contact-card'; readonly card: ContactCardV1 }
  | { readonly kind: 'mini-program'; readonly miniProgram: MiniProgramV1 }
  | { readonly kind: 'system'; readonly text: string }
  /**
   * Something the provider received but cannot express (a call, a red packet, a new WeChat type). Providers
   * emit this instead of dropping the message, so the user learns that something arrived.
   */
  | { readonly kind: 'unsupported'; readonly description: string };

/** A quoted message: linked by id when the provider knows it, with the quoted text as a fallback. */
export interface QuoteV1 {
  readonly messageId?: MessageId;
  readonly senderId?: ContactId;
  readonly text?: string;
}

/**
 * A message from WeChat. Plain data: hosts persist it in their inbox before acting on it. Messages the account
 * itself sent (from the phone, or echoes of `sendMessage`) arrive with `isSelf: true`.
 */
export interface InboundMessageV1 {
  readonly id: MessageId;
  readonly chat: ChatRefV1;
  readonly senderId: ContactId;
  readonly isSelf: boolean;
  /** Milliseconds since the epoch, as WeChat reports it. */
  readonly timestamp: number;
  readonly content: InboundContentV1;
  readonly mentions?: MentionsV1;
  readonly replyTo?: QuoteV1;
}

/** What a host asks a provider to send. */
export type OutgoingContentV1 =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly media: OutgoingMediaV1; readonly width?: number; readonly height?: number }
  | { readonly kind: 'voice'; readonly media: OutgoingMediaV1; readonly durationMs: number }
  | {
      readonly kind: 'video';
      readonly media: OutgoingMediaV1;
      readonly durationMs?: number;
      readonly thumbnail?: OutgoingMediaV1;
    }
  | { readonly kind: 'file'; readonly media: OutgoingMediaV1 & { readonly fileName: string } }
  | { readonly kind: 'sticker'; readonly media: OutgoingMediaV1 }
  | { readonly kind: 'location'; readonly location: LocationV1 }
  | { readonly kind: 'link'; readonly link: LinkCardV1 }
  | { readonly kind: 'contact-card'; readonly card: ContactCardV1 }
  | { readonly kind: 'mini-program'; readonly miniProgram: MiniProgramV1 };

export interface OutgoingMessageV1 {
  readonly to: ChatRefV1;
  readonly content: OutgoingContentV1;
  /** Requires `capabilities.mentions !== 'none'`. */
  readonly mentions?: MentionsV1;
  /** Requires `capabilities.replies !== 'none'`. */
  readonly replyTo?: MessageRefV1;
  /**
   * The host's key for this send (its outbox row). A provider whose remote side supports idempotent sends
   * should pass it on; others may use it to recognise a retry of a send they already completed.
   */
  readonly idempotencyKey?: string;
}

/** Same shape as the AI SDK's warnings: degrade and report, never drop silently. */
export type ProviderWarningV1 =
  /** Part of the message could not be delivered (for example a mention the remote side cannot express). */
  | { readonly type: 'unsupported'; readonly feature: string; readonly details?: string }
  /** Delivered in another form (for example a voice message sent as a file). */
  | { readonly type: 'compatibility'; readonly feature: string; readonly details?: string }
  | { readonly type: 'other'; readonly message: string };

export interface SendMessageResultV1 {
  readonly messageId: MessageId;
  /** Milliseconds since the epoch, when the remote side reports it. */
  readonly timestamp?: number;
  readonly warnings: readonly ProviderWarningV1[];
}

export interface FetchHistoryParamsV1 {
  readonly chat: ChatRefV1;
  /** Opaque cursor from a previous result; absent for the newest page. */
  readonly cursor?: string;
  /** Only messages after this time (milliseconds since the epoch). */
  readonly since?: number;
  readonly limit?: number;
}

export interface FetchHistoryResultV1 {
  /** Oldest first. */
  readonly messages: readonly InboundMessageV1[];
  /** Present when older messages remain. */
  readonly nextCursor?: string;
}

/** The chat a message belongs to, as one string: handy as a map key. */
export function chatKey(chat: ChatRefV1): string {
  return chat.type === 'direct' ? `direct:${chat.contactId}` : `room:${chat.roomId}`;
}
