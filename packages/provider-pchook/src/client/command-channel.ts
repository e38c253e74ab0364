import type { Logger } from '@wechat/provider-api';
import type { Pair1Connection } from '../nng/pair1-connection.ts';
import { decodeResponse, encodeRequest } from '../protocol/wcf-codec.ts';
import { wcfFunctionName } from '../protocol/wcf-functions.ts';
import type { WcfRequest, WcfResponse } from '../protocol/wcf-messages.ts';
import type { Clock } from './clock.ts';
import { dispatchError, transportError, unavailableError } from './wcf-errors.ts';

export interface CommandChannelOptions {
  readonly connection: Pair1Connection;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per attempt. Default 5000 ms, as the Python client's pynng sockets. */
  readonly timeoutMs?: number;
}

export interface CallOptions {
  readonly timeoutMs?: number;
  /** Default true: one more attempt after a timeout, as the Python client does. */
  readonly retryOnTimeout?: boolean;
}

/**
 * Strict request → response on WeChatFerry's command socket. The protocol has no request ids, so calls run
 * one at a time, in order; a reply whose `func` is not the pending request's is a late answer to an earlier,
 * timed-out request and is dropped.
 */
export interface CommandChannel {
  call(request: WcfRequest, options?: CallOptions): Promise<WcfResponse>;
  readonly isClosed: boolean;
  /** Resolves once the connection is gone, with why. */
  readonly closed: Promise<Error | undefined>;
  close(): void;
}

interface Pending {
  readonly func: number;
  readonly resolve: (response: WcfResponse) => void;
  readonly reject: (error: Error) => void;
}

class Timeout extends Error {}

export function createCommandChannel(options: CommandChannelOptions): CommandChannel {
  const { connection, clock, logger } = options;
  const defaultTimeoutMs = options.timeoutMs ?? 5_000;
  let pending: Pending | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closedBy: Error | undefined;

  connection.onMessage(body => {
    const current = pending;
    if (current === undefined) {
      logger.debug({ bytes: body.byteLength }, 'dropped a WeChatFerry reply nobody waits for');
      return;
    }
    if (body.byteLength === 0) {
      pending = undefined;
      current.reject(dispatchError(current.func));
      return;
    }
    let response: WcfResponse;
    try {
      response = decodeResponse(body);
    } catch (error) {
      logger.warn({ error: String(error), func: wcfFunctionName(current.func) }, 'dropped an undecodable WeChatFerry reply');
      return;
    }
    if (response.func !== current.func) {
      logger.debug(
        { expected: wcfFunctionName(current.func), got: wcfFunctionName(response.func) },
        'dropped a late WeChatFerry reply to an earlier request',
      );
      return;
    }
    pending = undefined;
    current.resolve(response);
  });

  const closed = connection.closed.then(info => {
    closedBy = info.error ?? new Error('closed');
    pending?.reject(transportError('The WeChatFerry command connection closed', closedBy));
    pending = undefined;
    return info.error;
  });

  const attempt = (request: WcfRequest, timeoutMs: number): Promise<WcfResponse> =>
    new Promise<WcfResponse>((resolve, reject) => {
      if (closedBy !== undefined || connection.isClosed) {
        reject(transportError('The WeChatFerry command connection is closed', closedBy));
        return;
      }
      const timer = clock.setTimeout(() => {
        if (pending?.func === request.func) pending = undefined;
        reject(new Timeout(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      pending = {
        func: request.func,
        resolve: response => {
          clock.clearTimeout(timer);
          resolve(response);
        },
        reject: error => {
          clock.clearTimeout(timer);
          reject(error);
        },
      };
      try {
        connection.send(encodeRequest(request));
      } catch (error) {
        pending = undefined;
        clock.clearTimeout(timer);
        reject(transportError('Cannot send to WeChatFerry', error));
      }
    });

  const run = async (request: WcfRequest, callOptions: CallOptions): Promise<WcfResponse> => {
    const timeoutMs = callOptions.timeoutMs ?? defaultTimeoutMs;
    const attempts = callOptions.retryOnTimeout === false ? 1 : 2;
    for (let round = 1; ; round++) {
      try {
        return await attempt(request, timeoutMs);
      } catch (error) {
        if (!(error instanceof Timeout)) throw error;
        const name = wcfFunctionName(request.func);
        if (round < attempts) {
          logger.warn({ func: name, timeoutMs }, 'WeChatFerry did not answer; trying once more');
          continue;
        }
        // A host that does not answer is reset: with no request ids, a reply arriving later could otherwise be
        // taken for the answer to the next request of the same function.
        connection.close();
        throw unavailableError(`WeChatFerry did not answer ${name} within ${timeoutMs} ms (${attempts} attempts)`);
      }
    }
  };

  return {
    get isClosed() {
      return closedBy !== undefined || connection.isClosed;
    },
    closed,
    call(request, callOptions = {}) {
      const result = queue.then(() => run(request, callOptions));
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      connection.close();
    },
  };
}
