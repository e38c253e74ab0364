import { describe, expect, it } from 'vitest';
import { addMsg, botWxid } from './__fixtures__/gewe-callbacks.ts';
import { type InterpretedAddMsg, interpretAddMsg } from './interpret-add-msg.ts';
import { decodeMediaRef } from './media-ref.ts';

const room = '20983425517@chatroom';

/** An `<appmsg>` message as WeChat writes it: the declaration, then `<msg><appmsg>…</appmsg><fromusername/>…`. */
function appMsg(inner: string, appAttributes = 'appid="" sdkver="0"'): string {
  return (
    `<?xml version="1.0"?>\n<msg>\n\t<appmsg ${appAttributes}>\n${inner}\n\t</appmsg>\n\t<fromusername>wxid_alice</fromusername>\n` +
    '\t<scene>0</scene>\n\t<appinfo>\n\t\t<version>1</version>\n\t\t<appname></appname>\n\t</appinfo>\n\t<commenturl></commenturl>\n</msg>\n'
  );
}

function interpret(content: string, options: { room?: boolean; msgSource?: string } = {}): InterpretedAddMsg {
  const data = addMsg({
    from: options.room ? room : 'wxid_alice',
    msgType: 49,
    content: options.room ? `wxid_alice:\n${content}` : content,
    ...(options.msgSource === undefined ? {} : { msgSource: options.msgSource }),
  });
  return interpretAddMsg(data, { selfWxid: botWxid });
}

