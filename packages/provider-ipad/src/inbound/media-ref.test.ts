import { describe, expect, it } from 'vitest';
import { GeweCallbackError } from './gewe-callback-error.ts';
import { decodeMediaRef, encodeMediaRef, type GeweMediaSource } from './media-ref.ts';

describe('media refs', () => {
  const sources: readonly GeweMediaSource[] = [
    { source: 'image', xml: '<msg><img aeskey="k" md5="m"/></msg>' },
    { source: 'voice', xml: '<msg><voicemsg voicelength="1000"/></msg>', msgId: '1040356300', silkBase64: 'AiMhU0lMS19WMw==' },
    { source: 'voice', xml: '<msg><voicemsg voicelength="1000"/></msg>', msgId: '1040356300' },
    { source: 'video', xml: '<msg><videomsg playlength="3"/></msg>' },
    { source: 'file', xml: '<msg><appmsg><type>6</type><title>a.pdf</title></appmsg></msg>' },
    { source: 'emoji', md5: '4cc7540a85b5b6cf4ba14e9f4ae08b7c', cdnUrl: 'http://wxapp.tc.qq.com/x?m=1&n=2' },
    { source: 'emoji', md5: '4cc7540a85b5b6cf4ba14e9f4ae08b7c' },
    { source: 'url', url: 'https://wx.qlogo.cn/mmhead/abc/0' },
  ];

  for (const source of sources) {
    it(`round-trips a ${source.source} source through plain JSON`, () => {
      const ref = encodeMediaRef(source, { mimeType: 'application/x-test', fileName: 'name.bin', size: 42 });
      expect(ref).toMatchObject({ mimeType: 'application/x-test', fileName: 'name.bin', size: 42 });
      expect(typeof ref.ref).toBe('string');
      // Hosts persist refs as JSON and read them back after a restart.
      const restored = JSON.parse(JSON.stringify(ref)) as typeof ref;
      expect(decodeMediaRef(restored)).toStrictEqual(source);
    });
  }

  it('omits metadata it was not given', () => {
    expect(Object.keys(encodeMediaRef({ source: 'url', url: 'https://x/y' }, {}))).toStrictEqual(['ref']);
  });

  it('throws GeweCallbackError for refs it did not mint', () => {
    const foreign = [
      'https://example.com/a.png',
      '{"source":"image","xml":"<msg/>"}',
      '{"kind":"gewe-media","v":99,"source":"image","xml":"<msg/>"}',
      '{"kind":"gewe-media","v":1,"source":"sticker","md5":"x"}',
      '{"kind":"gewe-media","v":1,"source":"image"}',
      '{"kind":"gewe-media","v":1,"source":"emoji","md5":""}',
      'null',
    ];
    for (const ref of foreign) {
      let caught: unknown;
      try {
        decodeMediaRef({ ref });
      } catch (error) {
        caught = error;
      }
      expect(caught, ref).toBeInstanceOf(GeweCallbackError);
      expect((caught as GeweCallbackError).reason).toBe('foreign-media-ref');
    }
  });
});
