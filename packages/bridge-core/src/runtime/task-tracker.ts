import type { Logger } from '@wechat/provider-api';

/**
 * Fire-and-forget work (a state write, a profile refresh, a login waiting for the phone) that must still be
 * finished before the bridge stops: closing the database under a running query would hang or lose the write.
 */
export interface TaskTracker {
  /** Runs `task` in the background; a failure is logged with `what`, never thrown. */
  run(what: string, task: Promise<unknown>): void;
  /** Resolves when every task started so far (and any they start) has settled. */
  settled(): Promise<void>;
}

export function createTaskTracker(logger: Logger): TaskTracker {
  const running = new Set<Promise<void>>();
  return {
    run(what, task) {
      const tracked: Promise<void> = task.then(
        () => undefined,
        error => logger.warn({ error }, `${what} failed`),
      );
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
