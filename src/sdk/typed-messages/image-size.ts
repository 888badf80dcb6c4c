/**
 * Width and height of PNG, GIF and JPEG images read from their headers,
 * without decoding: works in Node (no image APIs) and on a prefix of a
 * large file.
 */

/** Pixel dimensions of an image. */
export interface ImageSize {
  width: number;
  height: number;
}

/** Bytes of a file worth reading to find a JPEG's frame header past its EXIF/ICC segments. */
export const IMAGE_HEADER_BYTES = 512 * 1024;

/**
 * The dimensions of a PNG, GIF or JPEG image from its first bytes.
 * @returns undefined for other formats or when the header is cut short
 */
export function readImageSize(bytes: Uint8Array): ImageSize | undefined {
  return readPng(bytes) ?? readGif(bytes) ?? readJpeg(bytes);
}

function readPng(bytes: Uint8Array): ImageSize | undefined {
  // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((byte, index) => bytes[index] !== byte)) return undefined;
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return positive(view.getUint32(16), view.getUint32(20));
}

function readGif(bytes: Uint8Array): ImageSize | undefined {
  // "GIF87a"/"GIF89a", then the logical screen size (little-endian).
  if (bytes.length < 10) return undefined;
  const header = String.fromCharCode(...bytes.subarray(0, 6));
  if (header !== 'GIF87a' && header !== 'GIF89a') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return positive(view.getUint16(6, true), view.getUint16(8, true));
}

function readJpeg(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  // Walk the marker segments up to a start-of-frame (SOF0…SOF15, except
  // DHT C4, JPG C8 and DAC CC, which share the range but are not frames).
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > bytes.length) return undefined;
      return positive(view.getUint16(offset + 7), view.getUint16(offset + 5));
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data began: no frame header
    offset += 2 + length;
  }
  return undefined;
}

function positive(width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined;
}
