import { attributes, cdata, escapeXml } from './xml-text.ts';

// The XML bodies GeWe puts in `Content.string`, shaped as in reference B.6 (MsgType table and examples).

export function msgSourceXml(options: { signature: string; atUserList?: string; memberCount?: number }): string {
  const lines = ['<msgsource>'];
  if (options.atUserList !== undefined) lines.push(`\t<atuserlist>${cdata(options.atUserList)}</atuserlist>`);
  if (options.memberCount !== undefined) {
    lines.push('\t<pua>1</pua>', '\t<silence>0</silence>', `\t<membercount>${options.memberCount}</membercount>`);
  } else {
    lines.push('\t<alnode>', '\t\t<fr>1</fr>', '\t</alnode>');
  }
  lines.push(
    `\t<signature>${options.signature}</signature>`,
    '\t<tmp_node>',
    '\t\t<publisher-id></publisher-id>',
    '\t</tmp_node>',
  );
  return `${lines.join('\n')}\n</msgsource>\n`;
}

/** MsgSource of system messages: no signature. */
export const systemMsgSource = '<msgsource>\n\t<tmp_node>\n\t\t<publisher-id></publisher-id>\n\t</tmp_node>\n</msgsource>\n';

export function imageXml(image: {
  aesKey: string;
  cdnUrl: string;
  md5: string;
  length: number;
  thumbLength: number;
  thumbWidth: number;
  thumbHeight: number;
}): string {
  const img = attributes({
    aeskey: image.aesKey,
    encryver: 1,
    cdnthumbaeskey: image.aesKey,
    cdnthumburl: image.cdnUrl,
    cdnthumblength: image.thumbLength,
    cdnthumbheight: image.thumbHeight,
    cdnthumbwidth: image.thumbWidth,
    cdnmidheight: 0,
    cdnmidwidth: 0,
    cdnhdheight: 0,
    cdnhdwidth: 0,
    cdnmidimgurl: image.cdnUrl,
    length: image.length,
    md5: image.md5,
  });
  return `<?xml version="1.0"?>\n<msg>\n\t<img ${img} />\n\t<platform_signature></platform_signature>\n\t<imgdatahash></imgdatahash>\n</msg>\n`;
}

export function voiceXml(voice: {
  aesKey: string;
  voiceUrl: string;
  lengthMs: number;
  bytes: number;
  clientMsgId: string;
  fromUser: string;
}): string {
  const voicemsg = attributes({
    endflag: 1,
    cancelflag: 0,
    forwardflag: 0,
    voiceformat: 4,
    voicelength: voice.lengthMs,
    length: voice.bytes,
    bufid: 0,
    aeskey: voice.aesKey,
    voiceurl: voice.voiceUrl,
    voicemd5: '',
    clientmsgid: voice.clientMsgId,
    fromusername: voice.fromUser,
  });
  return `<msg><voicemsg ${voicemsg} /></msg>`;
}

export function videoXml(video: {
  aesKey: string;
  cdnUrl: string;
  md5: string;
  length: number;
  playLengthSeconds: number;
  thumbLength: number;
  thumbWidth: number;
  thumbHeight: number;
  fromUser: string;
}): string {
  const videomsg = attributes({
    aeskey: video.aesKey,
    cdnvideourl: video.cdnUrl,
    cdnthumbaeskey: video.aesKey,
    cdnthumburl: video.cdnUrl,
    length: video.length,
    playlength: video.playLengthSeconds,
    cdnthumblength: video.thumbLength,
    cdnthumbwidth: video.thumbWidth,
    cdnthumbheight: video.thumbHeight,
    fromusername: video.fromUser,
    md5: video.md5,
    newmd5: video.md5,
    isplaceholder: 0,
    rawmd5: '',
    rawlength: 0,
  });
  return `<?xml version="1.0"?>\n<msg>\n\t<videomsg ${videomsg} />\n</msg>\n`;
}

export function emojiXml(emoji: {
  fromUser: string;
  toUser: string;
  md5: string;
  length: number;
  cdnUrl: string;
  aesKey: string;
  width: number;
  height: number;
}): string {
  const attrs = attributes({
    fromusername: emoji.fromUser,
    tousername: emoji.toUser,
    type: 2,
    idbuffer: 'media:0_0',
    md5: emoji.md5,
    len: emoji.length,
    productid: '',
    androidmd5: emoji.md5,
    androidlen: emoji.length,
    cdnurl: emoji.cdnUrl,
    designerid: '',
    thumburl: '',
    encrypturl: '',
    aeskey: emoji.aesKey,
    externurl: '',
    externmd5: '',
    width: emoji.width,
    height: emoji.height,
  });
  return `<msg><emoji ${attrs} ></emoji> <gameext type="0" content="0" ></gameext></msg>`;
}

