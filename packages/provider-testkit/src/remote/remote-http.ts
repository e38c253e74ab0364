import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequestOptions {
  readonly method: 'GET' | 'POST';
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/**
 * Sends one request and hands back the response as it starts. `agent: false` gives every request its own
 * socket, closed with the response, so a stopped session holds no pooled connection to the server.
 */
export function openRequest(
  url: URL,
  options: HttpRequestOptions,
): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(url, {
    method: options.method,
    headers: options.headers,
    agent: false,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  request.end(options.body);
  return { request, response };
}

/** A whole response as text. Rejects on network errors and aborts; HTTP error statuses resolve. */
export async function fetchText(url: URL, options: HttpRequestOptions): Promise<{ status: number; body: string }> {
  const response = await openRequest(url, options).response;
  response.setEncoding('utf8');
  let body = '';
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, body };
}
