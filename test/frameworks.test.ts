/**
 * lc-chat from a front-end app's point of view (issue 19): the packed
 * tarball installed with npm as an app installs it, then a React 19, a Vue 3
 * and a Svelte 5 app (test/frameworks/) built against it with Vite,
 * typechecked with their own checkers (tsc, vue-tsc with strictTemplates,
 * svelte-check) and driven in Chromium: two users chat, the framework's
 * handler gets `lc-message`, `members` is passed as the framework passes it
 * (a string property), and unmounting closes the socket.
 *
 * The install is a real `npm install <tarball>` (the npm registry or its
 * cache), so it shows what an app gets: no native build, no server
 * packages. The frameworks and their tools are this repository's
 * devDependencies, linked into the app.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './helpers/server.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FRAMEWORKS = ['react', 'vue', 'svelte'] as const;
type Framework = (typeof FRAMEWORKS)[number];
/** The toolchains, from this repository's devDependencies. */
const LINKED = [
  // @lit/react: lc-chat/react's optional peer, which a React app that uses the wrappers installs.
  'react', 'react-dom', '@types/react', '@types/react-dom', '@vitejs/plugin-react', '@lit/react',
  'vue', '@vitejs/plugin-vue', 'svelte', '@sveltejs/vite-plugin-svelte', 'vite', 'typescript',
];

/** What the apps put on `window` (src/page.ts of each app in test/frameworks). */
type AppWindow = Window & { received: string[]; unmount(): void; openSockets(): number };

let project: string;
let lcServer: TestServer;
let http: Server;
let origin: string;
let browser: Browser;
let installedPackages: Record<string, { hasInstallScript?: boolean }>;

function run(command: string, args: string[], cwd: string, timeout = 300_000): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const bin = (path: string) => join(ROOT, 'node_modules', path);

