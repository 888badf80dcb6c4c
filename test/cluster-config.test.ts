/**
 * Issue 17, a cluster's settings. `--node-heartbeat` and `--node-dead-after`
 * (the presence's bounds) are checked together at start. `--public-url`:
 * nodes behind a load balancer answer the router
 * endpoints with the balancer's address, so a client that asks any node
 * where to connect is sent to the balancer. The official SDKs' own router
 * code (3.5.7: /1/route then /v1/route; 4.3.1: /2/route then /v1/route) runs
 * against the server here, with its hard-coded https hosts rewritten to the
 * test server's plain HTTP, and the URLs it built recorded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkPublicUrl, resolveConfig } from '../src/server/config.js';
import { startTestServer, TEST_APP } from './helpers/server.js';
import { startServerProcess } from './helpers/server-process.js';
import { serveFails } from './helpers/serve-fails.js';

const require = createRequire(import.meta.url);
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-cluster-config-'));
  dirs.push(dir);
  return dir;
}

interface AxiosConfig {
  url?: string;
  params?: Record<string, unknown>;
}
interface Axios {
  interceptors: { request: { use(onFulfilled: (config: AxiosConfig) => AxiosConfig): number; eject(id: number): void } };
}

/**
 * Sends every https request of this axios copy to `httpUrl` instead, and
 * records the URLs as the SDK built them (with their query parameters).
 */
function rewriteHttps(axios: Axios, httpUrl: string): { calls: string[]; stop(): void } {
  const calls: string[] = [];
  const id = axios.interceptors.request.use((config) => {
    if (!config.url?.startsWith('https://')) return config;
    const built = new URL(config.url);
    calls.push(built.host + built.pathname);
    return { ...config, url: httpUrl + built.pathname };
  });
  return { calls, stop: () => axios.interceptors.request.eject(id) };
}

interface RouterStatics {
  _fetchEndpointsInfo?(options: Record<string, unknown>): Promise<{ server: string; secondary?: string }>;
  _fetchRTMServers?(options: Record<string, unknown>): Promise<{ server: string; secondary?: string }>;
}

test('with --public-url, the official SDKs 3.5.7 and 4.3.1 are routed to the public URL, not to the node', { timeout: 60_000 }, async () => {
  const server = await startTestServer({ publicUrl: 'wss://chat.example.com' });
  try {
    // 3.5.7: app router /1/route (push_router_server), then https://<that>/v1/route.
    const lc3 = require('lc3') as { Realtime: RouterStatics };
    const axios3 = createRequire(require.resolve('lc3'))('axios') as Axios;
    const v3 = rewriteHttps(axios3, server.httpUrl);
    try {
      const endpoints = await lc3.Realtime._fetchEndpointsInfo!({ appId: TEST_APP.appId, region: 'cn', ssl: true });
      assert.deepEqual(v3.calls, ['app-router.leancloud.cn/1/route', 'chat.example.com/v1/route'], '3.5.7 asks the public host for the WebSocket address');
      assert.equal(endpoints.server, 'wss://chat.example.com/');
      assert.equal(endpoints.secondary, 'wss://chat.example.com/');
    } finally {
      v3.stop();
    }

    // 4.3.1: app router /2/route (rtm_router_server, api_server), then https://<rtm router>/v1/route.
    const lc4 = require('lc4') as { Realtime: RouterStatics };
    const axios4 = createRequire(require.resolve('lc4'))('axios') as Axios;
    const v4 = rewriteHttps(axios4, server.httpUrl);
    try {
      const endpoints = await lc4.Realtime._fetchRTMServers!({ appId: TEST_APP.appId, ssl: true });
      assert.deepEqual(v4.calls, ['app-router.leancloud.cn/2/route', 'chat.example.com/v1/route'], '4.3.1 asks the public host for the WebSocket address');
      assert.equal(endpoints.server, 'wss://chat.example.com/');
    } finally {
      v4.stop();
    }
    const app = (await (await fetch(`${server.httpUrl}/2/route?appId=${TEST_APP.appId}`)).json()) as Record<string, unknown>;
    assert.deepEqual(app, { rtm_router_server: 'chat.example.com', api_server: 'chat.example.com', push_server: 'chat.example.com', ttl: 3600 }, 'the REST host is the public one too');

    // Whatever Host or X-Forwarded-Proto a request carries, the answer is the configured URL.
    const spoofed = (await (await fetch(`${server.httpUrl}/v1/route?appId=${TEST_APP.appId}`, { headers: { 'X-Forwarded-Proto': 'http' } })).json()) as { server: string };
    assert.equal(spoofed.server, 'wss://chat.example.com/');
    // An unknown app is still refused.
    assert.equal((await fetch(`${server.httpUrl}/v1/route?appId=nope`)).status, 404);
  } finally {
    await server.stop();
  }
});

test('without --public-url, the routers still answer with the address the client reached', { timeout: 30_000 }, async () => {
  const server = await startTestServer();
  try {
    const route = (await (await fetch(`${server.httpUrl}/v1/route?appId=${TEST_APP.appId}`)).json()) as { server: string };
    assert.equal(route.server, `${server.wsUrl}/`);
    const forwarded = (await (await fetch(`${server.httpUrl}/v1/route?appId=${TEST_APP.appId}`, { headers: { 'X-Forwarded-Proto': 'https' } })).json()) as { server: string };
    assert.equal(forwarded.server, `wss://${new URL(server.httpUrl).host}/`);
  } finally {
    await server.stop();
  }
});

