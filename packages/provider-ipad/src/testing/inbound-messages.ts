import {
  appMsgXml,
  contactCardXml,
  emojiXml,
  fileCompleteXml,
  fileStartedXml,
  friendRequestXml,
  groupInviteXml,
  imageXml,
  locationXml,
  miniProgramXml,
  msgSourceXml,
  quoteXml,
  videoXml,
  voiceXml,
} from './message-xml.ts';
import { imageExtension, imageSize, placeholderJpeg } from './placeholder-images.ts';
import type { MessageSpec, SimCore } from './sim-core.ts';
import type { SimRoom } from './sim-world.ts';

/** Who sends: a contact in a private chat, or a member of `room`. */
export interface InboundOrigin {
  readonly from: string;
  /** A room id (`…@chatroom`) the sender is a member of. */
  readonly room?: string;
  /** The older group form (B.6): `FromUserName` = sender, `ToUserName` = room, no `"<wxid>:\n"` prefix. */
  readonly legacyGroupForm?: boolean;
}

export interface ReceiveControls {
  text(input: InboundOrigin & { readonly text: string; readonly mentions?: readonly string[] | 'all' }): Promise<string>;
  image(input: InboundOrigin & { readonly data: Uint8Array; readonly thumb?: Uint8Array }): Promise<string>;
  /** `data` is SILK; `inlineBuffer` also puts it, base64, in `ImgBuf.buffer` (B.4 "Inline voice"). */
  voice(
    input: InboundOrigin & { readonly data: Uint8Array; readonly durationMs: number; readonly inlineBuffer?: boolean },
  ): Promise<string>;
  video(
    input: InboundOrigin & { readonly data: Uint8Array; readonly thumb?: Uint8Array; readonly durationSeconds?: number },
  ): Promise<string>;
  /** Sends appmsg type 74 ("file started") and then type 6 ("file complete"); resolves with the type-6 id. */
  file(input: InboundOrigin & { readonly fileName: string; readonly data: Uint8Array }): Promise<string>;
  emoji(input: InboundOrigin & { readonly data?: Uint8Array }): Promise<string>;
  location(
    input: InboundOrigin & {
      readonly latitude: number;
      readonly longitude: number;
      readonly label?: string;
      readonly poiName?: string;
      readonly scale?: number;
    },
  ): Promise<string>;
  link(
    input: InboundOrigin & {
      readonly title: string;
      readonly url: string;
      readonly description?: string;
      readonly thumbUrl?: string;
    },
  ): Promise<string>;
  /** appmsg type 33. */
  miniProgram(
    input: InboundOrigin & {
      readonly title: string;
      readonly userName?: string;
      readonly appId?: string;
      readonly pagePath?: string;
      readonly displayName?: string;
      readonly iconUrl?: string;
      readonly thumb?: Uint8Array;
    },
  ): Promise<string>;
  /** MsgType 42; the card names the person by a `v3_…@stranger` ticket, as WeChat does. */
  contactCard(
    input: InboundOrigin & {
      readonly card: { readonly wxid: string; readonly nickName: string; readonly alias?: string; readonly sex?: number };
    },
  ): Promise<string>;
  /** appmsg type 57 with `<refermsg><svrid>` = the quoted NewMsgId; the quoted details default to the known message. */
  quote(
    input: InboundOrigin & {
      readonly text: string;
      readonly quotedNewMsgId: string;
      readonly quotedSender?: string;
      readonly quotedType?: number;
      readonly quotedContent?: string;
    },
  ): Promise<string>;
  /** MsgType 10000 system text in `chat` (default `weixin`). */
  system(text: string, options?: { readonly chat?: string }): Promise<string>;
  /** appmsg type 5 titled `邀请你加入群聊`; `/group/agreeJoinRoom` with its URL then joins the room. */
  groupInvite(input: { readonly from: string; readonly roomId: string; readonly roomName?: string }): Promise<string>;
  /** Any other appmsg type (transfer 2000, red packet 2001, chat history 19…), recorded as given. */
  appMsg(
    input: InboundOrigin & {
      readonly appType: number;
      readonly title: string;
      readonly description?: string;
      readonly url?: string;
      readonly extraXml?: string;
    },
  ): Promise<string>;
  /** Any MsgType with the given content (51, 10002 pat, …). */
  raw(
    input: InboundOrigin & { readonly msgType: number; readonly content: string; readonly pushContent?: string },
  ): Promise<string>;
  /** MsgType 37 from `fmessage`, with `v3_…`/`v4_…@stranger` tickets; `/contacts/addContacts` option 3 accepts it. */
  friendRequest(input: {
    readonly wxid: string;
    readonly nickName: string;
    readonly greeting?: string;
    readonly scene?: number;
    readonly sex?: number;
  }): Promise<string>;
}

