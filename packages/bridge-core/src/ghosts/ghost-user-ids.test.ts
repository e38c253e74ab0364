import { contactId } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { isMatrixLocalpart } from '../matrix-ids.ts';
import { createGhostUserIds, escapeLocalpart, renderDisplayName, unescapeLocalpart } from './ghost-user-ids.ts';

describe('escapeLocalpart', () => {
  it('keeps common WeChat ids readable', () => {
    expect(escapeLocalpart('wxid_abc123')).toBe('wxid__abc123');
    expect(escapeLocalpart('Alice-88')).toBe('_alice-88');
    expect(escapeLocalpart('filehelper')).toBe('filehelper');
  });

  it('escapes everything else into valid localpart characters, reversibly', () => {
    for (const id of ['wxid_Z9', 'a b', '张三', 'x@chatroom', 'user:evil.org', '=41', '_', 'ZZZ', 'ends_']) {
      const escaped = escapeLocalpart(id);
      expect(isMatrixLocalpart(escaped), `${id} → ${escaped}`).toBe(true);
      expect(unescapeLocalpart(escaped)).toBe(id);
    }
  });

  it('rejects text it cannot have produced', () => {
    expect(unescapeLocalpart('a_')).toBeUndefined();
    expect(unescapeLocalpart('a=4')).toBeUndefined();
    expect(unescapeLocalpart('A')).toBeUndefined();
    expect(unescapeLocalpart('=ff')).toBeUndefined();
  });
});

describe('createGhostUserIds', () => {
  const ids = createGhostUserIds({ usernameTemplate: 'wechat_{{.}}', serverName: 'example.org' });

  it('maps contacts to ghosts and back', () => {
    expect(ids.userIdFor(contactId('wxid_Abc'))).toBe('@wechat_wxid___abc:example.org');
    expect(ids.contactIdOf('@wechat_wxid___abc:example.org')).toBe('wxid_Abc');
  });

  it('recognises only its own namespace', () => {
    expect(ids.isGhost('@alice:example.org')).toBe(false);
    expect(ids.isGhost('@wechat_x:other.org')).toBe(false);
    expect(ids.isGhost('@wechat_:example.org')).toBe(false);
    expect(ids.isGhost('@wechatbot:example.org')).toBe(false);
    expect(ids.isGhost('@wechat_x:example.org')).toBe(true);
  });

  it('supports a suffix in the template', () => {
    const suffixed = createGhostUserIds({ usernameTemplate: 'wc_{{.}}_bridge', serverName: 'example.org' });
    expect(suffixed.userIdFor(contactId('bob'))).toBe('@wc_bob_bridge:example.org');
    expect(suffixed.contactIdOf('@wc_bob_bridge:example.org')).toBe('bob');
  });
});

describe('renderDisplayName', () => {
  it('prefers the remark and falls back to a neutral name', () => {
    expect(renderDisplayName('{{.Nickname}} (WeChat)', { name: 'Alice' })).toBe('Alice (WeChat)');
    expect(renderDisplayName('{{.Nickname}} (WeChat)', { name: 'Alice', remark: 'Ali from work' })).toBe(
      'Ali from work (WeChat)',
    );
    expect(renderDisplayName('{{.Nickname}}', { name: '  ' })).toBe('WeChat user');
  });
});
