/** Where media lives: a WeCom `media_id` (3 days), a public URL (avatars, `PicUrl`), or both (the URL as a fallback). */
export interface WecomMediaPointer {
  readonly mediaId?: string;
  readonly url?: string;
}

/** `MediaRefV1.ref`: plain JSON, so hosts can persist it and download after a restart. */
export function encodeMediaRef(pointer: WecomMediaPointer): string {
  return JSON.stringify({
    ...(pointer.mediaId ? { mediaId: pointer.mediaId } : {}),
    ...(pointer.url ? { url: pointer.url } : {}),
  });
}

/** Undefined for a ref this provider did not mint. URLs must be http(s): a ref never makes the provider read files. */
export function decodeMediaRef(ref: string): WecomMediaPointer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(ref);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { mediaId, url } = value as Record<string, unknown>;
  const pointer = {
    ...(typeof mediaId === 'string' && mediaId !== '' ? { mediaId } : {}),
    ...(typeof url === 'string' && /^https?:\/\//i.test(url) ? { url } : {}),
  };
  return pointer.mediaId === undefined && pointer.url === undefined ? undefined : pointer;
}
