import { wcfFunctions as F } from './wcf-functions.ts';

/**
 * The status each function answers on success. Not uniform: sends answer 0, while pat, forward, friend,
 * transfer, Moments, revoke and the room-member functions answer 1 (the Python client's docstrings; trap 21).
 * IS_LOGIN is no success code: 1 means logged in, 0 not.
 */
export const wcfSuccessStatus: Readonly<Partial<Record<number, number>>> = {
  [F.FUNC_SEND_TXT]: 0,
  [F.FUNC_SEND_IMG]: 0,
  [F.FUNC_SEND_FILE]: 0,
  [F.FUNC_SEND_XML]: 0,
  [F.FUNC_SEND_EMOTION]: 0,
  [F.FUNC_SEND_RICH_TXT]: 0,
  [F.FUNC_ENABLE_RECV_TXT]: 0,
  [F.FUNC_DISABLE_RECV_TXT]: 0,
  [F.FUNC_DOWNLOAD_ATTACH]: 0,
  [F.FUNC_SHUTDOWN]: 0,
  [F.FUNC_SEND_PAT_MSG]: 1,
  [F.FUNC_FORWARD_MSG]: 1,
  [F.FUNC_ACCEPT_FRIEND]: 1,
  [F.FUNC_RECV_TRANSFER]: 1,
  [F.FUNC_REFRESH_PYQ]: 1,
  [F.FUNC_REVOKE_MSG]: 1,
  [F.FUNC_ADD_ROOM_MEMBERS]: 1,
  [F.FUNC_DEL_ROOM_MEMBERS]: 1,
  [F.FUNC_INV_ROOM_MEMBERS]: 1,
};

/** Whether `status` means success for `func`; functions without a status code count any status as success. */
export function isWcfSuccess(func: number, status: number): boolean {
  const success = wcfSuccessStatus[func];
  return success === undefined || status === success;
}
