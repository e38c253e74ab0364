import { readFile, stat } from 'node:fs/promises';
import {
  type Logger,
  type MediaDownloadV1,
  WechatNotFoundError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { type Clock, sleep } from '../../client/clock.ts';
import type { WcfClient } from '../../client/wcf-client.ts';
import { pchookProviderId } from '../../client/wcf-errors.ts';
import { decodeDatImage } from './dat-image.ts';
import type { PchookMediaRef } from './media-ref.ts';
import { mimeTypeOfName, sniffImageType } from './mime.ts';
import { windowsBaseName, type WindowsPathMapper } from './windows-path.ts';

export interface MediaDownloaderOptions {
  /** The shared directory, when configured. */
  readonly share: WindowsPathMapper | undefined;
  readonly client: () => WcfClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  /** Between polls for a file the host is still producing. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** How long the host gets to produce a file (download, decrypt). Default 30 s, as the Python client. */
  readonly timeoutMs?: number;
  /** How long a voice may take to reach the database. Default 3 s, as the Python client. */
  readonly voiceTimeoutMs?: number;
}

/** The subdirectory of the shared directory the host writes decrypted images and MP3s into. */
export const incomingDir = ['pchook', 'in'] as const;

/** The error for media operations without `shared_dir`/`windows_dir`, naming the keys to set. */
export function sharedDirRequired(capability: string, what: string): WechatUnsupportedCapabilityError {
  return new WechatUnsupportedCapabilityError({
    capability,
    providerId: pchookProviderId,
    message: `${what} through WeChatFerry needs a directory shared with the Windows host: set providers.pchook.shared_dir and providers.pchook.windows_dir.`,
  });
}

function outsideShare(capability: string, path: string): WechatUnsupportedCapabilityError {
  return new WechatUnsupportedCapabilityError({
    capability,
    providerId: pchookProviderId,
    message: `WeChat keeps this file at ${path} on the host, outside providers.pchook.windows_dir, so the bridge cannot read it. Move WeChat's storage ("WeChat Files", in WeChat's settings) into the shared directory.`,
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Fetches received media: through the shared directory for what the host stores, over HTTP for stickers. */
export function createMediaDownloader(options: MediaDownloaderOptions) {
  const { clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** Polls `produce` until it yields something, or gives up with a retryable error. */
  const poll = async <T>(
    what: string,
    budgetMs: number,
    produce: () => Promise<T | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    const deadline = clock.now() + budgetMs;
    for (;;) {
      const result = await produce();
      if (result !== undefined) return result;
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (clock.now() >= deadline) {
        throw new WechatRequestError({
          operation: what,
          providerId: pchookProviderId,
          retryable: true,
          message: `WeChatFerry did not produce ${what} within ${budgetMs} ms`,
        });
      }
      await sleep(clock, pollIntervalMs, signal);
    }
  };

  const requireShare = (capability: string, what: string) => {
    if (options.share === undefined) throw sharedDirRequired(capability, what);
    return options.share;
  };

  /** A file the host keeps in WeChat's storage, read through the share once it is on disk. */
  const stored = async (ref: PchookMediaRef, hostPath: string, capability: string, signal?: AbortSignal) => {
    const share = requireShare(capability, 'Downloading media');
    const local = share.toLocal(hostPath);
    if (local === undefined) throw outsideShare(capability, hostPath);
    if (!(await isFile(local))) {
      const isVideo = ref.kind === 'video';
      await options.client().downloadAttach(ref.id, isVideo ? (ref.thumb ?? '') : '', isVideo ? '' : hostPath);
      await poll(
        `the ${ref.kind} of message ${ref.id}`,
        timeoutMs,
        async () => ((await isFile(local)) ? true : undefined),
        signal,
      );
    }
    return new Uint8Array(await readFile(local));
  };

  const image = async (ref: PchookMediaRef, signal?: AbortSignal): Promise<MediaDownloadV1> => {
    const share = requireShare('download.image', 'Downloading images');
    const extra = ref.extra ?? '';
    if (extra === '') throw new WechatNotFoundError({ entity: 'media', id: ref.id, providerId: pchookProviderId });
    // WeChat's storage inside the share: read the .dat and undo the XOR here (no host round trip).
    if (share.toLocal(extra) !== undefined) {
      const decoded = decodeDatImage(await stored(ref, extra, 'download.image', signal));
      if (decoded !== undefined)
        return { data: decoded.data, mimeType: decoded.mimeType, fileName: `${ref.id}.${decoded.extension}` };
    }
    // Otherwise the host decrypts it into the share (FUNC_DECRYPT_IMAGE answers '' until the file is there).
    const client = options.client();
    await client.downloadAttach(ref.id, '', extra).catch((error: unknown) => {
      options.logger.debug({ error: String(error) }, 'FUNC_DOWNLOAD_ATTACH failed; trying to decrypt anyway');
    });
    const output = await poll(
      `the image of message ${ref.id}`,
      timeoutMs,
      async () => (await options.client().decryptImage(extra, share.toWindows(...incomingDir))) || undefined,
      signal,
    );
    const local = share.toLocal(output);
    if (local === undefined) throw outsideShare('download.image', output);
    const name = windowsBaseName(output);
    return { data: new Uint8Array(await readFile(local)), mimeType: mimeTypeOfName(name), fileName: name };
  };

  const voice = async (ref: PchookMediaRef, signal?: AbortSignal): Promise<MediaDownloadV1> => {
    const share = requireShare('download.voice', 'Downloading voice messages');
    const output = await poll(
      `the voice of message ${ref.id}`,
      options.voiceTimeoutMs ?? 3_000,
      async () => (await options.client().getAudioMsg(ref.id, share.toWindows(...incomingDir))) || undefined,
      signal,
    );
    const local = share.toLocal(output);
    if (local === undefined) throw outsideShare('download.voice', output);
    return { data: new Uint8Array(await readFile(local)), mimeType: 'audio/mpeg', fileName: `${ref.id}.mp3` };
  };

  const sticker = async (ref: PchookMediaRef, signal?: AbortSignal): Promise<MediaDownloadV1> => {
    const url = ref.url ?? '';
    const response = await options.fetch(url, signal === undefined ? {} : { signal });
    if (!response.ok) {
      throw new WechatRequestError({
        operation: 'download sticker',
        statusCode: response.status,
        providerId: pchookProviderId,
        message: `WeChat's emoji CDN answered ${response.status}`,
      });
    }
    const data = new Uint8Array(await response.arrayBuffer());
    const mimeType = sniffImageType(data) ?? response.headers.get('content-type') ?? 'image/gif';
    return { data, mimeType };
  };

  return {
    async download(ref: PchookMediaRef, signal?: AbortSignal): Promise<MediaDownloadV1> {
      switch (ref.kind) {
        case 'image':
          return image(ref, signal);
        case 'voice':
          return voice(ref, signal);
        case 'sticker':
          return sticker(ref, signal);
        case 'video': {
          const thumb = ref.thumb ?? '';
          if (thumb === '') throw new WechatNotFoundError({ entity: 'media', id: ref.id, providerId: pchookProviderId });
          const video = thumb.replace(/\.[^./\\]*$/, '.mp4');
          return {
            data: await stored(ref, video, 'download.video', signal),
            mimeType: 'video/mp4',
            fileName: windowsBaseName(video),
          };
        }
        case 'file': {
          const extra = ref.extra ?? '';
          if (extra === '') throw new WechatNotFoundError({ entity: 'media', id: ref.id, providerId: pchookProviderId });
          const fileName = ref.fileName ?? windowsBaseName(extra);
          return { data: await stored(ref, extra, 'download.file', signal), mimeType: mimeTypeOfName(fileName), fileName };
        }
      }
    },
  };
}

export type MediaDownloader = ReturnType<typeof createMediaDownloader>;
