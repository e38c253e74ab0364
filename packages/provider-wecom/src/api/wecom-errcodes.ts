import {
  WechatAuthenticationError,
  type WechatError,
  WechatNotFoundError,
  WechatRateLimitedError,
  WechatRequestError,
} from '@wechat/provider-api';

/**
 * What a WeCom errcode means for the provider. Sources: the reference (`wechat-protocols.md` A.1 "Global error
 * codes that matter", A.2, A.3 and traps 6–8), which quotes WeCom's global error-code page
 * (https://developer.work.weixin.qq.com/document/path/90455). Codes the reference does not list (45011, 45033,
 * 60011, 60111, 84061, 86001, 301002, 40056, 40096) are from that same page, as mirrored by the SDKs the
 * reference cites; each was seen in real responses in public issues.
 *
 * - `token`: the access token is bad; the client refreshes it and re-issues the call once (trap 6).
 * - `busy`: WeCom says "retry, at most 3 times"; the client does, with backoff.
 * - `credentials`: the configured corp id, secret or server IP is refused; only the user can fix it.
 * - `rate-limited`: retryable later.
 * - `not-found`: the named entity does not exist (when the call names one).
 * - `rejected`: the request itself is wrong or not allowed; retrying it unchanged cannot help.
 */
export type WecomErrcodeKind = 'token' | 'busy' | 'credentials' | 'rate-limited' | 'not-found' | 'rejected';

export interface WecomErrcodeRule {
  readonly kind: WecomErrcodeKind;
  readonly meaning: string;
}

export const wecomErrcodes: ReadonlyMap<number, WecomErrcodeRule> = new Map<number, WecomErrcodeRule>([
  [-1, { kind: 'busy', meaning: 'system busy' }],
  [40001, { kind: 'credentials', meaning: 'invalid secret (or an invalid credential)' }],
  [40013, { kind: 'credentials', meaning: 'invalid CorpID' }],
  [60020, { kind: 'credentials', meaning: "this server's IP is not in the app's trusted-IP list" }],
  [40014, { kind: 'token', meaning: 'invalid access_token' }],
  [41001, { kind: 'token', meaning: 'missing access_token' }],
  [42001, { kind: 'token', meaning: 'access_token expired' }],
  [45009, { kind: 'rate-limited', meaning: 'API frequency limit reached' }],
  [45011, { kind: 'rate-limited', meaning: 'API called too often' }],
  [45033, { kind: 'rate-limited', meaning: 'too many concurrent API calls' }],
  [40003, { kind: 'not-found', meaning: 'invalid UserID' }],
  [60111, { kind: 'not-found', meaning: 'UserID not found' }],
  [84061, { kind: 'not-found', meaning: 'no such external contact relationship' }],
  [40096, { kind: 'not-found', meaning: 'invalid external_userid' }],
  [86001, { kind: 'not-found', meaning: 'invalid chatid' }],
  [40007, { kind: 'not-found', meaning: 'invalid media_id (temporary media lasts 3 days)' }],
  [40004, { kind: 'rejected', meaning: 'invalid media type' }],
  [40005, { kind: 'rejected', meaning: 'invalid file type' }],
  [40006, { kind: 'rejected', meaning: 'invalid file size' }],
  [40009, { kind: 'rejected', meaning: 'invalid image size' }],
  [40011, { kind: 'rejected', meaning: 'invalid video size' }],
  [40008, { kind: 'rejected', meaning: 'invalid msgtype' }],
  [40056, { kind: 'rejected', meaning: 'invalid agentid' }],
  [48002, { kind: 'rejected', meaning: 'API forbidden for this app' }],
  [60011, { kind: 'rejected', meaning: 'no privilege for this member, department or tag' }],
  [81013, { kind: 'rejected', meaning: 'every recipient is invalid or outside the app’s visible range' }],
  [301002, { kind: 'rejected', meaning: 'the access token has no permission for this agentid' }],
  [830002, { kind: 'rejected', meaning: 'media over 20 MB must be fetched with Range' }],
]);

/** The codes after which the client refreshes the access token and retries once (trap 6). */
export function isTokenErrcode(errcode: number): boolean {
  return wecomErrcodes.get(errcode)?.kind === 'token';
}

export interface WecomErrorContext {
  readonly operation: string;
  readonly errcode: number;
  readonly errmsg: string;
  readonly providerId?: string;
  /** The entity the call names, so `not-found` codes become `WechatNotFoundError`. */
  readonly subject?: { readonly entity: WechatNotFoundError['entity']; readonly id: string };
}

/** The typed error for a WeCom errcode, with `retryable` from the table; unknown codes are non-retryable request errors. */
export function wecomError({ operation, errcode, errmsg, providerId, subject }: WecomErrorContext): WechatError {
  const rule = wecomErrcodes.get(errcode);
  const message = `WeCom ${operation} failed: errcode ${errcode} (${rule?.meaning ?? 'unknown'}): ${errmsg}`;
  const base = { message, ...(providerId === undefined ? {} : { providerId }) };
  switch (rule?.kind) {
    case 'credentials':
      return new WechatAuthenticationError({ ...base, code: 'CREDENTIALS_INVALID' });
    case 'rate-limited':
      return new WechatRateLimitedError(base);
    case 'not-found':
      if (subject) return new WechatNotFoundError({ ...subject, ...(providerId === undefined ? {} : { providerId }) });
      return new WechatRequestError({ ...base, operation, remoteCode: errcode, responseBody: errmsg, retryable: false });
    case 'busy':
    // A token that is still refused after one refresh is WeCom's transient trouble, not ours.
    case 'token':
      return new WechatRequestError({ ...base, operation, remoteCode: errcode, responseBody: errmsg, retryable: true });
    default:
      return new WechatRequestError({ ...base, operation, remoteCode: errcode, responseBody: errmsg, retryable: false });
  }
}
