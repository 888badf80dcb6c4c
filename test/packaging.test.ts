/**
 * The package as a consumer gets it: `npm pack`'s tarball, unpacked into a
 * temporary project's node_modules, used from plain Node (no tsx) and from
 * TypeScript by its export names. This is what catches an "exports" entry
 * pointing at a file the build does not write, a runtime import of a
 * devDependency, declarations that do not resolve, or a CLI that only runs
 * from the repository.
 *
 * The server's dependencies are not lc-chat's (a front-end app does not
 * install them): they are optional peer dependencies of lc-chat and
 * dependencies of the second package, packages/server (`lc-chat-server`,
 * the `lc-chat` command), packed and used here too.
 *
 * It runs the Node build itself (scripts/build-node.mjs, a few seconds), so
 * `npm test` on a clean clone needs no step before it. Dependencies are
 * linked from the repository's node_modules rather than installed: the test
 * stays offline and does not recompile better-sqlite3.
 * test/frameworks.test.ts installs the tarball as a front-end app does.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  exports: Record<string, string | { types: string; default?: string }>;
};
const serverPkg = JSON.parse(readFileSync(join(ROOT, 'packages/server/package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
};
/** Every export that names a module with code (not the file patterns like `./dist/*`, not types alone, not the CLI). */
const MODULE_EXPORTS = Object.entries(pkg.exports)
  .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object' && Boolean(entry[1].default) && !entry[0].includes('*'))
  .map(([subpath]) => (subpath === '.' ? 'lc-chat' : `lc-chat/${subpath.slice(2)}`));
/** The server's dependencies: lc-chat's optional peers that lc-chat-server depends on. */
const SERVER_DEPENDENCIES = Object.keys(serverPkg.dependencies).filter((name) => name !== 'lc-chat' && !name.startsWith('@types/'));

let project: string;
let installed: string;
let installedServer: string;

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

before(() => {
  run(process.execPath, ['scripts/build-node.mjs'], ROOT);
  project = mkdtempSync(join(tmpdir(), 'lc-chat-package-'));
  // --ignore-scripts: the Node build just ran; prepack would redo the browser build too.
  mkdirSync(join(project, 'node_modules'));
  const unpack = (directory: string, name: string): string => {
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], directory);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    run('tar', ['-xzf', join(project, filename), '-C', project], project);
    renameSync(join(project, 'package'), join(project, 'node_modules', name));
    return join(project, 'node_modules', name);
  };
  installed = unpack(ROOT, 'lc-chat');
  installedServer = unpack(join(ROOT, 'packages/server'), 'lc-chat-server');
  // Only the declared dependencies are reachable from the packages, as after `npm install lc-chat-server`.
  for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(serverPkg.dependencies).filter((name) => name !== 'lc-chat')]) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('lc-chat depends on no server package; lc-chat-server brings them, at the same version', () => {
  assert.ok(SERVER_DEPENDENCIES.includes('better-sqlite3') && SERVER_DEPENDENCIES.includes('ws'));
  for (const name of SERVER_DEPENDENCIES) {
    assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency of lc-chat (a front-end app would install it)`);
    assert.equal(pkg.peerDependencies[name], serverPkg.dependencies[name], `${name}: lc-chat's optional peer range is lc-chat-server's`);
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is an optional peer of lc-chat`);
  }
  assert.equal(serverPkg.version, pkg.version);
  assert.equal(serverPkg.dependencies['lc-chat'], pkg.version, 'lc-chat-server depends on the lc-chat of its own version');
  assert.equal(serverPkg.bin['lc-chat'], 'bin/lc-chat.js');
  assert.equal((pkg as { bin?: unknown }).bin, undefined, 'the command is lc-chat-server\'s (one package owns the name in node_modules/.bin)');
});

test('every package the compiled code imports is declared where it is used: browser code by lc-chat, server code by lc-chat-server', () => {
  const imports = (directory: string): Set<string> => {
    const found = new Set<string>();
    const walk = (path: string): void => {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        const child = join(path, entry.name);
        if (entry.isDirectory()) walk(child);
        else if (entry.name.endsWith('.js')) {
          const source = readFileSync(child, 'utf8');
          const statements = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
          for (const match of source.matchAll(statements)) {
            const specifier = match[1] ?? match[2] ?? match[3];
            if (!specifier || specifier.startsWith('.') || specifier.startsWith('node:')) continue;
            found.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
          }
        }
      }
    };
    walk(join(installed, directory));
    return found;
  };
  const optionalPeers = new Set(Object.keys(pkg.peerDependencies));
  const browser = new Set<string>();
  for (const directory of ['lib/sdk', 'lib/components', 'lib/protocol', 'lib/react']) {
    for (const name of imports(directory)) {
      browser.add(name);
      // ws: the SDK's fallback on Node < 22 (a dynamic import); react and @lit/react: lc-chat/react's, which a React app installs.
      if (optionalPeers.has(name) && ['ws', 'react', '@lit/react'].includes(name)) continue;
      assert.ok(pkg.dependencies[name], `${directory} imports ${name}: a dependency of lc-chat`);
    }
  }
  for (const name of imports('lib/server')) {
    if (name === 'lc-chat' || (browser.has(name) && pkg.dependencies[name])) continue;
    // A package only the server uses (better-sqlite3, ws, pg, redis clients…) is not installed by a front-end app.
    assert.ok(
      !pkg.dependencies[name] && optionalPeers.has(name) && pkg.peerDependenciesMeta[name]?.optional && serverPkg.dependencies[name],
      `lib/server imports ${name}, which browser code does not: list it in package.json peerDependencies (+ peerDependenciesMeta optional, + devDependencies for this repository) and in packages/server/package.json dependencies, not in lc-chat's dependencies`,
    );
  }
  const used = new Set(['lib/sdk', 'lib/components', 'lib/protocol', 'lib/react', 'lib/server'].flatMap((directory) => [...imports(directory)]));
  for (const name of Object.keys(pkg.dependencies)) assert.ok(used.has(name), `${name} is a dependency of lc-chat but nothing imports it`);
});

