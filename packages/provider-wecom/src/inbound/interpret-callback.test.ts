import { describe, expect, it } from 'vitest';
import type { CallbackFields } from '../callback/callback-xml.ts';
import { interpretCallback } from './interpret-callback.ts';
import { decodeMediaRef, encodeMediaRef } from './media-ref.ts';

const context = { agentId: 1000002, now: () => 42_000 };
const base = {
  ToUserName: 'ww1',
  FromUserName: 'zhangsan',
  CreateTime: '1348831860',
  MsgId: '9223372036854775807',
  AgentID: '1000002',
};
const interpret = (fields: CallbackFields) => interpretCallback(fields, context);
const messageOf = (fields: CallbackFields) => {
  const [event] = interpret(fields).events;
  if (event?.type !== 'message-received') throw new Error(`no message: ${JSON.stringify(event)}`);
  return event.message;
};

describe('interpretCallback', () => {
  it('delivers a text as a direct message from the member, with the 64-bit id intact', () => {
    expect(messageOf({ ...base, MsgType: 'text', Content: ' this is a test ' })).toEqual({
      id: '9223372036854775807',
      chat: { type: 'direct', contactId: 'zhangsan' },
      senderId: 'zhangsan',
      isSelf: false,
      timestamp: 1_348_831_860_000,
      content: { kind: 'text', text: ' this is a test ' },
    });
  });

  it('delivers an image by media id, with PicUrl as the fallback', () => {
    const { content } = messageOf({ ...base, MsgType: 'image', PicUrl: 'https://wework.qpic.cn/x', MediaId: 'MEDIA' });
    expect(content.kind === 'image' && decodeMediaRef(content.media.ref)).toEqual({
      mediaId: 'MEDIA',
      url: 'https://wework.qpic.cn/x',
    });
  });

  it('delivers AMR voice as voice with audio/amr', () => {
    expect(messageOf({ ...base, MsgType: 'voice', MediaId: 'V', Format: 'amr' }).content).toEqual({
      kind: 'voice',
      media: { ref: encodeMediaRef({ mediaId: 'V' }), mimeType: 'audio/amr' },
      durationMs: 0,
    });
  });

  it('delivers video and shortvideo with the thumbnail', () => {
    for (const MsgType of ['video', 'shortvideo']) {
      expect(messageOf({ ...base, MsgType, MediaId: 'M', ThumbMediaId: 'T' }).content).toEqual({
        kind: 'video',
        media: { ref: encodeMediaRef({ mediaId: 'M' }), mimeType: 'video/mp4' },
        thumbnail: { ref: encodeMediaRef({ mediaId: 'T' }) },
      });
    }
  });

  it('delivers a location with Location_X as latitude and the label as address', () => {
    expect(
      messageOf({ ...base, MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '广州' })
        .content,
    ).toEqual({
      kind: 'location',
      location: { latitude: 23.134521, longitude: 113.358803, address: '广州' },
    });
  });

  it('delivers a link card', () => {
    expect(
      messageOf({
        ...base,
        MsgType: 'link',
        Title: 'T',
        Description: 'D',
        Url: 'https://a.example/',
        PicUrl: 'https://p.example/',
      }).content,
    ).toEqual({
      kind: 'link',
      link: { url: 'https://a.example/', title: 'T', description: 'D', thumbnailUrl: 'https://p.example/' },
    });
  });

  it('delivers an unknown message type as unsupported content, with a note', () => {
    const result = interpret({ ...base, MsgType: 'file', MediaId: 'F' });
    expect(result.events[0]).toMatchObject({ type: 'message-received', message: { content: { kind: 'unsupported' } } });
    expect(result.note?.message).toContain("'file'");
  });

  it.each(['enter_agent', 'subscribe', 'unsubscribe'])('turns %s into contact-updated for the member', Event => {
    expect(interpret({ ...base, MsgId: '', MsgType: 'event', Event, EventKey: '' }).events).toEqual([
      { type: 'contact-updated', contactId: 'zhangsan' },
    ]);
  });

  it('turns member changes into contact-updated, for the old and the new UserID', () => {
    const change = { ToUserName: 'ww1', FromUserName: 'sys', CreateTime: '1', MsgType: 'event', Event: 'change_contact' };
    expect(interpret({ ...change, ChangeType: 'update_user', UserID: 'old', NewUserID: 'new' }).events).toEqual([
      { type: 'contact-updated', contactId: 'old' },
      { type: 'contact-updated', contactId: 'new' },
    ]);
    expect(interpret({ ...change, ChangeType: 'create_party', Id: '2' })).toMatchObject({ events: [], note: { level: 'debug' } });
  });

  it('ignores other events with a note', () => {
    expect(interpret({ ...base, MsgType: 'event', Event: 'LOCATION', Latitude: '1' })).toMatchObject({
      events: [],
      note: { level: 'info', message: "ignored the WeCom event 'LOCATION'" },
    });
  });

  it("ignores another agent's callbacks", () => {
    expect(interpret({ ...base, AgentID: '7', MsgType: 'text', Content: 'x' })).toMatchObject({
      events: [],
      note: { level: 'warn' },
    });
  });
});

describe('media refs', () => {
  it('round-trip and refuse what this provider did not mint', () => {
    expect(decodeMediaRef(encodeMediaRef({ mediaId: 'm', url: 'https://x.example/a' }))).toEqual({
      mediaId: 'm',
      url: 'https://x.example/a',
    });
    expect(decodeMediaRef('not json')).toBeUndefined();
    expect(decodeMediaRef(JSON.stringify({ url: 'file:///etc/passwd' }))).toBeUndefined();
  });
});
