/**
 * Where uploaded files live. The disk store is the default; an
 * S3-compatible store can implement the same interface.
 */
import type { Readable } from 'node:stream';

export interface FileRecord {
  /** 32 lower-case hex characters; the only thing that names the stored bytes. */
  id: string;
  appId: string;
  /** The uploader's name for it: metadata only, never a path. */
  name: string;
  /** Proven from the bytes (see content-type.ts). */
  mime: string;
  size: number;
  /** Who uploaded it: a client id, or null for an app-key upload. */
  uploadedBy: string | null;
  createdAt: number;
}

export interface NewFile {
  appId: string;
  name: string;
  uploadedBy: string | null;
  body: AsyncIterable<Uint8Array>;
  maxBytes: number;
  /** Called with the first bytes; throw to refuse the upload (nothing is kept). */
  check(head: Uint8Array): string;
}

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

export interface FileStore {
  put(file: NewFile): Promise<FileRecord>;
  get(id: string): Promise<{ record: FileRecord; open(): Readable } | undefined>;
  /** Bytes stored per app, counted from what is there (for the storage quota). */
  usage(): Promise<Map<string, number>>;
}
