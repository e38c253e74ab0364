import { randomInt } from 'node:crypto';
import { createWecomCrypto } from '../crypto/wecom-crypto.ts';
import { wecomSignature } from '../crypto/wecom-signature.ts';
import { buildCallbackXml, type CallbackMessageInput, randomMsgId } from './callback-message-xml.ts';

export interface CallbackSenderOptions {
  /** The app's callback URL, e.g. `http://127.0.0.1:29351/callback`. */
  readonly url: string;
  /** The callback Token, EncodingAESKey and CorpID, as configured for the app. */
  readonly token: string;
  readonly aesKey: string;
  readonly corpId: string;
  /** The `AgentID` of each message; default 1000002. */
  readonly agentId?: number;
  /** Milliseconds since the epoch, for `CreateTime` and the signed timestamp. */
  readonly now?: () => number;
  readonly fetch?: typeof globalThis.fetch;
}

/** How to sign and address one request, mostly to build the callbacks a server must refuse. */
export interface CallbackRequestOptions {
  /** Seconds since the epoch; default: now. An old one makes a stale callback. */
  readonly timestamp?: number;
  readonly nonce?: string;
  /** `'signature'` sends a wrong `msg_signature`. */
  readonly tamper?: 'signature';
  /** Encrypts for another corp id (the receive id inside the payload). */
  readonly receiveId?: string;
  /** The envelope's `ToUserName`; default the corp id. */
  readonly toUserName?: string;
}

export interface CallbackRequest {
  readonly url: string;
  readonly body: string;
}

export interface CallbackDelivery {
  readonly status: number;
  readonly body: string;
  /** The decrypted XML that was sent. */
  readonly plaintext: string;
  /** The message's `MsgId` (events have none). */
  readonly msgId: string | undefined;
  /** Seconds since the epoch. */
  readonly createTime: number;
  /** Exactly what was POSTed, for `replay`. */
  readonly request: CallbackRequest;
}

/** WeCom's side of the callback protocol: signed, encrypted POSTs and the URL verification GET. */
export interface CallbackSender {
  /** Builds, encrypts, signs and POSTs one message or event. */
  send(message: CallbackMessageInput, options?: CallbackRequestOptions): Promise<CallbackDelivery>;
  /** The same for a plaintext you wrote yourself. */
  sendXml(plaintext: string, options?: CallbackRequestOptions): Promise<CallbackDelivery>;
  /** POSTs an earlier request again, byte for byte, as WeCom's retries do. */
  replay(delivery: CallbackDelivery): Promise<CallbackDelivery>;
  /** The admin console's check: GET with an encrypted `echostr`; a correct server answers with `echo`. */
  verifyUrl(options?: CallbackRequestOptions & { readonly echo?: string }): Promise<{
    readonly status: number;
    readonly body: string;
    readonly echo: string;
  }>;
  /** The request `sendXml` would POST, without sending it. */
  prepare(plaintext: string, options?: CallbackRequestOptions): CallbackRequest;
}

const digits = (length: number) => Array.from({ length }, () => randomInt(10)).join('');

export function createCallbackSender(options: CallbackSenderOptions): CallbackSender {
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? globalThis.fetch;
  const agentId = options.agentId ?? 1000002;
  const cryptoFor = (receiveId: string) => createWecomCrypto({ token: options.token, encodingAesKey: options.aesKey, receiveId });

  const signed = (encrypted: string, request: CallbackRequestOptions) => {
    const timestamp = String(request.timestamp ?? Math.floor(now() / 1000));
    const nonce = request.nonce ?? digits(10);
    const signature = wecomSignature(options.token, timestamp, nonce, encrypted);
    const tampered =
      request.tamper === 'signature' ? `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` : signature;
    return { timestamp, nonce, signature: tampered };
  };

  const prepare = (plaintext: string, request: CallbackRequestOptions = {}): CallbackRequest => {
    const encrypted = cryptoFor(request.receiveId ?? options.corpId).encryptMessage(plaintext, {
      timestamp: '0',
      nonce: '0',
    }).encrypt;
    const { timestamp, nonce, signature } = signed(encrypted, request);
    const url = new URL(options.url);
    url.search = `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
    const body =
      `<xml><ToUserName><![CDATA[${request.toUserName ?? options.corpId}]]></ToUserName>` +
      `<Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${agentId}]]></AgentID></xml>`;
    return { url: url.toString(), body };
  };

  const post = async (request: CallbackRequest) => {
    const response = await fetch(request.url, { method: 'POST', body: request.body, headers: { 'content-type': 'text/xml' } });
    return { status: response.status, body: await response.text() };
  };

  const deliver = async (
    plaintext: string,
    request: CallbackRequestOptions,
    meta: { readonly msgId: string | undefined; readonly createTime: number },
  ): Promise<CallbackDelivery> => {
    const prepared = prepare(plaintext, request);
    return { ...(await post(prepared)), plaintext, ...meta, request: prepared };
  };

  return {
    prepare,
    sendXml: (plaintext, request = {}) => deliver(plaintext, request, { msgId: undefined, createTime: Math.floor(now() / 1000) }),
    send: (message, request) => {
      const createTime = message.createTime ?? Math.floor(now() / 1000);
      const msgId = message.type === 'event' ? undefined : (message.msgId ?? randomMsgId());
      const plaintext = buildCallbackXml(message, {
        corpId: options.corpId,
        agentId: message.agentId ?? agentId,
        createTime,
        msgId: msgId ?? '',
      });
      return deliver(plaintext, request ?? {}, { msgId, createTime });
    },
    replay: async delivery => ({ ...delivery, ...(await post(delivery.request)) }),
    verifyUrl: async (request = {}) => {
      const echo = request.echo ?? digits(19);
      const echostr = cryptoFor(request.receiveId ?? options.corpId).encryptMessage(echo, { timestamp: '0', nonce: '0' }).encrypt;
      const { timestamp, nonce, signature } = signed(echostr, request);
      const url = new URL(options.url);
      // Encoded as WeCom sends it: `+ / =` as `%2B %2F %3D` (trap 4).
      url.search = `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
      const response = await fetch(url, { method: 'GET' });
      return { status: response.status, body: await response.text(), echo };
    },
  };
}
