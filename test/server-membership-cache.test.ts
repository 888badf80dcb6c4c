/**
 * The direct path's cached view of a conversation (membership-cache.ts)
 * with two nodes on one database and one broker: a member removed, blocked
 * or muted through one node can no longer send through the other, and a
 * member added through one can send through the other at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { LocalBroker } from '../src/server/broker/local-broker.js';
import { createServer, type LcServer } from '../src/server/index.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';
import { within } from './helpers/wait.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-cache-'));
const store = openSqliteStore({ file: join(dataDir, 'lc-chat.db'), durability: 'process' });
const broker = new LocalBroker();
let nodeA: LcServer;
let nodeB: LcServer;

before(async () => {
  const options = { dataDir, port: 0, host: '127.0.0.1', apps: [TEST_APP], log: () => {}, store, broker };
  nodeA = await createServer(options);
  nodeB = await createServer(options);
});
after(async () => {
  // Both close the shared store and broker; closing twice is harmless.
  await nodeB.close();
  await nodeA.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(server: LcServer, id: string): Promise<RawClient> {
  const client = await RawClient.connect(server.wsUrl);
  await client.login(TEST_APP.appId, id);
  return client;
}

function send(client: RawClient, cid: string, text: string): Promise<DecodedCommand> {
  return client.request({ cmd: CommandType.direct, directMessage: { cid, msg: text } });
}

test('changes made through one node reach the cached view of the other before their events do', async () => {
  const owner = await login(nodeB, 'cache-owner');
  const member = await login(nodeA, 'cache-member');
  const started = await owner.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['cache-member'] } });
  const cid = started.convMessage!.cid!;
  // Cached on node A by this send.
  assert.equal((await send(member, cid, 'first')).cmd, CommandType.ack);

  assert.equal((await owner.request({ cmd: CommandType.conv, op: OpType.add_shutup, convMessage: { cid, m: ['cache-member'] } })).cmd, CommandType.conv);
  const muted = await send(member, cid, 'while muted');
  assert.equal(muted.errorMessage?.reason, 'SILIENCED', 'muted through node B, refused on node A');

  assert.equal((await owner.request({ cmd: CommandType.conv, op: OpType.remove_shutup, convMessage: { cid, m: ['cache-member'] } })).cmd, CommandType.conv);
  assert.equal((await send(member, cid, 'unmuted')).cmd, CommandType.ack);

  assert.equal((await owner.request({ cmd: CommandType.conv, op: OpType.remove, convMessage: { cid, m: ['cache-member'] } })).cmd, CommandType.conv);
  const removed = await send(member, cid, 'after removal');
  assert.equal(removed.errorMessage?.reason, 'INVALID_MESSAGING_TARGET', 'removed through node B, refused on node A');

  // Added back through node B: the pushes of node A's messages reach the newcomer on node B at once.
  const newcomer = await login(nodeB, 'cache-newcomer');
  assert.equal((await owner.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: ['cache-member', 'cache-newcomer'] } })).cmd, CommandType.conv);
  const gets = within(
    new Promise<string>((resolve) => {
      newcomer.onPush = (command) => {
        if (command.cmd !== CommandType.direct) return false;
        resolve(command.directMessage!.msg!);
        return true;
      };
    }),
    "the newcomer's push",
  );
  assert.equal((await send(member, cid, 'back again')).cmd, CommandType.ack);
  assert.equal(await gets, 'back again');

  assert.equal((await owner.request({ cmd: CommandType.blacklist, op: OpType.block, blacklistMessage: { srcCid: cid, toPids: ['cache-member'] } })).cmd, CommandType.blacklist);
  const blocked = await send(member, cid, 'after block');
  assert.equal(blocked.errorMessage?.reason, 'INVALID_MESSAGING_TARGET', 'blocked (and so removed) through node B, refused on node A');
  for (const client of [owner, member, newcomer]) client.close();
});
