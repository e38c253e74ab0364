import { createWecomCipher, type WecomCipher, WecomCryptoError } from './wecom-cipher.ts';
import { signatureMatches, wecomSignature } from './wecom-signature.ts';

export interface WecomCryptoOptions {
  /** The callback Token from the app's "receive messages" settings. */
  readonly token: string;
  readonly encodingAesKey: string;
  /** The CorpID: what every payload must end with, and what replies are encrypted for. */
  readonly receiveId: string;
}

export interface SignedQuery {
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

export interface EncryptedReply {
  readonly encrypt: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
  /** The passive-reply envelope (sbzhu/weworkapi_python: `AES_TEXT_RESPONSE_TEMPLATE`). */
  readonly xml: string;
}

/** WXBizMsgCrypt: signature check, decryption and receive-id check in one place, for both directions. */
export interface WecomCrypto {
  /** Verifies and decrypts a URL-verification `echostr` (already URL-decoded); returns the bare plaintext. */
  verifyUrl(query: SignedQuery & { readonly echostr: string }): string;
  /** Verifies and decrypts a POST's `Encrypt` element; returns the inner XML. */
  decryptMessage(query: SignedQuery, encrypted: string): string;
  /** Encrypts and signs a message, as WeCom does for callbacks and an app does for passive replies. */
  encryptMessage(
    message: string,
    options: { readonly timestamp: string; readonly nonce: string; readonly random?: Uint8Array },
  ): EncryptedReply;
}

export function createWecomCrypto({ token, encodingAesKey, receiveId }: WecomCryptoOptions): WecomCrypto {
  const cipher: WecomCipher = createWecomCipher(encodingAesKey);

  const open = ({ signature, timestamp, nonce }: SignedQuery, encrypted: string): string => {
    if (!signatureMatches(wecomSignature(token, timestamp, nonce, encrypted), signature)) {
      throw new WecomCryptoError('bad-signature', 'the msg_signature does not match');
    }
    const { message, receiveId: actual } = cipher.decrypt(encrypted);
    if (actual !== receiveId) throw new WecomCryptoError('wrong-receiver', 'the payload is addressed to another corp id');
    return message;
  };

  return {
    verifyUrl: ({ echostr, ...query }) => open(query, echostr),
    decryptMessage: open,
    encryptMessage(message, { timestamp, nonce, random }) {
      const encrypt = cipher.encrypt(message, receiveId, random);
      const signature = wecomSignature(token, timestamp, nonce, encrypt);
      const xml =
        `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
        `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
      return { encrypt, signature, timestamp, nonce, xml };
    },
  };
}
