/**
 * Opaque identifiers minted by a provider. Hosts store and compare them but never parse them (the mautrix
 * `networkid` rule), so a provider may pack whatever it needs into one (GeWeChat's recall, for example,
 * needs msgId, newMsgId and createTime). They must be stable across restarts of the same account.
 *
 * WeChat's own message ids exceed 2^53: a provider must never let them pass through a JS number.
 */
export type ContactId = string & { readonly __brand: 'ContactId' };
export type RoomId = string & { readonly __brand: 'RoomId' };
export type MessageId = string & { readonly __brand: 'MessageId' };

/** Brands a provider-minted string as a contact id. Only providers (and their tests) should mint ids. */
export const contactId = (id: string): ContactId => id as ContactId;
/** Brands a provider-minted string as a room id. */
export const roomId = (id: string): RoomId => id as RoomId;
/** Brands a provider-minted string as a message id. */
export const messageId = (id: string): MessageId => id as MessageId;
