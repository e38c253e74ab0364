/** The fields of an `AddMsg` callback's `Data` (B.6 table), before ordering. */
export interface AddMsgFields {
  readonly msgId: number;
  readonly from: string;
  readonly to: string;
  readonly msgType: number;
  readonly content: string;
  /** 3 for messages, 4 for system notices (as in the reference examples). */
  readonly status: number;
  readonly imgStatus: number;
  /** `ImgBuf.buffer` (base64 thumbnail or inline SILK) and its byte length. */
  readonly imgBuf?: Uint8Array;
  readonly createTime: number;
  readonly msgSource: string;
  readonly pushContent?: string;
  /** A bigint, so the body carries it as a raw 64-bit JSON number. */
  readonly newMsgId: bigint;
  readonly msgSeq: number;
}

/** `AddMsg.Data` with the reference example's key order (B.6 private text example). */
export function addMsgData(fields: AddMsgFields): Record<string, unknown> {
  return {
    MsgId: fields.msgId,
    FromUserName: { string: fields.from },
    ToUserName: { string: fields.to },
    MsgType: fields.msgType,
    Content: { string: fields.content },
    Status: fields.status,
    ImgStatus: fields.imgStatus,
    ImgBuf: fields.imgBuf
      ? { iLen: fields.imgBuf.byteLength, buffer: Buffer.from(fields.imgBuf).toString('base64') }
      : { iLen: 0 },
    CreateTime: fields.createTime,
    MsgSource: fields.msgSource,
    PushContent: fields.pushContent,
    NewMsgId: fields.newMsgId,
    MsgSeq: fields.msgSeq,
  };
}
