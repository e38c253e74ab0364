import type { RpcContact, UserInfo, WcfRequest } from '../protocol/wcf-messages.ts';

/** A member of a simulated room. */
export interface SimRoomMember {
  readonly wxid: string;
  /** Their own nickname (the Contact table's NickName). */
  readonly nickname: string;
  /** Their nickname in this room (群昵称), if they set one. */
  readonly displayName?: string;
}

export interface SimRoom {
  readonly id: string;
  readonly name: string;
  readonly members: readonly SimRoomMember[];
  readonly admins?: readonly string[];
}

export interface WcfHostSimulatorOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** The command port; messages use port+1 (both must be free). Default: an ephemeral pair. */
  readonly port?: number;
  /** Whether WeChat on the host is logged in. Default true. */
  readonly loggedIn?: boolean;
  readonly self?: Partial<UserInfo>;
  /** Friends, official accounts, … (GET_CONTACTS). Rooms are added from `rooms`. */
  readonly contacts?: readonly Partial<RpcContact>[];
  readonly rooms?: readonly SimRoom[];
  /**
   * How long a push waits for a client on port+1 before the host drops it (the real host's send timeout is
   * 5000 ms).
   */
  readonly pushTimeoutMs?: number;
  /** The shared directory as this machine sees it. Default: a new temporary directory, removed by `close()`. */
  readonly sharedDir?: string;
  /** The same directory as the host names it. Default `C:\wcf-share`. */
  readonly windowsDir?: string;
  /**
   * Whether WeChat's storage ("WeChat Files") lies inside the shared directory, as the README recommends so that
   * received files and videos can be read. Default true. When false it lives in a private temporary directory
   * the host calls `C:\Users\wcf\Documents\WeChat Files`.
   */
  readonly wechatFilesInShare?: boolean;
  /**
   * Whether attachments (files, videos) are on disk as soon as they arrive. Default false: like WeChat for
   * large files, they appear only after FUNC_DOWNLOAD_ATTACH.
   */
  readonly autoDownload?: boolean;
  /** The first message id; ids count up from it. Default 8202522731445525542 (above 2^53, as WeChat's). */
  readonly firstMessageId?: bigint;
}

/** One request the host received, decoded. */
export interface SimRequestRecord {
  readonly name: string;
  readonly request: WcfRequest;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** What the simulated WeChat sent on the account's behalf. `id` is the message id of the echo it pushed. */
export type SimSentMessage = {
  readonly receiver: string;
  readonly id: string;
} & (
  | { readonly kind: 'text'; readonly text: string; readonly aters: readonly string[] }
  | {
      readonly kind: 'image' | 'file' | 'emotion';
      readonly data: Uint8Array;
      readonly fileName: string;
      readonly windowsPath: string;
    }
  | {
      readonly kind: 'rich-text';
      readonly title: string;
      readonly digest: string;
      readonly url: string;
      readonly thumburl: string;
      readonly name: string;
      readonly account: string;
    }
);

/** A send the host accepted (status 0) but WeChat could not carry out, as on a real host: silently. */
export interface SimUndelivered {
  readonly name: string;
  readonly request: WcfRequest;
  readonly reason: string;
}

/**
 * How the next request fails: `close` drops the command connection without answering (a network failure),
 * `no-reply` swallows it (a hung host), `dispatch-error` answers with a zero-length message, and `{ status }`
 * answers that status without doing anything.
 */
export type SimFailure = 'close' | 'no-reply' | 'dispatch-error' | { readonly status: number };

export interface SimPushResult {
  /** The pushed message's id. */
  readonly id: string;
  /** False when no client took it (not listening, or nobody attached within the push timeout). */
  readonly delivered: boolean;
}

/** Where a push comes from: a contact in the private chat, or a member in a room. */
export interface SimOrigin {
  readonly sender: string;
  /** A room id (`…@chatroom`); absent for the private chat with `sender`. */
  readonly roomid?: string;
  /** Sent by the account itself (from the phone). */
  readonly isSelf?: boolean;
}
