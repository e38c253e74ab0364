import type { ProviderCapabilitiesV1 } from '@wechat/provider-api';
import { mockFullCapabilities } from '@wechat/provider-testkit';
import { describe, expect, it } from 'vitest';
import { unionCapabilities, unionLevel } from './union-capabilities.ts';

const textOnly: ProviderCapabilitiesV1 = {
  login: 'credentials',
  multipleSessions: true,
  send: { text: 'full', image: 'partial' },
  receive: { text: 'full', system: 'full' },
  mentions: 'none',
  replies: 'none',
  recall: 'none',
  contacts: { list: 'full', setRemark: 'none' },
  rooms: { list: 'none', create: 'none', invite: 'none', remove: 'none', rename: 'none', setTopic: 'none', leave: 'none' },
  friendRequests: 'none',
  history: 'none',
  limits: { maxTextLength: 2048, maxFileBytes: 20_000_000 },
};

describe('unionLevel', () => {
  it.each([
    [['full', 'full'], 'full'],
    [['full', 'partial'], 'partial'],
    [['full', 'none'], 'partial'],
    [['partial', 'none'], 'partial'],
    [['none', 'none'], 'none'],
  ] as const)('%j → %s', (levels, expected) => {
    expect(unionLevel(levels)).toBe(expected);
  });
});

describe('unionCapabilities', () => {
  it('is the members’ own capabilities for a group of one', () => {
    expect(unionCapabilities([mockFullCapabilities])).toEqual(mockFullCapabilities);
  });

  it('offers what any member offers, fully only what every member supports fully', () => {
    const union = unionCapabilities([textOnly, mockFullCapabilities]);
    expect(union.login).toBe('interactive');
    expect(union.multipleSessions).toBe(true);
    expect(union.send).toEqual({
      text: 'full',
      image: 'partial',
      file: 'partial',
      voice: 'partial',
      video: 'partial',
      sticker: 'partial',
      link: 'partial',
      location: 'partial',
      'contact-card': 'partial',
      'mini-program': 'partial',
    });
    expect(union.receive).toMatchObject({ text: 'full', system: 'full', image: 'partial' });
    expect(union).toMatchObject({
      mentions: 'partial',
      recall: 'partial',
      contacts: { list: 'full', setRemark: 'partial' },
      rooms: { list: 'partial', leave: 'partial' },
    });
    // The stricter limit: a message must fit whichever member serves it.
    expect(union.limits).toEqual({ maxTextLength: 2048, maxFileBytes: 20_000_000 });
  });

  it('leaves out what no member offers, and asks every member to allow several sessions', () => {
    const union = unionCapabilities([textOnly, { ...textOnly, multipleSessions: false, limits: { maxTextLength: 1000 } }]);
    expect(union.send).toEqual({ text: 'full', image: 'partial' });
    expect(union).toMatchObject({
      login: 'credentials',
      multipleSessions: false,
      recall: 'none',
      limits: { maxTextLength: 1000 },
    });
    expect(union.limits?.maxFileBytes).toBe(20_000_000);
    expect(() => unionCapabilities([])).toThrow(RangeError);
  });
});
