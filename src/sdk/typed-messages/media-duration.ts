/**
 * Duration (and, for video, the picture size) of common audio and video
 * containers read from their bytes, without decoding: Node has no media
 * APIs, so this is how an `AudioMessage` sent from a server gets its
 * `duration`. Covers MP4/M4A/MOV (ISO BMFF), WAV and MP3; other formats
 * (Ogg, WebM, …) are left to a browser's media element.
 */
import type { MediaInfo } from './media-info.js';

/**
 * Reads what the container says about its length.
 * @returns undefined for other formats or when the bytes are cut short
 */
export function readMediaDuration(bytes: Uint8Array): MediaInfo | undefined {
  return readIsoBmff(bytes) ?? readWav(bytes) ?? readMp3(bytes);
}

const ascii = (bytes: Uint8Array, start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));
const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface Box {
  type: string;
  /** Offset of the box's payload. */
  start: number;
  /** Offset just past the box. */
  end: number;
}

/** The boxes directly inside `[from, to)`; stops at the first malformed one. */
function* boxes(bytes: Uint8Array, from: number, to: number): Generator<Box> {
  const view = viewOf(bytes);
  let offset = from;
  while (offset + 8 <= to) {
    let size = view.getUint32(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) return;
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) return;
    yield { type: ascii(bytes, offset + 4, 4), start: offset + header, end: offset + size };
    offset += size;
  }
}

const child = (bytes: Uint8Array, parent: Box, type: string) => [...boxes(bytes, parent.start, parent.end)].find((box) => box.type === type);

/** MP4, M4A, MOV: `moov/mvhd` has the timescale and duration, a `trak/tkhd` the picture size. */
function readIsoBmff(bytes: Uint8Array): MediaInfo | undefined {
  if (bytes.length < 12 || !['ftyp', 'moov', 'wide', 'mdat', 'free'].includes(ascii(bytes, 4, 4))) return undefined;
  const moov = [...boxes(bytes, 0, bytes.length)].find((box) => box.type === 'moov');
  const mvhd = moov && child(bytes, moov, 'mvhd');
  if (!moov || !mvhd) return undefined;
  const view = viewOf(bytes);
  const version = bytes[mvhd.start];
  const [timescale, duration] =
    version === 1
      ? [view.getUint32(mvhd.start + 20), Number(view.getBigUint64(mvhd.start + 24))]
      : [view.getUint32(mvhd.start + 12), view.getUint32(mvhd.start + 16)];
  if (!timescale) return undefined;
  const info: MediaInfo = { duration: duration / timescale };
  for (const trak of boxes(bytes, moov.start, moov.end)) {
    const tkhd = trak.type === 'trak' ? child(bytes, trak, 'tkhd') : undefined;
    if (!tkhd) continue;
    // Width and height are the last 8 bytes, 16.16 fixed point; audio tracks have zeros.
    const width = view.getUint32(tkhd.end - 8) >>> 16;
    const height = view.getUint32(tkhd.end - 4) >>> 16;
    if (width > 0 && height > 0) {
      info.width = width;
      info.height = height;
      break;
    }
  }
  return info;
}

/** WAV: the `data` chunk's size over the `fmt ` chunk's byte rate. */
function readWav(bytes: Uint8Array): MediaInfo | undefined {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') return undefined;
  const view = viewOf(bytes);
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 16 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
    // A streamed WAV may say 0 or 0xFFFFFFFF for data it had not counted yet: trust the bytes then.
    if (id === 'data') return byteRate ? { duration: Math.min(size, bytes.length - offset - 8) / byteRate } : undefined;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Kilobits per second by [MPEG-1 ? 0 : 1][layer - 1][index]. */
const MP3_BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
/** Hz by version bits (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1) and index. */
const MP3_SAMPLE_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

/**
 * MP3: the frame count of a Xing/Info or VBRI header (variable bit rate),
 * or else the audio bytes over the first frame's bit rate (constant).
 */
function readMp3(bytes: Uint8Array): MediaInfo | undefined {
  let offset = 0;
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') {
    // The ID3v2 size is "synchsafe": 7 bits per byte.
    const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
    offset = 10 + size + (bytes[5] & 0x10 ? 10 : 0);
  }
  if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (bytes[offset + 1] >> 3) & 3;
  const layer = 4 - ((bytes[offset + 1] >> 1) & 3);
  const bitrateIndex = bytes[offset + 2] >> 4;
  const sampleRate = MP3_SAMPLE_RATES[version]?.[(bytes[offset + 2] >> 2) & 3];
  if (version === 1 || layer === 4 || !sampleRate || bitrateIndex === 0 || bitrateIndex === 15) return undefined;
  const mpeg1 = version === 3;
  const mono = bytes[offset + 3] >> 6 === 3;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
  const view = viewOf(bytes);

  const xing = offset + 4 + (mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17);
  if (xing + 12 <= bytes.length && ['Xing', 'Info'].includes(ascii(bytes, xing, 4)) && view.getUint32(xing + 4) & 1) {
    return { duration: (view.getUint32(xing + 8) * samplesPerFrame) / sampleRate };
  }
  const vbri = offset + 4 + 32;
  if (vbri + 18 <= bytes.length && ascii(bytes, vbri, 4) === 'VBRI') {
    return { duration: (view.getUint32(vbri + 14) * samplesPerFrame) / sampleRate };
  }
  let audioBytes = bytes.length - offset;
  // An ID3v1 tag at the end is not audio.
  if (bytes.length >= 128 && ascii(bytes, bytes.length - 128, 3) === 'TAG') audioBytes -= 128;
  const kbps = MP3_BITRATES[mpeg1 ? 0 : 1][layer - 1][bitrateIndex];
  return { duration: (audioBytes * 8) / (kbps * 1000) };
}
