import type { CallbackFields } from './callback-xml.ts';

/**
 * What identifies one callback across WeCom's retries: `MsgId` for messages, `FromUserName + CreateTime` for
 * events (reference A.4). Events also carry their type and subject, because `change_contact` always comes from
 * `sys`: two members changed in the same second are two events, not a retry.
 */
export function callbackDedupKey(fields: CallbackFields): string {
  if (fields.MsgId) return `message:${fields.MsgId}`;
  return ['event', fields.FromUserName, fields.CreateTime, fields.Event, fields.ChangeType, fields.UserID, fields.EventKey]
    .map(part => part ?? '')
    .join('\u0000');
}
