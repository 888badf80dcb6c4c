/**
 * What the widgets check before uploading a file (the upload itself is the
 * SDK's `LcFile.save`): a file the server would refuse is refused without
 * sending a byte of it, and with the status the server would have answered.
 */

// The server's own sniffing (pure, a few signatures), so the widget refuses
// exactly what the server would refuse.
import { SNIFF_BYTES, sniff } from '../../server/files/content-type.js';
import { UploadError } from '../../sdk/typed-messages/upload-error.js';

/** Families whose bytes the server checks against the claimed type (it answers 415 otherwise). */
const CHECKED_FAMILIES = new Set(['image', 'audio', 'video']);

/**
 * Why the server would refuse this file, found before sending a byte of
 * it: over `maxUploadBytes` (413), or claiming to be an image, audio or
 * video its first bytes are not (415, the same test the server runs).
 * @param mimeType the type the upload will claim (`LcFile#mimeType`)
 */
export async function precheckUpload(file: Blob, mimeType: string, maxUploadBytes: number | undefined): Promise<UploadError | undefined> {
  if (maxUploadBytes !== undefined && file.size > maxUploadBytes) {
    return new UploadError(413, `file larger than ${maxUploadBytes} bytes`);
  }
  const claimed = mimeType.split(';')[0]!.trim().toLowerCase();
  const family = claimed.split('/')[0]!;
  if (!CHECKED_FAMILIES.has(family)) return undefined;
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const actual = sniff(head);
  if (actual.family !== family) return new UploadError(415, `the bytes are not ${claimed} (they look like ${actual.mime})`);
  return undefined;
}
