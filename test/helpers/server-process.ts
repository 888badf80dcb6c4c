import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_APP } from './server.js';
import { POSTGRES_TEST_MAX_QUERY_MS, testStoreFor } from './test-store.js';
import { within } from './wait.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  wsUrl: string;
  /** Resolves with the exit code and signal; rejects if the process is still running 60 s after this is read (a stop that hangs says so). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `--max-query-ms` for a server on PostgreSQL whose test sets none (see POSTGRES_TEST_MAX_QUERY_MS). */
function queryTimeFor(storeUrl: string | undefined, extraArgs: string[]): string[] {
  const given = extraArgs.indexOf('--store');
  const url = storeUrl ?? (given >= 0 ? extraArgs[given + 1] : undefined);
  if (!url?.startsWith('postgres') || extraArgs.includes('--max-query-ms')) return [];
  return ['--max-query-ms', String(POSTGRES_TEST_MAX_QUERY_MS)];
}

/**
 * Runs `lc-chat serve` as a child process, as an operator would, and waits
 * until it listens. Without `--store` in extraArgs it uses the run's test
 * store (test-store.ts): the same database for the same data directory, so
 * a restarted server finds its data.
 */
export async function startServerProcess(dataDir: string, port = 0, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<ServerProcess> {
  const store = extraArgs.includes('--store') ? undefined : await testStoreFor(dataDir);
  // NODE_OPTIONS cannot carry --cpu-prof: a profile of the server is asked for here (README, Benchmarks).
  const profile = process.env.LC_CHAT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LC_CHAT_CPU_PROF}`] : [];
  const args = [...profile, '--import', 'tsx', CLI, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir, '--no-demo',
    '--app-id', TEST_APP.appId, '--app-key', TEST_APP.appKey, '--master-key', TEST_APP.masterKey,
    ...(store?.kind === 'postgres' ? ['--store', store.url] : []), ...queryTimeFor(store?.kind === 'postgres' ? store.url : undefined, extraArgs), ...extraArgs];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = await new Promise<number>((resolve, reject) => {
    // Generous: at load average 30 on two cores, tsx compiling the server took over 30 s before it printed anything.
    const timer = setTimeout(() => reject(new Error(`server did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return {
    child,
    port: listening,
    wsUrl: `ws://127.0.0.1:${listening}`,
    get exited() {
      return within(exited, () => `the server process (pid ${child.pid}) to exit; its output:\n${output.slice(-2000)}`, 60_000);
    },
    output: () => output,
  };
}
