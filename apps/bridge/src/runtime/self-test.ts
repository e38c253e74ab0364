import type { BridgeStore } from '@wechat/bridge-core';
import type { Logger } from '@wechat/provider-api';
import type { AppConfig } from '../config/app-config-schema.ts';
import type { BotSdkMatrixPort } from '../matrix/bot-sdk-matrix-port.ts';

/** A start-up check that failed, with what to do about it. */
export class SelfTestError extends Error {}

/**
 * Checks, before anything is bridged, what a misconfigured bridge otherwise shows only as silence: the
 * homeserver answers, it accepts our as_token (so the registration is loaded), and the database works.
 */
export async function runSelfTest({
  matrix,
  store,
  config,
  logger,
}: {
  matrix: BotSdkMatrixPort;
  store: BridgeStore;
  config: AppConfig;
  logger: Logger;
}): Promise<void> {
  try {
    const versions = await matrix.getVersions();
    logger.info({ versions: versions.slice(-3) }, 'homeserver reachable');
  } catch (error) {
    throw new SelfTestError(
      `The homeserver at ${config.homeserver.address} does not answer (${error instanceof Error ? error.message : String(error)}). Check homeserver.address.`,
    );
  }
  try {
    const userId = await matrix.whoami();
    if (userId !== matrix.botUserId) {
      throw new SelfTestError(
        `The as_token belongs to ${userId}, not ${matrix.botUserId}. Check appservice.bot.username and the registration file.`,
      );
    }
  } catch (error) {
    if (error instanceof SelfTestError) throw error;
    throw new SelfTestError(
      `The homeserver refused the bridge's as_token (${error instanceof Error ? error.message : String(error)}). Generate the registration with \`wechat-bridge generate-registration\`, add it to the homeserver (Synapse: app_service_config_files) and restart the homeserver.`,
    );
  }
  try {
    await store.inbox.countPending();
  } catch (error) {
    throw new SelfTestError(
      `The database does not work (${error instanceof Error ? error.message : String(error)}). Check database.*.`,
    );
  }
}
