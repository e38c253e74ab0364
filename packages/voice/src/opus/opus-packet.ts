// Frame durations by TOC configuration (RFC 6716 §3.1), in 48 kHz samples.
const SILK_FRAME_SAMPLES = [480, 960, 1920, 2880]; // configs 0-11: 10, 20, 40, 60 ms
const HYBRID_FRAME_SAMPLES = [480, 960]; // configs 12-15: 10, 20 ms
const CELT_FRAME_SAMPLES = [120, 240, 480, 960]; // configs 16-31: 2.5, 5, 10, 20 ms

/** An Opus packet carries at most 120 ms of audio. */
export const OPUS_MAX_PACKET_SAMPLES_48K = 5760;

/**
 * The number of 48 kHz samples an Opus packet decodes to, read from its TOC byte (RFC 6716 §3.1),
 * or `undefined` if the packet is empty, too short for its frame-count code, or longer than 120 ms.
 */
export function opusPacketSampleCount(packet: Uint8Array): number | undefined {
  const toc = packet[0];
  if (toc === undefined) return undefined;
  const config = toc >> 3;
  const frameSamples =
    config < 12
      ? SILK_FRAME_SAMPLES[config % 4]!
      : config < 16
        ? HYBRID_FRAME_SAMPLES[config % 2]!
        : CELT_FRAME_SAMPLES[config % 4]!;
  const code = toc & 0x03;
  let frameCount: number;
  if (code === 0) frameCount = 1;
  else if (code === 1 || code === 2) frameCount = 2;
  else {
    const countByte = packet[1];
    if (countByte === undefined) return undefined;
    frameCount = countByte & 0x3f;
    if (frameCount === 0) return undefined;
  }
  const samples = frameSamples * frameCount;
  return samples > OPUS_MAX_PACKET_SAMPLES_48K ? undefined : samples;
}
