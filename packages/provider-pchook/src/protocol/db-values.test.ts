import { describe, expect, it } from 'vitest';
import { dbField, dbFieldValue, dbRowObject, sqlString } from './db-values.ts';
import { wcfFunctions as F } from './wcf-functions.ts';
import { isWcfSuccess } from './wcf-status.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('database values', () => {
  it('reads what sqlite3_column_blob gives: integers and floats as decimal text', () => {
    expect(dbFieldValue({ type: 1, column: 'n', content: bytes('42') })).toBe(42);
    expect(dbFieldValue({ type: 1, column: 'id', content: bytes('8202522731445525542') })).toBe(8_202_522_731_445_525_542n);
    expect(dbFieldValue({ type: 2, column: 'f', content: bytes('1.5') })).toBe(1.5);
    expect(dbFieldValue({ type: 3, column: 's', content: bytes('群聊') })).toBe('群聊');
    expect(dbFieldValue({ type: 4, column: 'b', content: Uint8Array.of(1, 2) })).toEqual(Uint8Array.of(1, 2));
    expect(dbFieldValue({ type: 5, column: 'z', content: new Uint8Array(0) })).toBeNull();
  });

  it('round-trips rows through the simulator-side encoder', () => {
    const row = {
      fields: [dbField('UserName', 'wxid_a'), dbField('Type', 3), dbField('RoomData', Uint8Array.of(9)), dbField('X', null)],
    };
    expect(dbRowObject(row)).toEqual({ UserName: 'wxid_a', Type: 3, RoomData: Uint8Array.of(9), X: null });
  });

  it('quotes SQL string literals (the host has no bound parameters)', () => {
    expect(sqlString("x'; DROP TABLE Contact; --")).toBe("'x''; DROP TABLE Contact; --'");
  });
});

describe('status conventions', () => {
  it('differ per function', () => {
    expect(isWcfSuccess(F.FUNC_SEND_TXT, 0)).toBe(true);
    expect(isWcfSuccess(F.FUNC_SEND_TXT, -1)).toBe(false);
    expect(isWcfSuccess(F.FUNC_ADD_ROOM_MEMBERS, 1)).toBe(true);
    expect(isWcfSuccess(F.FUNC_ADD_ROOM_MEMBERS, 0)).toBe(false);
    expect(isWcfSuccess(F.FUNC_ACCEPT_FRIEND, 1)).toBe(true);
    expect(isWcfSuccess(F.FUNC_REVOKE_MSG, -1)).toBe(false);
  });
});
