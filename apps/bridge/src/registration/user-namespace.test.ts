import { describe, expect, it } from 'vitest';
import { userNamespaceRegex } from './user-namespace.ts';

const defaults = { usernameTemplate: 'wechat_{{.}}', botUsername: 'wechatbot', domain: 'example.org' };

/** How Synapse applies a namespace regex: Python's `re.match`, anchored at the start only. */
function synapseMatches(regex: string, userId: string): boolean {
  return new RegExp(`^(?:${regex})`).test(userId);
}

describe('userNamespaceRegex', () => {
  const regex = userNamespaceRegex(defaults);

  it('is one regex for the ghosts and the bot, with the domain escaped', () => {
    expect(regex).toBe('@wechat_.+:example\\.org$|@wechatbot:example\\.org$');
  });

  it.each(['@wechat_wxid_abc:example.org', '@wechat_filehelper:example.org', '@wechatbot:example.org'])('covers %s', userId => {
    expect(synapseMatches(regex, userId)).toBe(true);
  });

  it.each([
    '@alice:example.org',
    '@wechat_wxid_abc:other.org',
    '@wechat_wxid_abc:exampleXorg',
    '@wechat_wxid_abc:example.org.evil.com',
    '@wechatbot:other.org',
    '@wechatbot2:example.org',
    '@wechat_:example.org',
  ])('does not cover %s', userId => {
    expect(synapseMatches(regex, userId)).toBe(false);
  });

  it('escapes every regex metacharacter of the domain and the bot name', () => {
    const tricky = userNamespaceRegex({ usernameTemplate: 'wx.{{.}}', botUsername: 'we+bot', domain: 'chat.example.org:8448' });
    expect(tricky).toBe('@wx\\..+:chat\\.example\\.org:8448$|@we\\+bot:chat\\.example\\.org:8448$');
    expect(synapseMatches(tricky, '@wx.abc:chat.example.org:8448')).toBe(true);
    expect(synapseMatches(tricky, '@wxXabc:chat.example.org:8448')).toBe(false);
    expect(synapseMatches(tricky, '@we+bot:chat.example.org:8448')).toBe(true);
    expect(synapseMatches(tricky, '@weebot:chat.example.org:8448')).toBe(false);
  });

  it("gives matrix-bot-sdk the ghost prefix it derives from the text before the first ':'", () => {
    // matrix-bot-sdk 0.8.0, Appservice constructor: regex.split(":")[0] must end in ".+" or ".*".
    const beforeColon = regex.split(':')[0]!;
    expect(beforeColon.endsWith('.+')).toBe(true);
    expect(beforeColon.slice(0, -2)).toBe('@wechat_');
  });
});