export function createReceiveControls(core: SimCore): ReceiveControls {
  const { world, ids } = core;

  const origin = (input: InboundOrigin): { room: SimRoom | undefined; nick: string } => {
    if (input.room === undefined) {
      if (!world.contacts.has(input.from)) throw new Error(`unknown contact ${input.from}; add it with addContact() first`);
      return { room: undefined, nick: world.nickNameOf(input.from) };
    }
    const room = world.requireRoom(input.room);
    if (!room.members.has(input.from)) throw new Error(`${input.from} is not a member of ${room.roomId}`);
    if (!room.members.has(world.self.wxid)) throw new Error(`the account is not a member of ${room.roomId}`);
    return { room, nick: world.displayNameIn(room, input.from) };
  };

  const message = (input: InboundOrigin, spec: Omit<MessageSpec, 'sender' | 'chat'> & { summary?: string }): Promise<string> => {
    const { room, nick } = origin(input);
    const { summary, ...rest } = spec;
    return core.emitMessage({
      sender: input.from,
      chat: room?.roomId ?? input.from,
      ...(input.legacyGroupForm ? { form: 'legacy' as const } : {}),
      ...(summary !== undefined && rest.pushContent === undefined ? { pushContent: `${nick} : ${summary}` } : {}),
      ...rest,
    });
  };

  return {
    text(input) {
      const { room, nick } = origin(input);
      if (input.mentions !== undefined && !room) throw new Error('mentions need a room');
      let visible = input.text;
      let atUserList: string | undefined;
      let mentionsSelf = false;
      if (room && input.mentions !== undefined) {
        const all = input.mentions === 'all';
        const wxids = all ? [] : [...(input.mentions as readonly string[])];
        // Trap 12: each visible mention is `@nick` followed by U+2005.
        const tags = all ? ['@所有人\u2005'] : wxids.map(wxid => `@${world.displayNameIn(room, wxid)}\u2005`);
        visible = tags.filter(tag => !input.text.includes(tag)).join('') + input.text;
        atUserList = all ? 'notify@all' : `,${wxids.join(',')}`;
        mentionsSelf = all || wxids.includes(world.self.wxid);
      }
      return message(input, {
        msgType: 1,
        content: visible,
        ...(room
          ? {
              msgSource: msgSourceXml({
                signature: ids.signature(),
                memberCount: room.members.size,
                ...(atUserList !== undefined ? { atUserList } : {}),
              }),
            }
          : {}),
        pushContent: mentionsSelf ? `${nick}在群聊中@了你` : `${nick} : ${visible}`,
      });
    },

    image(input) {
      const thumb = input.thumb ?? placeholderJpeg();
      const item = core.media.put('image', input.data, { ext: imageExtension(input.data), thumb });
      const size = imageSize(thumb);
      const content = imageXml({
        aesKey: item.aesKey,
        cdnUrl: ids.cdnUrl(),
        md5: item.md5,
        length: input.data.byteLength,
        thumbLength: thumb.byteLength,
        thumbWidth: size.width,
        thumbHeight: size.height,
      });
      return message(input, { msgType: 3, content, imgStatus: 2, imgBuf: thumb, summary: '[图片]' });
    },

    async voice(input) {
      const item = core.media.put('voice', input.data, { ext: 'silk' });
      const newMsgId = ids.newMsgId();
      const msgId = ids.msgId();
      core.media.linkMessage(item, newMsgId.toString(), String(msgId));
      const content = voiceXml({
        aesKey: item.aesKey,
        voiceUrl: ids.cdnUrl(),
        lengthMs: input.durationMs,
        bytes: input.data.byteLength,
        clientMsgId: `${ids.hex(16)}${world.self.wxid}_${core.createTime()}`,
        fromUser: input.from,
      });
      return message(input, {
        msgType: 34,
        content,
        newMsgId,
        msgId,
        ...(input.inlineBuffer ? { imgBuf: input.data } : {}),
        summary: '[语音]',
      });
    },

    video(input) {
      const thumb = input.thumb ?? placeholderJpeg();
      const item = core.media.put('video', input.data, { ext: 'mp4', thumb });
      const size = imageSize(thumb);
      const content = videoXml({
        aesKey: item.aesKey,
        cdnUrl: ids.cdnUrl(),
        md5: item.md5,
        length: input.data.byteLength,
        playLengthSeconds: input.durationSeconds ?? 1,
        thumbLength: thumb.byteLength,
        thumbWidth: size.width,
        thumbHeight: size.height,
        fromUser: input.from,
      });
      return message(input, { msgType: 43, content, summary: '[视频]' });
    },

    async file(input) {
      const ext = input.fileName.includes('.') ? input.fileName.slice(input.fileName.lastIndexOf('.') + 1) : 'bin';
      const item = core.media.put('file', input.data, { ext, fileName: input.fileName });
      const summary = `[文件]${input.fileName}`;
      const started = await message(input, {
        msgType: 49,
        content: fileStartedXml({
          fileName: input.fileName,
          length: input.data.byteLength,
          md5: item.md5,
          uploadToken: `v1_${ids.hex(48)}`,
          fromUser: input.from,
        }),
        summary,
      });
      return message(input, {
        msgType: 49,
        content: fileCompleteXml({
          fileName: input.fileName,
          length: input.data.byteLength,
          md5: item.md5,
          aesKey: item.aesKey,
          cdnUrl: ids.cdnUrl(),
          startedNewMsgId: started,
          fromUser: input.from,
        }),
        summary,
      });
    },

    emoji(input) {
      const data = input.data ?? placeholderJpeg();
      const item = core.media.put('emoji', data, { ext: imageExtension(data) });
      const size = imageSize(data);
      const content = emojiXml({
        fromUser: input.from,
        toUser: input.room ?? world.self.wxid,
        md5: item.md5,
        length: data.byteLength,
        // D.3: `cdnurl` is a plain URL of the image; here it points at the simulator's file server.
        cdnUrl: `${core.fileBase()}/emoji/${item.md5}`,
        aesKey: item.aesKey,
        width: size.width,
        height: size.height,
      });
      return message(input, { msgType: 47, content, imgStatus: 2, summary: '[动画表情]' });
    },

    location(input) {
      const { nick } = origin(input);
      const content = locationXml({
        latitude: input.latitude,
        longitude: input.longitude,
        scale: input.scale ?? 15,
        label: input.label ?? '',
        poiName: input.poiName ?? '',
      });
      return message(input, { msgType: 48, content, pushContent: `${nick}分享了一个地理位置` });
    },

    link(input) {
      const content = appMsgXml({
        type: 5,
        title: input.title,
        ...(input.description !== undefined ? { des: input.description } : {}),
        url: input.url,
        ...(input.thumbUrl !== undefined ? { thumbUrl: input.thumbUrl } : {}),
        fromUser: input.from,
      });
      return message(input, { msgType: 49, content, imgStatus: 2, summary: `[链接]${input.title}` });
    },

    miniProgram(input) {
      const thumb = core.media.put('thumb', input.thumb ?? placeholderJpeg(), { ext: 'jpg' });
      const userName = input.userName ?? `gh_${ids.hex(6)}@app`;
      const content = miniProgramXml({
        title: input.title,
        des: input.title,
        userName,
        appId: input.appId ?? `wx${ids.hex(8)}`,
        pagePath: input.pagePath ?? 'pages/index/index.html',
        iconUrl: input.iconUrl ?? '',
        displayName: input.displayName ?? input.title,
        thumbAesKey: thumb.aesKey,
        thumbCdnUrl: ids.cdnUrl(),
        thumbMd5: thumb.md5,
        thumbLength: thumb.data.byteLength,
        fromUser: input.from,
      });
      return message(input, { msgType: 49, content, imgStatus: 2, summary: `[小程序]${input.title}` });
    },

    contactCard(input) {
      if (!world.contacts.has(input.card.wxid)) {
        world.upsertContact({ wxid: input.card.wxid, nickName: input.card.nickName, alias: input.card.alias ?? '' }, false);
      }
      const content = contactCardXml({
        userName: ids.ticket('v3'),
        nickName: input.card.nickName,
        alias: input.card.alias ?? '',
        bigHeadImgUrl: core.avatarUrl(input.card.wxid, 'big'),
        smallHeadImgUrl: core.avatarUrl(input.card.wxid, 'small'),
        sex: input.card.sex ?? 0,
        antispamTicket: ids.ticket('v4'),
      });
      return message(input, { msgType: 42, content, summary: `[名片]${input.card.nickName}` });
    },

    quote(input) {
      const quoted = world.messages.get(input.quotedNewMsgId);
      const sender = input.quotedSender ?? quoted?.sender;
      const quotedContent = input.quotedContent ?? quoted?.content;
      if (sender === undefined || quotedContent === undefined) {
        throw new Error(`unknown quoted message ${input.quotedNewMsgId}; pass quotedSender and quotedContent`);
      }
      const room = input.room === undefined ? undefined : world.requireRoom(input.room);
      const content = quoteXml({
        text: input.text,
        fromUser: input.from,
        referType: input.quotedType ?? quoted?.msgType ?? 1,
        referNewMsgId: input.quotedNewMsgId,
        referFromUser: room?.roomId ?? sender,
        referChatUser: sender,
        referDisplayName: room ? world.displayNameIn(room, sender) : world.nickNameOf(sender),
        referContent: quotedContent,
        referCreateTime: quoted?.createTime ?? core.createTime(),
      });
      return message(input, { msgType: 49, content, pushContent: input.text });
    },

    system(text, options = {}) {
      const chat = options.chat ?? 'weixin';
      return core.emitMessage({ sender: chat, chat, msgType: 10000, content: text, form: 'system-text' });
    },

    groupInvite(input) {
      const inviterNick = world.nickNameOf(input.from);
      const room =
        world.rooms.get(input.roomId) ??
        world.addRoom({
          roomId: input.roomId,
          name: input.roomName ?? input.roomId,
          owner: input.from,
          members: [{ wxid: input.from }],
          selfIsMember: false,
        });
      const url = `https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=${ids.hex(12)}`;
      world.invites.set(url, { roomId: room.roomId, inviter: input.from });
      const content = groupInviteXml({ inviterNick, roomName: room.name, url, thumbUrl: core.avatarUrl(room.roomId, 'big') });
      return message({ from: input.from }, { msgType: 49, content });
    },

    appMsg(input) {
      const content = appMsgXml({
        type: input.appType,
        title: input.title,
        ...(input.description !== undefined ? { des: input.description } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.extraXml !== undefined ? { extra: input.extraXml } : {}),
        fromUser: input.from,
      });
      return message(input, { msgType: 49, content, summary: input.title });
    },

    raw(input) {
      return message(input, {
        msgType: input.msgType,
        content: input.content,
        ...(input.pushContent !== undefined ? { pushContent: input.pushContent } : {}),
      });
    },

    friendRequest(input) {
      const v3 = ids.ticket('v3');
      const v4 = ids.ticket('v4');
      const scene = input.scene ?? 6;
      if (!world.contacts.get(input.wxid)?.isFriend) {
        world.upsertContact(
          { wxid: input.wxid, nickName: input.nickName, ...(input.sex !== undefined ? { sex: input.sex } : {}) },
          false,
        );
      }
      world.friendRequests.push({ wxid: input.wxid, nickName: input.nickName, v3, v4, scene });
      const content = friendRequestXml({
        fromUser: input.wxid,
        v3,
        v4,
        nickName: input.nickName,
        greeting: input.greeting ?? `我是${input.nickName}`,
        scene,
        sex: input.sex ?? 0,
        bigHeadImgUrl: core.avatarUrl(input.wxid, 'big'),
        smallHeadImgUrl: core.avatarUrl(input.wxid, 'small'),
        brandListVersion: ids.msgSeq(),
      });
      return core.emitMessage({ sender: 'fmessage', chat: 'fmessage', msgType: 37, content });
    },
  };
}
