const startsWith = (data: Uint8Array, bytes: readonly number[], offset = 0) =>
  data.byteLength >= offset + bytes.length && bytes.every((byte, index) => data[offset + index] === byte);

const ascii = (text: string) => [...text].map(character => character.charCodeAt(0));

/** What WeCom checks on `media/upload`: images are JPG or PNG, voice is AMR, video is MP4 (reference A.2). */
export function mediaFormatAccepted(type: string, data: Uint8Array): boolean {
  switch (type) {
    case 'image':
      return startsWith(data, [0xff, 0xd8, 0xff]) || startsWith(data, [0x89, 0x50, 0x4e, 0x47]);
    case 'voice':
      return startsWith(data, ascii('#!AMR'));
    case 'video':
      return startsWith(data, ascii('ftyp'), 4);
    default:
      return true;
  }
}
