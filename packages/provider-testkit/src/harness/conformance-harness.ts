import type {
  ChatRefV1,
  ContactCardV1,
  ContactId,
  LinkCardV1,
  LocationV1,
  MessageId,
  MiniProgramV1,
  ProviderV1,
  RoomId,
} from '@wechat/provider-api';

/** The ways `failNext` can make the next remote operation fail. */
export const harnessFailuresV1 = ['network', 'auth', 'rate-limit', 'server'] as const;
export type HarnessFailureV1 = (typeof harnessFailuresV1)[number];

/** Message kinds that carry bytes, in both directions. */
export const mediaMessageKindsV1 = ['image', 'file', 'voice', 'video', 'sticker'] as const;
export type MediaMessageKindV1 = (typeof mediaMessageKindsV1)[number];

/** Who makes the remote side deliver something: a contact, in the direct chat with the account or in a room. */
export interface SimulatedOriginV1 {
  readonly from: ContactId;
  /** Deliver into this room; absent means the direct chat between `from` and the account. */
  readonly room?: RoomId;
}

/** Something the simulated remote side delivers to the session. Ids are the ones the provider reports. */
export type SimulatedInboundV1 =
  | (SimulatedOriginV1 & {
      readonly kind: 'text';
      readonly text: string;
      /** Contacts the text mentions (@name); only meaningful in a room. */
      readonly mentions?: readonly ContactId[];
    })
  | (SimulatedOriginV1 & {
      readonly kind: MediaMessageKindV1;
      readonly data: Uint8Array;
      readonly mimeType: string;
      readonly fileName: string;
      /** Voice and video length; harnesses pick a default when absent. */
      readonly durationMs?: number;
    })
  | (SimulatedOriginV1 & {
      readonly kind: 'recall';
      /** The id the session reported (in `message-received`) for a message delivered earlier by `from`. */
      readonly messageId: MessageId;
    });

export type SimulatedInboundKindV1 = SimulatedInboundV1['kind'];

/** What every recorded send has, whatever its content. */
export interface RecordedOutboundBaseV1 {
  /** Where the remote side received it, in the provider's ids. */
  readonly chat: ChatRefV1;
  /** The id the remote side gave the message, in the provider's terms, when the harness knows it. */
  readonly messageId?: MessageId;
  /** Contacts the message mentions, as the remote side received them. */
  readonly mentions?: readonly ContactId[];
  readonly mentionsAll?: boolean;
  /** The message this one quotes or replies to, in the provider's ids. */
  readonly replyTo?: MessageId;
}

/** What a recorded send carried. */
export type RecordedOutboundContentV1 =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: MediaMessageKindV1;
      readonly data: Uint8Array;
      /** When the remote side learns it (many WeChat transports only carry a file name). */
      readonly mimeType?: string;
      readonly fileName?: string;
    }
  | { readonly kind: 'link'; readonly link: LinkCardV1 }
  | { readonly kind: 'location'; readonly location: LocationV1 }
  | { readonly kind: 'contact-card'; readonly card: ContactCardV1 }
  | { readonly kind: 'mini-program'; readonly miniProgram: MiniProgramV1 };

/** One message the session sent, as the remote side saw it. */
export type RecordedOutboundV1 = RecordedOutboundBaseV1 & RecordedOutboundContentV1;

/** Features a harness may be unable to simulate, each with the reason (printed when the kit skips a case). */
export type HarnessLimitationsV1 = Readonly<Partial<Record<SimulatedInboundKindV1 | 'mentions', string>>>;

/**
 * The simulated remote side of one provider: what the kit uses to act as "the other side of WeChat".
 * A provider's tests implement it over their simulator (a fake HTTP API, replayed frames, …); the kit creates
 * a fresh harness for every case and disposes of it afterwards.
 */
export interface ConformanceHarnessV1 {
  /** A valid config for the provider under test that points at this harness's simulated remote side. */
  readonly config: unknown;
  /** The provider instance to use (e.g. a mock bound to this harness's world). Default: `options.provider`. */
  readonly provider?: ProviderV1;
  /** Ids in the simulated world the kit may use: a contact, a room, a member of that room, and the account itself. */
  readonly fixtures: {
    readonly contactId: ContactId;
    readonly roomId: RoomId;
    /** A member of `roomId` other than the account. */
    readonly roomMemberId: ContactId;
    /** The account's own id; when absent the kit uses `session.getSelf()`. */
    readonly selfId?: ContactId;
  };
  /** Inbound features `deliver` cannot simulate, with the reason. Cases that need them are skipped, not failed. */
  readonly cannotSimulate?: HarnessLimitationsV1;
  /** Make the remote side deliver something to the session. Resolves once the remote side has sent it. */
  deliver(inbound: SimulatedInboundV1): Promise<void>;
  /** What the session sent to the remote side since the last reset, oldest first. */
  sent(): Promise<readonly RecordedOutboundV1[]>;
  /** The next remote operation (a send, a download, a lookup) fails in this way. */
  failNext(failure: HarnessFailureV1): void | Promise<void>;
  /** Simulates the QR scan and the confirmation on the phone. Required for interactive providers. */
  completeLogin?(): Promise<void>;
  /** Forgets what was sent and any pending `failNext`. */
  reset(): Promise<void>;
  /** Releases everything the harness holds (servers, sockets, temp files). */
  dispose(): Promise<void>;
}
