import type { MediaRefV1 } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { addMsg, botWxid } from './__fixtures__/gewe-callbacks.ts';
import { type InterpretedAddMsg, interpretAddMsg } from './interpret-add-msg.ts';
import { decodeMediaRef } from './media-ref.ts';
import type { GeweAddMsgData } from './parse-callback.ts';

const room = '20983425517@chatroom';

function content(result: InterpretedAddMsg) {
  if (result.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message.content;
}

const interpret = (data: GeweAddMsgData): InterpretedAddMsg => interpretAddMsg(data, { selfWxid: botWxid });

function media(value: unknown): MediaRefV1 {
  const ref = (value as { media?: MediaRefV1 }).media;
  if (ref === undefined) throw new Error('no media');
  return ref;
}

const imageXml =
  '<?xml version="1.0"?>\n<msg>\n\t<img aeskey="0e3d1b7a9c2f4e6d8a0b1c2d3e4f5a6b" encryver="1" cdnthumbaeskey="0e3d1b7a9c2f4e6d8a0b1c2d3e4f5a6b" ' +
  'cdnthumburl="3057020100044b304902010002043c1a2b3c02032f5f1d0204a1b2c3d4020465f0a1b2042438316563" cdnthumblength="3274" ' +
  'cdnthumbheight="120" cdnthumbwidth="90" cdnmidheight="0" cdnmidwidth="0" cdnhdheight="1600" cdnhdwidth="1200" ' +
  'cdnmidimgurl="3057020100044b304902010002043c1a2b3c02032f5f1d0204a1b2c3d4020465f0a1b2042438316563" length="184233" ' +
  'md5="9f2b6c3e1a4d5b6c7d8e9f0a1b2c3d4e" hevc_mid_size="184233" originsourcemd5="5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d" />\n' +
  '\t<platform_signature />\n\t<imgdatahash />\n</msg>\n';

describe('interpretAddMsg: media messages', () => {
  it('reads an image (3) in a group, with dimensions and a ref to the XML after the prefix', () => {
    const result = content(interpret(addMsg({ from: room, msgType: 3, content: `wxid_alice:\n${imageXml}` })));
    expect(result).toMatchObject({ kind: 'image', width: 1200, height: 1600 });
    expect(media(result).mimeType).toBe('image/jpeg');
    expect(decodeMediaRef(media(result))).toStrictEqual({ source: 'image', xml: imageXml });
  });

  it('leaves out image dimensions the XML does not give', () => {
    const xml = '<msg><img aeskey="k" cdnmidimgurl="u" length="10" md5="m" cdnhdwidth="0" cdnhdheight="0"/></msg>';
    const result = content(interpret(addMsg({ from: 'wxid_friend', msgType: 3, content: xml })));
    expect(result.kind).toBe('image');
    expect(result).not.toHaveProperty('width');
  });

  it('reads a voice message (34): duration in ms, inline SILK, msgId for downloadVoice, Ogg type', () => {
    const xml =
      '<msg><voicemsg endflag="1" cancelflag="0" forwardflag="0" voiceformat="4" voicelength="2540" length="3600" bufid="0" ' +
      'aeskey="3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a" voiceurl="3052020100044b30490201000204" voicemd5="" clientmsgid="41396430" ' +
      'fromusername="wxid_friend" /></msg>';
    const data = addMsg({
      from: 'wxid_friend',
      msgType: 34,
      content: xml,
      msgId: 1040356300,
      imgBuf: { iLen: 16, buffer: 'AiMhU0lMS19WMxMApzi9' },
    });
    const result = content(interpret(data));
    expect(result).toMatchObject({ kind: 'voice', durationMs: 2540 });
    expect(media(result).mimeType).toBe('audio/ogg');
    expect(decodeMediaRef(media(result))).toStrictEqual({
      source: 'voice',
      xml,
      msgId: '1040356300',
      silkBase64: 'AiMhU0lMS19WMxMApzi9',
    });
  });

  it('reads a voice message without inline bytes', () => {
    const xml = '<msg><voicemsg voicelength="980" length="1200" voiceformat="4" aeskey="a" voiceurl="b" bufid="0"/></msg>';
    const result = content(interpret(addMsg({ from: 'wxid_friend', msgType: 34, content: xml, msgId: 77 })));
    expect(result).toMatchObject({ kind: 'voice', durationMs: 980 });
    expect(decodeMediaRef(media(result))).toStrictEqual({ source: 'voice', xml, msgId: '77' });
  });

  it('reads a video (43): playlength in seconds becomes ms, length is the size', () => {
    const xml =
      '<?xml version="1.0"?>\n<msg>\n\t<videomsg aeskey="5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e" cdnvideourl="3057020100044b3049" ' +
      'cdnthumbaeskey="5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e" cdnthumburl="3057020100044b3049" length="2316542" playlength="14" ' +
      'cdnthumblength="9120" cdnthumbwidth="288" cdnthumbheight="512" fromusername="wxid_friend" md5="c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6" ' +
      'newmd5="0f1e2d3c4b5a69788796a5b4c3d2e1f0" isplaceholder="0" rawmd5="" rawlength="0" cdnrawvideourl="" cdnrawvideoaeskey="" ' +
      'overwritenewmsgid="0" originsourcemd5="" isad="0" />\n</msg>\n';
    const result = content(interpret(addMsg({ from: 'wxid_friend', msgType: 43, content: xml })));
    expect(result).toMatchObject({ kind: 'video', durationMs: 14000 });
    expect(media(result)).toMatchObject({ mimeType: 'video/mp4', size: 2316542 });
    expect(decodeMediaRef(media(result))).toStrictEqual({ source: 'video', xml });
  });

  it('reads an emoji (47) as a sticker with md5 and the decoded cdnurl', () => {
    const xml =
      '<msg><emoji fromusername="wxid_friend" tousername="wxid_bot" type="2" idbuffer="media:0_0" md5="4cc7540a85b5b6cf4ba14e9f4ae08b7c" ' +
      'len="102357" productid="" androidmd5="4cc7540a85b5b6cf4ba14e9f4ae08b7c" androidlen="102357" s60v3md5="4cc7540a85b5b6cf4ba14e9f4ae08b7c" ' +
      's60v3len="102357" s60v5md5="4cc7540a85b5b6cf4ba14e9f4ae08b7c" s60v5len="102357" ' +
      'cdnurl="http://wxapp.tc.qq.com/262/20304/stodownload?m=4cc7540a85b5b6cf4ba14e9f4ae08b7c&amp;filekey=30340201&amp;hy=SZ&amp;storeid=2630&amp;bizid=1023" ' +
      'designerid="" thumburl="" encrypturl="http://wxapp.tc.qq.com/262/20304/stodownload?m=0" aeskey="a1b2" externurl="" externmd5="" ' +
      'width="240" height="240" tpurl="" tpauthkey="" attachedtext="" attachedtextcolor="" lensid="" emojiattr="" linkid="" desc="" ></emoji></msg>';
    const result = content(interpret(addMsg({ from: room, msgType: 47, content: `wxid_alice:\n${xml}` })));
    expect(result.kind).toBe('sticker');
    expect(media(result).size).toBe(102357);
    expect(decodeMediaRef(media(result))).toStrictEqual({
      source: 'emoji',
      md5: '4cc7540a85b5b6cf4ba14e9f4ae08b7c',
      cdnUrl:
        'http://wxapp.tc.qq.com/262/20304/stodownload?m=4cc7540a85b5b6cf4ba14e9f4ae08b7c&filekey=30340201&hy=SZ&storeid=2630&bizid=1023',
    });
  });

  it('reads a location (48): x is the latitude, y the longitude', () => {
    const xml =
      '<?xml version="1.0"?>\n<msg>\n\t<location x="22.540503" y="113.934528" scale="16" label="广东省深圳市南山区深南大道10000号" ' +
      'maptype="roadmap" poiname="腾讯大厦" poiid="qqmap_1234567" buildingId="" floorName="" poiCategoryTips="" poiBusinessHour="" ' +
      'poiPhone="" poiPriceTips="" isFromPoiList="true" adcode="440305" cityname="深圳市" fromusername="wxid_friend" />\n</msg>\n';
    expect(content(interpret(addMsg({ from: 'wxid_friend', msgType: 48, content: xml })))).toStrictEqual({
      kind: 'location',
      location: { latitude: 22.540503, longitude: 113.934528, name: '腾讯大厦', address: '广东省深圳市南山区深南大道10000号' },
    });
  });

  it('reads a contact card (42) of a friend, addressable by wxid', () => {
    const xml =
      '<?xml version="1.0"?>\n<msg bigheadimgurl="http://wx.qlogo.cn/mmhead/ver_1/abc/0" smallheadimgurl="http://wx.qlogo.cn/mmhead/ver_1/abc/132" ' +
      'username="wxid_dave" nickname="Dave" fullpy="dave" shortpy="" alias="dave_2024" imagestatus="3" scene="17" province="Zhejiang" ' +
      'city="Hangzhou" sign="" sex="1" certflag="0" certinfo="" brandIconUrl="" brandHomeUrl="" brandSubscriptConfigUrl="" brandFlags="0" ' +
      'regionCode="CN_Zhejiang_Hangzhou" biznamecardinfo="" antispamticket="v4_000b708f0b0400000100000000007f3e@stranger" />\n';
    expect(content(interpret(addMsg({ from: 'wxid_friend', msgType: 42, content: xml })))).toStrictEqual({
      kind: 'contact-card',
      card: { name: 'Dave', contactId: 'wxid_dave', alias: 'dave_2024', avatarUrl: 'http://wx.qlogo.cn/mmhead/ver_1/abc/0' },
    });
  });

  it('reads a contact card of a stranger without a contact id', () => {
    const xml =
      '<msg username="v3_020b3826fd0301000000000098a1@stranger" nickname="Eve" alias="" bigheadimgurl="" smallheadimgurl="http://wx.qlogo.cn/s/132"/>';
    expect(content(interpret(addMsg({ from: 'wxid_friend', msgType: 42, content: xml })))).toStrictEqual({
      kind: 'contact-card',
      card: { name: 'Eve', avatarUrl: 'http://wx.qlogo.cn/s/132' },
    });
  });
});
