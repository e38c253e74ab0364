import { type ProviderSessionV1, WechatError } from '@wechat/provider-api';
import type { BridgeMetrics } from './bridge-metrics.ts';

export interface WithMetricsOptions {
  readonly metrics: BridgeMetrics;
  /** The provider label; read per call, so a failover group can report its active member. */
  readonly providerId: () => string;
}

/** Methods whose failures are provider errors; `sendMessage` and `downloadMedia` are counted in more detail. */
const counted = new Set<string | symbol>([
  'getSelf',
  'getContact',
  'getRoom',
  'listRoomMembers',
  'recallMessage',
  'listContacts',
  'setContactRemark',
  'listRooms',
  'createRoom',
  'inviteToRoom',
  'removeFromRoom',
  'renameRoom',
  'setRoomTopic',
  'leaveRoom',
  'acceptFriendRequest',
  'fetchHistory',
]);

/**
 * A session that counts what it does: messages sent (by kind), media bytes both ways, provider errors by code and
 * risk-control refusals. Everything else passes through untouched; optional methods stay optional, so
 * capability checks see the same session.
 */
export function withMetrics<SESSION extends ProviderSessionV1>(session: SESSION, options: WithMetricsOptions): SESSION {
  const { metrics } = options;
  const failed = (error: unknown) => {
    const provider = options.providerId();
    const code = WechatError.isInstance(error) ? error.code : 'UNKNOWN';
    metrics.providerErrors.inc({ provider, code });
    if (code === 'RISK_CONTROL_BLOCKED') metrics.riskControlBlocked.inc({ provider });
  };
  return new Proxy(session, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Bound to the real session: sessions keep state in private fields, which a proxy receiver cannot reach.
      const method = value.bind(target) as (...args: unknown[]) => unknown;
      if (property === 'sendMessage') {
        return async (message: Parameters<ProviderSessionV1['sendMessage']>[0]) => {
          try {
            const result = await method(message);
            const provider = options.providerId();
            metrics.messagesSent.inc({ provider, kind: message.content.kind });
            if ('media' in message.content) {
              metrics.mediaBytes.inc({ provider, direction: 'matrix-to-wechat' }, message.content.media.data.byteLength);
            }
            return result;
          } catch (error) {
            failed(error);
            throw error;
          }
        };
      }
      if (property === 'downloadMedia') {
        return async (...args: unknown[]) => {
          try {
            const result = (await method(...args)) as Awaited<ReturnType<ProviderSessionV1['downloadMedia']>>;
            metrics.mediaBytes.inc({ provider: options.providerId(), direction: 'wechat-to-matrix' }, result.data.byteLength);
            return result;
          } catch (error) {
            failed(error);
            throw error;
          }
        };
      }
      if (counted.has(property)) {
        return async (...args: unknown[]) => {
          try {
            return await method(...args);
          } catch (error) {
            failed(error);
            throw error;
          }
        };
      }
      return method;
    },
  });
}
