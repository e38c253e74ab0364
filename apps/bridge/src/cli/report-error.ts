import { WechatConfigValidationError } from '@wechat/provider-api';
import { ConfigFileError } from '../config/config-file-error.ts';
import type { CliIo } from './cli-io.ts';

/**
 * Prints why a command failed. Config problems are the user's to fix, so they get a plain list,
 * no stack; anything else is a bug in the bridge, and the stack helps whoever reports it.
 */
export function reportError(io: Pick<CliIo, 'stderr'>, error: unknown, configFile: string | undefined): void {
  if (error instanceof ConfigFileError) {
    io.stderr(`${error.problems.join('\n')}\n`);
  } else if (WechatConfigValidationError.isInstance(error)) {
    const where = configFile === undefined ? 'The configuration' : configFile;
    const lines = error.issues.map(issue => `  - ${issue.path || '(root)'}: ${issue.message}`);
    io.stderr(`${where} is not valid:\n${lines.join('\n')}\n`);
  } else {
    io.stderr(
      `wechat-bridge: unexpected error (a bug; please report it):\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
}
