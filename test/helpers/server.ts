import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type LcServer, type ServerConfig } from '../../src/server/index.js';
import { dropTestStore, POSTGRES_TEST_MAX_QUERY_MS, testStoreFor } from './test-store.js';
import { within } from './wait.js';

export const TEST_APP = { appId: 'test-app-id', appKey: 'test-app-key', masterKey: 'test-master-key' };

export interface TestServer {
  wsUrl: string;
  httpUrl: string;
  appId: string;
  appKey: string;
  masterKey: string;
  dataDir: string;
  server: LcServer;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/**
 * A real server on a random loopback port with a fresh store: a SQLite file
 * in its data directory, or with LC_TEST_STORE=postgres a PostgreSQL
 * database of its own (test-store.ts); a given dataDir finds the same one again.
 */
export async function startTestServer(options: Partial<ServerConfig> & { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lc-chat-test-'));
  const storeLocation = options.storeLocation ?? (await testStoreFor(dataDir));
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    apps: [TEST_APP],
    log: () => {},
    ...(storeLocation?.kind === 'postgres' ? { maxQueryMs: POSTGRES_TEST_MAX_QUERY_MS } : {}),
    ...options,
    ...(storeLocation ? { storeLocation } : {}),
    dataDir,
  });
  return {
    ...TEST_APP,
    wsUrl: server.wsUrl,
    httpUrl: server.httpUrl,
    dataDir,
    server,
    async stop() {
      await within(server.close(), `the test server at ${server.httpUrl} to close`, 60_000);
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        await dropTestStore(dataDir);
      }
    },
  };
}
