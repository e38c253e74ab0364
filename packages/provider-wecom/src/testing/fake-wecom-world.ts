import { randomBytes } from 'node:crypto';

export interface FakeWecomUser {
  readonly userid: string;
  readonly name: string;
  /** Department ids; default `[1]`. */
  readonly department?: readonly number[];
  readonly position?: string;
  /** "1" male, "2" female, "0" unknown. */
  readonly gender?: '0' | '1' | '2';
}

export interface FakeWecomDepartment {
  readonly id: number;
  readonly name: string;
  /** 0 for the root (id 1). */
  readonly parentid: number;
}

export interface FakeExternalContact {
  readonly external_userid: string;
  readonly name: string;
  /** 1: a WeChat user; 2: a WeCom user of another corp. */
  readonly type?: 1 | 2;
  readonly gender?: 0 | 1 | 2;
}

export interface FakeAppchat {
  readonly chatid: string;
  readonly name: string;
  readonly owner: string;
  readonly userlist: readonly string[];
}

export interface FakeMedia {
  readonly mediaId: string;
  /** `image`, `voice`, `video` or `file`. */
  readonly type: string;
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** One message as WeCom received it, from `message/send` or `appchat/send`. */
export interface FakeSentMessage {
  readonly api: 'message/send' | 'appchat/send';
  /** `message/send` only: what `message/recall` takes. */
  readonly msgid?: string;
  readonly touser?: string;
  readonly toparty?: string;
  readonly totag?: string;
  readonly chatid?: string;
  readonly agentid?: number;
  readonly msgtype: string;
  /** The object under the msgtype key, e.g. `{ content: 'hi' }` for text, `{ media_id }` for image. */
  readonly content: Readonly<Record<string, unknown>>;
  readonly safe: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly recalled: boolean;
}

export interface FakeWecomWorldOptions {
  readonly corpId?: string;
  readonly secret?: string;
  readonly agentId?: number;
  readonly agentName?: string;
  readonly users?: readonly FakeWecomUser[];
  readonly departments?: readonly FakeWecomDepartment[];
  readonly externalContacts?: readonly FakeExternalContact[];
  readonly appchats?: readonly FakeAppchat[];
  /** Milliseconds since the epoch; tokens and media expire by it. */
  readonly now?: () => number;
  /** Default 7200, as WeCom issues them. */
  readonly tokenTtlSeconds?: number;
  /**
   * Apps created after 2022-06-20 no longer see avatar, gender, mobile or email in `user/get` (trap 7).
   * Default true, as for any app created today.
   */
  readonly restrictedProfiles?: boolean;
}

export const defaultFakeUsers: readonly FakeWecomUser[] = [
  { userid: 'zhangsan', name: '张三', department: [1, 2], position: '工程师', gender: '1' },
  { userid: 'lisi', name: '李四', department: [2], gender: '2' },
  { userid: 'wangwu', name: '王五', department: [1] },
];

export const defaultFakeDepartments: readonly FakeWecomDepartment[] = [
  { id: 1, name: '总部', parentid: 0 },
  { id: 2, name: '研发中心', parentid: 1 },
];

export const defaultFakeExternalContacts: readonly FakeExternalContact[] = [
  { external_userid: 'wmAbCdEf0123456789', name: '客户小王', type: 1, gender: 1 },
];

export const defaultFakeAppchats: readonly FakeAppchat[] = [
  { chatid: 'wrbridgeroom01', name: '项目群', owner: 'zhangsan', userlist: ['zhangsan', 'lisi', 'wangwu'] },
];

interface TokenRecord {
  readonly expiresAt: number;
  /** Set when the token was expired early: the errcode it now answers with. */
  revokedWith?: 40014 | 42001;
}

/** Temporary media lasts 3 days (reference A.2). */
const mediaLifetimeMs = 3 * 24 * 3600_000;

/** The state behind the fake WeCom API: the corp, its app, tokens, media and what was sent. */
export function createFakeWecomWorld(options: FakeWecomWorldOptions = {}) {
  const now = options.now ?? Date.now;
  const corpId = options.corpId ?? 'ww7e5b6d3c2a1f0e9d';
  const agentId = options.agentId ?? 1000002;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  let secret = options.secret ?? 'fake-wecom-app-secret';
  const users = new Map((options.users ?? defaultFakeUsers).map(user => [user.userid.toLowerCase(), user]));
  const departments = new Map((options.departments ?? defaultFakeDepartments).map(department => [department.id, department]));
  const externalContacts = new Map(
    (options.externalContacts ?? defaultFakeExternalContacts).map(contact => [contact.external_userid, contact]),
  );
  const appchats = new Map((options.appchats ?? defaultFakeAppchats).map(chat => [chat.chatid, { ...chat }]));
  const media = new Map<string, FakeMedia>();
  const tokens = new Map<string, TokenRecord>();
  const sent: FakeSentMessage[] = [];
  let currentToken: string | undefined;

  const mint = (bytes: number) => randomBytes(bytes).toString('base64url');

  return {
    corpId,
    agentId,
    agentName: options.agentName ?? 'Matrix Bridge',
    restrictedProfiles: options.restrictedProfiles ?? true,
    now,
    users,
    departments,
    externalContacts,
    appchats,
    media,
    sent,
    get secret() {
      return secret;
    },
    setSecret(value: string) {
      secret = value;
    },
    /** `gettoken`: the same token while it is valid ("有效期内重复获取返回相同结果", reference A.1), else a new one. */
    issueToken(): { readonly token: string; readonly expiresIn: number } {
      const record = currentToken === undefined ? undefined : tokens.get(currentToken);
      if (currentToken !== undefined && record && !record.revokedWith && record.expiresAt > now()) {
        return { token: currentToken, expiresIn: Math.floor((record.expiresAt - now()) / 1000) };
      }
      currentToken = `fake-access-token-${mint(24)}`;
      tokens.set(currentToken, { expiresAt: now() + tokenTtlSeconds * 1000 });
      return { token: currentToken, expiresIn: tokenTtlSeconds };
    },
    /** 0 when the token may be used, else the errcode WeCom answers with. */
    checkToken(token: string | undefined): number {
      if (token === undefined || token === '') return 41001;
      const record = tokens.get(token);
      if (!record) return 40014;
      if (record.revokedWith) return record.revokedWith;
      return record.expiresAt > now() ? 0 : 42001;
    },
    /** WeCom may invalidate a token early (reference A.1); it then answers 42001 or, as observed, 40014. */
    expireToken(answer: 40014 | 42001 = 42001) {
      for (const record of tokens.values()) record.revokedWith ??= answer;
    },
    storeMedia(input: {
      readonly type: string;
      readonly data: Uint8Array;
      readonly mimeType: string;
      readonly fileName: string;
    }): FakeMedia {
      const stored = { ...input, data: new Uint8Array(input.data), mediaId: `3${mint(36)}`, createdAt: now() };
      media.set(stored.mediaId, stored);
      return stored;
    },
    findMedia(mediaId: string): FakeMedia | undefined {
      const found = media.get(mediaId);
      return found && now() - found.createdAt < mediaLifetimeMs ? found : undefined;
    },
    findUser: (userid: string) => users.get(userid.toLowerCase()),
    record(message: Omit<FakeSentMessage, 'at' | 'recalled' | 'msgid'> & { readonly withMsgid: boolean }): FakeSentMessage {
      const { withMsgid, ...rest } = message;
      const entry: FakeSentMessage = { ...rest, ...(withMsgid ? { msgid: mint(30) } : {}), at: now(), recalled: false };
      sent.push(entry);
      return entry;
    },
    newChatid: () => `wr${randomBytes(12).toString('hex')}`,
  };
}

export type FakeWecomWorld = ReturnType<typeof createFakeWecomWorld>;
