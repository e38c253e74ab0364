import { contactId, type Logger, type ProviderEventV1, roomId } from '@wechat/provider-api';
import {
  type GeweAddMsgData,
  type GeweCallback,
  interpretAddMsg,
  interpretModContacts,
  parseGeweCallback,
} from '../inbound/index.ts';

export interface InboundDispatcherOptions {
  readonly logger: Logger;
  readonly emit: (event: ProviderEventV1) => void;
  /** The device this session owns; callbacks for another appId are someone else's. */
  readonly appId: () => string | undefined;
  readonly selfWxid: () => string | undefined;
  /** The service reports the device offline. */
  readonly onOffline: () => void;
  /** Every callback proves the service is alive. */
  readonly onAlive: () => void;
  /** Own messages (sent here or from the phone), so they can be recalled later. */
  readonly onSelfMessage?: (data: GeweAddMsgData) => void;
  /** How many `Appid+NewMsgId` keys to remember; the bridge's inbox de-duplicates persistently behind this. */
  readonly dedupeCapacity?: number;
}

/**
 * Turns callback bodies into contract events. GeWeChat re-delivers old messages, sometimes hours later
 * (trap 11): a bounded in-memory set drops the common repeats cheaply, and the host's persistent inbox
 * (keyed by message id = NewMsgId) catches the rest.
 */
export class InboundDispatcher {
  readonly #options: InboundDispatcherOptions;
  readonly #seen = new Set<string>();

  constructor(options: InboundDispatcherOptions) {
    this.#options = options;
  }

  handle(body: string): void {
    let callback: GeweCallback;
    try {
      callback = parseGeweCallback(body);
    } catch (error) {
      this.#options.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'gewechat callback: unreadable body ignored',
      );
      return;
    }
    if (callback.type === 'test') {
      this.#options.logger.debug({}, 'gewechat callback: the service confirmed the callback URL');
      return;
    }
    if (callback.type === 'unknown') {
      this.#options.logger.info({ typeName: callback.typeName }, 'gewechat callback: unknown callback type ignored');
      return;
    }
    const appId = this.#options.appId();
    if (appId !== undefined && callback.appId !== '' && callback.appId !== appId) {
      this.#options.logger.warn({ appId: callback.appId }, 'gewechat callback: a callback for another device was ignored');
      return;
    }
    this.#options.onAlive();
    switch (callback.type) {
      case 'offline':
        this.#options.onOffline();
        return;
      case 'add-msg':
        this.#addMsg(callback.appId, callback.wxid, callback.data);
        return;
      case 'mod-contacts': {
        const change = interpretModContacts(callback.data);
        this.#options.emit(
          change.type === 'contact-updated'
            ? { type: 'contact-updated', contactId: change.contactId }
            : { type: 'room-updated', roomId: change.roomId },
        );
        return;
      }
      case 'del-contacts':
        if (callback.userName.endsWith('@chatroom'))
          this.#options.emit({ type: 'room-updated', roomId: roomId(callback.userName) });
        else this.#options.emit({ type: 'contact-updated', contactId: contactId(callback.userName) });
        return;
    }
  }

  #addMsg(appId: string, wxid: string, data: GeweAddMsgData): void {
    const key = `${appId}:${data.newMsgId}`;
    if (this.#seen.has(key)) {
      this.#options.logger.debug({ newMsgId: data.newMsgId }, 'gewechat callback: duplicate dropped');
      return;
    }
    this.#remember(key);
    const selfWxid = this.#options.selfWxid() ?? wxid;
    const interpreted = interpretAddMsg(data, { selfWxid });
    switch (interpreted.type) {
      case 'message':
        if (interpreted.message.isSelf) this.#options.onSelfMessage?.(data);
        this.#options.emit({ type: 'message-received', message: interpreted.message });
        return;
      case 'recall':
        this.#options.emit({
          type: 'message-recalled',
          target: interpreted.target,
          actorId: interpreted.actorId,
          timestamp: interpreted.timestamp,
        });
        return;
      case 'friend-request':
        this.#options.emit({
          type: 'friend-request-received',
          requestId: interpreted.requestId,
          contactId: interpreted.contactId,
          ...(interpreted.name === undefined ? {} : { name: interpreted.name }),
          ...(interpreted.greeting === undefined ? {} : { greeting: interpreted.greeting }),
        });
        return;
      case 'room-members-joined':
        this.#options.emit({
          type: 'room-member-joined',
          roomId: interpreted.roomId,
          contactIds: interpreted.contactIds,
          ...(interpreted.inviterId === undefined ? {} : { inviterId: interpreted.inviterId }),
        });
        return;
      case 'room-members-left':
        this.#options.emit({
          type: 'room-member-left',
          roomId: interpreted.roomId,
          contactIds: interpreted.contactIds,
          ...(interpreted.removerId === undefined ? {} : { removerId: interpreted.removerId }),
        });
        return;
      case 'room-updated':
        this.#options.emit({ type: 'room-updated', roomId: interpreted.roomId });
        return;
      case 'ignore':
        this.#options.logger.debug({ reason: interpreted.reason, msgType: data.msgType }, 'gewechat callback: message ignored');
        return;
    }
  }

  #remember(key: string): void {
    this.#seen.add(key);
    const capacity = this.#options.dedupeCapacity ?? 10_000;
    if (this.#seen.size > capacity) {
      // Sets iterate in insertion order: the first key is the oldest.
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
