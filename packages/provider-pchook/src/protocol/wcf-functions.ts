/** `wcf.Functions`: every RPC WeChatFerry's host knows, by the names and numbers of its `wcf.proto`. */
export const wcfFunctions = {
  FUNC_RESERVED: 0x00,
  FUNC_IS_LOGIN: 0x01,
  FUNC_GET_SELF_WXID: 0x10,
  FUNC_GET_MSG_TYPES: 0x11,
  FUNC_GET_CONTACTS: 0x12,
  FUNC_GET_DB_NAMES: 0x13,
  FUNC_GET_DB_TABLES: 0x14,
  FUNC_GET_USER_INFO: 0x15,
  FUNC_GET_AUDIO_MSG: 0x16,
  FUNC_SEND_TXT: 0x20,
  FUNC_SEND_IMG: 0x21,
  FUNC_SEND_FILE: 0x22,
  FUNC_SEND_XML: 0x23,
  FUNC_SEND_EMOTION: 0x24,
  FUNC_SEND_RICH_TXT: 0x25,
  FUNC_SEND_PAT_MSG: 0x26,
  FUNC_FORWARD_MSG: 0x27,
  FUNC_ENABLE_RECV_TXT: 0x30,
  FUNC_DISABLE_RECV_TXT: 0x40,
  FUNC_EXEC_DB_QUERY: 0x50,
  FUNC_ACCEPT_FRIEND: 0x51,
  FUNC_RECV_TRANSFER: 0x52,
  FUNC_REFRESH_PYQ: 0x53,
  FUNC_DOWNLOAD_ATTACH: 0x54,
  FUNC_GET_CONTACT_INFO: 0x55,
  FUNC_REVOKE_MSG: 0x56,
  FUNC_REFRESH_QRCODE: 0x57,
  FUNC_DECRYPT_IMAGE: 0x60,
  FUNC_EXEC_OCR: 0x61,
  FUNC_ADD_ROOM_MEMBERS: 0x70,
  FUNC_DEL_ROOM_MEMBERS: 0x71,
  FUNC_INV_ROOM_MEMBERS: 0x72,
  FUNC_SHUTDOWN: 0xff,
} as const;

export type WcfFunctionName = keyof typeof wcfFunctions;
export type WcfFunction = (typeof wcfFunctions)[WcfFunctionName];

const namesByCode: ReadonlyMap<number, WcfFunctionName> = new Map<number, WcfFunctionName>(
  Object.entries(wcfFunctions).map(([name, code]) => [code, name as WcfFunctionName]),
);

/** `FUNC_SEND_TXT` for 0x20; `FUNC_0x99` for a number this proto does not know. */
export function wcfFunctionName(code: number): string {
  return namesByCode.get(code) ?? `FUNC_0x${code.toString(16).padStart(2, '0')}`;
}
