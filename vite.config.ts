import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { minifyCssTemplatesPlugin } from './scripts/minify-css-templates.mjs';

/**
 * Browser builds (`npm run build:browser`, part of `npm run build`, runs all
 * three modes, then prints sizes):
 *
 * - default mode: the ES build for `<script type="module">`. `dist/lc-chat.js`
 *   defines `<lc-realtime>` and `<lc-chat>` and re-exports the SDK;
 *   `<lc-conversation-list>`, `<lc-live-room>` and `<lc-support>` are entries
 *   of their own (`dist/elements/<tag>.js`) that `dist/lc-chat.js` imports
 *   when their tags appear (src/components/autoload.ts). Code they share
 *   goes to `dist/chunks/`. Keep the directory together when serving it.
 * - `--mode iife`: `dist/lc-chat.iife.js`, one classic `<script>` that
 *   defines every element and exposes `window.LcChat`. IIFE output cannot
 *   load code later, so it is built from `src/components/index.ts`, which
 *   imports everything.
 * - `--mode sdk`: the SDK alone, `dist/lc-chat-sdk.js`, for pages without UI
 *   and for comparing sizes with the official SDK.
 *
 * Node-only code stays out of all of them: package.json `"browser"` swaps
 * src/protocol/node-buffer.ts and src/sdk/node-websocket.ts (the codec's
 * Buffer paths, the `ws` loader) for their `.browser.ts` variants, and
 * src/protocol/proto-codec.ts (built for the server's speed) for
 * proto-codec.browser.ts (built for size, the same bytes), which Vite
 * honours as an app's bundler does. `ws` stays external in case.
 */

/** The elements built as entries of their own and loaded on demand by the ES build. */
const LAZY_ELEMENTS = {
  'elements/lc-conversation-list': 'src/components/lc-conversation-list/lc-conversation-list.ts',
  'elements/lc-live-room': 'src/components/lc-live-room/lc-live-room.ts',
  'elements/lc-support': 'src/components/lc-support/lc-support.ts',
};

/**
 * The ES build's chunking: every module the entry imports statically (but the
 * entry itself) goes into one shared chunk (`chunks/runtime-*.js`), instead
 * of one chunk per set of entries sharing it. The first load is two files, and
 * gzip sees its code at once: nine chunks gzipped apart lost their cross-file
 * matches and named each other's exports (61.5 -> 58.8 KB gzip).
 * The cost: a lazy element's module imported alone, without `dist/lc-chat.js`
 * (not how the README loads them), loads that chunk whole, `<lc-chat>`'s code
 * included (and so defines `<lc-chat>` and `<lc-realtime>`): about 63 KB gzip
 * instead of 53. Splitting it in two (what `<lc-live-room>` or
 * `<lc-conversation-list>` use, and the rest) keeps that at 51 KB but costs
 * the first load 1.2 KB (57.0 KB): measured and left out.
 */
function firstLoadChunks() {
  let shared: Set<string> | undefined;
  return {
    groups: [
      {
        name(id: string, ctx: { getModuleInfo(id: string): { importedIds: readonly string[]; isEntry: boolean } | null }) {
          if (!shared) {
            const closure = (entry: string) => {
              const seen = new Set<string>();
              const stack = [resolve(entry)];
              while (stack.length) {
                const next = stack.pop()!;
                if (seen.has(next)) continue;
                seen.add(next);
                stack.push(...(ctx.getModuleInfo(next)?.importedIds ?? []));
              }
              return seen;
            };
            shared = closure('src/components/es-entry.ts');
          }
          return shared.has(id) && !ctx.getModuleInfo(id)?.isEntry ? 'runtime' : null;
        },
      },
    ],
  };
}

export default defineConfig(({ mode }) => {
  const lib =
    mode === 'sdk'
      ? { entry: 'src/sdk/index.ts', formats: ['es' as const], fileName: () => 'lc-chat-sdk.js' }
      : mode === 'iife'
        ? { entry: 'src/components/index.ts', name: 'LcChat', formats: ['iife' as const], fileName: () => 'lc-chat.iife.js' }
        : {
            entry: { 'lc-chat': 'src/components/es-entry.ts', ...LAZY_ELEMENTS },
            formats: ['es' as const],
            fileName: (_format: string, name: string) => `${name}.js`,
          };
  return {
    // Nothing from public/ is copied into the bundles.
    publicDir: false,
    // Lit's css`…` templates minified: the JavaScript minifier keeps their whitespace.
    plugins: [minifyCssTemplatesPlugin()],
    build: {
      outDir: 'dist',
      // The default mode runs first (npm run build) and starts from an empty dist/.
      emptyOutDir: mode !== 'sdk' && mode !== 'iife',
      sourcemap: true,
      minify: true,
      target: 'es2022',
      reportCompressedSize: false,
      lib,
      rollupOptions: {
        external: ['ws'],
        output: {
          globals: { ws: 'WebSocket' },
          // Minified whitespace too: these files are for script tags; bundlers import the sources.
          minify: true,
          // Shared code of the ES build, with a content hash so a long cache never serves a stale chunk.
          // The first load's chunk is named "runtime" by its group (firstLoadChunks); the parts
          // loaded on demand after the module they start from.
          ...(mode === 'iife' || mode === 'sdk' ? {} : { codeSplitting: firstLoadChunks() }),
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  };
});
