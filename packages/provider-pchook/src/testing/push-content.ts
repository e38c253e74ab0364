// The XML WeChat puts in `WxMsg.content` and `WxMsg.xml` for each kind, as the simulator pushes it.

export function xmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export function msgSourceXml(aters: readonly string[]): string {
  const atList = aters.length === 0 ? '' : `<atuserlist><![CDATA[${aters.join(',')}]]></atuserlist>`;
  return `<msgsource>${atList}<silence>0</silence><membercount>3</membercount></msgsource>`;
}

export function imageXml(length: number): string {
  return `<?xml version="1.0"?>\n<msg><img aeskey="00000000000000000000000000000000" length="${length}" hdlength="${length}" md5="" /></msg>`;
}

export function voiceXml(durationMs: number, length: number): string {
  return `<msg><voicemsg endflag="1" cancelflag="0" forwardflag="0" voiceformat="4" voicelength="${durationMs}" length="${length}" bufid="0" fromusername="" /></msg>`;
}

export function videoXml(durationMs: number, length: number): string {
  return `<?xml version="1.0"?>\n<msg><videomsg aeskey="" cdnthumblength="0" length="${length}" playlength="${Math.max(1, Math.round(durationMs / 1000))}" fromusername="" md5="" /></msg>`;
}

export function fileXml(fileName: string, length: number): string {
  const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1) : '';
  return `<?xml version="1.0"?>\n<msg><appmsg appid="" sdkver="0"><title>${xmlEscape(fileName)}</title><des></des><type>6</type><appattach><totallen>${length}</totallen><fileext>${xmlEscape(extension)}</fileext></appattach></appmsg></msg>`;
}

export function linkXml(link: { url: string; title: string; description?: string; thumbUrl?: string }): string {
  return `<?xml version="1.0"?>\n<msg><appmsg appid="" sdkver="0"><title>${xmlEscape(link.title)}</title><des>${xmlEscape(link.description ?? '')}</des><type>5</type><url>${xmlEscape(link.url)}</url><thumburl>${xmlEscape(link.thumbUrl ?? '')}</thumburl></appmsg></msg>`;
}

export function emojiXml(sender: string, md5: string, length: number, cdnUrl: string): string {
  return `<msg><emoji fromusername="${xmlEscape(sender)}" tousername="" type="2" md5="${md5}" len="${length}" cdnurl="${xmlEscape(cdnUrl)}" width="240" height="240" /></msg>`;
}

export function revokeXml(session: string, messageId: string, replace: string): string {
  return `<sysmsg type="revokemsg"><revokemsg><session>${xmlEscape(session)}</session><msgid>1</msgid><newmsgid>${messageId}</newmsgid><replacemsg><![CDATA[${replace}]]></replacemsg></revokemsg></sysmsg>`;
}

export function friendRequestXml(request: {
  wxid: string;
  name: string;
  v3: string;
  v4: string;
  greeting: string;
  scene: number;
}): string {
  return `<msg fromusername="${xmlEscape(request.wxid)}" encryptusername="${xmlEscape(request.v3)}" fromnickname="${xmlEscape(request.name)}" content="${xmlEscape(request.greeting)}" ticket="${xmlEscape(request.v4)}" scene="${request.scene}" />`;
}
