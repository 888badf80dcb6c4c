/**
 * What a file really is, from its first bytes. Uploads are served with the
 * type their bytes prove, never the type the uploader claimed.
 */

export interface SniffedType {
  /** A MIME type, or application/octet-stream when nothing matched. */
  mime: string;
  /** image, audio, video, document, active (HTML/SVG/XML: can run script) or binary. */
  family: 'image' | 'audio' | 'video' | 'document' | 'active' | 'binary';
}

/** How many leading bytes `sniff` needs. */
export const SNIFF_BYTES = 512;

const ascii = (bytes: Uint8Array, offset: number, text: string) =>
  bytes.length >= offset + text.length && [...text].every((char, k) => bytes[offset + k] === char.charCodeAt(0));

const starts = (bytes: Uint8Array, ...values: number[]) => values.every((value, k) => bytes[k] === value);

export function sniff(bytes: Uint8Array): SniffedType {
  if (starts(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mime: 'image/png', family: 'image' };
  if (starts(bytes, 0xff, 0xd8, 0xff)) return { mime: 'image/jpeg', family: 'image' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return { mime: 'image/gif', family: 'image' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { mime: 'image/webp', family: 'image' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return { mime: 'audio/wav', family: 'audio' };
  if (ascii(bytes, 0, 'ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return { mime: 'audio/mpeg', family: 'audio' };
  if (ascii(bytes, 0, 'OggS')) return { mime: 'audio/ogg', family: 'audio' };
  if (ascii(bytes, 0, 'fLaC')) return { mime: 'audio/flac', family: 'audio' };
  if (ascii(bytes, 4, 'ftyp')) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    return brand.startsWith('M4A') ? { mime: 'audio/mp4', family: 'audio' } : { mime: 'video/mp4', family: 'video' };
  }
  if (starts(bytes, 0x1a, 0x45, 0xdf, 0xa3)) return { mime: 'video/webm', family: 'video' };
  if (ascii(bytes, 0, '%PDF-')) return { mime: 'application/pdf', family: 'document' };
  if (looksActive(bytes)) return { mime: 'text/html', family: 'active' };
  return { mime: 'application/octet-stream', family: 'binary' };
}

/** HTML, SVG and XML run script when a browser renders them. */
function looksActive(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SNIFF_BYTES)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return /^<(!doctype\s+html|html|head|body|script|iframe|svg|\?xml|!--|a\s|img\s|div|style|meta|title|object|embed)/.test(head) || /<script[\s>]/.test(head);
}

/** Whether bytes of this type may be shown inline by browsers. Everything else is a download. */
export function isInlineSafe(type: SniffedType): boolean {
  return type.family === 'image' || type.family === 'audio' || type.family === 'video';
}
