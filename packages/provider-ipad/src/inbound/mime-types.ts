/** File types WeChat users commonly send; anything else is left for the downloader to sniff. */
const byExtension: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  apk: 'application/vnd.android.package-archive',
};

export function mimeTypeForFile(fileName: string | undefined, extension?: string): string | undefined {
  const ext = (extension ?? fileName?.split('.').pop() ?? '').toLowerCase().replace(/^\./, '');
  return Object.hasOwn(byExtension, ext) ? byExtension[ext] : undefined;
}
