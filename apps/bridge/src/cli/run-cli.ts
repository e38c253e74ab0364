import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.ts';
import { generateConfig } from './commands/generate-config.ts';
import { generateRegistration } from './commands/generate-registration.ts';
import { start } from './commands/start.ts';
import { validateConfig } from './commands/validate-config.ts';
import { reportError } from './report-error.ts';
import { usage } from './usage.ts';

/** 0: done. 1: the command failed (bad config, unreadable file). 2: the command line itself is wrong. */
export type ExitCode = 0 | 1 | 2;

interface Command {
  readonly needsConfig: boolean;
  /** Throws on failure; `runCli` reports the error. */
  readonly run: (io: CliIo, configFile: string) => void | Promise<void>;
}

const commands: Readonly<Record<string, Command>> = {
  'generate-config': { needsConfig: false, run: generateConfig },
  'generate-registration': { needsConfig: true, run: generateRegistration },
  'validate-config': { needsConfig: true, run: validateConfig },
  start: { needsConfig: true, run: start },
};

/** The whole CLI, without touching the process: `cli.ts` passes argv and the real IO and sets the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let parsed: { values: { config?: string | undefined; help?: boolean | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (values.help || name === undefined || name === 'help') {
    io.stdout(usage);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) return usageError(io, `unknown command '${name}'`);
  if (extra.length > 0) return usageError(io, `unexpected argument '${extra[0]}'`);
  if (command.needsConfig && values.config === undefined) return usageError(io, `${name} needs --config FILE`);
  if (!command.needsConfig && values.config !== undefined) return usageError(io, `${name} takes no --config`);
  const configFile = values.config ?? '';
  try {
    await command.run(io, configFile);
    return 0;
  } catch (error) {
    reportError(io, error, values.config);
    return 1;
  }
}

function usageError(io: Pick<CliIo, 'stderr'>, problem: string): 2 {
  io.stderr(`wechat-bridge: ${problem}\n\n${usage}`);
  return 2;
}
