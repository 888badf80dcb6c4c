/**
 * Opens the store a server's configuration names: the SQLite file, or a
 * PostgreSQL database (which runs its migrations and checks the
 * connection before the server listens).
 */
import type { ServerConfig } from '../config.js';
import { coalesceReads } from './coalesced-reads.js';
import { orderQueriesPerClient } from './ordered-queries.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { describeStoreLocation } from './store-location.js';
import type { Store } from './types.js';

/**
 * The store could not be opened: a bad URL, a wrong password, a database
 * that is down or newer than this server. The message is one line, fit
 * for an operator, and never holds a password.
 */
export class StoreOpenError extends Error {}

/** Opens the configured store; throws StoreOpenError when it cannot. */
export async function openStore(config: Pick<ServerConfig, 'storeLocation' | 'durability'>): Promise<Store> {
  const location = config.storeLocation;
  try {
    if (location.kind === 'sqlite') return openSqliteStore({ file: location.file, durability: config.durability });
    // What SQLite's synchronous reads gave for free: fewer round trips, replies in request order.
    return orderQueriesPerClient(coalesceReads(await openPostgresStore({ url: location.url })));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    // The reason may quote the URL; the banner form never shows its password.
    const redacted = location.kind === 'postgres' ? reason.replaceAll(location.url, describeStoreLocation(location)) : reason;
    throw new StoreOpenError(`cannot open the store ${describeStoreLocation(location)}: ${redacted}`, { cause: error });
  }
}
