/**
 * What an attachment's failed upload means for the user. Loaded with the
 * first failure: most pages never see one.
 */
import { UploadError } from '../../sdk/typed-messages/upload-error.js';
import type { UploadFailure } from '../cache/chat-cache.js';

/**
 * @param mimeType the type the file claimed
 * @param limit the server's upload limit, when known
 * @param online whether the connection is up: a network error while it is not is no failure (the upload waits for it)
 */
export function uploadFailure(error: unknown, mimeType: string, limit: number | undefined, online: boolean): UploadFailure | undefined {
  if (!(error instanceof UploadError)) return { reason: 'upload', cause: 'other' };
  switch (error.status) {
    case 413:
      // The server says 413 for the app's storage quota too.
      return /quota/i.test(error.message)
        ? { reason: 'upload', cause: 'quota' }
        : { reason: 'upload', cause: 'too-large', ...(limit !== undefined ? { limit } : {}) };
    case 415:
      return { reason: 'upload', cause: 'type', family: mimeType.split('/')[0] ?? '' };
    case 429:
      return { reason: 'upload', cause: 'rate' };
    case 401:
    case 403:
      return { reason: 'upload', cause: 'denied' };
    case 0:
      return online ? { reason: 'upload', cause: 'network' } : undefined;
    default:
      return { reason: 'upload', cause: 'other' };
  }
}
