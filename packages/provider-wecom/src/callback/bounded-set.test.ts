import { describe, expect, it } from 'vitest';
import { createBoundedSet } from './bounded-set.ts';
import { callbackDedupKey } from './callback-dedup-key.ts';

describe('createBoundedSet', () => {
  it('reports new keys once and forgets the oldest beyond its capacity', () => {
    const set = createBoundedSet(2);
    expect([set.add('a'), set.add('a'), set.add('b'), set.add('c')]).toEqual([true, false, true, true]);
    expect(set.size).toBe(2);
    expect(set.add('a')).toBe(true);
    expect(set.add('c')).toBe(false);
  });
});

describe('callbackDedupKey', () => {
  it('keys messages by MsgId and events by sender, time and subject', () => {
    expect(callbackDedupKey({ MsgId: '4561255354251345929', CreateTime: '1' })).toBe('message:4561255354251345929');
    const created = {
      FromUserName: 'sys',
      CreateTime: '1',
      MsgType: 'event',
      Event: 'change_contact',
      ChangeType: 'create_user',
    };
    expect(callbackDedupKey({ ...created, UserID: 'a' })).toBe(callbackDedupKey({ ...created, UserID: 'a' }));
    expect(callbackDedupKey({ ...created, UserID: 'a' })).not.toBe(callbackDedupKey({ ...created, UserID: 'b' }));
  });
});
