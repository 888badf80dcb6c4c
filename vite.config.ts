import { defineConfig } from 'vite';

/**
 * Browser builds (`npm run build`, which also prints gzip sizes):
 *
 * - default mode: the widgets with the SDK, `dist/lc-chat.js` (ES module)
 *   and `dist/lc-chat.iife.js` (one classic `<script>` that defines every
 *   element and exposes `window.LcChat`);
 * - `--mode sdk`: the SDK alone, `dist/lc-chat-sdk.js`, for pages without UI
 *   and for comparing sizes with the official SDK.
 *
 * The Node-only `ws` import is never reached in browsers (they have a
 * global WebSocket), so it stays out of both.
 */
export default defineConfig(({ mode }) => {
  const sdk = mode === 'sdk';
  return {
    // Nothing from public/ is copied into the bundles.
    publicDir: false,
    build: {
      outDir: 'dist',
      emptyOutDir: !sdk,
      sourcemap: true,
      minify: true,
      target: 'es2022',
      reportCompressedSize: false,
      lib: sdk
        ? { entry: 'src/sdk/index.ts', formats: ['es'], fileName: () => 'lc-chat-sdk.js' }
        : {
            entry: 'src/components/index.ts',
            name: 'LcChat',
            formats: ['es', 'iife'],
            fileName: (format) => (format === 'es' ? 'lc-chat.js' : 'lc-chat.iife.js'),
          },
      rollupOptions: {
        external: ['ws'],
        // Minified whitespace too: these files are for script tags; bundlers import the sources.
        output: { globals: { ws: 'WebSocket' }, minify: true },
      },
    },
  };
});
