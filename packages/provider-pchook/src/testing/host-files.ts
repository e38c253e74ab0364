import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWindowsPathMapper, type WindowsPathMapper } from '../provider/media/windows-path.ts';

/** The simulated host's disk: the shared directory and WeChat's storage, each with its Windows name. */
export interface HostFiles {
  readonly share: WindowsPathMapper;
  /** WeChat's storage for the account (`…\WeChat Files\<wxid>`). */
  readonly home: WindowsPathMapper;
  /** The local path of a host path, in either directory. */
  toLocal(windowsPath: string): string | undefined;
  read(windowsPath: string): Promise<Uint8Array | undefined>;
  exists(windowsPath: string): Promise<boolean>;
  /** Writes a file; false when the host path lies outside both directories. */
  write(windowsPath: string, data: Uint8Array): Promise<boolean>;
  /** Removes the temporary directories this object created. */
  dispose(): Promise<void>;
}

export async function createHostFiles(options: {
  readonly sharedDir?: string;
  readonly windowsDir: string;
  readonly wechatFilesInShare: boolean;
  readonly selfWxid: string;
}): Promise<HostFiles> {
  const created: string[] = [];
  const temporary = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    created.push(dir);
    return dir;
  };
  const sharedDir = options.sharedDir ?? (await temporary('wcf-share-'));
  const share = createWindowsPathMapper(sharedDir, options.windowsDir);
  const home = options.wechatFilesInShare
    ? createWindowsPathMapper(
        join(sharedDir, 'WeChat Files', options.selfWxid),
        share.toWindows('WeChat Files', options.selfWxid),
      )
    : createWindowsPathMapper(await temporary('wcf-home-'), `C:\\Users\\wcf\\Documents\\WeChat Files\\${options.selfWxid}`);
  await mkdir(home.localDir, { recursive: true });

  const toLocal = (windowsPath: string) => home.toLocal(windowsPath) ?? share.toLocal(windowsPath);
  return {
    share,
    home,
    toLocal,
    async read(windowsPath) {
      const local = toLocal(windowsPath);
      if (local === undefined) return undefined;
      try {
        return new Uint8Array(await readFile(local));
      } catch {
        return undefined;
      }
    },
    async exists(windowsPath) {
      const local = toLocal(windowsPath);
      if (local === undefined) return false;
      try {
        return (await stat(local)).isFile();
      } catch {
        return false;
      }
    },
    async write(windowsPath, data) {
      const local = toLocal(windowsPath);
      if (local === undefined) return false;
      await mkdir(dirname(local), { recursive: true });
      await writeFile(local, data);
      return true;
    },
    async dispose() {
      await Promise.all(created.splice(0).map(dir => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** How WeChat's own answers spell host paths: forward slashes (`std::filesystem::path::generic_string`). */
export function genericPath(windowsPath: string): string {
  return windowsPath.replaceAll('\\', '/');
}
