/**
 * Acceptance 3: the server runs as a child process; several clients send a
 * burst of messages; SIGKILL at a random moment; after a restart every acked
 * message is in history exactly once, and resending with the same `dt`
 * creates no duplicates.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { CommandType, OpType, messages, type DecodedCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';
import { startServerProcess } from './helpers/server-process.js';

const WRITERS = 4;
const IN_FLIGHT = 16;

const payload = (dt: string) => JSON.stringify({ _lctype: -1, _lctext: dt });

async function loginAll(wsUrl: string): Promise<RawClient[]> {
  const clients = await Promise.all(Array.from({ length: WRITERS }, () => RawClient.connect(wsUrl)));
  await Promise.all(clients.map((client, k) => client.login(TEST_APP.appId, `writer-${k}`)));
  return clients;
}

async function send(client: RawClient, cid: string, dt: string): Promise<DecodedCommand> {
  return client.request({ cmd: CommandType.direct, directMessage: { cid, msg: payload(dt), dt } });
}

/** The whole history, oldest first, paging forward. */
async function history(client: RawClient, cid: string): Promise<{ id: string; text: string }[]> {
  const all: { id: string; text: string }[] = [];
  let start: { t: number; mid: string } | undefined;
  for (;;) {
    const reply = await client.request({
      cmd: CommandType.logs,
      logsMessage: { cid, l: 1000, direction: messages.LogsCommand.QueryDirection.NEW, ...(start ?? {}) },
    });
    const logs = reply.logsMessage?.logs ?? [];
    for (const log of logs) all.push({ id: log.msgId!, text: (JSON.parse(log.data!) as { _lctext: string })._lctext });
    if (logs.length < 1000) return all;
    const last = logs[logs.length - 1]!;
    start = { t: last.timestamp!, mid: last.msgId! };
  }
}

test('acked messages survive SIGKILL exactly once; resends with the same dt are not duplicated', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-durability-'));
  try {
    let server = await startServerProcess(dataDir);
    let clients = await loginAll(server.wsUrl);
    const started = await clients[0]!.request({
      cmd: CommandType.conv,
      op: OpType.start,
      convMessage: { m: clients.map((_, k) => `writer-${k}`) },
    });
    const cid = started.convMessage!.cid!;

    const sent = new Map<string, number>(); // dt -> writer
    const acked = new Map<string, string>(); // dt -> uid
    const writer = async (k: number) => {
      const inFlight = new Set<Promise<unknown>>();
      // Write until the server dies under us.
      for (let n = 0; clients[k]!.ws.readyState === WebSocket.OPEN; n++) {
        const dt = `w${k}-${n}`;
        sent.set(dt, k);
        const request = send(clients[k]!, cid, dt).then(
          (reply) => {
            assert.equal(reply.cmd, CommandType.ack, `unexpected reply ${reply.errorMessage?.reason}`);
            acked.set(dt, reply.ackMessage!.uid!);
          },
          () => {}, // the server died with it in flight: it may or may not be stored
        );
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.allSettled(inFlight);
    };
    const writing = Promise.all(clients.map((_, k) => writer(k)));
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
    server.child.kill('SIGKILL');
    await server.exited;
    await writing;
    assert.ok(acked.size > 0, 'some messages were acked before the kill');

    server = await startServerProcess(dataDir);
    clients = await loginAll(server.wsUrl);
    const before = await history(clients[0]!, cid);
    const ids = before.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, 'no message id twice');
    const texts = before.map((m) => m.text);
    assert.equal(new Set(texts).size, texts.length, 'no dt stored twice');
    const byText = new Map(before.map((m) => [m.text, m.id]));
    for (const [dt, uid] of acked) assert.equal(byText.get(dt), uid, `acked message ${dt} is in history with its id`);
    for (const text of texts) assert.ok(sent.has(text), `${text} was sent`);

    // Resend everything, acked or not, with the same dt, as a client retrying would.
    const resendAcks = new Map<string, string>();
    await Promise.all(
      clients.map(async (client, k) => {
        for (const [dt, owner] of sent) {
          if (owner !== k) continue;
          const reply = await send(client, cid, dt);
          resendAcks.set(dt, reply.ackMessage!.uid!);
        }
      }),
    );
    for (const [dt, uid] of acked) assert.equal(resendAcks.get(dt), uid, `resending ${dt} acks the first message`);
    const after = await history(clients[0]!, cid);
    assert.equal(after.length, sent.size, 'every sent message exactly once');
    assert.deepEqual(new Set(after.map((m) => m.text)), new Set(sent.keys()));
    assert.deepEqual(after.slice(0, before.length), before, 'resends did not reorder or change stored history');

    for (const client of clients) client.close();
    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null }, 'SIGTERM shuts down cleanly');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
