export { type PchookConfig, type PchookConfigInput, pchookConfigSchema } from './pchook-config.ts';
export {
  createPchookProvider,
  type PchookProviderOptions,
  pchookProvider,
  pchookProvider as provider,
} from './provider/pchook-provider.ts';
export { pchookCapabilities } from './provider/pchook-capabilities.ts';
export { defaultPchookTimings, type PchookTimings } from './provider/pchook-session.ts';
export { pchookVersion } from './version.ts';

// The transport and the RPC client, for tools that talk to WeChatFerry without the provider contract.
export type { BackoffOptions } from './client/backoff.ts';
export { type Clock, systemClock } from './client/clock.ts';
export { connectWcfClient, type Dial, type WcfClient, type WcfClientOptions } from './client/wcf-client.ts';
export { createWcfLink, type WcfLink, type WcfLinkHandlers, type WcfLinkOptions } from './client/wcf-link.ts';
export { dialPair1, type DialPair1Options } from './nng/pair1-dialer.ts';
export { listenPair1, type ListenPair1Options, type Pair1Listener } from './nng/pair1-listener.ts';
export type { Pair1CloseInfo, Pair1Connection } from './nng/pair1-connection.ts';
export { NngError, type NngErrorCode } from './nng/nng-error.ts';
export {
  decodeRequest,
  decodeResponse,
  decodeRoomData,
  encodeRequest,
  encodeResponse,
  encodeRoomData,
} from './protocol/wcf-codec.ts';
export { type WcfFunction, type WcfFunctionName, wcfFunctionName, wcfFunctions } from './protocol/wcf-functions.ts';
export type * from './protocol/wcf-messages.ts';
export { wcfRequests } from './protocol/wcf-requests.ts';
export { isWcfSuccess, wcfSuccessStatus } from './protocol/wcf-status.ts';
export { decodeDatImage, detectDatImage, type DatImageFormat } from './provider/media/dat-image.ts';