export function locationXml(location: {
  latitude: number;
  longitude: number;
  scale: number;
  label: string;
  poiName: string;
}): string {
  const attrs = attributes({
    x: location.latitude.toFixed(6),
    y: location.longitude.toFixed(6),
    scale: location.scale,
    label: location.label,
    maptype: 'roadmap',
    poiname: location.poiName,
    poiid: '',
  });
  return `<?xml version="1.0"?>\n<msg>\n\t<location ${attrs} />\n</msg>\n`;
}

export interface AppMsgParts {
  type: number;
  title: string;
  des?: string;
  url?: string;
  thumbUrl?: string;
  /** Inner XML of `<appattach>`. */
  appAttach?: string;
  md5?: string;
  sourceUserName?: string;
  sourceDisplayName?: string;
  /** Extra inner XML placed at the end of `<appmsg>` (`<weappinfo>`, `<refermsg>`…). */
  extra?: string;
  fromUser: string;
}

/** `<msg><appmsg>…` of MsgType 49 (reference B.6, appmsg subtypes). */
export function appMsgXml(parts: AppMsgParts): string {
  const optional = (name: string, value: string | undefined) =>
    value === undefined || value === '' ? `\t\t<${name} />` : `\t\t<${name}>${escapeXml(value)}</${name}>`;
  const lines = [
    '<?xml version="1.0"?>',
    '<msg>',
    '\t<appmsg appid="" sdkver="0">',
    `\t\t<title>${escapeXml(parts.title)}</title>`,
    optional('des', parts.des),
    '\t\t<action />',
    `\t\t<type>${parts.type}</type>`,
    '\t\t<showtype>0</showtype>',
    '\t\t<content />',
    optional('url', parts.url),
    `\t\t<appattach>${parts.appAttach ?? '\n\t\t\t<totallen>0</totallen>\n\t\t\t<attachid />\n\t\t\t<fileext />\n\t\t\t<aeskey />\n\t\t'}</appattach>`,
    optional('sourceusername', parts.sourceUserName),
    optional('sourcedisplayname', parts.sourceDisplayName),
    optional('thumburl', parts.thumbUrl),
    optional('md5', parts.md5),
  ];
  if (parts.extra) lines.push(parts.extra);
  lines.push(
    '\t</appmsg>',
    `\t<fromusername>${escapeXml(parts.fromUser)}</fromusername>`,
    '\t<scene>0</scene>',
    '\t<appinfo>\n\t\t<version>1</version>\n\t\t<appname></appname>\n\t</appinfo>',
    '\t<commenturl></commenturl>',
    '</msg>',
  );
  return `${lines.join('\n')}\n`;
}

/** appmsg type 74, "file started": announces the file; not downloadable (trap 13). */
export function fileStartedXml(file: {
  fileName: string;
  length: number;
  md5: string;
  uploadToken: string;
  fromUser: string;
}): string {
  const ext = extensionOf(file.fileName);
  return [
    '<msg>',
    '\t<appmsg appid="" sdkver="0">',
    `\t\t<title>${cdata(file.fileName)}</title>`,
    '\t\t<type>74</type>',
    '\t\t<showtype>0</showtype>',
    '\t\t<appattach>',
    `\t\t\t<totallen>${file.length}</totallen>`,
    `\t\t\t<fileext>${cdata(ext)}</fileext>`,
    `\t\t\t<fileuploadtoken>${file.uploadToken}</fileuploadtoken>`,
    '\t\t\t<status>0</status>',
    '\t\t</appattach>',
    `\t\t<md5>${cdata(file.md5)}</md5>`,
    `\t\t<laninfo>${cdata('')}</laninfo>`,
    '\t</appmsg>',
    `\t<fromusername>${escapeXml(file.fromUser)}</fromusername>`,
    '</msg>',
  ].join('\n');
}

/** appmsg type 6, "file complete": the one to download or forward. */
export function fileCompleteXml(file: {
  fileName: string;
  length: number;
  md5: string;
  aesKey: string;
  cdnUrl: string;
  startedNewMsgId?: string;
  fromUser: string;
}): string {
  const attach = [
    '',
    `\t\t\t<totallen>${file.length}</totallen>`,
    `\t\t\t<attachid>@cdn_${file.cdnUrl}_${file.aesKey}_1</attachid>`,
    '\t\t\t<emoticonmd5 />',
    `\t\t\t<fileext>${escapeXml(extensionOf(file.fileName))}</fileext>`,
    `\t\t\t<cdnattachurl>${file.cdnUrl}</cdnattachurl>`,
    `\t\t\t<aeskey>${file.aesKey}</aeskey>`,
    '\t\t\t<encryver>0</encryver>',
    ...(file.startedNewMsgId ? [`\t\t\t<overwrite_newmsgid>${file.startedNewMsgId}</overwrite_newmsgid>`] : []),
    '\t\t',
  ].join('\n');
  return appMsgXml({ type: 6, title: file.fileName, appAttach: attach, md5: file.md5, fromUser: file.fromUser });
}

