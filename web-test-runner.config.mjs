/**
 * Browser tests: Debian's Chromium driven by Playwright (no browser
 * download: see scripts/ensure-chromium.sh), TypeScript through esbuild,
 * CommonJS dependencies (protobufjs, for the reference codec some tests
 * compare ours with) bundled to ESM by esbuild, and a
 * real lc-chat server for the run (test/browser/support/lc-server-plugin.ts).
 */
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { tsImport } from 'tsx/esm/api';

const { lcServerPlugin, signProxy } = await tsImport('./test/browser/support/lc-server-plugin.ts', import.meta.url);
const { commonJsPlugin } = await tsImport('./test/browser/support/commonjs-plugin.ts', import.meta.url);
const { pushPlugin } = await tsImport('./test/browser/support/push-plugin.ts', import.meta.url);
const rootDir = fileURLToPath(new URL('.', import.meta.url));

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Ends the run with one plain line, `browser: N passed, N failed, N skipped`,
 * the closing line CI reads. A test file that failed to load counts as one
 * failure.
 */
function summaryReporter() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const count = (suite) => {
    for (const test of suite.tests) totals[test.skipped ? 'skipped' : test.passed ? 'passed' : 'failed'] += 1;
    for (const child of suite.suites) count(child);
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        if (session.testResults) count(session.testResults);
        if (!session.passed && (!session.testResults || session.errors?.length)) totals.failed += 1;
      }
    },
    stop() {
      // At exit, so it is the last line, after the default reporter's own.
      process.once('exit', () => console.log(`browser: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`));
    },
  };
}

export default {
  rootDir,
  files: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.html'],
  nodeResolve: true,
  // Two test files at a time keeps both cores busy without starving the server.
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  // A file of end-to-end tests (support desk, Web Push) took over 180 s at load average 25 on two cores.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [signProxy()],
  reporters: [defaultReporter(), summaryReporter()],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    commonJsPlugin({ rootDir, paths: ['/node_modules/protobufjs/minimal.js'] }),
    lcServerPlugin(),
    pushPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    }),
  ],
};
