/**
 * `lc-chat migrate --from sqlite:<file> --to postgres://…`: the command
 * line of the SQLite-to-PostgreSQL copy (src/server/store/migrate/).
 */
import { parseArgs } from 'node:util';
import { openStore } from './server/store/open-store.js';
import { MigrateMismatch, migrateToPostgres } from './server/store/migrate/migrate-to-postgres.js';
import type { ConversationCheck } from './server/store/migrate/verify.js';
import { describeStoreLocation, parseStoreLocation } from './server/store/store-location.js';

const HELP = `Usage: lc-chat migrate --from sqlite:<file> --to postgres://user@host:5432/db

Copies a SQLite store (apps, conversations, members and their read state,
messages with their ids, seqs and timestamps, patches, membership events,
blocklists, roles, muted members, revoked logins, Web Push's VAPID key
pair and subscriptions) into an empty PostgreSQL database, then verifies
it: row counts per table, per conversation its message count and a
checksum over the conversation, its members and its messages, and a
checksum over every row of the Web Push tables, computed on both sides.
Exits non-zero if anything differs.

Stop the servers writing to the SQLite file first: the copy reads one
snapshot of it, and what is written after that is not copied.
Interrupted, run the same command again: it continues where it stopped.
A target that holds data of its own is refused.

Uploaded files stay in the data directory (<data>/files): copy that
directory to the new server's data directory.

Options:
  --from <location>   the SQLite store, sqlite:<path>
  --to <location>     the PostgreSQL database, postgres://…
  --batch <rows>      rows per insert (default 1000)
  --quiet             print the summary only, not every conversation
  -h, --help          show this help
`;

/** Runs `lc-chat migrate`; `usage` makes the error the CLI reports as a usage mistake (exit 2). */
export async function migrateCommand(argv: string[], usage: (message: string) => Error): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, batch: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.from || !values.to) throw usage('migrate needs --from sqlite:<file> and --to postgres://…; see lc-chat migrate --help');
  const from = parse(values.from, usage);
  const to = parse(values.to, usage);
  if (from.kind !== 'sqlite') throw usage('--from must be sqlite:<file>');
  if (to.kind !== 'postgres') throw usage('--to must be postgres://user@host:5432/db');
  const batch = values.batch === undefined ? 1000 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw usage(`--batch must be 1..10000, got "${values.batch}"`);

  const started = performance.now();
  const print = (line: string) => process.stdout.write(line + '\n');
  try {
    const result = await migrateToPostgres({
      from: from.file,
      to: to.url,
      batchRows: batch,
      // The store's own migrations make the schema; the copy then fills it.
      prepareTarget: async (url) => (await openStore({ storeLocation: { kind: 'postgres', url }, durability: 'process' })).close(),
      log: print,
      onConversation: values.quiet ? undefined : (check) => print(conversationLine(check)),
    });
    for (const table of result.tables) print(`${table.name.padEnd(24)} ${String(table.target).padStart(10)} rows`);
    for (const check of result.checksums) print(`${check.name.padEnd(24)} rows identical, sha256 ${check.target.slice(0, 16)}`);
    print(`verified: ${result.conversations.length} conversations, ${result.tables.find((table) => table.name === 'messages')?.target ?? 0} messages, identical in ${describeStoreLocation(to)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    if (error instanceof MigrateMismatch && !values.quiet) {
      for (const table of error.result.tables) print(`${table.name.padEnd(24)} source ${table.source} target ${table.target}${table.source === table.target ? '' : '   DIFFERS'}`);
      for (const check of error.result.checksums) print(`${check.name.padEnd(24)} sha256 source ${check.source.slice(0, 16)} target ${check.target.slice(0, 16)}${check.source === check.target ? '' : '   DIFFERS'}`);
    }
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    process.stderr.write(`lc-chat migrate: ${message.replaceAll(to.url, describeStoreLocation(to))}\n`);
    process.exitCode = 1;
  }
}

function parse(value: string, usage: (message: string) => Error) {
  try {
    return parseStoreLocation(value);
  } catch (error) {
    throw usage((error as Error).message.replace('--store', 'the location'));
  }
}

function conversationLine(check: ConversationCheck): string {
  const line = `${check.appId}/${check.cid}  messages ${check.messages}  members ${check.members}  sha256 ${check.checksum.slice(0, 16)}`;
  if (check.target === null) return `${line}  ok`;
  return `${line}  DIFFERS: target has messages ${check.target.messages}, members ${check.target.members}, sha256 ${check.target.checksum.slice(0, 16)}`;
}
