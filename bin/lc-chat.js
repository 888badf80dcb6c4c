#!/usr/bin/env node
// `lc-chat serve`. The published package ships the compiled CLI (lib/, from
// npm run build:node) and no src/, so it runs plain JavaScript. In a checkout
// src/ is there and wins, run through tsx's loader, so the command never
// serves a stale build of code that has since been edited.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../lib/cli.js');
}
