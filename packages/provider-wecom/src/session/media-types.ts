const extensions: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/amr': 'amr',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
};

/** A file name for media sent without one; WeCom shows it on file messages. */
export function defaultFileName(kind: string, mimeType: string): string {
  const essence = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return `${kind}.${extensions[essence] ?? 'bin'}`;
}

/** WeCom's `image` upload takes JPG and PNG only (reference A.2). */
export function isWecomImage(mimeType: string): boolean {
  return /^image\/(jpeg|jpg|png)\b/i.test(mimeType);
}

/** WeCom's `video` upload takes MP4 (reference A.2). */
export function isWecomVideo(mimeType: string): boolean {
  return /^video\/mp4\b/i.test(mimeType);
}

const amrMagic = new TextEncoder().encode('#!AMR\n');

/** AMR-NB files start with `#!AMR\n`; only those may go as WeCom voice (trap 9). */
export function isAmr(data: Uint8Array): boolean {
  return data.byteLength > amrMagic.byteLength && amrMagic.every((byte, index) => data[index] === byte);
}
