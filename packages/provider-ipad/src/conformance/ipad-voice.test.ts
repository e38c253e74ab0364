import { contactId, type ProviderEventV1 } from '@wechat/provider-api';
import { isSilk, readOggOpus, silkDurationMs, silkToOggOpus } from '@wechat/voice';
import { encode } from 'silk-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { harnessFixtures } from './ipad-harness.ts';
import { createSessionFixture, type SessionFixture } from './session-fixture.ts';

/** Seconds of a 440 Hz tone with a slow tremolo, as 24 kHz mono s16le: something a codec must really encode. */
function tone(seconds: number): Uint8Array {
  const rate = 24_000;
  const samples = new Int16Array(Math.round(seconds * rate));
  for (let index = 0; index < samples.length; index++) {
    const t = index / rate;
    samples[index] = Math.round(12_000 * Math.sin(2 * Math.PI * 440 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)));
  }
  return new Uint8Array(samples.buffer);
}

type Received = Extract<ProviderEventV1, { type: 'message-received' }>;

describe('ipad voice messages', () => {
  let fixture: SessionFixture | undefined;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });

  for (const inlineBuffer of [false, true]) {
    it(`arrive as Ogg Opus with their duration (${inlineBuffer ? 'SILK inline in the callback' : 'SILK through downloadVoice'})`, async () => {
      fixture = await createSessionFixture();
      await fixture.loginWithQr();
      const silk = (await encode(tone(2.5), 24_000)).data;
      await fixture.harness.simulator.receive.voice({
        from: harnessFixtures.contact,
        data: silk,
        durationMs: 2500,
        inlineBuffer,
      });
      const event = (await fixture.waitForEvent(
        candidate => candidate.type === 'message-received' && candidate.message.content.kind === 'voice',
        'the voice message',
      )) as Received;
      const content = event.message.content as Extract<Received['message']['content'], { kind: 'voice' }>;
      expect(content.durationMs).toBe(2500);
      const download = await fixture.session.downloadMedia(content.media);
      expect(download.mimeType).toBe('audio/ogg');
      expect(Buffer.from(download.data.subarray(0, 4)).toString('latin1')).toBe('OggS');
      const stream = readOggOpus(download.data);
      expect(Math.abs(stream.durationMs - 2500)).toBeLessThan(2500 * 0.05);
      const downloads = fixture.harness.simulator.requests.filter(request => request.path === '/message/downloadVoice');
      expect(downloads).toHaveLength(inlineBuffer ? 0 : 1);
    });
  }

  it('leave as SILK with the duration in milliseconds', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    const ogg = await silkToOggOpus((await encode(tone(3), 24_000)).data);
    await fixture.session.sendMessage({
      to: { type: 'direct', contactId: contactId(harnessFixtures.contact) },
      content: {
        kind: 'voice',
        media: { data: ogg.data, mimeType: 'audio/ogg', fileName: 'Voice message.ogg' },
        durationMs: 3000,
      },
    });
    await fixture.harness.simulator.idle();
    const sent = fixture.harness.simulator.sent.find(record => record.path === '/message/postVoice');
    expect(sent?.media && isSilk(sent.media)).toBe(true);
    expect(sent?.media?.[0]).toBe(0x02);
    expect(Math.abs((sent?.voiceDurationMs ?? 0) - 3000)).toBeLessThan(150);
    expect(sent?.voiceDurationMs).toBe(silkDurationMs(sent?.media ?? new Uint8Array()));
  });

  it('refuses audio it cannot convert, with a clear error', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    await expect(
      fixture.session.sendMessage({
        to: { type: 'direct', contactId: contactId(harnessFixtures.contact) },
        content: { kind: 'voice', media: { data: new Uint8Array([1, 2, 3, 4]), mimeType: 'audio/mpeg' }, durationMs: 1000 },
      }),
    ).rejects.toThrow(/Only Ogg Opus voice messages/);
  });
});
