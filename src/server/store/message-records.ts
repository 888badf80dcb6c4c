/** How the stores build message and conversation values, whatever the database. */
import { createHash } from 'node:crypto';
import { newMessageId } from './ids.js';
import { RECALLED_PAYLOAD, type AppendOutcome, type AppendResult, type MessagePatch, type MessageRecord, type NewMessage } from './types.js';

export type { AppendOutcome } from './types.js';

/**
 * The record of a new message taking `seq`, at `now` but never before the
 * conversation's last message. It runs once per message stored: one object
 * literal of one shape (no spread of an optional field), `binary` added
 * only to binary messages.
 */
export function newMessageRecord(input: NewMessage, seq: number, now: number, lastTimestamp: number): MessageRecord {
  const record: MessageRecord = {
    appId: input.appId,
    cid: input.cid,
    id: input.id ?? newMessageId(),
    seq,
    from: input.from,
    data: input.data,
    // Never before the conversation's previous message, even if the clock stepped back.
    timestamp: Math.max(now, lastTimestamp),
    dt: input.dt,
    receipt: input.receipt,
    mentionPids: input.mentionPids.slice(),
    mentionAll: input.mentionAll,
    patchTimestamp: null,
  };
  if (input.binary) record.binary = true;
  return record;
}

/** Members a message (or an edit) mentions by id, its sender left out: their `mention_seq` moves. */
export function mentionedMembers(message: MessageRecord): string[] {
  return [...new Set(message.mentionPids)].filter((pid) => pid !== message.from);
}

/** The message after a recall (`data: null`) or an edit by its sender, who must be `original.from`. */
export function patchedMessage(original: MessageRecord, patch: MessagePatch, now: number): MessageRecord {
  const recall = patch.data === null;
  return {
    ...original,
    data: patch.data ?? RECALLED_PAYLOAD,
    // Strictly after any earlier patch of this message, so "patched since" never misses one.
    patchTimestamp: Math.max(now, (original.patchTimestamp ?? 0) + 1),
    mentionPids: recall ? [] : [...patch.mentionPids],
    mentionAll: recall ? false : patch.mentionAll,
    // A recall or a text edit replaces any bytes; a binary edit brings new ones.
    binary: !recall && patch.binary === true,
  };
}

/** Unique conversations with the same members share this id, whichever was created first. */
export function uniqueIdOf(appId: string, membersJson: string): string {
  return createHash('sha256').update(appId).update('\u0000').update(membersJson).digest('hex').slice(0, 32);
}

/** An append waiting for its batch's commit. */
export interface PendingAppend {
  input: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Settles a written batch: each append by its outcome, or all of them by the error that rolled the batch back. */
export function settleBatch(batch: readonly PendingAppend[], outcomes: AppendOutcome[] | { error: unknown }): void {
  if (!Array.isArray(outcomes)) {
    for (const item of batch) item.reject(outcomes.error);
    return;
  }
  batch.forEach((item, index) => {
    const outcome = outcomes[index]!;
    if (outcome.ok) item.resolve(outcome.result);
    else item.reject(outcome.error);
  });
}

/** A conversation's head while a batch is being written. */
export interface BatchHead {
  appId: string;
  cid: string;
  lastSeq: number;
  lastTimestamp: number;
  /** The batch's newest message in this conversation, if any. */
  last: MessageRecord | null;
  /** The batch's newest message mentioning everyone, 0 when none. */
  mentionAllSeq: number;
  /** Per sender in the batch, the seq of their newest message: a sender has read up to it. */
  senders: Map<string, number>;
}

/** A batch's head for a conversation whose last message is `lastSeq` at `lastTimestamp` (ms, 0 for none). */
export function batchHead(appId: string, cid: string, lastSeq: number, lastTimestamp: number): BatchHead {
  return { appId, cid, lastSeq, lastTimestamp, last: null, mentionAllSeq: 0, senders: new Map() };
}

/** Moves the head past a message the batch stores. */
export function advanceHead(head: BatchHead, message: MessageRecord): void {
  head.lastSeq = message.seq;
  head.lastTimestamp = message.timestamp;
  head.last = message;
  if (message.mentionAll) head.mentionAllSeq = message.seq;
  head.senders.set(message.from, message.seq);
}