test('the tarball holds the compiled modules and no TypeScript sources', () => {
  assert.ok(!existsSync(join(installed, 'src')), 'src/ is not published');
  assert.ok(existsSync(join(installed, 'lib/protocol/generated/message.js')), 'the generated protobuf module is published');
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || subpath.includes('*')) continue;
    for (const file of [target.types, target.default].filter((file): file is string => Boolean(file))) {
      assert.match(file, /\.(d\.ts|js)$/, `${subpath} points at compiled files`);
      assert.ok(existsSync(join(installed, file)), `${subpath}: ${file} is in the tarball`);
    }
  }
});

test('every export resolves by name from plain Node, and the server and SDK work from it', () => {
  writeFileSync(
    join(project, 'consumer.mjs'),
    `
import { Realtime, TextMessage } from 'lc-chat';
import { createServer } from 'lc-chat/server';
import * as protocol from 'lc-chat/protocol';
import { TypedMessagesPlugin, ImageMessage } from 'lc-chat/typed-messages';

const names = ${JSON.stringify(MODULE_EXPORTS)};
const resolved = Object.fromEntries(names.map((name) => [name, import.meta.resolve(name)]));
const server = await createServer({
  port: 0, host: '127.0.0.1', dataDir: process.argv[2], log: () => {},
  apps: [{ appId: 'package-app', appKey: 'package-key', masterKey: 'package-master' }],
});
const realtime = new Realtime({ appId: 'package-app', appKey: 'package-key', server: server.wsUrl, plugins: [TypedMessagesPlugin] });
try {
  const alice = await realtime.createIMClient('alice');
  const bob = await realtime.createIMClient('bob');
  const heard = new Promise((resolve) => bob.on('message', resolve));
  const conversation = await alice.createConversation({ members: ['bob'], unique: true });
  const sent = await conversation.send(new TextMessage('hello from the tarball'));
  const received = await heard;
  console.log(JSON.stringify({
    resolved,
    text: received.text,
    sentAt: sent.timestamp.getTime(),
    receivedAt: received.timestamp.getTime(),
    codec: typeof protocol.encodeCommand,
    imageMessage: typeof ImageMessage,
    loaders: process.execArgv,
  }));
} finally {
  await realtime.close();
  await server.close();
}
`,
  );
  const before = Date.now();
  const { stdout } = run(process.execPath, ['consumer.mjs', join(project, 'data')], project);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    resolved: Record<string, string>;
    text: string;
    sentAt: number;
    receivedAt: number;
    codec: string;
    imageMessage: string;
    loaders: string[];
  };
  assert.deepEqual(result.loaders, [], 'no tsx or other loader');
  for (const name of MODULE_EXPORTS) {
    const file = fileURLToPath(result.resolved[name]!);
    assert.ok(file.startsWith(join(installed, 'lib') + '/') && file.endsWith('.js'), `${name} resolves to compiled JS in the package: ${file}`);
  }
  assert.equal(result.text, 'hello from the tarball');
  assert.equal(result.codec, 'function');
  assert.equal(result.imageMessage, 'function');
  // int64 timestamps survive the server's encoding and the SDK's decoding as milliseconds.
  assert.ok(result.sentAt >= before - 1000 && result.sentAt <= Date.now() + 1000, `sent at ${result.sentAt}`);
  assert.equal(result.receivedAt, result.sentAt);
});

test('the declarations type-check a consumer by export name', () => {
  // The consumer's own @types/node, as any Node project has.
  mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'), 'dir');
  writeFileSync(
    join(project, 'consumer.ts'),
    `
import { Realtime, TextMessage, type IMClient } from 'lc-chat';
import { createServer, type LcServer } from 'lc-chat/server';
import { encodeCommand } from 'lc-chat/protocol';
import { LcChat, loadElement, type LcElementTag } from 'lc-chat/components';
import { ImageMessage, LcFile } from 'lc-chat/typed-messages';

export async function check(): Promise<void> {
  const server: LcServer = await createServer({ dataDir: 'data', port: 0 });
  const realtime = new Realtime({ appId: 'a', server: server.wsUrl });
  const client: IMClient = await realtime.createIMClient('alice');
  const text: string | undefined = new TextMessage('hi').text;
  const tag: LcElementTag = 'lc-live-room';
  const element: CustomElementConstructor = await loadElement(tag);
  const chat: typeof LcChat = LcChat;
  void [client, text, element, chat, encodeCommand, ImageMessage, LcFile];
}
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        noEmit: true,
        // Checks our declarations, not those of lit or ws.
        skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }),
  );
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
});

test('lc-chat-server exports the server, and its bin runs the compiled CLI and serves the packaged demo pages', async () => {
  const { stdout } = run(process.execPath, ['--input-type=module', '-e', `import * as server from 'lc-chat-server'; console.log(typeof server.createServer)`], project);
  assert.equal(stdout.trim(), 'function');
  const child = spawn(process.execPath, [join(installedServer, serverPkg.bin['lc-chat']!), 'serve', '--host', '127.0.0.1', '--port', '0', '--data', join(project, 'cli-data')], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the CLI did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => fail(new Error(`the CLI exited (${code}):\n${output}`)));
    });
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    const page = await fetch(`${url}/chat.html`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /assets\/lc-chat\.js/);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, 'stops cleanly on SIGTERM');
  }
});
