import { describe, expect, it } from 'vitest';
import type { WxMsg } from '../../protocol/wcf-messages.ts';
import { decodeMediaRef } from '../media/media-ref.ts';
import { parseAppMessage, parseAtUserList } from './app-message.ts';
import { decodeFriendRequestId, mapWxMessage } from './map-wx-message.ts';

const context = { selfWxid: 'wxid_self' };
const room = '20948762891@chatroom';

function wxmsg(fields: Partial<WxMsg> & Pick<WxMsg, 'type'>): WxMsg {
  return {
    is_self: false,
    is_group: false,
    id: '8202522731445525542',
    ts: 1_700_000_000,
    roomid: 'wxid_alice',
    content: '',
    sender: 'wxid_alice',
    sign: '',
    thumb: '',
    extra: '',
    xml: '',
    ...fields,
  };
}

function received(message: WxMsg) {
  const events = mapWxMessage(message, context);
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== 'message-received') throw new Error(`expected message-received, got ${event?.type}`);
  return event.message;
}

describe('mapWxMessage', () => {
  it('maps a private text: the chat is the peer, the id stays an exact string, ts becomes milliseconds', () => {
    expect(received(wxmsg({ type: 1, content: 'hello' }))).toEqual({
      id: '8202522731445525542',
      chat: { type: 'direct', contactId: 'wxid_alice' },
      senderId: 'wxid_alice',
      isSelf: false,
      timestamp: 1_700_000_000_000,
      content: { kind: 'text', text: 'hello' },
    });
  });

  it('names the peer as the chat of the account own messages too', () => {
    const message = received(wxmsg({ type: 1, content: 'from my phone', is_self: true, sender: 'wxid_self' }));
    expect(message).toMatchObject({ isSelf: true, senderId: 'wxid_self', chat: { type: 'direct', contactId: 'wxid_alice' } });
  });

  it('maps a room text with mentions from <atuserlist>, @all included, and strips a "wxid:\\n" prefix', () => {
    const message = received(
      wxmsg({
        type: 1,
        is_group: true,
        roomid: room,
        sender: 'wxid_bob',
        content: 'wxid_bob:\n@Me\u2005@所有人\u2005look',
        xml: '<msgsource><atuserlist><![CDATA[,wxid_self,notify@all]]></atuserlist><membercount>3</membercount></msgsource>',
      }),
    );
    expect(message).toMatchObject({
      chat: { type: 'room', roomId: room },
      senderId: 'wxid_bob',
      content: { kind: 'text', text: '@Me\u2005@所有人\u2005look' },
      mentions: { contactIds: ['wxid_self'], all: true },
    });
  });

  it('leaves text alone that merely looks like a prefix of someone else', () => {
    const message = received(wxmsg({ type: 1, is_group: true, roomid: room, sender: 'wxid_bob', content: 'wxid_carol:\nhi' }));
    expect(message.content).toEqual({ kind: 'text', text: 'wxid_carol:\nhi' });
  });

  it('keeps the host paths of an image in its media ref', () => {
    const message = received(
      wxmsg({ type: 3, extra: 'C:/share/WeChat Files/x/a.dat', thumb: 'C:/share/WeChat Files/x/a_t.dat' }),
    );
    expect(message.content.kind).toBe('image');
    if (message.content.kind !== 'image') return;
    expect(decodeMediaRef(message.content.media.ref)).toEqual({
      kind: 'image',
      id: '8202522731445525542',
      extra: 'C:/share/WeChat Files/x/a.dat',
      thumb: 'C:/share/WeChat Files/x/a_t.dat',
    });
  });

  it('reads a voice length in milliseconds and a video length in seconds', () => {
    const voice = received(wxmsg({ type: 34, content: '<msg><voicemsg endflag="1" voicelength="2300" length="4000" /></msg>' }));
    expect(voice.content).toMatchObject({ kind: 'voice', durationMs: 2300, media: { mimeType: 'audio/mpeg' } });
    const video = received(
      wxmsg({
        type: 43,
        thumb: 'C:/h/Video/a.jpg',
        content: '<?xml version="1.0"?>\n<msg><videomsg playlength="7" length="1234" /></msg>',
      }),
    );
    expect(video.content).toMatchObject({ kind: 'video', durationMs: 7000, media: { mimeType: 'video/mp4', size: 1234 } });
  });

  it('maps files, links, mini programs and quotes from app messages', () => {
    const file = received(
      wxmsg({
        type: 49,
        extra: 'C:/h/FileStorage/File/2024-01/report.pdf',
        content:
          '<msg><appmsg><title>report.pdf</title><type>6</type><appattach><totallen>42</totallen></appattach></appmsg></msg>',
      }),
    );
    expect(file.content).toMatchObject({
      kind: 'file',
      fileName: 'report.pdf',
      media: { mimeType: 'application/pdf', fileName: 'report.pdf', size: 42 },
    });

    const link = received(
      wxmsg({
        type: 49,
        content:
          '<msg><appmsg><title>A &amp; B</title><des>about</des><type>5</type><url>https://example.com/?a=1&amp;b=2</url><thumburl>https://example.com/t.jpg</thumburl></appmsg></msg>',
      }),
    );
    expect(link.content).toEqual({
      kind: 'link',
      link: {
        url: 'https://example.com/?a=1&b=2',
        title: 'A & B',
        description: 'about',
        thumbnailUrl: 'https://example.com/t.jpg',
      },
    });

    const miniProgram = received(
      wxmsg({
        type: 49,
        content:
          '<msg><appmsg><title>Order</title><type>33</type><weappinfo><appid>wx123</appid><pagepath>pages/a.html</pagepath></weappinfo></appmsg></msg>',
      }),
    );
    expect(miniProgram.content).toEqual({
      kind: 'mini-program',
      miniProgram: { title: 'Order', appId: 'wx123', pagePath: 'pages/a.html' },
    });

    const quote = received(
      wxmsg({
        type: 49,
        content:
          '<msg><appmsg><title>yes!</title><type>57</type><refermsg><type>1</type><svrid>9223372036854775807</svrid><chatusr>wxid_bob</chatusr><content>are you coming?</content></refermsg></appmsg></msg>',
      }),
    );
    expect(quote).toMatchObject({
      content: { kind: 'text', text: 'yes!' },
      replyTo: { messageId: '9223372036854775807', senderId: 'wxid_bob', text: 'are you coming?' },
    });
  });

  it('waits for the downloadable file message instead of the upload notice (type 74)', () => {
    expect(
      mapWxMessage(wxmsg({ type: 49, content: '<msg><appmsg><title>big.zip</title><type>74</type></appmsg></msg>' }), context),
    ).toEqual([]);
  });

  it('maps locations, cards, stickers and system notices', () => {
    expect(
      received(
        wxmsg({ type: 48, content: '<msg><location x="31.2304" y="121.4737" label="Shanghai" poiname="The Bund" /></msg>' }),
      ).content,
    ).toEqual({ kind: 'location', location: { latitude: 31.2304, longitude: 121.4737, name: 'The Bund', address: 'Shanghai' } });
    expect(
      received(
        wxmsg({ type: 42, content: '<msg username="wxid_carol" nickname="Carol" alias="carol88" bigheadimgurl="http://x/y" />' }),
      ).content,
    ).toEqual({
      kind: 'contact-card',
      card: { name: 'Carol', contactId: 'wxid_carol', alias: 'carol88', avatarUrl: 'http://x/y' },
    });
    const sticker = received(
      wxmsg({ type: 47, content: '<msg><emoji md5="abc" cdnurl="http://cdn/stodownload?m=abc&amp;filekey=abc" /></msg>' }),
    );
    expect(sticker.content.kind).toBe('sticker');
    if (sticker.content.kind === 'sticker') {
      expect(decodeMediaRef(sticker.content.media.ref)?.url).toBe('http://cdn/stodownload?m=abc&filekey=abc');
    }
    expect(received(wxmsg({ type: 10000, roomid: room, is_group: true, sender: room, content: 'Alice joined' })).content).toEqual(
      {
        kind: 'system',
        text: 'Alice joined',
      },
    );
    expect(received(wxmsg({ type: 50, content: '<voipmsg/>' })).content).toEqual({
      kind: 'unsupported',
      description: 'a voice or video call',
    });
    expect(received(wxmsg({ type: 4242 })).content).toMatchObject({ kind: 'unsupported' });
  });

  it('turns a revokemsg into message-recalled, naming the recalled id, chat and actor', () => {
    const events = mapWxMessage(
      wxmsg({
        type: 10002,
        is_group: true,
        roomid: room,
        sender: 'wxid_bob',
        content:
          'wxid_bob:\n<sysmsg type="revokemsg"><revokemsg><session>20948762891@chatroom</session><msgid>1</msgid><newmsgid>8202522731445525543</newmsgid><replacemsg><![CDATA["Bob" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>',
      }),
      context,
    );
    expect(events).toEqual([
      {
        type: 'message-recalled',
        target: { id: '8202522731445525543', chat: { type: 'room', roomId: room } },
        actorId: 'wxid_bob',
        timestamp: 1_700_000_000_000,
      },
    ]);
  });

  it('turns a friend request into friend-request-received with an id that carries v3, v4 and scene', () => {
    const events = mapWxMessage(
      wxmsg({
        type: 37,
        roomid: 'fmessage',
        sender: 'fmessage',
        content:
          '<msg fromusername="wxid_carol" encryptusername="v3_abc@stranger" fromnickname="Carol" content="hi, I am Carol" ticket="v4_def@stranger" scene="30" />',
      }),
      context,
    );
    expect(events).toEqual([
      {
        type: 'friend-request-received',
        requestId: expect.any(String),
        contactId: 'wxid_carol',
        name: 'Carol',
        greeting: 'hi, I am Carol',
      },
    ]);
    const [event] = events;
    if (event?.type === 'friend-request-received') {
      expect(decodeFriendRequestId(event.requestId)).toEqual({ v3: 'v3_abc@stranger', v4: 'v4_def@stranger', scene: 30 });
    }
  });

  it('ignores status sync and Moments', () => {
    expect(mapWxMessage(wxmsg({ type: 51, content: '<msg><op id="2"/></msg>' }), context)).toEqual([]);
    expect(mapWxMessage(wxmsg({ type: 0, content: '<TimelineObject/>' }), context)).toEqual([]);
  });
});

describe('XML helpers', () => {
  it('keep ids as strings and survive garbage', () => {
    expect(
      parseAppMessage('<msg><appmsg><type>57</type><refermsg><svrid>18446744073709551615</svrid></refermsg></appmsg></msg>')
        ?.refer?.messageId,
    ).toBe('18446744073709551615');
    expect(parseAppMessage('not xml')).toBeUndefined();
    expect(parseAppMessage('<msg><appmsg')).toBeUndefined();
    expect(parseAtUserList('')).toEqual([]);
    expect(parseAtUserList('<msgsource><atuserlist>wxid_a, wxid_b</atuserlist></msgsource>')).toEqual(['wxid_a', 'wxid_b']);
  });
});
