/**
 * The outbox's attachments (loaded with the first one): how many may wait
 * with their bytes, and uploading one when its turn comes.
 */
import type { Message } from '../../sdk/index.js';
import type { OutboxEntry, OutboxFile } from '../cache/chat-cache.js';
import { MessageType } from '../model/chat-message.js';
import { describe, type OutboxHost } from './outbox.js';

/**
 * Attachments waiting in the outbox (their bytes in IndexedDB) at most: a
 * page offline for a day must not fill the visitor's disk. Past either
 * bound a new attachment is refused (`OUTBOX_FULL`) and stays in the composer.
 */
export const OUTBOX_MAX_FILES = 20;
/** Bytes of attachments waiting in the outbox at most (50 MiB); see {@link OUTBOX_MAX_FILES}. */
export const OUTBOX_MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Thrown when the outbox holds as many attachments (or bytes) as it may. */
export class OutboxFullError extends Error {
  override readonly name = 'OUTBOX_FULL';
}

/**
 * A new outbox entry for a file, as a file message without a URL until it
 * is uploaded (the list shows its name and size).
 * @param entries the entries already in the outbox, for the bounds
 * @throws OutboxFullError past {@link OUTBOX_MAX_FILES} or {@link OUTBOX_MAX_FILE_BYTES}
 */
export function fileEntry(cid: string, from: string, file: OutboxFile, mentions: OutboxEntry['mentions'], entries: readonly OutboxEntry[]): OutboxEntry {
  const waiting = entries.filter((entry) => entry.file);
  const bytes = waiting.reduce((sum, entry) => sum + entry.file!.blob.size, 0);
  if (waiting.length >= OUTBOX_MAX_FILES || bytes + file.blob.size > OUTBOX_MAX_FILE_BYTES) {
    throw new OutboxFullError(`at most ${OUTBOX_MAX_FILES} attachments and ${OUTBOX_MAX_FILE_BYTES} bytes wait to be sent`);
  }
  const payload: Record<string, unknown> = { _lctype: MessageType.FILE, _lcfile: { metaData: { name: file.name, size: file.blob.size } } };
  if (file.caption) payload._lctext = file.caption;
  if (file.attributes) payload._lcattrs = file.attributes;
  const entry: OutboxEntry = { localId: crypto.randomUUID(), cid, from, payload, createdAt: Date.now(), state: 'sending', file };
  if (mentions) entry.mentions = mentions;
  return entry;
}

/**
 * Uploads an entry's file and turns the entry into its typed message (the
 * bytes leave IndexedDB). Undefined when it did not: cancelled (`has()`
 * false), offline again (it waits), or failed (the entry says why).
 */
export async function uploadEntry(
  entry: OutboxEntry,
  host: OutboxHost,
  signal: AbortSignal,
  track: { has(): boolean; progress(fraction: number): void },
): Promise<Message | undefined> {
  const file = entry.file!;
  let shown = 0;
  try {
    const message = await host.upload(file, signal, (fraction) => {
      track.progress(fraction);
      // Every 5 %: each step renders the list again.
      if (fraction - shown < 0.05 && fraction < 1) return;
      shown = fraction;
      host.changed(entry.cid);
    });
    if (!track.has()) return undefined;
    // Its dedup token is the entry's id, so a retry after a reload is stored once.
    message.dt = entry.localId;
    if (entry.mentions) {
      message.mentionList = [...entry.mentions.list];
      message.mentionedAll = entry.mentions.all;
    }
    entry.payload = message.toJSON();
    delete entry.file;
    await host.withCache((cache) => cache.putOutbox(entry));
    return message;
  } catch (error) {
    if (signal.aborted || !track.has()) return undefined;
    const failure = await host.uploadFailure(error, file);
    if (failure === undefined && !host.online()) {
      // The connection went: the entry waits, and is uploaded again when it is back.
      host.changed(entry.cid);
      return undefined;
    }
    entry.state = 'failed';
    entry.error = describe(error);
    entry.failure = failure ?? { reason: 'upload', cause: 'network' };
    await host.withCache((cache) => cache.putOutbox(entry));
    host.changed(entry.cid);
    host.report(error, 'upload');
    return undefined;
  }
}
