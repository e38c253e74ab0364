export { WcfHostSimulator, startWcfHostSimulator } from './wcf-host-simulator.ts';
export type {
  SimFailure,
  SimOrigin,
  SimPushResult,
  SimRequestRecord,
  SimRoom,
  SimRoomMember,
  SimSentMessage,
  SimUndelivered,
  WcfHostSimulatorOptions,
} from './simulator-types.ts';
