// Deliberately broken variants of the mock provider, for the kit's own tests: each must make exactly one suite
// fail, for the right reason. Not exported from index.ts.
import {
  messageId,
  type ProviderCapabilitiesV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type ProviderSessionV1,
  type ProviderV1,
  type SessionStorageV1,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { mockCapabilities } from '../mock/mock-capabilities.ts';
import type { MockConfig } from '../mock/mock-config.ts';
import type { MockWorld } from '../mock/mock-world.ts';

type Emit = ProviderSessionOptionsV1['emit'];

export interface Breakage {
  /** Capabilities the descriptor claims instead of the mock's own. */
  readonly capabilities?: ProviderCapabilitiesV1;
  /** Wraps the `emit` the session gets. */
  readonly emit?: (emit: Emit) => Emit;
  /** Wraps the storage the session gets. */
  readonly storage?: (storage: SessionStorageV1) => SessionStorageV1;
  /** Runs inside `createSession`, after the session was created. */
  readonly created?: (options: ProviderSessionOptionsV1<MockConfig>) => void;
  /** Replaces methods of the session; `inner` is the working mock session. */
  readonly session?: (inner: ProviderSessionV1, options: ProviderSessionOptionsV1<MockConfig>) => Partial<ProviderSessionV1>;
  /** Optional methods to leave out. */
  readonly omit?: readonly (keyof ProviderSessionV1)[];
}

/** A session that forwards to `inner`, minus `omit`, with `overrides` on top. */
export function delegateSession(
  inner: ProviderSessionV1,
  overrides: Partial<ProviderSessionV1> = {},
  omit: readonly (keyof ProviderSessionV1)[] = [],
): ProviderSessionV1 {
  const outer: Record<string, unknown> = { specificationVersion: inner.specificationVersion, providerId: inner.providerId };
  Object.defineProperty(outer, 'state', { enumerable: true, get: () => inner.state });
  for (const key of Object.keys(inner) as (keyof ProviderSessionV1)[]) {
    if (key === 'state' || key === 'specificationVersion' || key === 'providerId' || omit.includes(key)) continue;
    const value = inner[key];
    if (typeof value === 'function') outer[key] = value.bind(inner);
  }
  return Object.assign(outer, overrides) as unknown as ProviderSessionV1;
}

/** The world's mock provider with `breakage` applied to its descriptor and every session it creates. */
export function breakProvider(world: MockWorld, breakage: Breakage): ProviderV1<MockConfig> {
  const base = world.provider;
  return {
    ...base,
    capabilities: breakage.capabilities ?? base.capabilities,
    createSession: original => {
      const options = {
        ...original,
        emit: breakage.emit ? breakage.emit(original.emit) : original.emit,
        storage: breakage.storage ? breakage.storage(original.storage) : original.storage,
      };
      const inner = base.createSession(options);
      breakage.created?.(options);
      return delegateSession(inner, breakage.session?.(inner, options), breakage.omit);
    },
  };
}

export interface BrokenVariant {
  readonly name: string;
  readonly breakage: Breakage;
  /** The suite that must fail, and exactly which of its cases. */
  readonly suite: string;
  readonly failingCases: readonly string[];
  /** What the failure messages must say, so a case cannot pass this test by failing for another reason. */
  readonly message: RegExp;
  /** The breakage leaks unhandled rejections, which a test runner would also report. */
  readonly rejectsUnhandled?: boolean;
}

/** The breakages the kit must catch; the first ones are those the kit's design names. */
export const brokenVariants: readonly BrokenVariant[] = [
  {
    name: 'a capability flag without its method',
    breakage: { omit: ['fetchHistory'] },
    suite: 'contract',
    failingCases: ['optional methods match the capabilities'],
    message: /capabilities\.history promises fetchHistory\(\), but the session has no such method/,
  },
  {
    name: 'a method without its flag',
    breakage: { capabilities: mockCapabilities({ contacts: { setRemark: 'none' } }) },
    suite: 'contract',
    failingCases: ['optional methods match the capabilities'],
    message: /the session has setContactRemark\(\), but capabilities\.contacts\.setRemark is 'none'/,
  },
  {
    name: 'an event emitted after stop()',
    breakage: {
      session: (inner, { emit }) => ({
        stop: async () => {
          await inner.stop();
          // A forgotten timer: the classic late emit.
          setTimeout(() => emit({ type: 'heartbeat', at: 0 }), 5);
        },
      }),
    },
    suite: 'hygiene',
    failingCases: ['emits nothing after stop() resolves', 'emits nothing after stop() while a login is pending'],
    message: /after stop\(\) resolved.*heartbeat/,
  },
  {
    name: 'a silently dropped image',
    breakage: {
      session: inner => ({
        sendMessage: async message =>
          message.content.kind === 'image' ? { messageId: messageId('never-sent'), warnings: [] } : inner.sendMessage(message),
      }),
    },
    suite: 'messaging',
    failingCases: ['sends image'],
    message: /sendMessage\(image\) resolved with 'never-sent', but the remote side did not receive that image/,
  },
  {
    name: 'a kind declared unsupported but sent anyway',
    breakage: { capabilities: mockCapabilities({ send: { voice: 'none' } }) },
    suite: 'messaging',
    failingCases: ['sends voice'],
    message: /sendMessage\(voice\) with capabilities\.send\.voice 'none' resolved/,
  },
  {
    name: 'a partial kind without a warning',
    breakage: { capabilities: mockCapabilities({ send: { video: 'partial' } }) },
    suite: 'messaging',
    failingCases: ['sends video'],
    message: /capabilities\.send\.video is 'partial', but sendMessage\(video\) returned no warning/,
  },
  {
    name: 'a secret written to the log',
    breakage: {
      session: (inner, { logger, config }) => ({
        start: async () => {
          logger.debug({ config }, 'starting with config');
          await inner.start();
        },
      }),
    },
    suite: 'hygiene',
    failingCases: ['never logs a secret'],
    message: /the secret mo…01 \(19 characters\) appears in the debug entry "starting with config"/,
  },
  {
    name: 'a plain Error on a network failure',
    breakage: {
      session: inner => ({
        sendMessage: async message => {
          try {
            return await inner.sendMessage(message);
          } catch (error) {
            throw WechatProviderUnavailableError.isInstance(error) ? new Error(error.message) : error;
          }
        },
      }),
    },
    suite: 'errors',
    failingCases: ['a network failure rejects with a retryable WechatError', 'recovers after a network failure'],
    message:
      /A 'network' failure rejected with Error: sendMessage: the connection to the mock remote side was reset\., which is not a WechatError/,
  },
  {
    name: 'a session that cannot restart',
    breakage: {
      session: inner => {
        let starts = 0;
        return {
          // A second start() resolves but does nothing: the socket it needs was closed for good by stop().
          start: async () => {
            if (++starts === 1) await inner.start();
          },
        };
      },
    },
    suite: 'lifecycle',
    failingCases: ['follows the state graph', 'restarts three times'],
    message: /start\(\) resolved, but the session is still `stopped`/,
  },
  {
    name: 'a dropped inbound room message',
    breakage: {
      emit: emit => (event: ProviderEventV1) => {
        if (event.type === 'message-received' && !event.message.isSelf && event.message.chat.type === 'room') return;
        emit(event);
      },
    },
    suite: 'inbound',
    failingCases: ['receives a text in a room', 'reports mentions in a room', 'delivers each message exactly once'],
    message:
      /Timed out after \d+ ms waiting for the (text bob delivered in room:room-1|delivered mention|text "conformance once room #\d+")/,
  },
  {
    name: 'createSession emitting an event',
    breakage: { created: ({ emit }) => emit({ type: 'heartbeat', at: 0 }) },
    suite: 'contract',
    failingCases: ['createSession does no IO'],
    message: /Creating a session emitted events: heartbeat/,
  },
  {
    name: 'a state change naming the wrong previous state',
    breakage: {
      emit: emit => (event: ProviderEventV1) =>
        emit(event.type === 'state-changed' && event.state === 'connected' ? { ...event, previous: 'stopped' } : event),
    },
    suite: 'lifecycle',
    failingCases: ['follows the state graph'],
    message: /previous is 'stopped', but the state was 'connecting'.*not allowed by the state graph/,
  },
  {
    name: 'stop() reporting a change every time',
    breakage: {
      session: (inner, { emit }) => ({
        stop: async () => {
          await inner.stop();
          emit({ type: 'state-changed', state: 'stopped', previous: 'stopped' });
        },
      }),
    },
    suite: 'lifecycle',
    failingCases: ['follows the state graph', 'stop() is idempotent'],
    message: /reports a change to the state it already had|stop\(\) before start\(\) emitted events/,
  },
  {
    name: 'a login that is not persisted',
    breakage: { storage: storage => ({ ...storage, set: async () => {} }) },
    suite: 'lifecycle',
    failingCases: ['keeps the login for the next session'],
    message: /went to 'awaiting-login' instead of reconnecting with the persisted login/,
  },
  {
    name: 'an unsupported-capability error naming the wrong capability',
    breakage: {
      capabilities: mockCapabilities({ send: { voice: 'none' } }),
      session: inner => ({
        sendMessage: async message => {
          if (message.content.kind === 'voice') throw new WechatUnsupportedCapabilityError({ capability: 'voice' });
          return inner.sendMessage(message);
        },
      }),
    },
    suite: 'messaging',
    failingCases: ['sends voice'],
    message: /WechatUnsupportedCapabilityError\.capability is 'voice', expected 'send\.voice'/,
  },
  {
    name: 'an echo without isSelf',
    breakage: {
      emit: emit => (event: ProviderEventV1) =>
        emit(
          event.type === 'message-received' && event.message.isSelf
            ? { ...event, message: { ...event.message, isSelf: false } }
            : event,
        ),
    },
    suite: 'inbound',
    failingCases: ['echoes sent messages with isSelf: true'],
    message: /The echo of a sent message arrived with isSelf: false/,
  },
  {
    name: 'a download with the wrong bytes',
    breakage: {
      session: inner => ({
        downloadMedia: async (media, options) => {
          const download = await inner.downloadMedia(media, options);
          return { ...download, data: download.data.subarray(1) };
        },
      }),
    },
    suite: 'inbound',
    failingCases: [
      'receives image and downloads it',
      'receives file and downloads it',
      'receives voice and downloads it',
      'receives video and downloads it',
      'receives sticker and downloads it',
    ],
    message: /downloadMedia returned .*, not the \d+ delivered bytes/,
  },
  {
    name: 'an inbound message delivered twice',
    breakage: {
      emit: emit => (event: ProviderEventV1) => {
        emit(event);
        if (event.type === 'message-received' && !event.message.isSelf) emit(event);
      },
    },
    suite: 'inbound',
    failingCases: ['delivers each message exactly once'],
    message: /arrived 2 times/,
  },
  {
    name: 'rate limiting reported as a generic request error',
    breakage: {
      session: inner => ({
        sendMessage: async message => {
          try {
            return await inner.sendMessage(message);
          } catch (error) {
            if (!WechatRateLimitedError.isInstance(error)) throw error;
            throw new WechatRequestError({ operation: 'sendMessage', statusCode: 429, message: error.message });
          }
        },
      }),
    },
    suite: 'errors',
    failingCases: ['rate limiting rejects with WechatRateLimitedError'],
    message: /Rate limiting rejected with WechatRequestError \[REQUEST_FAILED\].*expected WechatRateLimitedError/,
  },
  {
    name: 'a server failure marked not retryable',
    breakage: {
      session: inner => ({
        sendMessage: async message => {
          try {
            return await inner.sendMessage(message);
          } catch (error) {
            if (!WechatRequestError.isInstance(error)) throw error;
            throw new WechatRequestError({ operation: 'sendMessage', message: error.message, retryable: false });
          }
        },
      }),
    },
    suite: 'errors',
    failingCases: ['a server failure rejects with a retryable WechatError'],
    message: /A 'server' failure rejected with WechatRequestError \[REQUEST_FAILED\] and retryable: false/,
  },
  {
    name: 'an authentication failure without a state change',
    breakage: {
      emit: emit => (event: ProviderEventV1) => {
        if (event.type === 'state-changed' && event.error !== undefined && event.state === 'logged-out') return;
        emit(event);
      },
    },
    suite: 'errors',
    failingCases: ['an authentication failure rejects with WechatAuthenticationError and changes the state'],
    message: /The session is 'logged-out' but emitted no state-changed to it/,
  },
  {
    name: 'a forgotten rejected promise',
    breakage: {
      session: inner => ({
        listRoomMembers: async roomId => {
          // Fire-and-forget work whose failure nobody handles.
          void Promise.reject(new Error('forgotten promise'));
          return inner.listRoomMembers(roomId);
        },
      }),
    },
    rejectsUnhandled: true,
    suite: 'hygiene',
    failingCases: ['never logs a secret', 'causes no unhandled rejections'],
    message: /Unhandled rejections?( during the case)?: Error: forgotten promise/,
  },
];
