// A small provider for a hypothetical "text gateway": a service that relays WeChat text messages. It talks to
// the gateway through an injected client, so its tests can put a simulator in the gateway's place.
import {
  type ChatRefV1,
  type ContactV1,
  contactId,
  defineProvider,
  messageId,
  type OutgoingMessageV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type ProviderSessionV1,
  type RoomMemberV1,
  type RoomV1,
  roomId,
  type SendMessageResultV1,
  type SessionStateV1,
  WechatAuthenticationError,
  type WechatError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import * as v from 'valibot';

export interface GatewayAccount {
  readonly id: string;
  readonly name: string;
}

/** Chats are named by the contact's id, or by the room's id (`…@chatroom`), as WeChat does. */
export interface GatewayMessage {
  readonly id: string;
  readonly chat: string;
  readonly from: string;
  readonly text: string;
  readonly timestamp: number;
}

/** A failed gateway call; `status` is the HTTP status, absent when no answer came. */
export class GatewayError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** The gateway's API as the provider uses it. The real client speaks HTTP; tests pass a simulator. */
export interface TextGatewayClient {
  login(token: string): Promise<GatewayAccount>;
  send(chat: string, text: string): Promise<{ readonly id: string; readonly timestamp: number }>;
  contact(id: string): Promise<GatewayAccount>;
  room(id: string): Promise<{ readonly id: string; readonly name: string; readonly memberIds: readonly string[] }>;
  /** Pushes inbound messages to `listener`; returns the function that stops it. */
  subscribe(listener: (message: GatewayMessage) => void): () => void;
  close(): void;
}

export const textGatewayConfigSchema = v.object({
  url: v.pipe(v.string(), v.url()),
  token: v.pipe(v.string(), v.nonEmpty()),
});
type TextGatewayConfig = v.InferOutput<typeof textGatewayConfigSchema>;
type Connect = (url: string) => TextGatewayClient;

const providerId = 'text-gateway';
const retryDelayMs = 1_000;

const toChat = (id: string): ChatRefV1 =>
  id.endsWith('@chatroom') ? { type: 'room', roomId: roomId(id) } : { type: 'direct', contactId: contactId(id) };
const fromChat = (chat: ChatRefV1) => (chat.type === 'room' ? chat.roomId : chat.contactId);

/** Gateway failures as the contract's typed errors. */
function typedError(operation: string, error: unknown): WechatError {
  const status = error instanceof GatewayError ? error.status : undefined;
  const message = `${operation}: ${error instanceof Error ? error.message : String(error)}`;
  if (status === undefined) return new WechatProviderUnavailableError({ message, providerId, cause: error });
  if (status === 401) return new WechatAuthenticationError({ code: 'CREDENTIALS_INVALID', message, providerId });
  if (status === 404) return new WechatNotFoundError({ entity: 'contact', id: operation, providerId });
  if (status === 429) return new WechatRateLimitedError({ message, providerId });
  return new WechatRequestError({ operation, statusCode: status, message, providerId });
}

class TextGatewaySession implements ProviderSessionV1 {
  readonly specificationVersion = 'v1';
  readonly providerId = providerId;
  readonly #options: ProviderSessionOptionsV1<TextGatewayConfig>;
  readonly #connect: Connect;
  #state: SessionStateV1 = 'stopped';
  #client: TextGatewayClient | undefined;
  #self: ContactV1 | undefined;
  #unsubscribe: (() => void) | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by start and stop, so a login that resolves after stop() is dropped. */
  #run = 0;

  constructor(options: ProviderSessionOptionsV1<TextGatewayConfig>, connect: Connect) {
    this.#options = options;
    this.#connect = connect;
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  async start(): Promise<void> {
    if (this.#state !== 'stopped' && this.#state !== 'bad-credentials' && this.#state !== 'logged-out') return;
    this.#transition('starting');
    await this.#login(++this.#run);
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#run++;
    this.#disconnect();
    this.#transition('stopped');
  }

  async logout(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'logged-out') return;
    this.#run++;
    this.#disconnect();
    this.#transition('logged-out');
  }

  async getSelf(): Promise<ContactV1> {
    this.#requireClient();
    return this.#self as ContactV1;
  }

  async getContact(id: string): Promise<ContactV1> {
    const account = await this.#call('getContact', client => client.contact(id));
    return { id: contactId(account.id), name: account.name };
  }

  async getRoom(id: string): Promise<RoomV1> {
    const room = await this.#call('getRoom', client => client.room(id));
    return { id: roomId(room.id), name: room.name, memberCount: room.memberIds.length };
  }

  async listRoomMembers(id: string): Promise<readonly RoomMemberV1[]> {
    const room = await this.#call('listRoomMembers', client => client.room(id));
    return Promise.all(room.memberIds.map(async member => ({ ...(await this.getContact(member)), role: 'member' as const })));
  }

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    const { content } = message;
    if (content.kind !== 'text') throw new WechatUnsupportedCapabilityError({ capability: `send.${content.kind}`, providerId });
    if (message.mentions) throw new WechatUnsupportedCapabilityError({ capability: 'mentions', providerId });
    const sent = await this.#call('sendMessage', client => client.send(fromChat(message.to), content.text));
    const id = messageId(sent.id);
    const self = this.#self as ContactV1;
    // WeChat reports the account's own messages back; the gateway does not, so the provider does.
    queueMicrotask(() =>
      this.#emit({
        type: 'message-received',
        message: { id, chat: message.to, senderId: self.id, isSelf: true, timestamp: sent.timestamp, content },
      }),
    );
    return {
      messageId: id,
      timestamp: sent.timestamp,
      warnings: message.replyTo ? [{ type: 'unsupported', feature: 'replies', details: 'sent without the quote' }] : [],
    };
  }

  async downloadMedia(media: { readonly ref: string }): Promise<never> {
    throw new WechatNotFoundError({ entity: 'media', id: media.ref, providerId });
  }

  async #login(run: number): Promise<void> {
    const client = this.#connect(this.#options.config.url);
    try {
      const account = await client.login(this.#options.config.token);
      if (run !== this.#run) return client.close();
      this.#client = client;
      this.#self = { id: contactId(account.id), name: account.name };
      this.#unsubscribe = client.subscribe(message => this.#receive(message));
      this.#transition('connected');
      this.#options.logger.info({ account: account.id }, 'text gateway connected');
    } catch (error) {
      client.close();
      if (run !== this.#run) return;
      const typed = typedError('login', error);
      if (WechatAuthenticationError.isInstance(typed)) return this.#transition('bad-credentials', typed);
      // A connection problem: report it and keep trying, as the contract asks.
      this.#transition('transient-disconnect', typed);
      this.#retry = setTimeout(() => void this.#login(run), retryDelayMs);
    }
  }

  #receive(message: GatewayMessage): void {
    const self = this.#self as ContactV1;
    this.#emit({
      type: 'message-received',
      message: {
        id: messageId(message.id),
        chat: toChat(message.chat),
        senderId: contactId(message.from),
        isSelf: message.from === self.id,
        timestamp: message.timestamp,
        content: { kind: 'text', text: message.text },
      },
    });
  }

  async #call<T>(operation: string, call: (client: TextGatewayClient) => Promise<T>): Promise<T> {
    const client = this.#requireClient();
    try {
      return await call(client);
    } catch (error) {
      const typed = typedError(operation, error);
      if (WechatAuthenticationError.isInstance(typed)) {
        this.#run++;
        this.#disconnect();
        this.#transition('bad-credentials', typed);
      }
      throw typed;
    }
  }

  #requireClient(): TextGatewayClient {
    if (this.#state !== 'connected' || !this.#client) {
      throw new WechatAuthenticationError({ code: 'AUTH_REQUIRED', message: `The session is '${this.#state}'.`, providerId });
    }
    return this.#client;
  }

  #disconnect(): void {
    clearTimeout(this.#retry);
    this.#unsubscribe?.();
    this.#client?.close();
    this.#client = undefined;
    this.#unsubscribe = undefined;
  }

  #transition(state: SessionStateV1, error?: WechatError): void {
    const previous = this.#state;
    this.#state = state;
    this.#options.emit({ type: 'state-changed', state, previous, ...(error ? { error } : {}) });
  }

  #emit(event: ProviderEventV1): void {
    if (this.#state !== 'stopped') this.#options.emit(event);
  }
}

/** The provider, over a way to reach the gateway: the HTTP client in production, a simulator in tests. */
export function createTextGatewayProvider(connect: Connect) {
  return defineProvider({
    specificationVersion: 'v1',
    id: providerId,
    displayName: 'Text gateway (example)',
    version: '1.0.0',
    configSchema: textGatewayConfigSchema,
    capabilities: {
      login: 'credentials',
      multipleSessions: true,
      send: { text: 'full' },
      receive: { text: 'full' },
      mentions: 'none',
      replies: 'none',
      recall: 'none',
      contacts: { list: 'none', setRemark: 'none' },
      rooms: { list: 'none', create: 'none', invite: 'none', remove: 'none', rename: 'none', setTopic: 'none', leave: 'none' },
      friendRequests: 'none',
      history: 'none',
    },
    createSession: options => new TextGatewaySession(options, connect),
  });
}
