import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { echoProvider } from '../examples/echo-provider.ts';
import {
  type ContactId,
  contactId,
  defineProvider,
  type InboundContentV1,
  type MessageId,
  type ProviderConfigOf,
  type ProviderEventOfTypeV1,
  type ProviderEventV1,
  type ProviderSessionV1,
  type ProviderV1,
  WechatError,
  WechatRateLimitedError,
} from './index.ts';

const capabilities = echoProvider.capabilities;

describe('public types', () => {
  it('infers the session config type from the schema', () => {
    defineProvider({
      specificationVersion: 'v1',
      id: 'typed',
      displayName: 'Typed',
      version: '1.0.0',
      configSchema: v.object({ token: v.string(), port: v.optional(v.number(), 80) }),
      capabilities,
      createSession(options) {
        expectTypeOf(options.config).toEqualTypeOf<{ token: string; port: number }>();
        return echoProvider.createSession({ ...options, config: { name: 'x' } });
      },
    });
    expectTypeOf<ProviderConfigOf<typeof echoProvider>>().toEqualTypeOf<{ name: string }>();
  });

  it('rejects a provider without its specification version', () => {
    defineProvider({
      // @ts-expect-error: the spec version is required and must be 'v1'
      specificationVersion: 'v2',
      id: 'x',
      displayName: 'X',
      version: '1.0.0',
      configSchema: v.object({}),
      capabilities,
      createSession: () => ({}) as ProviderSessionV1,
    });
    // @ts-expect-error: a provider literal without specificationVersion is not a ProviderV1
    const missing: ProviderV1 = {
      id: 'x',
      displayName: 'X',
      version: '1',
      configSchema: v.object({}),
      capabilities,
      createSession: () => ({}) as ProviderSessionV1,
    };
    void missing;
  });

  it('keeps ids opaque: a plain string is not a ContactId, and ids do not mix', () => {
    // @ts-expect-error: plain strings must be branded by the provider
    const fromString: ContactId = 'wxid_abc';
    const minted = contactId('wxid_abc');
    // @ts-expect-error: a contact id is not a message id
    const wrongKind: MessageId = minted;
    expectTypeOf(minted).toExtend<string>();
    void fromString;
    void wrongKind;
  });

  it('narrows events and contents by their discriminant', () => {
    expectTypeOf<ProviderEventOfTypeV1<'heartbeat'>>().toEqualTypeOf<{ readonly type: 'heartbeat'; readonly at: number }>();
    const handle = (event: ProviderEventV1) => {
      if (event.type === 'message-received' && event.message.content.kind === 'voice') {
        expectTypeOf(event.message.content.durationMs).toEqualTypeOf<number>();
      }
    };
    void handle;
    expectTypeOf<Extract<InboundContentV1, { kind: 'file' }>['fileName']>().toEqualTypeOf<string>();
  });

  it('types the isInstance guards', () => {
    const check = (error: unknown) => {
      if (WechatRateLimitedError.isInstance(error)) expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
      if (WechatError.isInstance(error)) expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
    };
    void check;
  });

  it('makes optional methods optional and required ones required', () => {
    expectTypeOf<ProviderSessionV1['recallMessage']>().toEqualTypeOf<
      ((target: Parameters<NonNullable<ProviderSessionV1['recallMessage']>>[0]) => Promise<void>) | undefined
    >();
    expectTypeOf<ProviderSessionV1['sendMessage']>().not.toBeUndefined();
  });
});
