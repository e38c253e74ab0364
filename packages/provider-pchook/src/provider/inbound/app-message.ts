import { parseXml, xmlChild, xmlNumber, xmlText } from './xml.ts';

/** What a WeChat app message (type 49, `<msg><appmsg>`) carries, as far as the bridge uses it. */
export interface AppMessage {
  /** The `<appmsg><type>` subtype: 5 link, 6 file, 33/36 mini program, 57 quote, 74 file being uploaded, … */
  readonly type: number;
  readonly title: string;
  readonly description: string;
  readonly url: string;
  readonly thumbUrl: string;
  /** `<appattach><totallen>` for files. */
  readonly fileSize?: number;
  /** Subtype 57: the quoted message. */
  readonly refer?: {
    readonly messageId: string;
    readonly senderId: string;
    readonly displayName: string;
    readonly content: string;
    readonly type: number | undefined;
  };
  /** Subtypes 33/36: the mini program. */
  readonly miniProgram?: { readonly appId: string; readonly pagePath: string; readonly userName: string };
  readonly sourceDisplayName: string;
}

/** Parses `<msg><appmsg>…</appmsg></msg>`; undefined when `content` is not an app message. */
export function parseAppMessage(content: string): AppMessage | undefined {
  const root = parseXml(content);
  const appmsg = xmlChild(root, 'msg', 'appmsg');
  if (appmsg === undefined) return undefined;
  const type = xmlNumber(appmsg, 'type') ?? 0;
  const refer = xmlChild(appmsg, 'refermsg');
  const weapp = xmlChild(root, 'msg', 'appmsg', 'weappinfo');
  const fileSize = xmlNumber(appmsg, 'appattach', 'totallen');
  return {
    type,
    title: xmlText(appmsg, 'title'),
    description: xmlText(appmsg, 'des'),
    url: xmlText(appmsg, 'url'),
    thumbUrl: xmlText(appmsg, 'thumburl'),
    ...(fileSize === undefined ? {} : { fileSize }),
    ...(refer === undefined
      ? {}
      : {
          refer: {
            messageId: xmlText(refer, 'svrid'),
            senderId: xmlText(refer, 'chatusr') || xmlText(refer, 'fromusr'),
            displayName: xmlText(refer, 'displayname'),
            content: xmlText(refer, 'content'),
            type: xmlNumber(refer, 'type'),
          },
        }),
    ...(weapp === undefined
      ? {}
      : {
          miniProgram: {
            appId: xmlText(weapp, 'appid'),
            pagePath: xmlText(weapp, 'pagepath'),
            userName: xmlText(weapp, 'username'),
          },
        }),
    sourceDisplayName: xmlText(appmsg, 'sourcedisplayname'),
  };
}

/** The wxids of `<msgsource><atuserlist>` (WxMsg.xml), `notify@all` included when present. */
export function parseAtUserList(msgSource: string): string[] {
  const list = xmlText(parseXml(msgSource), 'msgsource', 'atuserlist');
  return list
    .split(',')
    .map(wxid => wxid.trim())
    .filter(Boolean);
}
