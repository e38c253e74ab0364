import { type ContactId, contactId, type MentionsV1 } from '@wechat/provider-api';
import { parseXml, textAt } from './xml.ts';

const mentionAll = 'notify@all';

/** `<atuserlist>` in `MsgSource`: comma-separated wxids, usually with a leading comma; `notify@all` is everyone. */
export function mentionsFromMsgSource(msgSource: string | undefined): MentionsV1 | undefined {
  if (!msgSource) return undefined;
  const list = textAt(parseXml(msgSource), 'msgsource', 'atuserlist');
  if (list === undefined) return undefined;
  const ids = list
    .split(',')
    .map(id => id.trim())
    .filter(id => id !== '');
  const all = ids.includes(mentionAll);
  const contactIds: ContactId[] = [...new Set(ids.filter(id => id !== mentionAll))].map(contactId);
  if (contactIds.length === 0 && !all) return undefined;
  return all ? { contactIds, all: true } : { contactIds };
}

/** WeChat ends every visible `@nick` with U+2005 (four-per-em space); a plain space reads the same everywhere. */
export const normaliseMentionSpaces = (text: string): string => text.replaceAll('\u2005', ' ');
