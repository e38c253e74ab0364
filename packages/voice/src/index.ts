export { createDefaultVoiceCodecs } from './codecs/default-codecs.ts';
export type { OpusDecoderHandle, OpusEncoderHandle, VoiceCodecs, VoiceSampleRate } from './codecs/voice-codecs.ts';
export { VoiceConversionError, type VoiceConversionErrorCode } from './errors.ts';
export { oggCrc32 } from './ogg/crc32.ts';
export { demuxOgg, type OggPacket } from './ogg/ogg-demux.ts';
export { muxOggPackets, type OggMuxOptions, type OggPacketInput } from './ogg/ogg-mux.ts';
export {
  OGG_FLAG_BOS,
  OGG_FLAG_CONTINUED,
  OGG_FLAG_EOS,
  OGG_NO_GRANULE,
  type OggPage,
  type ParsedOggPage,
  parseOggPage,
  readOggPages,
  writeOggPage,
} from './ogg/ogg-page.ts';
export { type OggOpusToSilkOptions, oggOpusToSilk, type SilkResult } from './ogg-opus-to-silk.ts';
export { type OggOpusStream, readOggOpus } from './opus/ogg-opus-reader.ts';
export { muxOggOpus, type OggOpusWriteOptions } from './opus/ogg-opus-writer.ts';
export { isOpusHead, type OpusHead, parseOpusHead, writeOpusHead } from './opus/opus-head.ts';
export { OPUS_MAX_PACKET_SAMPLES_48K, opusPacketSampleCount } from './opus/opus-packet.ts';
export { isOpusTags, type OpusTags, parseOpusTags, writeOpusTags } from './opus/opus-tags.ts';
export {
  hasTencentPrefix,
  isSilk,
  SILK_FRAME_MS,
  silkBlockCount,
  silkDurationMs,
  withTencentPrefix,
} from './silk/silk-format.ts';
export { type OggOpusResult, type SilkToOggOpusOptions, silkToOggOpus } from './silk-to-ogg-opus.ts';
