import { WechatError, type WechatErrorOptions } from './wechat-error.ts';

// Each class carries its own Symbol.for marker so `isInstance` works across copies of this package.
// The pattern (a private marker field plus a static isInstance) is the AI SDK's.

const configValidationMarker = Symbol.for('wechat.error.config-validation');
/** A config section failed validation. `path` is where the section lives, e.g. `providers.wecom`. */
export class WechatConfigValidationError extends WechatError {
  private readonly [configValidationMarker] = true;
  readonly path: string;
  readonly issues: readonly ConfigIssue[];
  constructor({ path, issues, ...rest }: Partial<WechatErrorOptions> & { path: string; issues: readonly ConfigIssue[] }) {
    super({
      name: 'WechatConfigValidationError',
      code: 'CONFIG_INVALID',
      message: rest.message ?? formatConfigIssues(issues),
      ...(rest.providerId === undefined ? {} : { providerId: rest.providerId }),
    });
    this.path = path;
    this.issues = issues;
  }
  static override isInstance(error: unknown): error is WechatConfigValidationError {
    return WechatError.hasMarker(error, 'wechat.error.config-validation');
  }
}

/** One problem in a config, with the full dotted key path (`providers.wecom.corp_id`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map(issue => `  - ${issue.path || '(root)'}: ${issue.message}`);
  return `Invalid configuration:\n${lines.join('\n')}`;
}

const noSuchProviderMarker = Symbol.for('wechat.error.no-such-provider');
export class WechatNoSuchProviderError extends WechatError {
  private readonly [noSuchProviderMarker] = true;
  readonly availableProviders: readonly string[];
  constructor({ providerId, availableProviders }: { providerId: string; availableProviders: readonly string[] }) {
    super({
      name: 'WechatNoSuchProviderError',
      code: 'PROVIDER_NOT_FOUND',
      providerId,
      message:
        availableProviders.length === 0
          ? `No provider with id '${providerId}': no providers are registered.`
          : `No provider with id '${providerId}'. Available providers: ${availableProviders.join(', ')}.`,
    });
    this.availableProviders = availableProviders;
  }
  static override isInstance(error: unknown): error is WechatNoSuchProviderError {
    return WechatError.hasMarker(error, 'wechat.error.no-such-provider');
  }
}

const providerLoadMarker = Symbol.for('wechat.error.provider-load');
export class WechatProviderLoadError extends WechatError {
  private readonly [providerLoadMarker] = true;
  readonly moduleName: string;
  constructor({ moduleName, message, cause }: { moduleName: string; message: string; cause?: unknown }) {
    super({ name: 'WechatProviderLoadError', code: 'PROVIDER_LOAD_FAILED', message, cause });
    this.moduleName = moduleName;
  }
  static override isInstance(error: unknown): error is WechatProviderLoadError {
    return WechatError.hasMarker(error, 'wechat.error.provider-load');
  }
}

const specVersionMarker = Symbol.for('wechat.error.unsupported-specification-version');
export class WechatUnsupportedSpecificationVersionError extends WechatError {
  private readonly [specVersionMarker] = true;
  readonly received: unknown;
  readonly supported: readonly string[];
  constructor({ received, supported, providerId }: { received: unknown; supported: readonly string[]; providerId?: string }) {
    super({
      name: 'WechatUnsupportedSpecificationVersionError',
      code: 'SPEC_VERSION_UNSUPPORTED',
      ...(providerId === undefined ? {} : { providerId }),
      message: `Provider${providerId ? ` '${providerId}'` : ''} implements specification version ${JSON.stringify(received)}; this host supports ${supported.join(', ')}. Upgrade @wechat/provider-api, or use a provider version built for ${supported.join(' or ')}.`,
    });
    this.received = received;
    this.supported = supported;
  }
  static override isInstance(error: unknown): error is WechatUnsupportedSpecificationVersionError {
    return WechatError.hasMarker(error, 'wechat.error.unsupported-specification-version');
  }
}

const invalidProviderMarker = Symbol.for('wechat.error.invalid-provider');
/** An object offered as a provider does not have the shape the contract requires. */
export class WechatInvalidProviderError extends WechatError {
  private readonly [invalidProviderMarker] = true;
  readonly problems: readonly string[];
  constructor({ problems, providerId }: { problems: readonly string[]; providerId?: string }) {
    super({
      name: 'WechatInvalidProviderError',
      code: 'PROVIDER_INVALID',
      ...(providerId === undefined ? {} : { providerId }),
      message: `Not a valid WeChat provider${providerId ? ` ('${providerId}')` : ''}: ${problems.join('; ')}.`,
    });
    this.problems = problems;
  }
  static override isInstance(error: unknown): error is WechatInvalidProviderError {
    return WechatError.hasMarker(error, 'wechat.error.invalid-provider');
  }
}

