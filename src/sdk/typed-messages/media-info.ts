/**
 * Metadata the SDK fills in for media files where the platform can read
 * it: image width/height from the header bytes (any platform) or by
 * decoding (browsers, other formats); audio/video duration from the
 * container (MP4, WAV, MP3 on any platform) or a media element (browsers).
 */
import { IMAGE_HEADER_BYTES, readImageSize } from './image-size.js';
import { readMediaDuration } from './media-duration.js';

/** Metadata found for a media file; keys are absent when unknown. */
export interface MediaInfo {
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
}

/** How long a browser may take to read a media file's metadata. */
const MEDIA_PROBE_TIMEOUT_MS = 5000;

/**
 * Reads what the platform can about a file's media. Never throws: metadata
 * is optional, a file the platform cannot read is still sent.
 * @param content the bytes, or a Blob (browsers)
 * @param mime the file's media type (`image/png`, `audio/mpeg`, …)
 */
export async function probeMedia(content: Uint8Array | Blob, mime: string): Promise<MediaInfo> {
  const family = mime.split('/')[0];
  try {
    if (family === 'image') return await probeImage(content, mime);
    if (family === 'audio' || family === 'video') {
      const info = content instanceof Uint8Array ? readMediaDuration(content) : undefined;
      return info ?? (await probeMediaElement(content, mime, family));
    }
  } catch {
    // unreadable: no metadata
  }
  return {};
}

async function probeImage(content: Uint8Array | Blob, mime: string): Promise<MediaInfo> {
  const head = content instanceof Uint8Array ? content.subarray(0, IMAGE_HEADER_BYTES) : new Uint8Array(await content.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
  const size = readImageSize(head);
  if (size) return size;
  // Other formats (WebP, AVIF, …): let a browser decode it.
  if (typeof createImageBitmap !== 'function') return {};
  const blob = content instanceof Blob ? content : new Blob([content.slice()], { type: mime });
  const bitmap = await createImageBitmap(blob);
  try {
    return { width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}

async function probeMediaElement(content: Uint8Array | Blob, mime: string, family: 'audio' | 'video'): Promise<MediaInfo> {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') return {};
  const blob = content instanceof Blob ? content : new Blob([content.slice()], { type: mime });
  const url = URL.createObjectURL(blob);
  const element = document.createElement(family);
  try {
    element.preload = 'metadata';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('media metadata timeout')), MEDIA_PROBE_TIMEOUT_MS);
      element.onloadedmetadata = () => {
        clearTimeout(timer);
        resolve();
      };
      element.onerror = () => {
        clearTimeout(timer);
        reject(new Error('media not readable'));
      };
      element.src = url;
    });
    const info: MediaInfo = {};
    if (Number.isFinite(element.duration)) info.duration = element.duration;
    if (element instanceof HTMLVideoElement && element.videoWidth > 0) {
      info.width = element.videoWidth;
      info.height = element.videoHeight;
    }
    return info;
  } finally {
    element.removeAttribute('src');
    URL.revokeObjectURL(url);
  }
}
