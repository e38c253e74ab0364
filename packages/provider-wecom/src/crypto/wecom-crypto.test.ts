import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pad32, unpad32 } from './pkcs7-32.ts';
import { createWecomCipher, WecomCryptoError } from './wecom-cipher.ts';
import { createWecomCrypto } from './wecom-crypto.ts';
import { wecomSignature } from './wecom-signature.ts';

// The public WXBizMsgCrypt vectors of the reference (A.4, sets 1–3), each recomputed there.
const set1 = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
  verify: {
    signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    onTheWire: 'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
    echo: '1616140317555161061',
  },
  message: {
    signature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
    random: '0960688932c47ef1',
    plaintext:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
  },
};

const set2 = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  receiveId: 'ww1436e0e65a779aee',
  verify: {
    signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    echo: '1288432023552776189',
  },
  message: {
    signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
    timestamp: '1476422779',
    nonce: '1597212914',
    encrypt:
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
    plaintext:
      '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
  },
};

const set3 = {
  token: '123456',
  encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  receiveId: 'wx49f0ab532d5d035a',
  verify: {
    signature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96',
    timestamp: '1411443780',
    nonce: '437374425',
    echostr: '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==',
    echo: '5927782489442352469',
  },
  message: {
    signature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26d',
    timestamp: '1411525903',
    nonce: '461056294',
    encrypt:
      'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=',
  },
  reply: {
    random: '1234567890123456',
    timestamp: '1411525903',
    nonce: '461056294',
    plaintext:
      '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>',
    encrypt:
      '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3',
    signature: '407518b7649e86ef23978113f92d27afa9296533',
  },
};

const ascii = (text: string) => new TextEncoder().encode(text);

/** The raw decrypted block before unpadding, to check the layout and the pad byte itself. */
function rawPlaintext(encodingAesKey: string, encrypted: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
}

describe('signatures (official vectors)', () => {
  it.each([
    ['set 1 URL verification', set1, set1.verify.timestamp, set1.verify.nonce, set1.verify.echostr, set1.verify.signature],
    ['set 1 message', set1, set1.message.timestamp, set1.message.nonce, set1.message.encrypt, set1.message.signature],
    ['set 2 URL verification', set2, set2.verify.timestamp, set2.verify.nonce, set2.verify.echostr, set2.verify.signature],
    ['set 2 message', set2, set2.message.timestamp, set2.message.nonce, set2.message.encrypt, set2.message.signature],
    ['set 3 URL verification', set3, set3.verify.timestamp, set3.verify.nonce, set3.verify.echostr, set3.verify.signature],
    ['set 3 message', set3, set3.message.timestamp, set3.message.nonce, set3.message.encrypt, set3.message.signature],
    ['set 3 reply', set3, set3.reply.timestamp, set3.reply.nonce, set3.reply.encrypt, set3.reply.signature],
  ])('reproduces the %s signature', (_name, set, timestamp, nonce, encrypted, signature) => {
    expect(wecomSignature(set.token, timestamp, nonce, encrypted)).toBe(signature);
  });
});

describe('URL verification (official vectors)', () => {
  it.each([
    ['set 1', set1],
    ['set 2', set2],
    ['set 3', set3],
  ])('%s echoes the bare plaintext', (_name, set) => {
    const { echo, ...query } = set.verify;
    expect(createWecomCrypto(set).verifyUrl(query)).toBe(echo);
  });

  it('needs the URL-decoded echostr (trap 4): the wire form does not verify', () => {
    const crypto = createWecomCrypto(set1);
    expect(decodeURIComponent(set1.verify.onTheWire)).toBe(set1.verify.echostr);
    expect(() => crypto.verifyUrl({ ...set1.verify, echostr: set1.verify.onTheWire })).toThrow(WecomCryptoError);
  });

  it('decrypts set 1 to its documented layout: random, length 19, echo, corp id, pad 7', () => {
    const raw = rawPlaintext(set1.encodingAesKey, set1.verify.echostr);
    expect(raw.subarray(0, 16).toString('ascii')).toBe('c41b64491c2468d0');
    expect(raw.readUInt32BE(16)).toBe(19);
    expect(raw.at(-1)).toBe(7);
    expect(raw.subarray(20, raw.byteLength - 7).toString()).toBe(`${set1.verify.echo}${set1.receiveId}`);
  });

  it('rejects set 3 with the nonce changed', () => {
    const { echo: _echo, ...query } = set3.verify;
    expect(() => createWecomCrypto(set3).verifyUrl({ ...query, nonce: '437374424' })).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });
});

