import { createHash, timingSafeEqual } from 'node:crypto';

/** `sha1(concat(sort([token, timestamp, nonce, encrypted])))` as lower-case hex; the parts sort as byte strings. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const parts = [token, timestamp, nonce, encrypted].map(part => Buffer.from(part, 'utf8')).sort(Buffer.compare);
  return createHash('sha1').update(Buffer.concat(parts)).digest('hex');
}

/** Constant-time comparison, so a forger learns nothing from how long the check took. */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
