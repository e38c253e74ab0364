// The messages of `wcf.proto` as plain objects, field names exactly as on the wire (snake_case).
// 64-bit ids are decimal strings.

export interface WxMsg {
  readonly is_self: boolean;
  readonly is_group: boolean;
  readonly id: string;
  readonly type: number;
  /** Seconds since the epoch. */
  readonly ts: number;
  /** The room, or, in a private chat, the peer's wxid. */
  readonly roomid: string;
  readonly content: string;
  readonly sender: string;
  readonly sign: string;
  /** Absolute Windows path under the account's WeChat Files home. */
  readonly thumb: string;
  /** Absolute Windows path under the account's WeChat Files home (.dat for images). */
  readonly extra: string;
  /** The `<msgsource>` XML (with `<atuserlist>`). */
  readonly xml: string;
}

export interface TextMsg {
  readonly msg: string;
  readonly receiver: string;
  /** Comma-separated wxids; `notify@all` for everyone. */
  readonly aters?: string;
}
export interface PathMsg {
  /** A path on the Windows host. */
  readonly path: string;
  readonly receiver: string;
}
export interface XmlMsg {
  readonly receiver: string;
  readonly content: string;
  readonly path?: string;
  readonly type: string;
}
export interface RpcContact {
  readonly wxid: string;
  /** The user-chosen WeChat ID (微信号). */
  readonly code: string;
  readonly remark: string;
  readonly name: string;
  readonly country: string;
  readonly province: string;
  readonly city: string;
  /** 1 male, 2 female, 0 unknown. */
  readonly gender: number;
}
export interface DbTable {
  readonly name: string;
  readonly sql: string;
}
export interface DbQuery {
  readonly db: string;
  readonly sql: string;
}
/** `type` is SQLite's: 1 integer, 2 float, 3 text, 4 blob, 5 null; `content` is what `sqlite3_column_blob` gave. */
export interface DbField {
  readonly type: number;
  readonly column: string;
  readonly content: Uint8Array;
}
export interface DbRow {
  readonly fields: readonly DbField[];
}
export interface Verification {
  readonly v3: string;
  readonly v4: string;
  /** 17 business card, 30 QR code, … */
  readonly scene: number;
}
export interface MemberMgmt {
  readonly roomid: string;
  /** Comma-separated. */
  readonly wxids: string;
}
export interface UserInfo {
  readonly wxid: string;
  readonly name: string;
  readonly mobile: string;
  readonly home: string;
  readonly alias: string;
}
export interface DecPath {
  readonly src: string;
  readonly dst: string;
}
export interface Transfer {
  readonly wxid: string;
  readonly tfid: string;
  readonly taid: string;
}
export interface AttachMsg {
  readonly id: string;
  readonly thumb: string;
  readonly extra: string;
}
export interface AudioMsg {
  readonly id: string;
  readonly dir: string;
}
export interface RichText {
  readonly name: string;
  readonly account: string;
  readonly title: string;
  readonly digest: string;
  readonly url: string;
  readonly thumburl: string;
  readonly receiver: string;
}
export interface PatMsg {
  readonly roomid: string;
  readonly wxid: string;
}
export interface OcrMsg {
  readonly status: number;
  readonly result: string;
}
export interface ForwardMsg {
  readonly id: string;
  readonly receiver: string;
}

/** The `msg` oneof of `Request`: at most one member is set. */
export interface WcfRequestPayload {
  readonly empty?: Record<string, never>;
  readonly str?: string;
  readonly txt?: TextMsg;
  readonly file?: PathMsg;
  readonly query?: DbQuery;
  readonly v?: Verification;
  readonly m?: MemberMgmt;
  readonly xml?: XmlMsg;
  readonly dec?: DecPath;
  readonly tf?: Transfer;
  readonly ui64?: string;
  readonly flag?: boolean;
  readonly att?: AttachMsg;
  readonly am?: AudioMsg;
  readonly rt?: RichText;
  readonly pm?: PatMsg;
  readonly fm?: ForwardMsg;
}

export interface WcfRequest extends WcfRequestPayload {
  readonly func: number;
}

/** The `msg` oneof of `Response`: at most one member is set. */
export interface WcfResponsePayload {
  readonly status?: number;
  readonly str?: string;
  readonly wxmsg?: WxMsg;
  readonly types?: { readonly types: Readonly<Record<string, string>> };
  readonly contacts?: { readonly contacts: readonly RpcContact[] };
  readonly dbs?: { readonly names: readonly string[] };
  readonly tables?: { readonly tables: readonly DbTable[] };
  readonly rows?: { readonly rows: readonly DbRow[] };
  readonly ui?: UserInfo;
  readonly ocr?: OcrMsg;
}

export interface WcfResponse extends WcfResponsePayload {
  readonly func: number;
}

/** The `ChatRoom.RoomData` blob (not an RPC message). */
export interface RoomData {
  readonly members: readonly { readonly wxid: string; readonly name?: string; readonly state: number }[];
  readonly capacity: number;
  readonly admins: readonly string[];
}
