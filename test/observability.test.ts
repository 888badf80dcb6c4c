/**
 * Issue 15: structured logs and GET /metrics, against a real server on loopback.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP, startTestServer } from './helpers/server.js';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string }[];
}

const logs: string[] = [];
const env = rawEnvironment({ log: (line) => logs.push(line), logLevel: 'info' });
const SECRET_TEXT = 'the-words-nobody-may-log-7f3a';

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, Family>> {
  const response = await fetch(`${url}/metrics`, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await response.text();
  const families = parsePrometheusTextFormat(text) as Family[];
  // The parser keeps a histogram's buckets but not its series' labels: read the labelled counts from the text.
  for (const match of text.matchAll(/^(\w+)_count\{operation="(\w+)"\} (\d+)$/gm)) {
    const family = families.find((candidate) => candidate.name === match[1]);
    family?.metrics.push({ labels: { operation: match[2]! }, count: match[3]! });
  }
  return new Map(families.map((family) => [family.name, family]));
}

/** The value of the series of `name` whose labels include `labels` (0 when absent). */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  if (!family) return 0;
  const series = family.metrics.find((metric) => Object.entries(labels).every(([key, wanted]) => metric.labels?.[key] === wanted));
  return series?.value !== undefined ? Number(series.value) : series?.count !== undefined ? Number(series.count) : 0;
}

test('GET /metrics parses as Prometheus text and moves as traffic flows', async () => {
  const before = await scrape(env.server.httpUrl);
  for (const name of ['lc_connections', 'lc_sessions', 'lc_commands_total', 'lc_messages_stored_total', 'lc_deliveries_total', 'lc_frames_dropped_total', 'lc_slow_consumers_cut_total', 'lc_send_queue_bytes', 'lc_store_seconds', 'lc_process_cpu_seconds_total']) {
    assert.ok(before.has(name), `${name} is exposed`);
  }
  assert.equal(before.get('lc_store_seconds')!.type, 'HISTOGRAM');

  const alice = await env.login('metrics-alice');
  const bob = await env.login('metrics-bob');
  const started = await alice.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['metrics-bob'] } });
  const cid = started.convMessage!.cid!;
  await bob.next(); // joined
  for (let n = 0; n < 3; n++) {
    await alice.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: SECRET_TEXT }) } });
    await bob.next();
  }
  const refused = await alice.request({ cmd: CommandType.direct, directMessage: { cid: 'no-such-conversation', msg: 'x' } });
  assert.equal(refused.cmd, CommandType.error);
  await alice.request({ cmd: CommandType.logs, logsMessage: { cid, l: 10 } });

  const after = await scrape(env.server.httpUrl);
  assert.ok(value(after, 'lc_connections') >= 2, 'the two sockets are counted');
  assert.ok(value(after, 'lc_sessions') >= 2);
  assert.equal(value(after, 'lc_messages_stored_total') - value(before, 'lc_messages_stored_total'), 3);
  assert.ok(value(after, 'lc_deliveries_total') - value(before, 'lc_deliveries_total') >= 3, 'each message reached bob');
  assert.equal(value(after, 'lc_commands_total', { command: 'direct', code: '0' }) - value(before, 'lc_commands_total', { command: 'direct', code: '0' }), 3);
  assert.equal(value(after, 'lc_commands_total', { command: 'direct', code: String(refused.errorMessage!.code) }), 1, 'the refusal is counted by its code');
  assert.ok(value(after, 'lc_store_seconds', { operation: 'append' }) >= 3, 'appends are timed');
  assert.ok(value(after, 'lc_store_seconds', { operation: 'history' }) >= 1, 'history reads are timed');
  alice.close();
  bob.close();
});

test('log lines are JSON with app, client, connection and command ids, and never the message text', async () => {
  const mark = logs.length;
  const carol = await env.login('logs-carol');
  const refused = await carol.request({ cmd: CommandType.direct, directMessage: { cid: 'missing', msg: JSON.stringify({ _lctype: -1, _lctext: SECRET_TEXT }) } });
  assert.equal(refused.cmd, CommandType.error);
  carol.close();
  await carol.closed;
  // The close is logged when the server sees it.
  const deadline = Date.now() + 3000;
  while (!logs.slice(mark).some((line) => line.includes('connection closed')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const lines = logs.slice(mark).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(lines.every((line) => typeof line.level === 'string' && typeof line.time === 'string' && typeof line.msg === 'string'));
  const opened = lines.find((line) => line.msg === 'connection opened');
  assert.ok(opened && typeof opened.connectionId === 'number');
  const connectionId = opened.connectionId;
  const session = lines.find((line) => line.msg === 'session opened' && line.clientId === 'logs-carol');
  assert.deepEqual([session?.appId, session?.connectionId], [TEST_APP.appId, connectionId]);
  const refusal = lines.find((line) => line.msg === 'command refused' && line.clientId === 'logs-carol');
  assert.ok(refusal, 'the refused command is logged');
  assert.deepEqual([refusal.appId, refusal.connectionId, refusal.command, refusal.code], [TEST_APP.appId, connectionId, 'direct', refused.errorMessage!.code]);
  assert.equal(typeof refusal.commandId, 'number');
  const ended = lines.find((line) => line.msg === 'session ended' && line.clientId === 'logs-carol');
  assert.equal(ended?.how, 'dropped');
  assert.ok(lines.some((line) => line.msg === 'connection closed' && line.connectionId === connectionId));

  for (const line of logs) {
    assert.ok(!line.includes(SECRET_TEXT), 'no message text in any log line');
    assert.ok(!line.includes(TEST_APP.masterKey) && !line.includes(TEST_APP.appKey), 'no keys in any log line');
  }
});

test('--metrics-token: /metrics needs the bearer token; --no-metrics turns it off', async (t) => {
  const token = 'scrape-token-0123456789abcdef';
  const guarded = await startTestServer({ metricsToken: token });
  t.after(() => guarded.stop());
  assert.equal((await fetch(`${guarded.httpUrl}/metrics`)).status, 401);
  assert.equal((await fetch(`${guarded.httpUrl}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
  assert.equal((await fetch(`${guarded.httpUrl}/metrics`, { headers: { authorization: token } })).status, 401);
  const families = await scrape(guarded.httpUrl, { authorization: `Bearer ${token}` });
  assert.ok(families.has('lc_connections'));

  const off = await startTestServer({ metrics: false });
  t.after(() => off.stop());
  assert.equal((await fetch(`${off.httpUrl}/metrics`)).status, 404);
  await assert.rejects(startTestServer({ metricsToken: 'short' }), /metricsToken/);
  await assert.rejects(startTestServer({ logLevel: 'loud' as 'info' }), /logLevel/);
});
