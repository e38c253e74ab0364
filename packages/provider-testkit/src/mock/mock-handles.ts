import {
  type ChatRefV1,
  type ContactId,
  type ContactV1,
  contactId,
  type InboundContentV1,
  type InboundMessageV1,
  messageId,
  type RoomCapabilitiesV1,
  type RoomMemberV1,
  type RoomV1,
  type roomId,
} from '@wechat/provider-api';
import type { MediaMessageKindV1 } from '../harness/conformance-harness.ts';
import type { MockWorldState } from './mock-world-state.ts';

/** Media a contact sends; the world stores the bytes so `downloadMedia` returns them. */
export interface MockInboundMedia {
  readonly kind: MediaMessageKindV1;
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName?: string;
  /** Voice and video; voice defaults to 1 000 ms. */
  readonly durationMs?: number;
}

/** Content without bytes, passed through as is. */
export type MockInboundCard = Extract<
  InboundContentV1,
  { readonly kind: 'link' | 'location' | 'contact-card' | 'mini-program' | 'system' | 'unsupported' }
>;

export interface MockSayOptions {
  /** Contact ids the text mentions (@name). */
  readonly mentions?: readonly string[];
  /** "@all" in a room. */
  readonly mentionsAll?: boolean;
  /** The id of the message this text quotes. */
  readonly replyTo?: string;
}

/** Someone sending in one chat. Every method resolves with the message as sessions receive it. */
export interface MockSpeaker {
  says(text: string, options?: MockSayOptions): Promise<InboundMessageV1>;
  sends(content: MockInboundMedia | MockInboundCard): Promise<InboundMessageV1>;
}

/** A contact in the mock world, acting on the remote side. */
export interface MockContactHandle extends MockSpeaker {
  readonly id: ContactId;
  /** The same contact speaking in a room it is a member of: `world.contact('bob').in('room-1').says('hi')`. */
  in(roomId: string): MockSpeaker;
  /** Recalls a message this contact sent; sessions get `message-recalled`. */
  recalls(messageId: string): Promise<void>;
  /** Sessions get `friend-request-received`; resolves with the request id to pass to `acceptFriendRequest`. */
  requestsFriendship(greeting?: string): Promise<string>;
  /** Sessions get `room-member-joined`. */
  joins(roomId: string, options?: { readonly invitedBy?: string }): Promise<void>;
  /** Sessions get `room-member-left`. */
  leaves(roomId: string): Promise<void>;
  /** Sessions get `contact-updated`. */
  /** A new name and/or profile picture; sessions get `contact-updated`. */
  updatesProfile(change: {
    readonly name?: string;
    readonly avatar?: { readonly data: Uint8Array; readonly mimeType: string };
  }): Promise<void>;
  /** The contact as `getContact` returns it now. */
  snapshot(): ContactV1;
}

/** The account itself acting from its phone: its messages reach sessions with `isSelf: true`. */
export interface MockSelfHandle {
  readonly id: ContactId;
  to(contactId: string): MockSpeaker;
  in(roomId: string): MockSpeaker;
  recalls(messageId: string): Promise<void>;
  snapshot(): ContactV1;
}

/** A room in the mock world. */
export interface MockRoomHandle {
  readonly id: ReturnType<typeof roomId>;
  /** The room as `getRoom` returns it now. */
  snapshot(): RoomV1;
  members(): RoomMemberV1[];
  has(contactId: string): boolean;
  /** Changes the name or topic on the remote side; sessions get `room-updated`. */
  update(change: { readonly name?: string; readonly topic?: string }): Promise<void>;
  /** Narrows what sessions may do in this room (`getRoomCapabilities`, and sends are refused or degraded). */
  restrictCapabilities(capabilities: RoomCapabilitiesV1): void;
}

function speaker(world: MockWorldState, senderId: ContactId, chat: ChatRefV1): MockSpeaker {
  return {
    says: async (text, options = {}) => {
      const mentions = options.mentions?.map(id => world.contact(id).id);
      return world.deliver({
        senderId,
        chat,
        content: { kind: 'text', text },
        ...(mentions === undefined && !options.mentionsAll
          ? {}
          : { mentions: { contactIds: mentions ?? [], ...(options.mentionsAll ? { all: true } : {}) } }),
        ...(options.replyTo === undefined ? {} : { replyTo: quote(world, options.replyTo) }),
      });
    },
    sends: async content => world.deliver({ senderId, chat, content: inboundContent(world, content) }),
  };
}

function quote(world: MockWorldState, id: string) {
  const quoted = world.messages.find(entry => entry.message.id === id)?.message;
  if (!quoted) throw new Error(`No message '${id}' to reply to`);
  return {
    messageId: quoted.id,
    senderId: quoted.senderId,
    ...(quoted.content.kind === 'text' ? { text: quoted.content.text } : {}),
  };
}

function inboundContent(world: MockWorldState, content: MockInboundMedia | MockInboundCard): InboundContentV1 {
  if (!('data' in content)) return content;
  const media = world.storeMedia({
    data: content.data,
    mimeType: content.mimeType,
    ...(content.fileName === undefined ? {} : { fileName: content.fileName }),
  });
  switch (content.kind) {
    case 'image':
      return { kind: 'image', media };
    case 'sticker':
      return { kind: 'sticker', media };
    case 'file':
      return { kind: 'file', media, fileName: content.fileName ?? 'file' };
    case 'voice':
      return { kind: 'voice', media, durationMs: content.durationMs ?? 1_000 };
    case 'video':
      return { kind: 'video', media, ...(content.durationMs === undefined ? {} : { durationMs: content.durationMs }) };
  }
}

export function contactHandle(world: MockWorldState, id: string): MockContactHandle {
  const contact = world.contact(id);
  if (contact.id === world.selfId) throw new Error(`'${id}' is the account itself: use world.self`);
  const direct = speaker(world, contact.id, { type: 'direct', contactId: contact.id });
  return {
    id: contact.id,
    ...direct,
    in: room => speaker(world, contact.id, { type: 'room', roomId: world.room(room).id }),
    recalls: async message => world.recall(messageId(message), contact.id),
    requestsFriendship: async greeting => world.requestFriendship(contact.id, greeting),
    joins: async (room, options = {}) =>
      world.join(
        world.room(room),
        [contact.id],
        options.invitedBy === undefined ? undefined : world.contact(options.invitedBy).id,
      ),
    leaves: async room => world.leave(world.room(room), [contact.id], undefined),
    updatesProfile: async change => world.updateContact(contact.id, change),
    snapshot: () => world.contactV1(contact),
  };
}

export function selfHandle(world: MockWorldState): MockSelfHandle {
  const id = world.selfId;
  return {
    id,
    to: contact => speaker(world, id, { type: 'direct', contactId: world.contact(contact).id }),
    in: room => speaker(world, id, { type: 'room', roomId: world.room(room).id }),
    recalls: async message => world.recall(messageId(message), id),
    snapshot: () => world.contactV1(world.contact(id)),
  };
}

export function roomHandle(world: MockWorldState, id: string): MockRoomHandle {
  const room = world.room(id);
  return {
    id: room.id,
    snapshot: () => world.roomV1(room),
    members: () => world.membersV1(room),
    has: contact => room.members.has(contactId(contact)),
    update: async change => world.updateRoom(room, change),
    restrictCapabilities: capabilities => {
      room.capabilities = capabilities;
    },
  };
}
