#!/usr/bin/env node
// The demo pages are served from demo/ (npm start); give them the ES build:
// dist/lc-chat.js with the chunks and element modules it loads (paths
// relative to it, so the layout is copied as is). Old copies go first, or
// chunks named by stale hashes would pile up.
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const ASSETS = 'demo/assets';
mkdirSync(ASSETS, { recursive: true });
for (const path of ['lc-chat.js', 'lc-chat.js.map', 'chunks', 'elements']) {
  rmSync(`${ASSETS}/${path}`, { recursive: true, force: true });
  cpSync(`dist/${path}`, `${ASSETS}/${path}`, { recursive: true });
}
// The Web Push service worker at the site's root, so its scope is the whole demo.
cpSync('dist/lc-chat-sw.js', 'demo/lc-chat-sw.js');
