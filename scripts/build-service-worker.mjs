#!/usr/bin/env node
// The Web Push service worker (src/components/push/service-worker.ts) as
// one classic script, dist/lc-chat-sw.js: a service worker must be served
// from the page's origin as a file of its own, so it is not part of the
// bundles. It imports nothing.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/components/push/service-worker.ts'],
  outfile: 'dist/lc-chat-sw.js',
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  logLevel: 'warning',
});