const unsupportedCapabilityMarker = Symbol.for('wechat.error.unsupported-capability');
/** The provider (or this room) cannot do this. `capability` is a path such as `send.voice` or `recall`. */
export class WechatUnsupportedCapabilityError extends WechatError {
  private readonly [unsupportedCapabilityMarker] = true;
  readonly capability: string;
  constructor({ capability, providerId, message }: { capability: string; providerId?: string; message?: string }) {
    super({
      name: 'WechatUnsupportedCapabilityError',
      code: 'CAPABILITY_UNSUPPORTED',
      ...(providerId === undefined ? {} : { providerId }),
      message: message ?? `${providerId ? `Provider '${providerId}'` : 'This provider'} does not support ${capability}.`,
    });
    this.capability = capability;
  }
  static override isInstance(error: unknown): error is WechatUnsupportedCapabilityError {
    return WechatError.hasMarker(error, 'wechat.error.unsupported-capability');
  }
}

const unavailableMarker = Symbol.for('wechat.error.provider-unavailable');
/** The remote side cannot be reached right now (connection refused, socket closed, service restarting). */
export class WechatProviderUnavailableError extends WechatError {
  private readonly [unavailableMarker] = true;
  constructor(options: WechatErrorOptions) {
    super({ name: 'WechatProviderUnavailableError', code: 'PROVIDER_UNAVAILABLE', retryable: true, ...options });
  }
  static override isInstance(error: unknown): error is WechatProviderUnavailableError {
    return WechatError.hasMarker(error, 'wechat.error.provider-unavailable');
  }
}

const rateLimitedMarker = Symbol.for('wechat.error.rate-limited');
/** The remote side asked us to slow down. */
export class WechatRateLimitedError extends WechatError {
  private readonly [rateLimitedMarker] = true;
  readonly retryAfterMs: number | undefined;
  constructor({ retryAfterMs, ...options }: WechatErrorOptions & { retryAfterMs?: number }) {
    super({ name: 'WechatRateLimitedError', code: 'RATE_LIMITED', retryable: true, ...options });
    this.retryAfterMs = retryAfterMs;
  }
  static override isInstance(error: unknown): error is WechatRateLimitedError {
    return WechatError.hasMarker(error, 'wechat.error.rate-limited');
  }
}

const riskControlMarker = Symbol.for('wechat.error.risk-control');
/**
 * Our own anti-ban protection refused a send (daily quota, new-account silence). Not retryable: sending the
 * message later, out of context, would surprise both sides; the user is told instead.
 */
export class WechatRiskControlError extends WechatError {
  private readonly [riskControlMarker] = true;
  readonly rule: 'daily-quota' | 'new-account-silence' | 'min-interval';
  /** When the rule stops blocking, if known (milliseconds from now). */
  readonly retryAfterMs: number | undefined;
  constructor({
    rule,
    retryAfterMs,
    ...options
  }: WechatErrorOptions & { rule: WechatRiskControlError['rule']; retryAfterMs?: number }) {
    super({ name: 'WechatRiskControlError', code: 'RISK_CONTROL_BLOCKED', retryable: false, ...options });
    this.rule = rule;
    this.retryAfterMs = retryAfterMs;
  }
  static override isInstance(error: unknown): error is WechatRiskControlError {
    return WechatError.hasMarker(error, 'wechat.error.risk-control');
  }
}

const authenticationMarker = Symbol.for('wechat.error.authentication');
/** Not logged in (`AUTH_REQUIRED`), or the configured credentials were refused (`CREDENTIALS_INVALID`). */
export class WechatAuthenticationError extends WechatError {
  private readonly [authenticationMarker] = true;
  constructor({ code, ...options }: WechatErrorOptions & { code: 'AUTH_REQUIRED' | 'CREDENTIALS_INVALID' }) {
    super({ name: 'WechatAuthenticationError', code, retryable: false, ...options });
  }
  static override isInstance(error: unknown): error is WechatAuthenticationError {
    return WechatError.hasMarker(error, 'wechat.error.authentication');
  }
}

