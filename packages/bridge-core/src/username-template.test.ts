import { describe, expect, it } from 'vitest';
import { ghostLocalpartPattern } from './username-template.ts';

const matches = (template: string, localpart: string) => new RegExp(`^${ghostLocalpartPattern(template)}$`).test(localpart);

describe('ghostLocalpartPattern', () => {
  it('turns the placeholder into .+ and keeps the rest literal', () => {
    expect(ghostLocalpartPattern('wechat_{{.}}')).toBe('wechat_.+');
    expect(ghostLocalpartPattern('we.chat+{{.}}')).toBe('we\\.chat\\+.+');
    expect(ghostLocalpartPattern('{{.}}.wechat')).toBe('.+\\.wechat');
  });

  it('matches exactly the localparts the template produces', () => {
    expect(matches('wechat_{{.}}', 'wechat_wxid_abc')).toBe(true);
    expect(matches('wechat_{{.}}', 'wechat_')).toBe(false);
    expect(matches('wechat_{{.}}', 'wechatbot')).toBe(false);
    expect(matches('we.chat_{{.}}', 'weXchat_abc')).toBe(false);
  });
});
