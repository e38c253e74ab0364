// A complete minimal provider: an "echo" WeChat that answers every text with the same text.
// It is the example in this package's README and is compiled and tested with the package.
import {
  type ContactId,
  type ContactV1,
  contactId,
  defineProvider,
  messageId,
  type ProviderEventV1,
  type ProviderSessionV1,
  type SessionStateV1,
  WechatAuthenticationError,
  WechatNotFoundError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import * as v from 'valibot';

const echoConfigSchema = v.object({
  /** The name the echo account shows. */
  name: v.optional(v.pipe(v.string(), v.nonEmpty()), 'Echo'),
});

export const echoProvider = defineProvider({
  specificationVersion: 'v1',
  id: 'echo',
  displayName: 'Echo (example)',
  version: '1.0.0',
  configSchema: echoConfigSchema,
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
  createSession({ config, emit, logger }): ProviderSessionV1 {
    const self: ContactV1 = { id: contactId('echo-self'), name: config.name };
    const peer: ContactV1 = { id: contactId('echo-peer'), name: 'Peer' };
    let state: SessionStateV1 = 'stopped';
    let sequence = 0;
    const setState = (next: SessionStateV1) => {
      const previous = state;
      state = next;
      emit({ type: 'state-changed', state: next, previous });
    };
    const contacts = new Map<ContactId, ContactV1>([
      [self.id, self],
      [peer.id, peer],
    ]);
    return {
      specificationVersion: 'v1',
      providerId: 'echo',
      get state() {
        return state;
      },
      async start() {
        if (state === 'connected') return;
        setState('starting');
        setState('connected');
        logger.info({}, 'echo session connected');
      },
      async stop() {
        if (state !== 'stopped') setState('stopped');
      },
      async logout() {
        setState('logged-out');
      },
      async getSelf() {
        if (state !== 'connected') throw new WechatAuthenticationError({ code: 'AUTH_REQUIRED', message: 'not connected' });
        return self;
      },
      async getContact(id) {
        const contact = contacts.get(id);
        if (!contact) throw new WechatNotFoundError({ entity: 'contact', id, providerId: 'echo' });
        return contact;
      },
      async getRoom(id) {
        throw new WechatNotFoundError({ entity: 'room', id, providerId: 'echo' });
      },
      async listRoomMembers(id) {
        throw new WechatNotFoundError({ entity: 'room', id, providerId: 'echo' });
      },
      async sendMessage(message) {
        if (message.content.kind !== 'text') {
          throw new WechatUnsupportedCapabilityError({ capability: `send.${message.content.kind}`, providerId: 'echo' });
        }
        const id = messageId(`echo-${++sequence}`);
        const timestamp = Date.now();
        const echoed: ProviderEventV1[] = [
          // Own sends come back with isSelf: true, as every WeChat provider reports them.
          {
            type: 'message-received',
            message: { id, chat: message.to, senderId: self.id, isSelf: true, timestamp, content: message.content },
          },
          {
            type: 'message-received',
            message: {
              id: messageId(`echo-${++sequence}`),
              chat: message.to,
              senderId: peer.id,
              isSelf: false,
              timestamp,
              content: { kind: 'text', text: message.content.text },
            },
          },
        ];
        // Deliver after the send resolves, as a remote side would.
        queueMicrotask(() => {
          if (state === 'connected') for (const event of echoed) emit(event);
        });
        return { messageId: id, timestamp, warnings: [] };
      },
      async downloadMedia(media) {
        throw new WechatNotFoundError({ entity: 'media', id: media.ref, providerId: 'echo' });
      },
    };
  },
});

// Name-based loading (`loadProvider('your-package')`) reads this export.
export { echoProvider as provider };
