/**
 * A web-test-runner plugin that runs real lc-chat servers for the browser
 * tests: `main`, started with the test runner on a free loopback port, and
 * others started on first use by name (a test that restarts its server gets
 * its own, so the tests running next to it are not disturbed). Each has a
 * fresh data directory; all are stopped, and their data deleted, when the
 * runner stops.
 *
 * Tests reach them with `executeServerCommand('lc-server', {action, name})`:
 * - `info`: `{wsUrl, httpUrl, appId, appKey, running}` (starts the server if new);
 * - `stop` / `start`: take it down and bring it back on the same port with
 *   the same data (the outbox-across-a-restart test).
 *
 * HTML test pages get the main server's URL and app id substituted for
 * `%LC_SERVER%` and `%LC_APP_ID%`, so they can be plain markup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { ServerConfig } from '../../../src/server/index.js';
import { TEST_APP, startTestServer, type TestServer } from '../../helpers/server.js';

/** What `executeServerCommand('lc-server', …)` returns. */
export interface LcServerInfo {
  name: string;
  wsUrl: string;
  httpUrl: string;
  appId: string;
  appKey: string;
  running: boolean;
}

export interface LcServerCommand {
  action: 'info' | 'stop' | 'start';
  /** Which server; `main` by default. */
  name?: string;
}

/**
 * Servers whose name starts with `signed` require signed logins and serve the dev `POST /sign`;
 * those starting with `push` accept Web Push endpoints on loopback (the test's push service).
 */
function settingsFor(name: string): Partial<ServerConfig> {
  if (name.startsWith('push')) return { webPush: { allowLoopback: true, minIntervalMs: 0 } };
  if (!name.startsWith('signed')) return {};
  return { apps: [{ ...TEST_APP, requireSignature: true }], devSigningAppId: TEST_APP.appId };
}

class ManagedServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-browser-'));
  #server: TestServer | undefined;
  #port = 0;
  #urls = { wsUrl: '', httpUrl: '' };

  constructor(readonly name: string) {}

  async start(): Promise<void> {
    if (this.#server) return;
    // Port 0 the first time; afterwards the same port, so clients reconnect to it.
    this.#server = await startTestServer({ ...settingsFor(this.name), dataDir: this.dataDir, port: this.#port });
    this.#port = this.#server.server.port;
    this.#urls = { wsUrl: this.#server.wsUrl, httpUrl: this.#server.httpUrl };
  }

  async stop(): Promise<void> {
    const running = this.#server;
    this.#server = undefined;
    await running?.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  info(): LcServerInfo {
    return { name: this.name, ...this.#urls, appId: TEST_APP.appId, appKey: TEST_APP.appKey, running: this.#server !== undefined };
  }
}

const servers = new Map<string, ManagedServer>();

async function server(name: string): Promise<ManagedServer> {
  let managed = servers.get(name);
  if (!managed) {
    managed = new ManagedServer(name);
    servers.set(name, managed);
    await managed.start();
  }
  return managed;
}

/** Minimal view of a Koa context, enough for {@link signProxy}. */
interface ProxyContext {
  method: string;
  path: string;
  req: AsyncIterable<Buffer>;
  status: number;
  type: string;
  body: unknown;
}

/**
 * `POST /__lc/sign/<server name>` → that server's dev `POST /sign`. The
 * widgets under test then call a same-origin signature URL, as they would
 * on a real site (cookies included), while the real signer runs.
 */
export function signProxy() {
  return async (context: ProxyContext, next: () => Promise<unknown>): Promise<unknown> => {
    const match = /^\/__lc\/sign\/([\w-]+)$/.exec(context.path);
    if (!match || context.method !== 'POST') return next();
    const chunks: Buffer[] = [];
    for await (const chunk of context.req) chunks.push(chunk);
    const target = (await server(match[1]!)).info();
    const response = await fetch(`${target.httpUrl}/sign`, { method: 'POST', body: Buffer.concat(chunks), headers: { 'Content-Type': 'application/json' } });
    context.status = response.status;
    context.type = 'application/json';
    context.body = await response.text();
    return undefined;
  };
}

export function lcServerPlugin(): TestRunnerPlugin {
  return {
    name: 'lc-server',
    async serverStart() {
      await server('main');
    },
    async serverStop() {
      await Promise.all([...servers.values()].map((managed) => managed.dispose()));
    },
    async transform(context) {
      if (!context.path.endsWith('.test.html') || typeof context.body !== 'string') return undefined;
      const main = (await server('main')).info();
      return { body: context.body.replaceAll('%LC_SERVER%', main.wsUrl).replaceAll('%LC_APP_ID%', main.appId) };
    },
    async executeCommand({ command, payload }) {
      if (command !== 'lc-server') return undefined;
      const { action, name = 'main' } = (payload ?? { action: 'info' }) as LcServerCommand;
      const managed = await server(name);
      if (action === 'stop') await managed.stop();
      else if (action === 'start') await managed.start();
      else if (action !== 'info') throw new Error(`lc-server: unknown action ${String(action)}`);
      return managed.info();
    },
  };
}
