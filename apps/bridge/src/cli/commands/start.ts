import { loadConfigFile } from '../../config/load-config.ts';
import { createWinstonLogger } from '../../logging/create-logger.ts';
import { runBridge } from '../../runtime/run-bridge.ts';
import type { CliIo } from '../cli-io.ts';

/** Runs the bridge in the foreground until the process is asked to stop. */
export async function start(io: CliIo, configFile: string): Promise<void> {
  const loaded = await loadConfigFile(configFile, io);
  const logger = createWinstonLogger({ level: loaded.config.logging.min_level, ...(io.log ? { write: io.log } : {}) });
  await runBridge(loaded, { logger, signal: io.shutdownSignal ?? new AbortController().signal });
}
