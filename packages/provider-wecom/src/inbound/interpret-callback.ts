import {
  contactId,
  type InboundContentV1,
  type InboundMessageV1,
  type LogLevel,
  messageId,
  type ProviderEventV1,
} from '@wechat/provider-api';
import type { CallbackFields } from '../callback/callback-xml.ts';
import { encodeMediaRef } from './media-ref.ts';

export interface Interpretation {
  readonly events: readonly ProviderEventV1[];
  /** Why nothing (or not everything) was emitted; logged by the session. */
  readonly note?: { readonly level: LogLevel; readonly message: string };
}

/** `change_contact` kinds that concern a member (party and tag changes do not change any contact). */
const memberChanges = new Set(['create_user', 'update_user', 'delete_user']);
/** Events after which the member's profile (or relation to the app) may have changed: hosts re-fetch it. */
const memberEvents = new Set(['subscribe', 'unsubscribe', 'enter_agent']);

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Turns one decrypted callback into provider events (reference A.4, "Callback message and event XML"). Members
 * write to the app in a one-to-one chat, so every message is direct, from `FromUserName`. Kinds the contract
 * cannot express arrive as `unsupported` content, never silently dropped.
 */
export function interpretCallback(
  fields: CallbackFields,
  context: { readonly agentId: number; readonly now: () => number },
): Interpretation {
  if (present(fields.AgentID) && fields.AgentID !== String(context.agentId)) {
    return {
      events: [],
      note: {
        level: 'warn',
        message: `ignored a callback for agent ${fields.AgentID}: this session is agent ${context.agentId}`,
      },
    };
  }
  if (fields.MsgType === 'event') return interpretEvent(fields);
  const from = fields.FromUserName;
  if (!present(from) || !present(fields.MsgType)) {
    return { events: [], note: { level: 'warn', message: 'ignored a callback without FromUserName or MsgType' } };
  }
  const seconds = Number(fields.CreateTime);
  const content = contentOf(fields);
  const message: InboundMessageV1 = {
    // A 64-bit decimal string, kept as text (trap 1).
    id: messageId(present(fields.MsgId) ? fields.MsgId : `${from}:${fields.CreateTime}:${fields.MsgType}`),
    chat: { type: 'direct', contactId: contactId(from) },
    senderId: contactId(from),
    isSelf: false,
    timestamp: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : context.now(),
    content,
  };
  const events: ProviderEventV1[] = [{ type: 'message-received', message }];
  return content.kind === 'unsupported'
    ? { events, note: { level: 'info', message: `delivered a WeCom '${fields.MsgType}' message as unsupported content` } }
    : { events };
}

function contentOf(fields: CallbackFields): InboundContentV1 {
  const mediaId = fields.MediaId ?? '';
  switch (fields.MsgType) {
    case 'text':
      return { kind: 'text', text: fields.Content ?? '' };
    case 'image':
      // PicUrl is a public copy; it still works when the 3-day media_id has expired.
      return {
        kind: 'image',
        media: { ref: encodeMediaRef({ mediaId, ...(present(fields.PicUrl) ? { url: fields.PicUrl } : {}) }) },
      };
    case 'voice':
      // Members' voice arrives as AMR (8 kHz); WeCom reports no duration, hence 0.
      return {
        kind: 'voice',
        media: { ref: encodeMediaRef({ mediaId }), mimeType: fields.Format === 'speex' ? 'audio/speex' : 'audio/amr' },
        durationMs: 0,
      };
    case 'video':
    case 'shortvideo':
      return {
        kind: 'video',
        media: { ref: encodeMediaRef({ mediaId }), mimeType: 'video/mp4' },
        ...(present(fields.ThumbMediaId) ? { thumbnail: { ref: encodeMediaRef({ mediaId: fields.ThumbMediaId }) } } : {}),
      };
    case 'location': {
      const latitude = Number(fields.Location_X);
      const longitude = Number(fields.Location_Y);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
        return { kind: 'unsupported', description: 'a location without coordinates' };
      }
      return { kind: 'location', location: { latitude, longitude, ...(present(fields.Label) ? { address: fields.Label } : {}) } };
    }
    case 'link':
      return {
        kind: 'link',
        link: {
          url: fields.Url ?? '',
          title: fields.Title ?? '',
          ...(present(fields.Description) ? { description: fields.Description } : {}),
          ...(present(fields.PicUrl) ? { thumbnailUrl: fields.PicUrl } : {}),
        },
      };
    default:
      // WeCom documents no other message type for app callbacks (doc 96467); a member may still see one arrive.
      return { kind: 'unsupported', description: `a WeCom '${fields.MsgType}' message, which this bridge cannot show` };
  }
}

function interpretEvent(fields: CallbackFields): Interpretation {
  const event = fields.Event ?? '';
  if (memberEvents.has(event) && present(fields.FromUserName)) {
    return { events: [{ type: 'contact-updated', contactId: contactId(fields.FromUserName) }] };
  }
  if (event === 'change_contact') {
    const change = fields.ChangeType ?? '';
    if (!memberChanges.has(change) || !present(fields.UserID)) {
      return { events: [], note: { level: 'debug', message: `ignored change_contact '${change}': no member changed` } };
    }
    // A renamed UserID: both the old and the new id are worth re-fetching (the old one is gone).
    const ids = [fields.UserID, ...(present(fields.NewUserID) && fields.NewUserID !== fields.UserID ? [fields.NewUserID] : [])];
    return { events: ids.map(id => ({ type: 'contact-updated' as const, contactId: contactId(id) })) };
  }
  return { events: [], note: { level: 'info', message: `ignored the WeCom event '${event}'` } };
}
