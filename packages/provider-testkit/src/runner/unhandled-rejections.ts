import process from 'node:process';

export interface UnhandledRejectionWatcher {
  /** Every reason reported since the watcher was installed. */
  readonly rejections: readonly unknown[];
  /** Removes the listener. Idempotent. */
  stop(): void;
}

/**
 * Records every unhandled rejection while installed. Other listeners (a test runner's) stay in place, so the
 * kit never hides a rejection: it only attributes it to the case during which it happened.
 */
export function watchUnhandledRejections(): UnhandledRejectionWatcher {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    rejections,
    stop: () => {
      process.off('unhandledRejection', listener);
    },
  };
}
