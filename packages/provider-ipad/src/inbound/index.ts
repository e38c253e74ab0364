export { decodeFriendRequestId, encodeFriendRequestId, type FriendRequestTicket } from './friend-request.ts';
export { GeweCallbackError, type GeweCallbackErrorReason } from './gewe-callback-error.ts';
export { type InterpretContext, type InterpretedAddMsg, interpretAddMsg } from './interpret-add-msg.ts';
export { type InterpretedModContacts, interpretModContacts } from './interpret-contacts.ts';
export { decodeMediaRef, encodeMediaRef, type GeweMediaSource, type MediaRefMeta } from './media-ref.ts';
export { type GeweAddMsgData, type GeweCallback, type GeweModContactsData, parseGeweCallback } from './parse-callback.ts';