function serveStatic(directory: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createHttpServer((request, response) => {
    const path = resolve(directory, `.${decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)}`);
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(directory) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

before(async () => {
  run(process.execPath, ['scripts/build-node.mjs'], ROOT);
  project = mkdtempSync(join(tmpdir(), 'lc-chat-frameworks-'));
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], ROOT);
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'front-end-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${filename}`], project);
  installedPackages = (JSON.parse(readFileSync(join(project, 'node_modules/.package-lock.json'), 'utf8')) as { packages: typeof installedPackages }).packages;
  for (const name of LINKED) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
  for (const framework of FRAMEWORKS) {
    cpSync(join(ROOT, 'test/frameworks', framework), join(project, framework), { recursive: true });
    cpSync(join(ROOT, 'test/frameworks/page.ts'), join(project, framework, 'src/page.ts'));
    run(process.execPath, [bin('vite/bin/vite.js'), 'build'], join(project, framework));
  }
  lcServer = await startTestServer();
  http = await serveStatic(project);
  const address = http.address() as { port: number };
  origin = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  http?.close();
  await lcServer?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('a front-end app installing lc-chat gets no server packages and builds nothing', () => {
  const names = Object.keys(installedPackages).filter((path) => path.startsWith('node_modules/')).map((path) => path.slice('node_modules/'.length));
  for (const server of ['better-sqlite3', 'ws', 'pg', 'bindings', 'prebuild-install']) assert.ok(!names.includes(server), `${server} is not installed`);
  // Nothing runs a script (protobufjs's postinstall was the only one, and lc-chat no longer depends on it).
  const scripts = names.filter((name) => installedPackages[`node_modules/${name}`]!.hasInstallScript);
  assert.deepEqual(scripts, [], 'install scripts');
  // Nothing is compiled: no package carries a native build (binding.gyp) or a native module.
  for (const name of names) {
    const files = readdirSync(join(project, 'node_modules', name), { recursive: true }) as string[];
    assert.ok(!files.some((file) => file.endsWith('binding.gyp') || file.endsWith('.node')), `${name} has no native code`);
  }
  // The figure the README gives (lc-chat and its dependencies).
  console.log(`front-end install: ${names.length} packages`);
  assert.ok(names.length < 30, `${names.length} packages: ${names.join(', ')}`);
});

test('the apps typecheck with their frameworks\' checkers, typed from the package (wrong attribute values and event fields are errors)', () => {
  run(process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json'], join(project, 'react'));
  run(process.execPath, [bin('vue-tsc/bin/vue-tsc.js'), '--noEmit', '-p', 'tsconfig.json'], join(project, 'vue'));
  run(process.execPath, [bin('svelte-check/bin/svelte-check'), '--tsconfig', './tsconfig.json', '--threshold', 'error'], join(project, 'svelte'));
});

test('an app that imports one element\'s entry point does not bundle the others', () => {
  for (const framework of ['vue', 'svelte'] as const) {
    const assets = join(project, framework, 'dist/assets');
    const code = readdirSync(assets).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(assets, file), 'utf8')).join('\n');
    assert.match(code, /lc-message/, `${framework}: lc-chat is in the bundle`);
    for (const other of ['lc-danmaku-drop', 'lc-conversation-select', 'lc-support']) assert.doesNotMatch(code, new RegExp(other), `${framework}: ${other} is not`);
  }
});

/** Opens a page of an app as one user; counts the page's WebSockets that are still open. */
async function open(framework: Framework, me: string, peer: string, extra = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const sockets: WebSocket[] = [];
    (window as unknown as AppWindow).openSockets = () => sockets.filter((socket) => socket.readyState !== WebSocket.CLOSED).length;
    window.WebSocket = class extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const query = new URLSearchParams({ server: lcServer.wsUrl, appId: lcServer.appId, me, peer });
  await page.goto(`${origin}/${framework}/dist/index.html?${query}${extra}`);
  await page.waitForFunction(() => document.querySelector('lc-chat')?.shadowRoot?.querySelector('textarea'), undefined, { timeout: 20_000 }).catch((error: unknown) => {
    throw new Error(`${framework}: ${me}'s chat did not open (${errors.join('; ') || String(error)})`);
  });
  return page;
}

for (const framework of FRAMEWORKS) {
  test(`${framework}: two users chat, the app's handler gets lc-message, unmounting closes the socket`, async () => {
    const alice = `alice-${framework}-${Date.now().toString(36)}`;
    const bob = `bob-${framework}-${Date.now().toString(36)}`;
    const alicePage = await open(framework, alice, bob);
    // In React, Bob's page uses the @lit/react wrapper.
    const bobPage = await open(framework, bob, alice, framework === 'react' ? '&wrapper' : '');
    try {
      await alicePage.locator('lc-chat textarea').fill(`hello from ${framework}`);
      await alicePage.locator('lc-chat textarea').press('Enter');
      await bobPage.waitForFunction((text) => (window as unknown as AppWindow).received.includes(text), `hello from ${framework}`, { timeout: 15_000 });
      await bobPage.locator('lc-chat textarea').fill('hi alice');
      await bobPage.locator('lc-chat textarea').press('Enter');
      await alicePage.waitForFunction(() => (window as unknown as AppWindow).received.includes('hi alice'), undefined, { timeout: 15_000 });
      // Both users are in the one conversation `members` (a string in React 19, Vue and Svelte) opened.
      const [aliceConversation, bobConversation] = await Promise.all(
        [alicePage, bobPage].map((page) => page.evaluate(() => (document.querySelector('lc-chat') as HTMLElement & { conversation?: { id: string } }).conversation?.id)),
      );
      assert.ok(aliceConversation);
      assert.equal(bobConversation, aliceConversation);

      assert.ok((await alicePage.evaluate(() => (window as unknown as AppWindow).openSockets())) >= 1);
      await alicePage.evaluate(() => (window as unknown as AppWindow).unmount());
      await alicePage.waitForFunction(() => !document.querySelector('lc-chat') && (window as unknown as AppWindow).openSockets() === 0, undefined, {
        timeout: 15_000,
      });
    } finally {
      await Promise.all([alicePage.close(), bobPage.close()]);
    }
  });
}

test('the README\'s framework snippets are in the apps this file builds and typechecks, verbatim', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```\w*\n(?:\/\/ |<!-- )(test\/frameworks\/[^\s]+)(?: -->)?\n([\s\S]*?)```/g)];
  assert.ok(snippets.length >= 8, `${snippets.length} snippets`);
  for (const [, file, code] of snippets) {
    assert.ok(readFileSync(join(ROOT, file!), 'utf8').includes(code!.trimEnd()), `README's snippet from ${file} is in it:\n${code}`);
  }
});
