#!/usr/bin/env node
// The demo pages are served from demo/ (npm start); give them the built bundle.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('demo/assets', { recursive: true });
for (const file of ['lc-chat.js', 'lc-chat.js.map']) copyFileSync(`dist/${file}`, `demo/assets/${file}`);
