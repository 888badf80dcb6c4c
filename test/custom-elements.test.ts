/**
 * custom-elements.json is committed (editors, docs and frameworks read it):
 * it must match what the analyzer makes of the components' JSDoc now.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

test('custom-elements.json is up to date with the components (else: npm run manifest)', () => {
  const outdir = join('.tmp', `cem-check-${process.pid}`);
  mkdirSync(outdir, { recursive: true });
  try {
    execFileSync(
      process.execPath,
      ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', outdir],
      { stdio: 'pipe' },
    );
    const fresh: unknown = JSON.parse(readFileSync(join(outdir, 'custom-elements.json'), 'utf8'));
    const committed: unknown = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
    // Compare the text, not the objects: a deep-equal failure on a manifest this
    // size makes the assertion diff take minutes to render.
    assert.ok(JSON.stringify(committed) === JSON.stringify(fresh), 'custom-elements.json is stale: run `npm run manifest` and commit it');
    // The framework typings generated from it, too.
    for (const file of ['jsx.d.ts', 'vue.d.ts', 'svelte.d.ts']) {
      assert.ok(readFileSync(join(outdir, 'types', file), 'utf8') === readFileSync(join('types', file), 'utf8'), `types/${file} is stale: run \`npm run manifest\` and commit it`);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('module paths in the manifest name files the package ships (lib/), not src/', () => {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as { modules: Array<{ path: string }> };
  const text = readFileSync('custom-elements.json', 'utf8');
  assert.ok(manifest.modules.length > 0);
  for (const module of manifest.modules) assert.match(module.path, /^lib\/components\/.*\.js$/);
  // Not assert.doesNotMatch: its failure message would print the whole manifest.
  const stray = /"(path|module)": "src\/[^"]*"/.exec(text);
  assert.equal(stray?.[0], undefined, 'a reference into src/');
});

test('package.json names the manifest and it documents every element', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { customElements?: string };
  assert.equal(pkg.customElements, 'custom-elements.json');
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as {
    modules: Array<{ declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string }>; events?: Array<{ name: string }>; cssParts?: unknown[] }> }>;
  };
  const elements = new Map(manifest.modules.flatMap((module) => module.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]));
  assert.deepEqual([...elements.keys()].sort(), ['lc-chat', 'lc-conversation-list', 'lc-live-room', 'lc-realtime', 'lc-support']);
  const chat = elements.get('lc-chat')!;
  for (const attribute of ['conversation-id', 'members', 'unique', 'name', 'placeholder', 'lang', 'theme', 'readonly', 'page-size', 'no-visitor-details', 'no-status']) {
    assert.ok(chat.attributes?.some((a) => a.name === attribute), `lc-chat documents ${attribute}`);
  }
  const events = (chat.events ?? []).map((event) => event.name).sort();
  assert.deepEqual(events, ['lc-before-send', 'lc-conflict', 'lc-connection-change', 'lc-error', 'lc-message', 'lc-receipt', 'lc-status-change', 'lc-unread-change']);
  assert.ok((chat.cssParts ?? []).length >= 7);
  const documented = (tag: string) => ({
    attributes: (elements.get(tag)!.attributes ?? []).map((attribute) => attribute.name),
    events: (elements.get(tag)!.events ?? []).map((event) => event.name).sort(),
  });
  const list = documented('lc-conversation-list');
  for (const attribute of ['for', 'selected', 'no-filter', 'no-new', 'client-id', 'status']) assert.ok(list.attributes.includes(attribute), `lc-conversation-list documents ${attribute}`);
  assert.deepEqual(list.events, ['lc-conversation-select', 'lc-error', 'lc-new-conversation', 'lc-unread-change']);
  const room = documented('lc-live-room');
  for (const attribute of ['room-id', 'name', 'speed', 'duration', 'area', 'max-on-screen', 'allow-overlap', 'play-state', 'block-words']) assert.ok(room.attributes.includes(attribute), `lc-live-room documents ${attribute}`);
  assert.deepEqual(room.events, ['lc-danmaku-drop', 'lc-danmaku-end', 'lc-danmaku-start', 'lc-error', 'lc-message']);
  const support = documented('lc-support');
  for (const attribute of ['agents', 'greeting', 'open', 'position', 'z-index', 'prechat', 'visitor-name', 'visitor-email', 'office-hours', 'away-message', 'sound', 'no-title-badge', 'no-page-info']) assert.ok(support.attributes.includes(attribute), `lc-support documents ${attribute}`);
});
