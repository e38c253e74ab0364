import type { ProviderRegistry } from '@wechat/provider-api';

/** Everything the CLI touches outside itself, injected so tests run it without a process, disk or terminal. */
export interface CliIo {
  /** Program output only (YAML, the validation summary), so it can be redirected into a file. */
  readonly stdout: (text: string) => void;
  /** Errors and usage on a bad invocation. */
  readonly stderr: (text: string) => void;
  /** Read for `WECHAT_BRIDGE_*` settings. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the config file and `<key>_file` secrets, as UTF-8. */
  readonly readFile: (path: string) => Promise<string>;
  /** The providers this build can run; enabled provider sections are validated against them. */
  readonly providers: ProviderRegistry;
  /** Imports provider packages named by `providers.<id>.module`; absent → such sections are unknown providers. */
  readonly importModule?: (moduleName: string) => Promise<unknown>;
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM); long-running commands end cleanly then. */
  readonly shutdownSignal?: AbortSignal;
  /** Where the log of long-running commands goes (one line per entry). Default: stdout. */
  readonly log?: (line: string) => void;
}
