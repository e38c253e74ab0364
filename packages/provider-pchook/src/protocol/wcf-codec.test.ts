import { describe, expect, it } from 'vitest';
import { toHex } from '../nng/sp-header.ts';
import { decodeRequest, decodeResponse, decodeRoomData, encodeRequest, encodeResponse, encodeRoomData } from './wcf-codec.ts';
import { wcfFunctions as F } from './wcf-functions.ts';
import type { WcfRequest, WcfResponse, WxMsg } from './wcf-messages.ts';

const hex = (bytes: Uint8Array) => toHex(bytes).replaceAll(' ', '');
const bytesOf = (text: string) => Uint8Array.from(text.match(/../g) ?? [], byte => Number.parseInt(byte, 16));

const largeId = '8202522731445525542'; // above 2^53: a JS number would round it
const pushHex =
  '0830223c100118a6b882aff2decdea7120012880e2cfaa06320c3132334063686174726f6f6d3a0268694206777869645f61620c3c6d7367736f757263652f3e';

// Every vector of the protocol notes (C.2), generated there with protobufjs from the upstream wcf.proto.
const requestVectors: [string, WcfRequest, string][] = [
  ['Request{func:FUNC_IS_LOGIN}', { func: F.FUNC_IS_LOGIN }, '0801'],
  ['Request{func:FUNC_GET_SELF_WXID}', { func: F.FUNC_GET_SELF_WXID }, '0810'],
  [
    'Request{func:SEND_TXT, txt{msg:"hi", receiver:"filehelper"}}',
    { func: F.FUNC_SEND_TXT, txt: { msg: 'hi', receiver: 'filehelper' } },
    '082022100a026869120a66696c6568656c706572',
  ],
  [
    'Request{func:SEND_TXT, txt{msg:"@Bob hi", receiver:"123@chatroom", aters:"wxid_bob"}}',
    { func: F.FUNC_SEND_TXT, txt: { msg: '@Bob hi', receiver: '123@chatroom', aters: 'wxid_bob' } },
    '082022210a0740426f62206869120c3132334063686174726f6f6d1a08777869645f626f62',
  ],
  [
    'Request{func:SEND_IMG, file{path:"C:/a.png", receiver:"wxid_a"}}',
    { func: F.FUNC_SEND_IMG, file: { path: 'C:/a.png', receiver: 'wxid_a' } },
    '08212a120a08433a2f612e706e671206777869645f61',
  ],
  ['Request{func:ENABLE_RECV_TXT, flag:true}', { func: F.FUNC_ENABLE_RECV_TXT, flag: true }, '08306801'],
  [
    'Request{func:REVOKE_MSG, ui64:"8202522731445525542"}',
    { func: F.FUNC_REVOKE_MSG, ui64: largeId },
    '085660a6b882aff2decdea71',
  ],
];

const responseVectors: [string, WcfResponse, string][] = [
  ['Response{func:FUNC_IS_LOGIN, status:1}', { func: F.FUNC_IS_LOGIN, status: 1 }, '08011001'],
  ['Response{func:GET_SELF_WXID, str:"wxid_abc"}', { func: F.FUNC_GET_SELF_WXID, str: 'wxid_abc' }, '08101a08777869645f616263'],
  // A oneof member is emitted even when it is zero.
  ['Response{func:SEND_TXT, status:0}', { func: F.FUNC_SEND_TXT, status: 0 }, '08201000'],
  [
    'the message push',
    {
      func: F.FUNC_ENABLE_RECV_TXT,
      wxmsg: {
        is_self: false,
        is_group: true,
        id: largeId,
        type: 1,
        ts: 1_700_000_000,
        roomid: '123@chatroom',
        content: 'hi',
        sender: 'wxid_a',
        sign: '',
        thumb: '',
        extra: '',
        xml: '<msgsource/>',
      },
    },
    pushHex,
  ],
];

describe('wcf.proto codec', () => {
  it.each(requestVectors)('encodes %s as in the reference', (_name, request, expected) => {
    expect(hex(encodeRequest(request))).toBe(expected);
  });

  it.each(requestVectors)('decodes %s back', (_name, request, bytes) => {
    expect(decodeRequest(bytesOf(bytes))).toMatchObject(request);
  });

  it.each(responseVectors)('encodes %s as in the reference', (_name, response, expected) => {
    expect(hex(encodeResponse(response))).toBe(expected);
  });

  it.each(responseVectors)('decodes %s back', (_name, response, bytes) => {
    expect(decodeResponse(bytesOf(bytes))).toMatchObject(response);
  });

  it('decodes 64-bit ids exactly, as strings, up to 2^64 - 1', () => {
    const push = decodeResponse(bytesOf(pushHex));
    expect(push.wxmsg?.id).toBe(largeId);
    expect(typeof push.wxmsg?.id).toBe('string');
    const max = '18446744073709551615';
    expect(decodeRequest(encodeRequest({ func: F.FUNC_REVOKE_MSG, ui64: max })).ui64).toBe(max);
    expect(
      decodeRequest(encodeRequest({ func: F.FUNC_DOWNLOAD_ATTACH, att: { id: largeId, thumb: '', extra: 'C:/x.dat' } })).att?.id,
    ).toBe(largeId);
  });

  it('keeps snake_case field names, in both directions (protobufjs would rename is_self to isSelf)', () => {
    const push = decodeResponse(bytesOf(pushHex));
    expect(Object.keys(push.wxmsg ?? {})).toEqual(
      expect.arrayContaining(['is_self', 'is_group', 'id', 'type', 'ts', 'roomid', 'content', 'sender', 'xml']),
    );
    expect(push.wxmsg).not.toHaveProperty('isGroup');
    const encoded = encodeResponse({ func: F.FUNC_ENABLE_RECV_TXT, wxmsg: { ...(push.wxmsg as WxMsg), is_self: true } });
    expect(decodeResponse(encoded).wxmsg).toMatchObject({ is_self: true, is_group: true });
  });

  it('decodes the zero-length dispatch error as an empty response', () => {
    const empty = decodeResponse(new Uint8Array(0));
    expect(empty.func).toBe(0);
    expect(empty.status).toBeUndefined();
    expect(empty.str).toBeUndefined();
  });

  it('refuses a request with two members of the oneof', () => {
    expect(() => encodeRequest({ func: F.FUNC_SEND_TXT, str: 'x', flag: true })).toThrow(/oneof msg has str and flag/);
  });

  it('keeps function numbers it does not know', () => {
    expect(decodeRequest(encodeRequest({ func: 0x99 })).func).toBe(0x99);
  });

  it('round-trips contacts, database rows and RoomData', () => {
    const rows = { rows: [{ fields: [{ type: 4, column: 'RoomData', content: Uint8Array.of(1, 2, 3) }] }] };
    expect(decodeResponse(encodeResponse({ func: F.FUNC_EXEC_DB_QUERY, rows })).rows).toEqual(rows);
    const roomData = {
      members: [
        { wxid: 'wxid_a', name: 'A in the room', state: 0 },
        { wxid: 'wxid_b', state: 0 },
      ],
      capacity: 500,
      admins: ['wxid_a'],
    };
    expect(decodeRoomData(encodeRoomData(roomData))).toEqual(roomData);
  });
});
