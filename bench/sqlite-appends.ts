/**
 * `npx tsx bench/sqlite-appends.ts [root…]`: `SqliteStore.appendMessages`
 * alone, appends per CPU-second of this process (no sockets, no codec),
 * in the shape of the persisted row of bench/goals.ts: batches of 500
 * over 50 conversations, every message with a `dt`, a typical payload.
 *
 * Each `root` is a checkout whose store is measured (default: this one);
 * several roots are measured alternately, round after round, so an A/B on
 * a shared machine sees the same load: e.g. `bench/sqlite-appends.ts . /work/main`.
 *
 * `dt`s are `d<n>`, increasing like bench/goals.ts's; `LC_BENCH_DT=uuid`
 * makes them random UUIDs, as the SDKs send them (ours and the official
 * ones), which land anywhere in the dedupe index.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONVERSATIONS = 50;
const BATCH = 500;
const BATCHES = Number(process.env.LC_BENCH_BATCHES ?? 400);
const ROUNDS = Number(process.env.LC_BENCH_ROUNDS ?? 3);
const UUID_DT = process.env.LC_BENCH_DT === 'uuid';
const TEXT = JSON.stringify({ _lctype: -1, _lctext: 'a persisted message of a typical size' });

interface MinimalStore {
  putApp(app: { appId: string; appKey: string; masterKey: string; requireSignature: boolean; createdAt: number }): Promise<void>;
  createConversation(input: Record<string, unknown>): Promise<{ conversation: { id: string } }>;
  appendMessages(inputs: readonly Record<string, unknown>[]): Promise<unknown[]>;
  close(): Promise<void>;
}

async function measure(root: string): Promise<number> {
  const module = (await import(pathToFileURL(join(root, 'src/server/store/sqlite/sqlite-store.ts')).href)) as {
    openSqliteStore(options: { file: string; durability: 'process' }): MinimalStore;
  };
  const dir = mkdtempSync(join(tmpdir(), 'lc-appends-'));
  const store = module.openSqliteStore({ file: join(dir, 'store.db'), durability: 'process' });
  try {
    const appId = 'bench-app';
    await store.putApp({ appId, appKey: 'k', masterKey: 'm', requireSignature: false, createdAt: Date.now() });
    const cids: string[] = [];
    for (let k = 0; k < CONVERSATIONS; k++) {
      const { conversation } = await store.createConversation({
        appId, creator: `u${k}`, members: [`u${k}`, `u${k}-peer`], name: null, attributes: {}, transient: false, system: false, unique: false,
      });
      cids.push(conversation.id);
    }
    let n = 0;
    const batch = () =>
      Array.from({ length: BATCH }, (_, i) => {
        const k = i % CONVERSATIONS;
        n++;
        return { appId, cid: cids[k]!, from: `u${k}`, data: TEXT, dt: UUID_DT ? randomUUID() : `d${n}`, receipt: false, mentionPids: [], mentionAll: false };
      });
    // Warm up: statements prepared, pages cached.
    for (let b = 0; b < 10; b++) await store.appendMessages(batch());
    const start = process.cpuUsage();
    for (let b = 0; b < BATCHES; b++) await store.appendMessages(batch());
    const used = process.cpuUsage(start);
    return (BATCHES * BATCH) / ((used.user + used.system) / 1e6);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const roots = process.argv.length > 2 ? process.argv.slice(2).map((root) => resolve(root)) : [resolve('.')];
const results = new Map<string, number[]>(roots.map((root) => [root, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const root of roots) {
    const rate = await measure(root);
    results.get(root)!.push(rate);
    console.log(`round ${round + 1} ${root}: ${Math.round(rate).toLocaleString('en-US')} appends per CPU-second`);
  }
}
for (const [root, rates] of results) {
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(`${root}: median ${Math.round(sorted[Math.floor(sorted.length / 2)]!).toLocaleString('en-US')} appends per CPU-second (${rates.map((r) => Math.round(r)).join(', ')})`);
}
