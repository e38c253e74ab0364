/** `partial` means: delivered, but degraded; the send result then carries at least one warning. */
export type SupportLevelV1 = 'full' | 'partial' | 'none';

/** Every kind of message content the contract can carry. `system` is inbound only. */
export const messageKindsV1 = [
  'text',
  'image',
  'file',
  'voice',
  'video',
  'sticker',
  'link',
  'location',
  'contact-card',
  'mini-program',
  'system',
] as const;
export type MessageKindV1 = (typeof messageKindsV1)[number];
/** The kinds a host can ask a provider to send: every kind but `system`. */
export type OutgoingMessageKindV1 = Exclude<MessageKindV1, 'system'>;
export const outgoingMessageKindsV1: readonly OutgoingMessageKindV1[] = messageKindsV1.filter(
  (kind): kind is OutgoingMessageKindV1 => kind !== 'system',
);

export interface ProviderCapabilitiesV1 {
  /** `interactive`: a QR scan or similar, through `session.login()`. `credentials`: `start()` validates the configured secrets. */
  readonly login: 'interactive' | 'credentials';
  /** Whether one process may run more than one account of this provider at once. */
  readonly multipleSessions: boolean;
  /** Per kind; a missing key means `none`. An unsupported kind makes `sendMessage` throw `WechatUnsupportedCapabilityError` with `capability: 'send.<kind>'`. */
  readonly send: Readonly<Partial<Record<OutgoingMessageKindV1, SupportLevelV1>>>;
  /** Per kind; a missing key means `none`. Kinds a provider cannot express arrive as `unsupported` content. */
  readonly receive: Readonly<Partial<Record<MessageKindV1, SupportLevelV1>>>;
  /**
   * Outgoing mentions (`OutgoingMessageV1.mentions`). At `none`, a send with mentions throws
   * `WechatUnsupportedCapabilityError` with `capability: 'mentions'` (or sends the text with an `unsupported`
   * warning). Inbound mentions are reported whenever known.
   */
  readonly mentions: SupportLevelV1;
  /** Outgoing replies/quotes (`OutgoingMessageV1.replyTo`); `capability: 'replies'` in errors, as for mentions. */
  readonly replies: SupportLevelV1;
  /** `recallMessage()`. */
  readonly recall: SupportLevelV1;
  readonly contacts: {
    /** `listContacts()`. */
    readonly list: SupportLevelV1;
    /** `setContactRemark()`. */
    readonly setRemark: SupportLevelV1;
  };
  readonly rooms: {
    /** `listRooms()`. */
    readonly list: SupportLevelV1;
    /** `createRoom()`. */
    readonly create: SupportLevelV1;
    /** `inviteToRoom()`. */
    readonly invite: SupportLevelV1;
    /** `removeFromRoom()`. */
    readonly remove: SupportLevelV1;
    /** `renameRoom()`. */
    readonly rename: SupportLevelV1;
    /** `setRoomTopic()` (WeChat's group announcement). */
    readonly setTopic: SupportLevelV1;
    /** `leaveRoom()`. */
    readonly leave: SupportLevelV1;
  };
  /** `acceptFriendRequest()`; `friend-request-received` events. */
  readonly friendRequests: SupportLevelV1;
  /** `fetchHistory()` for catch-up after downtime. */
  readonly history: SupportLevelV1;
  readonly limits?: {
    readonly maxTextLength?: number;
    /** Largest media upload in bytes; larger ones throw `WechatMediaTooLargeError`. */
    readonly maxFileBytes?: number;
  };
}

/** Per-room narrowing of the static capabilities (mautrix's RoomFeatures): a room may allow less, never more. */
export interface RoomCapabilitiesV1 {
  readonly send?: Readonly<Partial<Record<OutgoingMessageKindV1, SupportLevelV1>>>;
  readonly mentions?: SupportLevelV1;
  readonly replies?: SupportLevelV1;
  readonly recall?: SupportLevelV1;
  readonly maxTextLength?: number;
}

/** The support level of one kind; a missing key is `none`. */
export function supportLevelOf(
  levels: Readonly<Partial<Record<MessageKindV1, SupportLevelV1>>>,
  kind: MessageKindV1,
): SupportLevelV1 {
  return levels[kind] ?? 'none';
}
