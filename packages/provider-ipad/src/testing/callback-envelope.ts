import { writeJsonText } from './json-text.ts';

export type CallbackTypeName = 'AddMsg' | 'ModContacts' | 'DelContacts' | 'Offline';

/**
 * The callback body text (B.6): `{TypeName, Appid, Wxid, Data}`, or the newer builds' lower-case envelope
 * `{type_name, appid, wxid, data}` (B.6 "Key variants", trap 15). `Offline` carries no data.
 */
export function callbackBodyText(envelope: {
  typeName: CallbackTypeName;
  appId: string;
  wxid: string;
  data?: Record<string, unknown>;
  lowerCaseKeys: boolean;
}): string {
  const body = envelope.lowerCaseKeys
    ? { type_name: envelope.typeName, appid: envelope.appId, wxid: envelope.wxid, data: envelope.data }
    : { TypeName: envelope.typeName, Appid: envelope.appId, Wxid: envelope.wxid, Data: envelope.data };
  return writeJsonText(body);
}

/** `setCallback`'s test body (B.2). */
export function testPingText(token: string): string {
  return writeJsonText({ testMsg: '回调地址链接成功！', token });
}