export function miniProgramXml(mini: {
  title: string;
  des: string;
  userName: string;
  appId: string;
  pagePath: string;
  iconUrl: string;
  displayName: string;
  thumbAesKey: string;
  thumbCdnUrl: string;
  thumbMd5: string;
  thumbLength: number;
  fromUser: string;
}): string {
  const attach = [
    '',
    `\t\t\t<cdnthumburl>${mini.thumbCdnUrl}</cdnthumburl>`,
    `\t\t\t<cdnthumbmd5>${mini.thumbMd5}</cdnthumbmd5>`,
    `\t\t\t<cdnthumblength>${mini.thumbLength}</cdnthumblength>`,
    `\t\t\t<cdnthumbaeskey>${mini.thumbAesKey}</cdnthumbaeskey>`,
    `\t\t\t<aeskey>${mini.thumbAesKey}</aeskey>`,
    '\t\t\t<encryver>0</encryver>',
    '\t\t',
  ].join('\n');
  const weapp = [
    '\t\t<weappinfo>',
    `\t\t\t<username>${cdata(mini.userName)}</username>`,
    `\t\t\t<appid>${cdata(mini.appId)}</appid>`,
    '\t\t\t<type>2</type>',
    '\t\t\t<version>1</version>',
    `\t\t\t<weappiconurl>${cdata(mini.iconUrl)}</weappiconurl>`,
    `\t\t\t<pagepath>${cdata(mini.pagePath)}</pagepath>`,
    '\t\t</weappinfo>',
  ].join('\n');
  return appMsgXml({
    type: 33,
    title: mini.title,
    des: mini.des,
    url: `https://mp.weixin.qq.com/mp/waerrpage?appid=${mini.appId}&type=upgrade&upgradetype=3#wechat_redirect`,
    appAttach: attach,
    sourceUserName: mini.userName,
    sourceDisplayName: mini.displayName,
    md5: mini.thumbMd5,
    extra: weapp,
    fromUser: mini.fromUser,
  });
}

export function quoteXml(quote: {
  text: string;
  fromUser: string;
  referType: number;
  referNewMsgId: string;
  referFromUser: string;
  referChatUser: string;
  referDisplayName: string;
  referContent: string;
  referCreateTime: number;
}): string {
  const refer = [
    '\t\t<refermsg>',
    `\t\t\t<type>${quote.referType}</type>`,
    `\t\t\t<svrid>${quote.referNewMsgId}</svrid>`,
    `\t\t\t<fromusr>${escapeXml(quote.referFromUser)}</fromusr>`,
    `\t\t\t<chatusr>${escapeXml(quote.referChatUser)}</chatusr>`,
    `\t\t\t<displayname>${escapeXml(quote.referDisplayName)}</displayname>`,
    `\t\t\t<content>${escapeXml(quote.referContent)}</content>`,
    `\t\t\t<createtime>${quote.referCreateTime}</createtime>`,
    '\t\t</refermsg>',
  ].join('\n');
  return appMsgXml({ type: 57, title: quote.text, extra: refer, fromUser: quote.fromUser });
}

export function groupInviteXml(invite: { inviterNick: string; roomName: string; url: string; thumbUrl: string }): string {
  return [
    '<msg><appmsg appid="" sdkver="">',
    `<title>${cdata('邀请你加入群聊')}</title>`,
    `<des>${cdata(`"${invite.inviterNick}"邀请你加入群聊"${invite.roomName}"，进入可查看详情。`)}</des>`,
    '<action>view</action><type>5</type><showtype>0</showtype><content></content>',
    `<url>${cdata(invite.url)}</url>`,
    `<thumburl>${cdata(invite.thumbUrl)}</thumburl>`,
    '<lowurl></lowurl><appattach><totallen>0</totallen><attachid></attachid><fileext></fileext></appattach><extinfo></extinfo>',
    '</appmsg><appinfo><version></version><appname></appname></appinfo></msg>',
  ].join('');
}

