/**
 * A test file's protocol-level setup: one server for the file, and raw
 * clients that are all closed when it ends.
 */
import { after, before } from 'node:test';
import type { ISessionCommand } from '../../src/protocol/codec.js';
import { RawClient } from './raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './server.js';

export interface RawEnvironment {
  /** The file's server (started before the first test). */
  readonly server: TestServer;
  /** A connected socket that has not logged in. */
  connect(protocol?: string): Promise<RawClient>;
  /** A socket logged in to the test app as `id`. */
  login(id: string, sessionMessage?: ISessionCommand, protocol?: string): Promise<RawClient>;
}

export function rawEnvironment(options: Parameters<typeof startTestServer>[0] = {}): RawEnvironment {
  let server: TestServer | undefined;
  const clients: RawClient[] = [];
  before(async () => {
    server = await startTestServer(options);
  });
  after(async () => {
    for (const client of clients) client.close();
    await server?.stop();
  });
  const env: RawEnvironment = {
    get server() {
      if (!server) throw new Error('the server starts in before(): use it inside tests');
      return server;
    },
    async connect(protocol) {
      const client = await RawClient.connect(env.server.wsUrl, protocol);
      clients.push(client);
      return client;
    },
    async login(id, sessionMessage = {}, protocol) {
      const client = await env.connect(protocol);
      await client.login(TEST_APP.appId, id, sessionMessage);
      return client;
    },
  };
  return env;
}
