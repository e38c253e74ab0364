import { createHash } from 'node:crypto';
import type { SimIds } from './sim-ids.ts';
import { readMediaXml } from './media-xml.ts';

export type MediaKind = 'image' | 'voice' | 'video' | 'file' | 'emoji' | 'thumb';

/** A piece of media the simulated WeChat CDN holds. Its `aesKey` is the id embedded in message XML. */
export interface MediaItem {
  readonly aesKey: string;
  readonly kind: MediaKind;
  readonly data: Uint8Array;
  readonly md5: string;
  /** The extension the file server gives a download of it. */
  readonly ext: string;
  readonly fileName: string | undefined;
  /** Images and videos: the thumbnail (download type 3, `ImgBuf`). */
  readonly thumb: Uint8Array | undefined;
}

export interface ServedFile {
  readonly data: Uint8Array;
  readonly contentType: string;
}

export interface MediaStore {
  put(kind: MediaKind, data: Uint8Array, extra: { ext: string; fileName?: string; thumb?: Uint8Array }): MediaItem;
  byAesKey(aesKey: string): MediaItem | undefined;
  byMd5(md5: string): MediaItem | undefined;
  /** Voice downloads may name the message instead (`downloadVoice {msgId}`). */
  linkMessage(item: MediaItem, ...messageIds: string[]): void;
  byMessageId(messageId: string): MediaItem | undefined;
  /** The media a message XML refers to: by its aeskey, else by its md5. */
  findInXml(xml: string): { item: MediaItem | undefined; appType: number | undefined };
  /** Stores a download for the file server and returns its `fileUrl`: `<yyyymmdd>/<appId>/<uuid>.<ext>` (B.4). */
  saveDownload(appId: string, data: Uint8Array, ext: string, now: number): string;
  /** Serves bytes under an arbitrary path of the file server (`hosted/…`). */
  host(path: string, file: ServedFile): void;
  served(path: string): ServedFile | undefined;
  /** A container reset loses the downloaded files, not the CDN. */
  forgetDownloads(): void;
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function createMediaStore(ids: SimIds): MediaStore {
  const byAesKey = new Map<string, MediaItem>();
  const byMd5 = new Map<string, MediaItem>();
  const byMessageId = new Map<string, MediaItem>();
  const files = new Map<string, ServedFile>();

  return {
    put(kind, data, extra) {
      const item: MediaItem = {
        aesKey: ids.hex(16),
        kind,
        data,
        md5: md5Hex(data),
        ext: extra.ext,
        fileName: extra.fileName,
        thumb: extra.thumb,
      };
      byAesKey.set(item.aesKey, item);
      byMd5.set(item.md5, item);
      return item;
    },
    byAesKey: aesKey => byAesKey.get(aesKey),
    byMd5: md5 => byMd5.get(md5.toLowerCase()),
    linkMessage(item, ...messageIds) {
      for (const id of messageIds) byMessageId.set(id, item);
    },
    byMessageId: messageId => byMessageId.get(messageId),
    findInXml(xml) {
      const keys = readMediaXml(xml);
      if (!keys) return { item: undefined, appType: undefined };
      const item =
        keys.aesKeys.map(key => byAesKey.get(key)).find(found => found !== undefined) ??
        keys.md5s.map(md5 => byMd5.get(md5.toLowerCase())).find(found => found !== undefined);
      return { item, appType: keys.appType };
    },
    saveDownload(appId, data, ext, now) {
      const date = new Date(now);
      const day = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
      const fileUrl = `${day}/${appId}/${ids.uuid()}.${ext}`;
      files.set(`download/${fileUrl}`, { data, contentType: contentTypeOf(ext) });
      return fileUrl;
    },
    host(path, file) {
      files.set(path.replace(/^\/+/, ''), file);
    },
    served: path => files.get(path.replace(/^\/+/, '')),
    forgetDownloads() {
      for (const path of [...files.keys()]) if (path.startsWith('download/')) files.delete(path);
    },
  };
}

export function contentTypeOf(ext: string): string {
  const types: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    silk: 'audio/silk',
    mp4: 'video/mp4',
    pdf: 'application/pdf',
    txt: 'text/plain; charset=utf-8',
  };
  return types[ext.toLowerCase()] ?? 'application/octet-stream';
}
