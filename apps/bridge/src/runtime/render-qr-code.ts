import type { RenderedQrCode } from '@wechat/bridge-core';
import QRCode from 'qrcode';

const size = 320;

/** The login QR code as a PNG the bridge uploads to the management room. */
export async function renderQrCode(text: string): Promise<RenderedQrCode> {
  const png = await QRCode.toBuffer(text, { type: 'png', width: size, margin: 2, errorCorrectionLevel: 'M' });
  return { data: new Uint8Array(png), mimeType: 'image/png', width: size, height: size };
}