export function contactCardXml(card: {
  userName: string;
  nickName: string;
  alias: string;
  bigHeadImgUrl: string;
  smallHeadImgUrl: string;
  sex: number;
  antispamTicket: string;
}): string {
  const attrs = attributes({
    bigheadimgurl: card.bigHeadImgUrl,
    smallheadimgurl: card.smallHeadImgUrl,
    username: card.userName,
    nickname: card.nickName,
    fullpy: card.nickName,
    shortpy: '',
    alias: card.alias,
    imagestatus: 3,
    scene: 17,
    province: '',
    city: '',
    sign: '',
    sex: card.sex,
    certflag: 0,
    certinfo: '',
    brandIconUrl: '',
    brandHomeUrl: '',
    brandSubscriptConfigUrl: '',
    brandFlags: 0,
    regionCode: '',
    biznamecardinfo: '',
    antispamticket: card.antispamTicket,
  });
  return `<?xml version="1.0"?>\n<msg ${attrs} />\n`;
}

export function friendRequestXml(request: {
  fromUser: string;
  v3: string;
  v4: string;
  nickName: string;
  greeting: string;
  scene: number;
  sex: number;
  bigHeadImgUrl: string;
  smallHeadImgUrl: string;
  brandListVersion: number;
}): string {
  const attrs = attributes({
    fromusername: request.fromUser,
    encryptusername: request.v3,
    fromnickname: request.nickName,
    content: request.greeting,
    fullpy: request.nickName,
    shortpy: '',
    imagestatus: 3,
    scene: request.scene,
    country: '',
    province: '',
    city: '',
    sign: '',
    percard: 0,
    sex: request.sex,
    alias: '',
    weibo: '',
    albumflag: 0,
    albumstyle: 0,
    albumbgimgid: '',
    snsflag: 1,
    snsbgimgid: '',
    snsbgobjectid: 0,
    mhash: '',
    mfullhash: '',
    bigheadimgurl: request.bigHeadImgUrl,
    smallheadimgurl: request.smallHeadImgUrl,
    ticket: request.v4,
    opcode: 2,
    googlecontact: '',
    qrticket: '',
    chatroomusername: '',
    sourceusername: '',
    sourcenickname: '',
    sharecardusername: '',
    sharecardnickname: '',
    cardversion: '',
    extflag: 0,
  });
  return `<msg ${attrs}><brandlist count="0" ver="${request.brandListVersion}"></brandlist></msg>`;
}

/** MsgType 10002 `revokemsg`: names the REVOKED message (its session, msgid and newmsgid). */
export function revokeXml(revoke: { session: string; msgId: number; newMsgId: string; replaceMsg: string }): string {
  return (
    `<sysmsg type="revokemsg"><revokemsg><session>${escapeXml(revoke.session)}</session>` +
    `<msgid>${revoke.msgId}</msgid><newmsgid>${revoke.newMsgId}</newmsgid>` +
    `<replacemsg>${cdata(revoke.replaceMsg)}</replacemsg></revokemsg></sysmsg>`
  );
}

export interface TemplateLink {
  name: string;
  members: readonly { userName: string; nickName: string }[];
}

/** MsgType 10002 `sysmsgtemplate` (joins, kicks): the template names `$link$` placeholders. */
export function sysMsgTemplateXml(template: string, links: readonly TemplateLink[]): string {
  const linkXml = links.map(link => {
    const members = link.members
      .map(
        member =>
          `\t\t\t\t\t\t<member>\n\t\t\t\t\t\t\t<username>${cdata(member.userName)}</username>\n\t\t\t\t\t\t\t<nickname>${cdata(member.nickName)}</nickname>\n\t\t\t\t\t\t</member>`,
      )
      .join('\n');
    const separator = link.members.length > 1 ? `\n\t\t\t\t\t<separator>${cdata('、')}</separator>` : '';
    return `\t\t\t\t<link name="${escapeXml(link.name)}" type="link_profile">\n\t\t\t\t\t<memberlist>\n${members}\n\t\t\t\t\t</memberlist>${separator}\n\t\t\t\t</link>`;
  });
  return [
    '<sysmsg type="sysmsgtemplate">',
    '\t<sysmsgtemplate>',
    '\t\t<content_template type="tmpl_type_profile">',
    `\t\t\t<plain>${cdata('')}</plain>`,
    `\t\t\t<template>${cdata(template)}</template>`,
    '\t\t\t<link_list>',
    ...linkXml,
    '\t\t\t</link_list>',
    '\t\t</content_template>',
    '\t</sysmsgtemplate>',
    '</sysmsg>',
    '',
  ].join('\n');
}

/** MsgType 10002 `mmchatroombarannouncememt` (sic, GeWe's spelling). */
export function announcementXml(announcement: { content: string; announcementId: string }): string {
  return [
    '<sysmsg type="mmchatroombarannouncememt">',
    '    <mmchatroombarannouncememt>',
    `        <content>${cdata(announcement.content)}</content>`,
    `        <announcement_id>${cdata(announcement.announcementId)}</announcement_id>`,
    '    </mmchatroombarannouncememt>',
    '</sysmsg>',
  ].join('\n');
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1) : '';
}
