/** The file name of a `Content-Disposition` header: `filename*=UTF-8''…` wins over `filename="…"`. */
export function fileNameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name === '' ? undefined : name;
}

/** `attachment` marks a real download: WeCom reports `media/get` errors as JSON in a 200 without it (trap 8). */
export function isAttachment(header: string | null): boolean {
  return header !== null && /^\s*attachment\b/i.test(header);
}
