/** What `downloadMedia` needs to fetch one received attachment again, even after a restart. */
export interface PchookMediaRef {
  readonly kind: 'image' | 'voice' | 'video' | 'file' | 'sticker';
  /** The message id (decimal string). */
  readonly id: string;
  /** Host path of the attachment (`WxMsg.extra`): the image `.dat`, the file. */
  readonly extra?: string;
  /** Host path of the thumbnail (`WxMsg.thumb`); a video's `.mp4` lies beside it. */
  readonly thumb?: string;
  /** A sticker's CDN URL. */
  readonly url?: string;
  readonly fileName?: string;
}

const prefix = 'pchook:1:';

export function encodeMediaRef(ref: PchookMediaRef): string {
  return prefix + Buffer.from(JSON.stringify(ref), 'utf8').toString('base64url');
}

/** Undefined for anything this provider did not mint. */
export function decodeMediaRef(ref: string): PchookMediaRef | undefined {
  if (!ref.startsWith(prefix)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(ref.slice(prefix.length), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { kind, id } = parsed as Record<string, unknown>;
    const kinds: readonly unknown[] = ['image', 'voice', 'video', 'file', 'sticker'];
    return kinds.includes(kind) && typeof id === 'string' ? (parsed as PchookMediaRef) : undefined;
  } catch {
    return undefined;
  }
}
