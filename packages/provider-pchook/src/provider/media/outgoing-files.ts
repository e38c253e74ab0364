import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeWindowsFileName, type WindowsPathMapper } from './windows-path.ts';

/** The subdirectory of the shared directory outgoing files are staged in, one directory per send. */
export const outgoingDir = ['pchook', 'out'] as const;

/**
 * Copies bytes into the shared directory so the host can read them, and answers the path the host knows
 * them by (`windows_dir\pchook\out\<uuid>\<name>`). Each send gets its own directory, so the file keeps the
 * name WeChat shows to the recipient.
 */
export async function stageOutgoingFile(
  share: WindowsPathMapper,
  data: Uint8Array,
  fileName: string,
): Promise<{ readonly windowsPath: string; readonly localPath: string }> {
  const id = randomUUID();
  const name = safeWindowsFileName(fileName, 'file');
  const directory = join(share.localDir, ...outgoingDir, id);
  await mkdir(directory, { recursive: true });
  const localPath = join(directory, name);
  await writeFile(localPath, data);
  return { windowsPath: share.toWindows(...outgoingDir, id, name), localPath };
}

/**
 * Removes staged files older than `maxAgeMs`. WeChat reads a file some time after the send call returned, so
 * files are not removed right away; the sweep runs when a session starts.
 */
export async function sweepOutgoingFiles(share: WindowsPathMapper, maxAgeMs: number, now: number): Promise<number> {
  const root = join(share.localDir, ...outgoingDir);
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    const path = join(root, entry);
    try {
      if (now - (await stat(path)).mtimeMs > maxAgeMs) {
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}
