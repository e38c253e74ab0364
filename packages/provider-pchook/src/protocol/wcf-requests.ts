import { wcfFunctions as F } from './wcf-functions.ts';
import type { RichText, WcfRequest } from './wcf-messages.ts';

// One builder per function the bridge uses, each filling the request field the host reads for it
// (rpc_server.cpp's function map; see the protocol notes, C.2).

export const wcfRequests = {
  isLogin: (): WcfRequest => ({ func: F.FUNC_IS_LOGIN }),
  getSelfWxid: (): WcfRequest => ({ func: F.FUNC_GET_SELF_WXID }),
  getUserInfo: (): WcfRequest => ({ func: F.FUNC_GET_USER_INFO }),
  getContacts: (): WcfRequest => ({ func: F.FUNC_GET_CONTACTS }),
  getDbNames: (): WcfRequest => ({ func: F.FUNC_GET_DB_NAMES }),
  execDbQuery: (db: string, sql: string): WcfRequest => ({ func: F.FUNC_EXEC_DB_QUERY, query: { db, sql } }),
  refreshQrcode: (): WcfRequest => ({ func: F.FUNC_REFRESH_QRCODE }),
  /** `aters`: comma-separated wxids; the text must contain one `@name` per ater. */
  sendText: (receiver: string, msg: string, aters = ''): WcfRequest => ({
    func: F.FUNC_SEND_TXT,
    txt: { msg, receiver, aters },
  }),
  /** `windowsPath`: a file on the Windows host. */
  sendImage: (receiver: string, windowsPath: string): WcfRequest => ({
    func: F.FUNC_SEND_IMG,
    file: { path: windowsPath, receiver },
  }),
  sendFile: (receiver: string, windowsPath: string): WcfRequest => ({
    func: F.FUNC_SEND_FILE,
    file: { path: windowsPath, receiver },
  }),
  sendEmotion: (receiver: string, windowsPath: string): WcfRequest => ({
    func: F.FUNC_SEND_EMOTION,
    file: { path: windowsPath, receiver },
  }),
  sendRichText: (richText: RichText): WcfRequest => ({ func: F.FUNC_SEND_RICH_TXT, rt: richText }),
  /** `withMoments`: also push Moments posts (as `type` 0). */
  enableRecvTxt: (withMoments = false): WcfRequest => ({ func: F.FUNC_ENABLE_RECV_TXT, flag: withMoments }),
  disableRecvTxt: (): WcfRequest => ({ func: F.FUNC_DISABLE_RECV_TXT }),
  downloadAttach: (id: string, thumb: string, extra: string): WcfRequest => ({
    func: F.FUNC_DOWNLOAD_ATTACH,
    att: { id, thumb, extra },
  }),
  /** Decrypts an image `.dat` into `windowsDir`; answers the output path, or '' while it cannot yet. */
  decryptImage: (src: string, windowsDir: string): WcfRequest => ({ func: F.FUNC_DECRYPT_IMAGE, dec: { src, dst: windowsDir } }),
  /** Writes `<windowsDir>/<id>.mp3`; answers its path, or '' while the voice is not in the database yet. */
  getAudioMsg: (id: string, windowsDir: string): WcfRequest => ({ func: F.FUNC_GET_AUDIO_MSG, am: { id, dir: windowsDir } }),
  revokeMsg: (id: string): WcfRequest => ({ func: F.FUNC_REVOKE_MSG, ui64: id }),
  acceptFriend: (v3: string, v4: string, scene: number): WcfRequest => ({ func: F.FUNC_ACCEPT_FRIEND, v: { v3, v4, scene } }),
  addRoomMembers: (roomid: string, wxids: readonly string[]): WcfRequest => ({
    func: F.FUNC_ADD_ROOM_MEMBERS,
    m: { roomid, wxids: wxids.join(',') },
  }),
  delRoomMembers: (roomid: string, wxids: readonly string[]): WcfRequest => ({
    func: F.FUNC_DEL_ROOM_MEMBERS,
    m: { roomid, wxids: wxids.join(',') },
  }),
  invRoomMembers: (roomid: string, wxids: readonly string[]): WcfRequest => ({
    func: F.FUNC_INV_ROOM_MEMBERS,
    m: { roomid, wxids: wxids.join(',') },
  }),
} as const;