const requestMarker = Symbol.for('wechat.error.request');
/**
 * A remote call failed. `retryable` defaults from the status code (timeouts, 408, 409, 429 and 5xx are
 * retryable), as the AI SDK's APICallError does; providers override it when the remote code says more.
 */
export class WechatRequestError extends WechatError {
  private readonly [requestMarker] = true;
  readonly operation: string;
  readonly statusCode: number | undefined;
  /** The remote side's own error code (WeCom errcode, GeWeChat ret, WeChatFerry status). */
  readonly remoteCode: string | number | undefined;
  /** A short, redacted excerpt of the response. Never contains tokens. */
  readonly responseBody: string | undefined;
  constructor({
    operation,
    statusCode,
    remoteCode,
    responseBody,
    retryable,
    ...options
  }: WechatErrorOptions & {
    operation: string;
    statusCode?: number;
    remoteCode?: string | number;
    responseBody?: string;
    retryable?: boolean;
  }) {
    super({
      name: 'WechatRequestError',
      code: 'REQUEST_FAILED',
      retryable: retryable ?? isRetryableStatus(statusCode),
      ...options,
    });
    this.operation = operation;
    this.statusCode = statusCode;
    this.remoteCode = remoteCode;
    this.responseBody = responseBody;
  }
  static override isInstance(error: unknown): error is WechatRequestError {
    return WechatError.hasMarker(error, 'wechat.error.request');
  }
}

/** No status code means the request never got an answer (timeout, reset): worth retrying. */
function isRetryableStatus(statusCode: number | undefined): boolean {
  if (statusCode === undefined) return true;
  return statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
}

const notFoundMarker = Symbol.for('wechat.error.not-found');
export class WechatNotFoundError extends WechatError {
  private readonly [notFoundMarker] = true;
  readonly entity: 'contact' | 'room' | 'message' | 'media' | 'friend-request';
  readonly id: string;
  constructor({ entity, id, providerId }: { entity: WechatNotFoundError['entity']; id: string; providerId?: string }) {
    super({
      name: 'WechatNotFoundError',
      code: 'ENTITY_NOT_FOUND',
      ...(providerId === undefined ? {} : { providerId }),
      message: `No ${entity} with id '${id}'.`,
    });
    this.entity = entity;
    this.id = id;
  }
  static override isInstance(error: unknown): error is WechatNotFoundError {
    return WechatError.hasMarker(error, 'wechat.error.not-found');
  }
}

const mediaTooLargeMarker = Symbol.for('wechat.error.media-too-large');
/** Refused before any upload: the remote side would reject a file this large. */
export class WechatMediaTooLargeError extends WechatError {
  private readonly [mediaTooLargeMarker] = true;
  readonly maxBytes: number;
  readonly actualBytes: number;
  constructor({
    maxBytes,
    actualBytes,
    providerId,
    kind,
  }: { maxBytes: number; actualBytes: number; providerId?: string; kind?: string }) {
    super({
      name: 'WechatMediaTooLargeError',
      code: 'MEDIA_TOO_LARGE',
      ...(providerId === undefined ? {} : { providerId }),
      message: `The ${kind ?? 'file'} is ${actualBytes} bytes; the limit is ${maxBytes} bytes.`,
    });
    this.maxBytes = maxBytes;
    this.actualBytes = actualBytes;
  }
  static override isInstance(error: unknown): error is WechatMediaTooLargeError {
    return WechatError.hasMarker(error, 'wechat.error.media-too-large');
  }
}

const invalidArgumentMarker = Symbol.for('wechat.error.invalid-argument');
/** The caller passed something the contract or the remote side cannot accept (empty text, a bad id). */
export class WechatInvalidArgumentError extends WechatError {
  private readonly [invalidArgumentMarker] = true;
  readonly argument: string;
  constructor({ argument, ...options }: WechatErrorOptions & { argument: string }) {
    super({ name: 'WechatInvalidArgumentError', code: 'INVALID_ARGUMENT', retryable: false, ...options });
    this.argument = argument;
  }
  static override isInstance(error: unknown): error is WechatInvalidArgumentError {
    return WechatError.hasMarker(error, 'wechat.error.invalid-argument');
  }
}

/** Wraps anything thrown into a WechatError, keeping WechatErrors as they are. */
export function toWechatError(error: unknown, providerId?: string): WechatError {
  if (WechatError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WechatError({
    name: 'WechatError',
    code: 'UNKNOWN',
    message,
    cause: error,
    ...(providerId === undefined ? {} : { providerId }),
  });
}
