import { type LoadedConfig, loadConfigFile } from '../../config/load-config.ts';
import type { CliIo } from '../cli-io.ts';

export async function validateConfig(io: CliIo, configFile: string): Promise<void> {
  const loaded = await loadConfigFile(configFile, io);
  io.stdout(`config OK\n${summarize(loaded)}\n`);
}

/** One line for a human; never a secret (the postgres URI may hold a password, so only the type is shown). */
export function summarize({ config, providers }: LoadedConfig): string {
  const database = config.database.type === 'pglite' ? `pglite at ${config.database.path}` : 'postgres';
  const enabled = providers.enabled.map(({ provider }) => provider.id);
  const failover = config.providers.failover.enabled ? ', failover on' : '';
  return [
    `homeserver ${config.homeserver.domain} (${config.homeserver.address})`,
    `database ${database}`,
    `providers: ${enabled.length > 0 ? enabled.join(', ') : 'none enabled'}${failover}`,
  ].join('; ');
}
