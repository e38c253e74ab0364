import { randomBytes } from 'node:crypto';

/** What a member does in the app's chat, or an event WeCom reports: the plaintext of one callback (reference A.4). */
export type CallbackMessageInput =
  | (CallbackMessageCommon & { readonly type: 'text'; readonly content: string })
  | (CallbackMessageCommon & { readonly type: 'image'; readonly mediaId: string; readonly picUrl?: string })
  | (CallbackMessageCommon & { readonly type: 'voice'; readonly mediaId: string; readonly format?: 'amr' | 'speex' })
  | (CallbackMessageCommon & {
      readonly type: 'video' | 'shortvideo';
      readonly mediaId: string;
      readonly thumbMediaId?: string;
    })
  | (CallbackMessageCommon & {
      readonly type: 'location';
      readonly latitude: number;
      readonly longitude: number;
      readonly scale?: number;
      readonly label?: string;
    })
  | (CallbackMessageCommon & {
      readonly type: 'link';
      readonly title: string;
      readonly url: string;
      readonly description?: string;
      readonly picUrl?: string;
    })
  | {
      readonly type: 'event';
      /** `sys` for change_contact. */
      readonly from: string;
      /** `subscribe`, `unsubscribe`, `enter_agent`, `change_contact`, `LOCATION`, `click`, … */
      readonly event: string;
      /** Further elements, e.g. `{ ChangeType: 'update_user', UserID: 'zhangsan' }` or `{ EventKey: '' }`. */
      readonly fields?: Readonly<Record<string, string | number>>;
      readonly createTime?: number;
      readonly agentId?: number;
    };

export interface CallbackMessageCommon {
  /** The member's UserID (`FromUserName`). */
  readonly from: string;
  /** A 64-bit decimal string; a random one above 2^53 by default, as real ids are (trap 1). */
  readonly msgId?: string;
  /** Seconds since the epoch; default: now. */
  readonly createTime?: number;
  /** Default: the sender's `agentId`. */
  readonly agentId?: number;
}

/** CDATA cannot contain `]]>`: split it across two sections, as XML writers do. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** A random unsigned 64-bit decimal id, at least 2^53 so that a JS number would lose digits. */
export function randomMsgId(): string {
  const value = randomBytes(8).readBigUInt64BE() | (1n << 60n);
  return value.toString();
}

/** Builds the decrypted callback XML in WeCom's element order (doc 96467 for messages, 90376 for events). */
export function buildCallbackXml(
  message: CallbackMessageInput,
  context: { readonly corpId: string; readonly agentId: number; readonly createTime: number; readonly msgId: string },
): string {
  // Numbers (and ids) are bare, text is CDATA, as in WeCom's own samples.
  const element = (name: string, value: string | number) =>
    typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`;
  const bare = (name: string, value: string) => `<${name}>${value}</${name}>`;
  const head = [
    element('ToUserName', context.corpId),
    element('FromUserName', message.from),
    element('CreateTime', context.createTime),
    element('MsgType', message.type === 'event' ? 'event' : message.type),
  ];
  const tail = (body: readonly string[]) =>
    `<xml>${[...head, ...body, bare('MsgId', context.msgId), element('AgentID', context.agentId)].join('')}</xml>`;
  switch (message.type) {
    case 'text':
      return tail([element('Content', message.content)]);
    case 'image':
      return tail([element('PicUrl', message.picUrl ?? ''), element('MediaId', message.mediaId)]);
    case 'voice':
      return tail([element('MediaId', message.mediaId), element('Format', message.format ?? 'amr')]);
    case 'video':
    case 'shortvideo':
      return tail([element('MediaId', message.mediaId), element('ThumbMediaId', message.thumbMediaId ?? '')]);
    case 'location':
      return tail([
        element('Location_X', message.latitude),
        element('Location_Y', message.longitude),
        element('Scale', message.scale ?? 15),
        element('Label', message.label ?? ''),
      ]);
    case 'link':
      return tail([
        element('Title', message.title),
        element('Description', message.description ?? ''),
        element('Url', message.url),
        element('PicUrl', message.picUrl ?? ''),
      ]);
    case 'event': {
      const fields = Object.entries(message.fields ?? {}).map(([name, value]) => element(name, value));
      return `<xml>${[...head, element('Event', message.event), ...fields, element('AgentID', context.agentId)].join('')}</xml>`;
    }
  }
}