test('a public URL with a path: the router hosts keep the path, the WebSocket URL is as given', { timeout: 30_000 }, async () => {
  const server = await startTestServer({ publicUrl: 'ws://lb.internal:8080/chat/' });
  try {
    const route = (await (await fetch(`${server.httpUrl}/v1/route?appId=${TEST_APP.appId}`)).json()) as { server: string };
    assert.equal(route.server, 'ws://lb.internal:8080/chat/');
    const v3 = (await (await fetch(`${server.httpUrl}/1/route?appId=${TEST_APP.appId}`)).json()) as { push_router_server: string };
    assert.equal(v3.push_router_server, 'lb.internal:8080/chat', 'the SDK appends /v1/route to it');
  } finally {
    await server.stop();
  }
});

test('checkPublicUrl: ws/wss URLs with a host only; never echoes a password', () => {
  assert.equal(checkPublicUrl('wss://chat.example.com'), 'wss://chat.example.com/');
  assert.equal(checkPublicUrl('WSS://Chat.Example.com:443/'), 'wss://chat.example.com/');
  assert.equal(checkPublicUrl('ws://10.0.0.1:8787/lc'), 'ws://10.0.0.1:8787/lc');
  for (const bad of ['https://chat.example.com', 'chat.example.com', 'wss://', 'wss://chat.example.com/?a=1', 'wss://chat.example.com/#x', 'javascript:alert(1)', '', 'wss://' + 'a'.repeat(3000)]) {
    assert.throws(() => checkPublicUrl(bad), /^Error: publicUrl must be a ws:\/\/ or wss:\/\/ URL/, bad);
  }
  assert.throws(() => checkPublicUrl('wss://admin:hunter2@chat.example.com'), (error: Error) => !error.message.includes('hunter2') && /no user or password/.test(error.message));
  assert.throws(() => resolveConfig({ dataDir: '/tmp/x', publicUrl: 'http://chat.example.com' }), /publicUrl must be a ws:\/\/ or wss:\/\/ URL/);
});

test('lc-chat serve: a bad --public-url or LC_PUBLIC_URL stops the start with one line (exit 2)', { timeout: 90_000 }, async () => {
  const flag = await serveFails(['--public-url', 'https://chat.example.com']);
  assert.equal(flag.code, 2);
  assert.equal(flag.stdout, '');
  assert.deepEqual(flag.stderr.split('\n').filter(Boolean), ['lc-chat: --public-url must be a ws:// or wss:// URL such as wss://chat.example.com (scheme https), got "https://chat.example.com"']);
  const env = await serveFails([], { LC_PUBLIC_URL: 'wss://ops:s3cret@chat.example.com' });
  assert.equal(env.code, 2);
  const lines = env.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, env.stderr);
  assert.match(lines[0]!, /^lc-chat: LC_PUBLIC_URL must be a ws:\/\/ or wss:\/\/ URL/);
  assert.doesNotMatch(env.stderr, /s3cret/);
});

test('lc-chat serve --public-url: printed at start and answered by the router', { timeout: 60_000 }, async () => {
  const server = await startServerProcess(dataDir(), 0, ['--public-url', 'wss://chat.example.com']);
  try {
    assert.match(server.output(), /public URL wss:\/\/chat\.example\.com\//);
    const route = (await (await fetch(`http://127.0.0.1:${server.port}/v1/route?appId=${TEST_APP.appId}`)).json()) as { server: string };
    assert.equal(route.server, 'wss://chat.example.com/');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test('--node-heartbeat and --node-dead-after: a node must outlive two lost beats; bad values stop the start with one line', { timeout: 60_000 }, async () => {
  assert.throws(() => resolveConfig({ dataDir: '/tmp/x', nodeHeartbeatMs: 1000, nodeDeadAfterMs: 2999 }), /nodeDeadAfterMs must be an integer of at least 3 × nodeHeartbeatMs \(3000\)/);
  assert.throws(() => resolveConfig({ dataDir: '/tmp/x', nodeHeartbeatMs: 50 }), /nodeHeartbeatMs must be an integer in 100\.\.60000/);
  const config = resolveConfig({ dataDir: '/tmp/x' });
  assert.deepEqual([config.nodeHeartbeatMs, config.nodeDeadAfterMs], [5000, 15000]);
  const tooShort = await serveFails(['--node-heartbeat', '1000', '--node-dead-after', '2000']);
  assert.equal(tooShort.code, 2);
  assert.deepEqual(tooShort.stderr.split('\n').filter(Boolean), ['lc-chat: --node-dead-after must be at least 3 heartbeats (3000 ms) and at most 600000 ms, got 2000']);
  const notANumber = await serveFails(['--node-heartbeat', 'soon']);
  assert.equal(notANumber.code, 2);
  assert.match(notANumber.stderr, /^lc-chat: --node-heartbeat must be a whole number, got "soon"\n$/);
});