function message(result: InterpretedAddMsg) {
  if (result.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('interpretAddMsg: app messages (49)', () => {
  it('reads a link (5)', () => {
    const xml = appMsg(
      '\t\t<title>一文读懂 Matrix 协议</title>\n\t\t<des>去中心化通信的开放标准</des>\n\t\t<action>view</action>\n\t\t<type>5</type>\n' +
        '\t\t<showtype>0</showtype>\n\t\t<url>https://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=2650&amp;idx=1&amp;sn=abc#rd</url>\n' +
        '\t\t<thumburl>https://mmbiz.qpic.cn/mmbiz_jpg/abc/300</thumburl>\n\t\t<appattach>\n\t\t\t<totallen>0</totallen>\n\t\t</appattach>',
    );
    const result = message(interpret(xml, { room: true }));
    expect(result.senderId).toBe('wxid_alice');
    expect(result.chat).toStrictEqual({ type: 'room', roomId: room });
    expect(result.content).toStrictEqual({
      kind: 'link',
      link: {
        url: 'https://mp.weixin.qq.com/s?__biz=MzA5&mid=2650&idx=1&sn=abc#rd',
        title: '一文读懂 Matrix 协议',
        description: '去中心化通信的开放标准',
        thumbnailUrl: 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/300',
      },
    });
  });

  it('tells a group invite (5, 邀请你加入群聊) from a link and describes it as system text', () => {
    const xml = appMsg(
      '\t\t<title>邀请你加入群聊</title>\n\t\t<des>"Alice"邀请你加入群聊"周末爬山"，进入可查看详情。</des>\n\t\t<type>5</type>\n' +
        '\t\t<url>https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=AXn3kf%2Bq&amp;exportkey=x</url>\n' +
        '\t\t<thumburl>https://wx.qlogo.cn/mmcrhead/abc/0</thumburl>',
    );
    const result = message(interpret(xml));
    expect(result.content.kind).toBe('system');
    expect(result.content.kind === 'system' && result.content.text).toBe(
      'Invitation to join a group chat\n"Alice"邀请你加入群聊"周末爬山"，进入可查看详情。\n' +
        'https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=AXn3kf%2Bq&exportkey=x',
    );
  });

  it('recognises an invite in another language by its URL', () => {
    const xml = appMsg(
      '<title>Group Chat Invitation</title><des>"Alice" invited you to join the group chat "Hiking".</des><type>5</type>' +
        '<url>https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=B</url>',
    );
    expect(message(interpret(xml)).content.kind).toBe('system');
  });

  it('reads a complete file (6): name, size, type, and a file ref to the XML', () => {
    const xml = appMsg(
      '\t\t<title>2024 年度报告.pdf</title>\n\t\t<des></des>\n\t\t<action>view</action>\n\t\t<type>6</type>\n\t\t<showtype>0</showtype>\n' +
        '\t\t<appattach>\n\t\t\t<totallen>1048576</totallen>\n\t\t\t<attachid>@cdn_3057020100044b3049_1</attachid>\n' +
        '\t\t\t<emoticonmd5></emoticonmd5>\n\t\t\t<fileext>pdf</fileext>\n\t\t\t<cdnattachurl>3057020100044b3049</cdnattachurl>\n' +
        '\t\t\t<aeskey>a1b2c3d4e5f60718293a4b5c6d7e8f90</aeskey>\n\t\t</appattach>\n\t\t<md5>0f1e2d3c4b5a69788796a5b4c3d2e1f0</md5>',
    );
    const result = message(interpret(xml, { room: true }));
    expect(result.content).toMatchObject({ kind: 'file', fileName: '2024 年度报告.pdf' });
    if (result.content.kind !== 'file') return;
    expect(result.content.media).toMatchObject({ fileName: '2024 年度报告.pdf', size: 1048576, mimeType: 'application/pdf' });
    // The ref carries the XML without the group prefix: that is what downloadFile wants.
    expect(decodeMediaRef(result.content.media)).toStrictEqual({ source: 'file', xml });
  });

  it('ignores a file that has only started uploading (74)', () => {
    const xml = appMsg(
      '<title>big.zip</title><type>74</type><appattach><totallen>73400320</totallen><fileext>zip</fileext>' +
        '<status>0</status><uploadtoken>tok</uploadtoken></appattach>',
    );
    expect(interpret(xml)).toMatchObject({ type: 'ignore', reason: expect.stringContaining('type 6') });
  });

  it('reads a mini program (33)', () => {
    const xml = appMsg(
      '\t\t<title>今天吃什么？点外卖立减</title>\n\t\t<des></des>\n\t\t<type>33</type>\n' +
        '\t\t<url>https://mp.weixin.qq.com/mp/waerrpage?appid=wx2c348cf579062e56&amp;type=upgrade&amp;upgradetype=3#wechat_redirect</url>\n' +
        '\t\t<sourceusername>gh_72a4eb2d4324@app</sourceusername>\n\t\t<sourcedisplayname>美团外卖</sourcedisplayname>\n' +
        '\t\t<weappinfo>\n\t\t\t<pagepath><![CDATA[pages/index/index.html?source=share]]></pagepath>\n' +
        '\t\t\t<username>gh_72a4eb2d4324@app</username>\n\t\t\t<appid>wx2c348cf579062e56</appid>\n\t\t\t<version>541</version>\n' +
        '\t\t\t<type>2</type>\n\t\t\t<weappiconurl><![CDATA[http://mmbiz.qpic.cn/mmbiz_png/icon/640]]></weappiconurl>\n\t\t</weappinfo>',
    );
    expect(message(interpret(xml)).content).toStrictEqual({
      kind: 'mini-program',
      miniProgram: {
        title: '今天吃什么？点外卖立减',
        appId: 'wx2c348cf579062e56',
        pagePath: 'pages/index/index.html?source=share',
        url: 'https://mp.weixin.qq.com/mp/waerrpage?appid=wx2c348cf579062e56&type=upgrade&upgradetype=3#wechat_redirect',
        description: '美团外卖',
      },
    });
  });

  it('reads a mini program (36) without a page path', () => {
    const xml = appMsg(
      '<title>打卡</title><type>36</type><sourcedisplayname>小打卡</sourcedisplayname><weappinfo><appid>wx0</appid></weappinfo>',
    );
    expect(message(interpret(xml)).content).toStrictEqual({
      kind: 'mini-program',
      miniProgram: { title: '打卡', appId: 'wx0', description: '小打卡' },
    });
  });

  it('reads a quote (57) in a group as text replying to the quoted 64-bit message id', () => {
    const xml = appMsg(
      '\t\t<title>@Bob\u2005同意，周六见</title>\n\t\t<des></des>\n\t\t<action></action>\n\t\t<type>57</type>\n\t\t<showtype>0</showtype>\n' +
        '\t\t<refermsg>\n\t\t\t<type>1</type>\n\t\t\t<svrid>8449132831264840264</svrid>\n\t\t\t<fromusr>20983425517@chatroom</fromusr>\n' +
        '\t\t\t<chatusr>wxid_bob</chatusr>\n\t\t\t<displayname>Bob</displayname>\n\t\t\t<content>周六去爬山 &amp; 野餐？</content>\n' +
        '\t\t\t<msgsource>&lt;msgsource&gt;&lt;membercount&gt;5&lt;/membercount&gt;&lt;/msgsource&gt;</msgsource>\n' +
        '\t\t\t<createtime>1733447000</createtime>\n\t\t</refermsg>',
    );
    const result = message(
      interpret(xml, { room: true, msgSource: '<msgsource><atuserlist><![CDATA[,wxid_bob]]></atuserlist></msgsource>' }),
    );
    expect(result.content).toStrictEqual({ kind: 'text', text: '@Bob 同意，周六见' });
    expect(result.mentions).toStrictEqual({ contactIds: ['wxid_bob'] });
    expect(result.replyTo).toStrictEqual({
      messageId: '8449132831264840264',
      senderId: 'wxid_bob',
      text: 'Bob: 周六去爬山 & 野餐？',
    });
  });

  it('reads a private quote of an image: sender from fromusr, content described', () => {
    const xml = appMsg(
      '<title>好看</title><type>57</type><refermsg><type>3</type><svrid>7773749793478223190</svrid><fromusr>wxid_bot</fromusr>' +
        '<chatusr></chatusr><displayname>Bot</displayname><content>&lt;?xml version="1.0"?&gt;&lt;msg&gt;&lt;img aeskey="k"/&gt;&lt;/msg&gt;</content></refermsg>',
    );
    expect(message(interpret(xml)).replyTo).toStrictEqual({
      messageId: '7773749793478223190',
      senderId: 'wxid_bot',
      text: 'Bot: [Image]',
    });
  });

  it('reads a quote of a link by the link title', () => {
    const inner =
      '&lt;msg&gt;&lt;appmsg appid="" sdkver="0"&gt;&lt;title&gt;一文读懂&lt;/title&gt;&lt;type&gt;5&lt;/type&gt;&lt;/appmsg&gt;&lt;/msg&gt;';
    const xml = appMsg(
      `<title>看看这个</title><type>57</type><refermsg><type>49</type><svrid>1001</svrid><fromusr>wxid_bob</fromusr><displayname>Bob</displayname><content>${inner}</content></refermsg>`,
    );
    expect(message(interpret(xml)).replyTo).toStrictEqual({
      messageId: '1001',
      senderId: 'wxid_bob',
      text: 'Bob: [Link] 一文读懂',
    });
  });

  const describedTypes: readonly [string, string, string][] = [
    [
      '19',
      '<title>群聊的聊天记录</title><des>Alice: 周六见\nBob: 好</des><type>19</type><recorditem><![CDATA[<recordinfo/>]]></recorditem>',
      'Chat history: 群聊的聊天记录',
    ],
    ['17', '<title>我发起了位置共享</title><type>17</type>', 'Live location sharing: 我发起了位置共享'],
    [
      '51',
      '<title>当前微信版本不支持展示该内容，请升级至最新版本。</title><type>51</type><finderFeed><nickname>央视新闻</nickname><desc>今日要闻</desc></finderFeed>',
      'A Channels (视频号) post: 央视新闻 — 今日要闻',
    ],
    [
      '2000',
      '<title>微信转账</title><des>收到转账0.01元。如需收钱，请点此升级至最新版本</des><type>2000</type><wcpayinfo><paysubtype>1</paysubtype><feedesc>￥0.01</feedesc></wcpayinfo>',
      'A WeChat Pay transfer: 微信转账 — 收到转账0.01元',
    ],
    [
      '2001',
      '<title>恭喜发财，大吉大利</title><des>我给你发了一个红包，赶紧去拆!</des><type>2001</type><wcpayinfo><templateid>7a2a165d31da7fce6dd77e05c300028a</templateid></wcpayinfo>',
      'A red packet: 恭喜发财，大吉大利 — 我给你发了一个红包',
    ],
    ['99999', '<title>新玩意</title><type>99999</type>', 'An app message (type 99999): 新玩意'],
  ];
  for (const [type, inner, expected] of describedTypes) {
    it(`describes appmsg type ${type} as unsupported`, () => {
      const result = message(interpret(appMsg(inner), { room: true }));
      expect(result.content.kind).toBe('unsupported');
      expect(result.content.kind === 'unsupported' && result.content.description).toContain(expected);
    });
  }

  it('reports an unreadable app message as unsupported', () => {
    const result = message(interpret('<msg><notappmsg/></msg>'));
    expect(result.content).toStrictEqual({ kind: 'unsupported', description: 'An app message that could not be read' });
  });
});
