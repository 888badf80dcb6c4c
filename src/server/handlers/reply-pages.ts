/**
 * Sizes of what the server sends in bulk (history pages, login pushes),
 * so that each frame stays within `maxReplyBytes` without encoding twice.
 */
import type { SessionConnection } from '../session/session-connection.js';
import type { ServerContext } from './context.js';

/**
 * Room for an item's field tags, lengths, ids and int64 timestamps beside
 * its variable-length strings; generous, as the estimate must not fall
 * below the encoded size.
 */
const ITEM_OVERHEAD = 96;

/** The encoded bytes a frame to this connection may hold: base64 frames carry 3 bytes in 4 characters. */
export function replyBytesFor(ctx: ServerContext, connection: SessionConnection): number {
  const limit = ctx.config.maxReplyBytes;
  return connection.subprotocol.format === 'base64' ? Math.floor((limit * 3) / 4) : limit;
}

/** An upper bound of an item's encoded size, from its strings. */
export function itemBytes(...texts: readonly (string | null | undefined | readonly string[])[]): number {
  let bytes = ITEM_OVERHEAD;
  for (const text of texts) {
    if (typeof text === 'string') bytes += Buffer.byteLength(text) + 5;
    else if (text) for (const part of text) bytes += Buffer.byteLength(part) + 5;
  }
  return bytes;
}

/**
 * Splits items, in order, into pages of at most `maxBytes` (by `size`) and
 * `maxItems`; an item larger than `maxBytes` gets a page of its own.
 */
export function pagesOf<T>(items: readonly T[], size: (item: T) => number, maxBytes: number, maxItems = Infinity): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemSize = size(item);
    if (page.length > 0 && (bytes + itemSize > maxBytes || page.length >= maxItems)) {
      pages.push(page);
      page = [];
      bytes = 0;
    }
    page.push(item);
    bytes += itemSize;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
