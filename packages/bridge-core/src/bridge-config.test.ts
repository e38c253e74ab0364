import { parseConfig } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { bridgeConfigSchema } from './bridge-config.ts';

const parseBridge = (input: unknown) => parseConfig(bridgeConfigSchema, input, { path: 'bridge' });

describe('bridgeConfigSchema', () => {
  it('applies the reference defaults', () => {
    expect(parseBridge({})).toEqual({
      username_template: 'wechat_{{.}}',
      displayname_template: '{{.Nickname}} (WeChat)',
      permissions: { '*': 'relay' },
      message_handling: { max_message_age: 300, delivery_receipts: true },
      encryption: { allow: true, default: false },
      rate_limit: { messages_per_minute: 30 },
      media: { max_file_size: 104_857_600, voice_converter: 'silk2ogg' },
    });
  });

  it('fills defaults inside a partly written section', () => {
    expect(parseBridge({ message_handling: { delivery_receipts: false } }).message_handling).toEqual({
      max_message_age: 300,
      delivery_receipts: false,
    });
  });

  it('gives every parse its own default permissions object', () => {
    const first = parseBridge({});
    first.permissions['@admin:example.org'] = 'admin';
    expect(parseBridge({}).permissions).toEqual({ '*': 'relay' });
  });

  it('accepts "*", domains and user IDs as permission keys', () => {
    const permissions = { '*': 'relay', 'example.org': 'user', '@admin:example.org': 'admin' } as const;
    expect(parseBridge({ permissions }).permissions).toEqual(permissions);
  });

  it.each([
    [{ username_template: 'wechat_' }, 'bridge.username_template: must contain {{.}} exactly once'],
    [{ username_template: '{{.}}_{{.}}' }, 'bridge.username_template: must contain {{.}} exactly once'],
    [{ username_template: 'WeChat_{{.}}' }, 'bridge.username_template: may contain only a-z, 0-9'],
    [{ username_template: '{{.}}' }, 'bridge.username_template: needs a prefix or suffix around {{.}}'],
    [{ displayname_template: '' }, 'bridge.displayname_template: Invalid length'],
    [{ permissions: { '*': 'owner' } }, 'bridge.permissions.*: Invalid type: Expected ("relay" | "user" | "admin")'],
    [{ permissions: { 'https://example.org': 'user' } }, 'bridge.permissions.https://example.org: permission keys are "*"'],
    [{ message_handling: { max_message_age: 0 } }, 'bridge.message_handling.max_message_age: Invalid value: Expected >=1'],
    [
      { encryption: { allow: false, default: true } },
      'bridge.encryption.default: cannot be true while encryption.allow is false',
    ],
    [{ rate_limit: { messages_per_minute: 2.5 } }, 'bridge.rate_limit.messages_per_minute: Invalid integer'],
    [{ media: { max_file_size: '100MB' } }, 'bridge.media.max_file_size: Invalid type: Expected number but received "100MB"'],
    [{ media: { voice_converter: 'ffmpeg' } }, 'bridge.media.voice_converter: Invalid type: Expected "silk2ogg"'],
    [{ relay: true }, 'bridge.relay: Invalid key'],
  ])('rejects %j with the key path', (input, message) => {
    expect(() => parseBridge(input)).toThrow(message);
  });
});
