import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  readonly status: number | null;
  /** stdout and stderr together, for assertion messages. */
  readonly output: string;
}

/** The absolute path of an executable found on the given PATH value, or undefined. */
export function findExecutable(name: string, pathValue: string | undefined): string | undefined {
  for (const directory of (pathValue ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return undefined;
}

/** Runs a command to completion without a shell. */
export function runCommand(file: string, args: readonly string[], cwd: string): CommandResult {
  const result = spawnSync(file, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
