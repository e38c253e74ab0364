import { randomBytes } from 'node:crypto';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const twoTo60 = 1n << 60n;
const twoTo63 = 1n << 63n;

/** Random bytes, injectable so a test can make the simulator deterministic. */
export type RandomBytes = (size: number) => Uint8Array;

/** The identifiers the simulated service mints, shaped like GeWe's (reference B.1, B.6). */
export interface SimIds {
  /** A device id: `wx_` and 21 characters, like `wx_wR_U4zPj2M_OTS3BCyoE4`. */
  appId(): string;
  /** The container token: 32 hex digits. */
  token(): string;
  /** A login QR uuid, the tail of `http://weixin.qq.com/x/<uuid>`. */
  qrUuid(): string;
  /** A dashed UUID, used in download file names. */
  uuid(): string;
  hex(bytes: number): string;
  /** A 64-bit NewMsgId, always above 2^53 (between 2^60 and 2^63) and never repeated. */
  newMsgId(): bigint;
  /** A 32-bit MsgId, increasing. */
  msgId(): number;
  /** MsgSeq, increasing. */
  msgSeq(): number;
  /** `<11 digits>@chatroom`. */
  roomId(): string;
  /** A stranger ticket: `v3_…@stranger` or `v4_…@stranger`. */
  ticket(kind: 'v3' | 'v4'): string;
  /** A CDN file id: the long hex strings GeWe puts in `cdnthumburl`, `voiceurl`, `cdnattachurl`. */
  cdnUrl(): string;
  /** The `v1_xxxxxxxx` MsgSource signature. */
  signature(): string;
}

export function createSimIds(random: RandomBytes = size => randomBytes(size)): SimIds {
  const issuedNewMsgIds = new Set<bigint>();
  const start = new DataView(toArrayBuffer(random(4))).getUint32(0) % 500_000_000;
  let msgId = 1_000_000_000 + start;
  let msgSeq = 600_000_000 + start;

  const hex = (bytes: number) => Buffer.from(random(bytes)).toString('hex');
  const text = (length: number) =>
    Array.from(random(length), byte => idAlphabet[byte % idAlphabet.length])
      .join('')
      .slice(0, length);

  return {
    appId: () => `wx_${text(21)}`,
    token: () => hex(16),
    qrUuid: () => text(20).replace(/[_-]/g, 'x'),
    uuid: () => formatUuid(hex(16)),
    hex,
    newMsgId: () => {
      for (;;) {
        const raw = Buffer.from(random(8)).readBigUInt64BE(0);
        const id = twoTo60 + (raw % (twoTo63 - twoTo60));
        if (!issuedNewMsgIds.has(id)) {
          issuedNewMsgIds.add(id);
          return id;
        }
      }
    },
    msgId: () => {
      msgId = msgId >= 0xffff_fff0 ? 1_000_000_000 : msgId + 1;
      return msgId;
    },
    msgSeq: () => ++msgSeq,
    roomId: () => `${10_000_000_000 + Buffer.from(random(4)).readUInt32BE(0)}@chatroom`,
    ticket: kind =>
      kind === 'v3' ? `v3_020b3826fd030100000000${hex(40)}@stranger` : `v4_000b708f0b0400000100000000${hex(72)}@stranger`,
    cdnUrl: () => `3057020100044b30490201000204${hex(58)}`,
    signature: () => `v1_${text(8)}`,
  };
}

function formatUuid(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}