describe('message decryption (official vectors)', () => {
  it('decrypts set 1 exactly, although its pad is 30 (Node auto-padding would throw)', () => {
    const raw = rawPlaintext(set1.encodingAesKey, set1.message.encrypt);
    expect(raw.at(-1)).toBe(30);
    expect(raw.readUInt32BE(16)).toBe(284);
    const key = Buffer.from(`${set1.encodingAesKey}=`, 'base64');
    const automatic = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    expect(() => Buffer.concat([automatic.update(Buffer.from(set1.message.encrypt, 'base64')), automatic.final()])).toThrow();
    const { encrypt, ...query } = set1.message;
    expect(createWecomCrypto(set1).decryptMessage(query, encrypt)).toBe(set1.message.plaintext);
  });

  it('decrypts set 2 exactly, counting the length in bytes (Chinese text)', () => {
    const raw = rawPlaintext(set2.encodingAesKey, set2.message.encrypt);
    expect(raw.subarray(0, 16).toString('ascii')).toBe('694ce5a83ae07fe3');
    expect(raw.readUInt32BE(16)).toBe(228);
    expect(raw.at(-1)).toBe(22);
    expect(set2.message.plaintext.length).toBeLessThan(228);
    const { encrypt, ...query } = set2.message;
    expect(createWecomCrypto(set2).decryptMessage(query, encrypt)).toBe(set2.message.plaintext);
  });

  it('decrypts set 3 (pad 1)', () => {
    expect(rawPlaintext(set3.encodingAesKey, set3.message.encrypt).at(-1)).toBe(1);
    const { encrypt, ...query } = set3.message;
    const xml = createWecomCrypto(set3).decryptMessage(query, encrypt);
    expect(xml).toContain('<Content><![CDATA[test]]></Content>');
    expect(xml).toContain('<FromUserName><![CDATA[messense]]></FromUserName>');
    expect(xml).toContain('<MsgId>4363689963896700987</MsgId>');
    expect(xml).toContain('<AgentID>1</AgentID>');
  });

  it('rejects a tampered signature', () => {
    const { encrypt, ...query } = set1.message;
    const tampered = `${query.signature.slice(0, -1)}${query.signature.endsWith('0') ? '1' : '0'}`;
    expect(() => createWecomCrypto(set1).decryptMessage({ ...query, signature: tampered }, encrypt)).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });

  it('rejects a payload for another corp id', () => {
    const { encrypt, ...query } = set1.message;
    expect(() => createWecomCrypto({ ...set1, receiveId: 'ww0000000000000000' }).decryptMessage(query, encrypt)).toThrow(
      expect.objectContaining({ reason: 'wrong-receiver' }),
    );
  });

  it('rejects what is not whole AES blocks of base64', () => {
    const cipher = createWecomCipher(set1.encodingAesKey);
    expect(() => cipher.decrypt('not base64!')).toThrow(expect.objectContaining({ reason: 'malformed' }));
    expect(() => cipher.decrypt(Buffer.alloc(20).toString('base64'))).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });
});

describe('encryption (deterministic vectors)', () => {
  it('reproduces the set 3 reply byte for byte with the random prefix injected', () => {
    const reply = createWecomCrypto(set3).encryptMessage(set3.reply.plaintext, {
      timestamp: set3.reply.timestamp,
      nonce: set3.reply.nonce,
      random: ascii(set3.reply.random),
    });
    expect(reply.encrypt).toBe(set3.reply.encrypt);
    expect(reply.signature).toBe(set3.reply.signature);
    expect(reply.xml).toBe(
      `<xml><Encrypt><![CDATA[${set3.reply.encrypt}]]></Encrypt><MsgSignature><![CDATA[${set3.reply.signature}]]></MsgSignature><TimeStamp>${set3.reply.timestamp}</TimeStamp><Nonce><![CDATA[${set3.reply.nonce}]]></Nonce></xml>`,
    );
  });

  it('reproduces the set 1 message from its plaintext and random prefix', () => {
    const cipher = createWecomCipher(set1.encodingAesKey);
    expect(cipher.encrypt(set1.message.plaintext, set1.receiveId, ascii(set1.message.random))).toBe(set1.message.encrypt);
  });

  it('round-trips with a fresh random prefix every time', () => {
    const crypto = createWecomCrypto(set2);
    const first = crypto.encryptMessage('<xml>你好</xml>', { timestamp: '1', nonce: 'n' });
    const second = crypto.encryptMessage('<xml>你好</xml>', { timestamp: '1', nonce: 'n' });
    expect(first.encrypt).not.toBe(second.encrypt);
    expect(crypto.decryptMessage(first, first.encrypt)).toBe('<xml>你好</xml>');
  });
});

describe('32-byte PKCS#7', () => {
  it('pads to a multiple of 32, a whole block when already aligned', () => {
    expect(pad32(new Uint8Array(30)).subarray(30)).toEqual(Uint8Array.of(2, 2));
    const aligned = pad32(new Uint8Array(32));
    expect(aligned.byteLength).toBe(64);
    expect(new Set(aligned.subarray(32))).toEqual(new Set([32]));
    expect(unpad32(aligned).byteLength).toBe(32);
  });

  it('treats a last byte outside 1..32 as no padding, as the official SDK does', () => {
    expect(unpad32(Uint8Array.of(1, 2, 33)).byteLength).toBe(3);
    expect(unpad32(Uint8Array.of(1, 2, 0)).byteLength).toBe(3);
  });
});
