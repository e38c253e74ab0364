import { randomUUID } from 'node:crypto';
import { MatrixClient } from 'matrix-bot-sdk';
import { isRecord, toMatrixPortError, unexpectedResponse } from './matrix-errors.ts';

/** The homeserver calls the startup self-test makes. Each throws `MatrixPortError` with the homeserver's errcode. */
export interface HomeserverChecks {
  /** `GET /_matrix/client/versions`: is the homeserver there at all; the spec versions it speaks, oldest first. */
  getVersions(): Promise<string[]>;
  /** `GET /account/whoami` with the bare as_token: the homeserver loaded our registration; answers the bot's id. */
  whoami(): Promise<string>;
  /**
   * `POST /_matrix/client/v1/appservice/{id}/ping`: the homeserver calls our `/_matrix/app/v1/ping` and answers
   * how long that took, in milliseconds. Success also makes Synapse retry queued transactions now instead of
   * after its back-off. Typical failures (errcode): `M_URL_NOT_SET`, `M_CONNECTION_FAILED`,
   * `M_CONNECTION_TIMEOUT`, `M_BAD_STATUS` (our server answered an error, e.g. to a wrong hs_token),
   * `M_FORBIDDEN` (the id is not our registration's). The server records `transactionId` as its `lastPing`.
   */
  pingAppservice(appserviceId: string, transactionId?: string): Promise<number>;
}

export interface HomeserverChecksOptions {
  readonly homeserverUrl: string;
  readonly asToken: string;
  /** Default 30 s: a self-test should fail fast with a clear message rather than hang. */
  readonly timeoutMs?: number;
}

export function createHomeserverChecks(options: HomeserverChecksOptions): HomeserverChecks {
  // A client of its own, never impersonating anyone: the bare as_token is the appservice's bot.
  const client = new MatrixClient(options.homeserverUrl, options.asToken);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const call = async (action: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    try {
      return (await client.doRequest(method, path, null, body ?? null, timeoutMs)) as unknown;
    } catch (error) {
      throw toMatrixPortError(error, action);
    }
  };

  return {
    async getVersions() {
      const action = 'GET /_matrix/client/versions';
      const response = await call(action, 'GET', '/_matrix/client/versions');
      if (!isRecord(response) || !Array.isArray(response.versions)) throw unexpectedResponse(action, 'versions');
      return response.versions.filter((version): version is string => typeof version === 'string');
    },

    async whoami() {
      const action = 'whoami as the appservice';
      const response = await call(action, 'GET', '/_matrix/client/v3/account/whoami');
      if (!isRecord(response) || typeof response.user_id !== 'string') throw unexpectedResponse(action, 'user_id');
      return response.user_id;
    },

    async pingAppservice(appserviceId, transactionId = `ping-${randomUUID()}`) {
      const action = `ping appservice ${appserviceId}`;
      const path = `/_matrix/client/v1/appservice/${encodeURIComponent(appserviceId)}/ping`;
      const response = await call(action, 'POST', path, { transaction_id: transactionId });
      if (!isRecord(response) || typeof response.duration_ms !== 'number') throw unexpectedResponse(action, 'duration_ms');
      return response.duration_ms;
    },
  };
}
