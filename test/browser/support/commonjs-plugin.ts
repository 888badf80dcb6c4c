/**
 * Serves CommonJS packages to the browser as ES modules, bundled by esbuild
 * on first request. The web dev server only speaks ESM; protobufjs's
 * runtime (`protobufjs/minimal.js`), which the reference codec the browser
 * tests compare ours with (test/helpers/protobufjs-reference.js) runs on, is
 * CommonJS. The SDK itself no longer uses protobufjs.
 *
 * `long` resolves to an empty module: protobufjs then reads and writes
 * int64 fields as plain numbers, as our codec does.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestRunnerPlugin } from '@web/test-runner';

export function commonJsPlugin(options: { rootDir: string; paths: readonly string[] }): TestRunnerPlugin {
  const bundles = new Map<string, Promise<string>>();
  const bundle = (path: string): Promise<string> => {
    let code = bundles.get(path);
    if (!code) {
      code = build({
        entryPoints: [join(options.rootDir, path)],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
        plugins: [
          {
            name: 'without-long',
            setup(build) {
              build.onResolve({ filter: /^long$/ }, () => ({ path: 'long', namespace: 'without-long' }));
              build.onLoad({ filter: /.*/, namespace: 'without-long' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
            },
          },
        ],
      }).then((result) => result.outputFiles[0]!.text);
      bundles.set(path, code);
    }
    return code;
  };
  return {
    name: 'commonjs-as-esm',
    async serve(context) {
      if (!options.paths.includes(context.path)) return undefined;
      return { body: await bundle(context.path), type: 'js' };
    },
  };
}
