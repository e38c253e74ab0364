import {
  type CompleteSessionV1,
  type ContactId,
  type ContactV1,
  exposeSessionV1,
  type FetchHistoryParamsV1,
  type FetchHistoryResultV1,
  type HealthReportV1,
  type LoginProcessV1,
  type MediaDownloadV1,
  type MediaRefV1,
  type MessageRefV1,
  type OptionalSessionMethodV1,
  type OutgoingMessageV1,
  type ProviderCapabilitiesV1,
  type ProviderSessionV1,
  type RoomCapabilitiesV1,
  type RoomId,
  type RoomMemberV1,
  type RoomV1,
  type SendMessageResultV1,
  type SessionStateV1,
  WechatError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import type { FailoverGroup } from './failover-group.ts';
import type { FailoverMemberSnapshot, FailoverSessionV1 } from './failover-types.ts';

/**
 * The contract's methods in front of a `FailoverGroup`. Every call goes to the member serving the account now;
 * nothing is queued or retried here (a host's outbox retries retryable errors, and the retry reaches whichever
 * member serves by then, so a send is never made twice by the group).
 */
export class FailoverSession implements CompleteSessionV1 {
  readonly #group: FailoverGroup;

  constructor(group: FailoverGroup) {
    this.#group = group;
  }

  get state(): SessionStateV1 {
    return this.#group.state;
  }

  get activeProviderId(): string | undefined {
    return this.#group.activeProviderId;
  }

  members(): readonly FailoverMemberSnapshot[] {
    return this.#group.members();
  }

  forceProvider(providerId: string): void {
    this.#group.forceProvider(providerId);
  }

  start(): Promise<void> {
    return this.#group.start();
  }

  stop(): Promise<void> {
    return this.#group.stop();
  }

  logout(): Promise<void> {
    return this.#group.logout();
  }

  login(): Promise<LoginProcessV1> {
    return this.#group.login();
  }

  async getSelf(): Promise<ContactV1> {
    return this.#group.serving().session.getSelf();
  }

  async getContact(contactId: ContactId): Promise<ContactV1> {
    return this.#group.serving().session.getContact(contactId);
  }

  async getRoom(roomId: RoomId): Promise<RoomV1> {
    return this.#group.serving().session.getRoom(roomId);
  }

  async listRoomMembers(roomId: RoomId): Promise<readonly RoomMemberV1[]> {
    return this.#group.serving().session.listRoomMembers(roomId);
  }

  async sendMessage(message: OutgoingMessageV1): Promise<SendMessageResultV1> {
    return this.#group.serving().session.sendMessage(message);
  }

  /** Media refs are the minting member's: after a switch, the new member may fail to download an older ref. */
  async downloadMedia(media: MediaRefV1, options?: { readonly signal?: AbortSignal }): Promise<MediaDownloadV1> {
    return this.#group.serving().session.downloadMedia(media, options);
  }

  async recallMessage(target: MessageRefV1): Promise<void> {
    return this.#optional('recallMessage', 'recall')(target);
  }

  async listContacts(): Promise<readonly ContactV1[]> {
    return this.#optional('listContacts', 'contacts.list')();
  }

  async setContactRemark(contactId: ContactId, remark: string): Promise<void> {
    return this.#optional('setContactRemark', 'contacts.setRemark')(contactId, remark);
  }

  async listRooms(): Promise<readonly RoomV1[]> {
    return this.#optional('listRooms', 'rooms.list')();
  }

  async createRoom(params: { readonly name: string; readonly contactIds: readonly ContactId[] }): Promise<RoomId> {
    return this.#optional('createRoom', 'rooms.create')(params);
  }

  async inviteToRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    return this.#optional('inviteToRoom', 'rooms.invite')(roomId, contactIds);
  }

  async removeFromRoom(roomId: RoomId, contactIds: readonly ContactId[]): Promise<void> {
    return this.#optional('removeFromRoom', 'rooms.remove')(roomId, contactIds);
  }

  async renameRoom(roomId: RoomId, name: string): Promise<void> {
    return this.#optional('renameRoom', 'rooms.rename')(roomId, name);
  }

  async setRoomTopic(roomId: RoomId, topic: string): Promise<void> {
    return this.#optional('setRoomTopic', 'rooms.setTopic')(roomId, topic);
  }

  async leaveRoom(roomId: RoomId): Promise<void> {
    return this.#optional('leaveRoom', 'rooms.leave')(roomId);
  }

  async acceptFriendRequest(requestId: string): Promise<void> {
    return this.#optional('acceptFriendRequest', 'friendRequests')(requestId);
  }

  async fetchHistory(params: FetchHistoryParamsV1): Promise<FetchHistoryResultV1> {
    return this.#optional('fetchHistory', 'history')(params);
  }

  /** The serving member's narrowing, or its static capabilities when it has no per-room narrowing. */
  async getRoomCapabilities(roomId: RoomId): Promise<RoomCapabilitiesV1> {
    const member = this.#group.serving();
    if (member.session.getRoomCapabilities) return member.session.getRoomCapabilities(roomId);
    const { send, mentions, replies, recall, limits } = member.capabilities;
    return {
      send,
      mentions,
      replies,
      recall,
      ...(limits?.maxTextLength === undefined ? {} : { maxTextLength: limits.maxTextLength }),
    };
  }

  /** The serving member's health as the host sees it; the group's own checks are separate and not affected. */
  async checkHealth(): Promise<HealthReportV1> {
    const id = this.#group.activeProviderId;
    if (id === undefined) {
      return { healthy: false, details: `No provider of the failover group serves the account (the group is '${this.state}').` };
    }
    let member: ReturnType<FailoverGroup['serving']>;
    try {
      member = this.#group.serving();
    } catch (error) {
      return { healthy: false, details: `'${id}' cannot serve now.`, ...errorField(error) };
    }
    if (member.state !== 'connected') {
      return { healthy: false, details: `'${id}' is '${member.state}'.`, ...errorField(member.lastError) };
    }
    if (!member.session.checkHealth) return { healthy: true, details: `Served by '${id}'.` };
    const report = await member.session.checkHealth();
    return { ...report, details: `Served by '${id}'${report.details ? `: ${report.details}` : '.'}` };
  }

  /** The serving member's optional method; a member without it refuses with its own typed error. */
  #optional<METHOD extends OptionalSessionMethodV1>(method: METHOD, capability: string): NonNullable<ProviderSessionV1[METHOD]> {
    const member = this.#group.serving();
    const implementation = member.session[method];
    if (typeof implementation !== 'function') {
      throw new WechatUnsupportedCapabilityError({ capability, providerId: member.providerId });
    }
    return (implementation as (...args: never[]) => unknown).bind(member.session) as NonNullable<ProviderSessionV1[METHOD]>;
  }
}

function errorField(error: unknown): { readonly error?: WechatError } {
  return WechatError.isInstance(error) ? { error } : {};
}

/**
 * The session as hosts see it: the contract's methods, exactly the optional ones the group's capabilities promise,
 * and the group's own `activeProviderId`, `members()` and `forceProvider()`.
 */
export function exposeFailoverSession(
  session: FailoverSession,
  { providerId, capabilities }: { readonly providerId: string; readonly capabilities: ProviderCapabilitiesV1 },
): FailoverSessionV1 {
  const exposed = exposeSessionV1(session, { providerId, capabilities }) as ProviderSessionV1 & Record<string, unknown>;
  Object.defineProperty(exposed, 'activeProviderId', { enumerable: true, get: () => session.activeProviderId });
  exposed.members = () => session.members();
  exposed.forceProvider = (id: string) => session.forceProvider(id);
  return exposed as unknown as FailoverSessionV1;
}
