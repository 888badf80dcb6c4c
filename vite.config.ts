import { defineConfig } from 'vite';

/**
 * Browser builds of the SDK: an ES module for bundlers and an IIFE
 * (`window.LcChat`) for a plain script tag. The Node-only `ws` import is
 * never reached in browsers (they have a global WebSocket), so it is left out.
 */
export default defineConfig({
  build: {
    outDir: 'dist/browser',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2020',
    lib: {
      entry: 'src/sdk/index.ts',
      name: 'LcChat',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'lc-chat-sdk.js' : 'lc-chat-sdk.iife.js'),
    },
    rollupOptions: {
      external: ['ws'],
      output: { globals: { ws: 'WebSocket' } },
    },
  },
});
