/** An upload the server refused, with its HTTP status and message. */
export class UploadError extends Error {
  override name = 'UploadError';
  /** @param status the HTTP status (0 for a network error) */
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
