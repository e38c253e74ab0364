export type { ApiFailureSpec } from './api-server.ts';
export type { CallbackDelivery } from './callback-delivery.ts';
export { type CallbackRecorder, createCallbackRecorder, type RecordedCallback } from './callback-recorder.ts';
export {
  createGewechatSimulator,
  type GewechatSimulator,
  type GewechatSimulatorOptions,
  type SimDeviceInfo,
  type SimRoomSnapshot,
} from './gewechat-simulator.ts';
export type { ContactPatch, EventControls } from './inbound-events.ts';
export type { InboundOrigin, ReceiveControls } from './inbound-messages.ts';
export { parseJsonText, writeJsonText } from './json-text.ts';
export type { DeviceState, RecordedRequest, SentMessage } from './sim-core.ts';
export type { RandomBytes } from './sim-ids.ts';
export type {
  SimContact,
  SimContactInit,
  SimFriendRequest,
  SimRoomInit,
  SimRoomMemberInit,
  SimSelf,
} from './sim-world.ts';
export { callGewechatApi, type GewechatApiAnswer } from './api-call.ts';
