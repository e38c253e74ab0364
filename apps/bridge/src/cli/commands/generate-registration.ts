import { loadConfigFile } from '../../config/load-config.ts';
import { buildRegistration, renderRegistration } from '../../registration/registration.ts';
import type { CliIo } from '../cli-io.ts';

export async function generateRegistration(io: CliIo, configFile: string): Promise<void> {
  const { config } = await loadConfigFile(configFile, io);
  io.stdout(renderRegistration(buildRegistration(config)));
}
