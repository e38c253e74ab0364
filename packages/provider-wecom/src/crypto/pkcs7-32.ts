/**
 * WXBizMsgCrypt pads to 32-byte blocks, not AES's 16: Node's built-in unpadding throws `bad decrypt` for any
 * pad above 16 (reference A.4 and trap 3), so padding is done by hand around `setAutoPadding(false)`.
 */
export const wecomBlockSize = 32;

export function pad32(data: Uint8Array): Uint8Array {
  const pad = wecomBlockSize - (data.byteLength % wecomBlockSize);
  const padded = new Uint8Array(data.byteLength + pad);
  padded.set(data);
  padded.fill(pad, data.byteLength);
  return padded;
}

/** As the official SDK does: a last byte outside 1..32 means "no padding", and the receive-id check catches the rest. */
export function unpad32(data: Uint8Array): Uint8Array {
  const pad = data.at(-1) ?? 0;
  const length = pad < 1 || pad > wecomBlockSize ? data.byteLength : data.byteLength - pad;
  return data.subarray(0, length);
}
