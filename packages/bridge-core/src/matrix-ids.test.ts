import { describe, expect, it } from 'vitest';
import { isMatrixLocalpart, isMatrixServerName, isMatrixUserId } from './matrix-ids.ts';

describe('Matrix identifier grammar', () => {
  it.each(['example.org', 'matrix.example.org:8448', 'localhost', '127.0.0.1:8008', '[::1]', '[2001:db8::7]:8448'])(
    'accepts the server name %s',
    name => expect(isMatrixServerName(name)).toBe(true),
  );

  it.each(['', 'https://example.org', 'example.org/', 'exa mple.org', 'example.org:', 'example.org:123456', '::1'])(
    'rejects the server name %j',
    name => expect(isMatrixServerName(name)).toBe(false),
  );

  it('checks localparts against the characters the spec allows', () => {
    expect(isMatrixLocalpart('wechatbot')).toBe(true);
    expect(isMatrixLocalpart('wechat_wxid-1.a=b/c+d')).toBe(true);
    expect(isMatrixLocalpart('WeChatBot')).toBe(false);
    expect(isMatrixLocalpart('wechat bot')).toBe(false);
    expect(isMatrixLocalpart('')).toBe(false);
  });

  it('recognises user IDs by their sigil and server name', () => {
    expect(isMatrixUserId('@alice:example.org')).toBe(true);
    expect(isMatrixUserId('@Legacy.User:example.org:8448')).toBe(true);
    expect(isMatrixUserId('alice:example.org')).toBe(false);
    expect(isMatrixUserId('@:example.org')).toBe(false);
    expect(isMatrixUserId('@alice')).toBe(false);
  });
});
