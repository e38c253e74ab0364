import { createHash } from 'node:crypto';
import { createServer } from 'node:net';

/** Held while a PGlite directory is open; `release` is idempotent. */
export interface DirectoryLock {
  release(): Promise<void>;
}

/** The directory is already open, in this process or another. */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  readonly directory: string;

  constructor(directory: string) {
    super(
      `the PGlite database in ${directory} is already open in another process (or elsewhere in this one). ` +
        'PGlite serves one process at a time: stop the other bridge, or use PostgreSQL (database.type: postgres) to run several.',
    );
    this.directory = directory;
  }
}

/**
 * Makes sure only one PGlite instance uses `directory` (a real path). PGlite itself takes no lock: a second
 * process opening the same directory starts without complaint, each keeps its own copy of the data in memory,
 * and their writes overwrite each other's files.
 *
 * The lock is a Linux abstract-namespace Unix socket named after the directory: binding it is atomic, and the
 * kernel frees it when the process dies, so a crash leaves no stale lock behind (a pid file would, and in
 * containers the next run often gets the same pid). Processes in different network namespaces (two containers
 * sharing a volume) do not see each other's sockets; on other platforms there is no lock at all.
 */
export async function lockDirectory(directory: string): Promise<DirectoryLock> {
  if (process.platform !== 'linux') return { release: async () => {} };
  const digest = createHash('sha256').update(directory).digest('hex').slice(0, 40);
  const server = createServer(socket => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new DirectoryLockedError(directory) : error);
    };
    server.once('error', onError);
    server.listen({ path: `\u0000wechat-bridge-pglite-${digest}`, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // The lock must not keep an otherwise finished process alive.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= new Promise<void>(resolve => server.close(() => resolve()));
      return released;
    },
  };
}
