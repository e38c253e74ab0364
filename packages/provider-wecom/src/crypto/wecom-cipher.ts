import { createCipheriv, createDecipheriv, randomInt } from 'node:crypto';
import { pad32, unpad32 } from './pkcs7-32.ts';

/** Why a callback was refused; the callback server turns each into a status code and a log line. */
export type WecomCryptoFailure = 'malformed' | 'bad-signature' | 'wrong-receiver' | 'stale';

export class WecomCryptoError extends Error {
  readonly reason: WecomCryptoFailure;
  constructor(reason: WecomCryptoFailure, message: string) {
    super(message);
    this.name = 'WecomCryptoError';
    this.reason = reason;
  }
}

export interface DecryptedPayload {
  readonly message: string;
  /** The CorpID for a self-built app (a suite id for third-party apps). */
  readonly receiveId: string;
}

export interface WecomCipher {
  /** `random` is the 16-byte prefix; fixed only to reproduce test vectors. */
  encrypt(message: string, receiveId: string, random?: Uint8Array): string;
  decrypt(encrypted: string): DecryptedPayload;
}

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** The official SDKs use 16 random letters and digits; any 16 bytes decrypt the same. */
function randomPrefix(): Uint8Array {
  return Uint8Array.from({ length: 16 }, () => alphanumerics.charCodeAt(randomInt(alphanumerics.length)));
}

/** AES-256-CBC with key = base64(EncodingAESKey + "=") and IV = the key's first 16 bytes (reference A.4). */
export function createWecomCipher(encodingAesKey: string): WecomCipher {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (encodingAesKey.length !== 43 || key.byteLength !== 32) {
    throw new TypeError('The EncodingAESKey must be 43 base64 characters (32 bytes once decoded)');
  }
  const iv = key.subarray(0, 16);

  return {
    encrypt(message, receiveId, random = randomPrefix()) {
      if (random.byteLength !== 16) throw new TypeError('The random prefix must be 16 bytes');
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.byteLength);
      const plain = pad32(Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]));
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    },
    decrypt(encrypted) {
      const data = base64Pattern.test(encrypted) ? Buffer.from(encrypted, 'base64') : Buffer.alloc(0);
      if (data.byteLength === 0 || data.byteLength % 16 !== 0) {
        throw new WecomCryptoError('malformed', 'the encrypted payload is not base64 of whole AES blocks');
      }
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const plain = unpad32(Buffer.concat([decipher.update(data), decipher.final()]));
      if (plain.byteLength < 20) throw new WecomCryptoError('malformed', 'the decrypted payload is too short');
      const view = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
      // The length counts bytes, not characters: Chinese text makes the difference (reference A.4, step 3).
      const length = view.readUInt32BE(16);
      if (20 + length > view.byteLength) {
        throw new WecomCryptoError('malformed', 'the decrypted message length exceeds the payload');
      }
      return {
        message: view.subarray(20, 20 + length).toString('utf8'),
        receiveId: view.subarray(20 + length).toString('utf8'),
      };
    },
  };
}
