import { type ChatRefV1, chatKey, type OutgoingContentV1 } from '@wechat/provider-api';
import type { RecordedOutboundV1 } from '../harness/conformance-harness.ts';

export function sameChat(a: ChatRefV1, b: ChatRefV1): boolean {
  return chatKey(a) === chatKey(b);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Whether the remote side received `content` in full: the same kind, and the same text, bytes or card. With
 * `textContains`, a text only has to contain the sent one (mentions and quotes add "@name" or a quote header).
 */
export function receivedInFull(record: RecordedOutboundV1, content: OutgoingContentV1, textContains = false): boolean {
  if (record.kind !== content.kind) return false;
  switch (content.kind) {
    case 'text':
      return record.kind === 'text' && (textContains ? record.text.includes(content.text) : record.text === content.text);
    case 'image':
    case 'voice':
    case 'video':
    case 'sticker':
      return 'data' in record && bytesEqual(record.data, content.media.data);
    case 'file':
      return (
        record.kind === 'file' &&
        bytesEqual(record.data, content.media.data) &&
        (record.fileName === undefined || record.fileName === content.media.fileName)
      );
    case 'link':
      return record.kind === 'link' && record.link.url === content.link.url;
    case 'location':
      return (
        record.kind === 'location' &&
        record.location.latitude === content.location.latitude &&
        record.location.longitude === content.location.longitude
      );
    case 'contact-card':
      return record.kind === 'contact-card' && record.card.name === content.card.name;
    case 'mini-program':
      return record.kind === 'mini-program' && record.miniProgram.title === content.miniProgram.title;
  }
}

/** "text to direct:alice, image (74 bytes) to room:room-1": what the harness did record, for failure messages. */
export function describeRecorded(records: readonly RecordedOutboundV1[]): string {
  if (records.length === 0) return 'the harness recorded nothing';
  const items = records.map(record => {
    const detail =
      record.kind === 'text'
        ? ` ${JSON.stringify(record.text.length > 60 ? `${record.text.slice(0, 60)}…` : record.text)}`
        : 'data' in record
          ? ` (${record.data.byteLength} bytes)`
          : '';
    return `${record.kind}${detail} to ${chatKey(record.chat)}`;
  });
  return `the harness recorded: ${items.join(', ')}`;
}
