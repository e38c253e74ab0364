import { join } from 'node:path';

/**
 * One directory seen from both machines: `localDir` here, `windowsDir` on the WeChatFerry host. The host
 * names files with either separator (its own answers use `/`, `generic_string()`), in any case.
 */
export interface WindowsPathMapper {
  readonly localDir: string;
  /** `windowsDir` without a trailing separator. */
  readonly windowsDir: string;
  /**
   * The local path of a host path inside `windowsDir`; undefined for paths outside it, and for paths that would
   * climb out of it (`..`).
   */
  toLocal(windowsPath: string): string | undefined;
  /** The host path of `windowsDir\segment\…`, with backslashes. */
  toWindows(...segments: readonly string[]): string;
}

function normalize(windowsPath: string): string {
  const unc = windowsPath.startsWith('\\\\') || windowsPath.startsWith('//');
  const collapsed = windowsPath.replaceAll('/', '\\').replace(/\\+/g, '\\').replace(/\\$/, '');
  return unc ? `\\${collapsed}` : collapsed;
}

export function createWindowsPathMapper(localDir: string, windowsDir: string): WindowsPathMapper {
  const root = normalize(windowsDir);
  const rootKey = root.toLowerCase();
  return {
    localDir,
    windowsDir: root,
    toLocal(windowsPath) {
      const path = normalize(windowsPath);
      if (path.toLowerCase() === rootKey) return localDir;
      if (!path.toLowerCase().startsWith(`${rootKey}\\`)) return undefined;
      const segments = path.slice(root.length + 1).split('\\');
      if (segments.some(segment => segment === '' || segment === '.' || segment === '..')) return undefined;
      return join(localDir, ...segments);
    },
    toWindows(...segments) {
      return [root, ...segments].join('\\');
    },
  };
}

/** The last segment of a host path, whichever separator it uses. */
export function windowsBaseName(windowsPath: string): string {
  const normalized = windowsPath.replaceAll('\\', '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

/** `name` made safe as one Windows path segment (WeChat shows a sent file under this name). */
export function safeWindowsFileName(name: string, fallback: string): string {
  const cleaned = Array.from(name, char => ('<>:"/\\|?*'.includes(char) || char.charCodeAt(0) < 32 ? '_' : char))
    .join('')
    .trim()
    .replace(/[. ]+$/, '');
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(cleaned);
  return cleaned === '' || reserved ? fallback : cleaned.slice(0, 200);
}
