/**
 * Issue 12, the v4 features outside roles and muting, with the official
 * SDKs 4.3.1 (and 3.5.7 where it has the feature), our SDK and the raw
 * protocol: `conv max_read` with `queryAllMembers`, strict decoding,
 * `mentioned` in unread entries, binary messages, temporary conversations.
 * Hostile values for the same commands are in v4-bad-input.test.ts.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { v3, v4, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { TEST_APP } from './helpers/server.js';
import { sdkEnvironment, until } from './helpers/sdk-env.js';

const require = createRequire(import.meta.url);
// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;
const lc4: Js = require('lc4');

const env = sdkEnvironment();
const raws: RawClient[] = [];
const realtimes: OfficialRealtime[] = [];
after(() => {
  for (const raw of raws) raw.close();
  for (const realtime of realtimes) (realtime as Js)._close();
});

async function raw(id: string, protocol?: string): Promise<RawClient> {
  const client = await RawClient.connect(env.server.wsUrl, protocol);
  raws.push(client);
  await client.login(TEST_APP.appId, id);
  return client;
}
function official(sdk: OfficialSdk, id: string, options: Record<string, unknown> = {}): Promise<Js> {
  const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
  realtimes.push(realtime);
  return (realtime as Js).createIMClient(id, options);
}
async function start(owner: RawClient, members: string[], extra: Record<string, unknown> = {}): Promise<DecodedCommand> {
  const reply = await owner.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members, ...extra } });
  assert.equal(reply.cmd, CommandType.conv, reply.errorMessage?.reason ?? '');
  return reply;
}
async function send(from: RawClient, cid: string, text: string, extra: Record<string, unknown> = {}): Promise<{ uid: string; t: number }> {
  const ack = await from.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }), ...extra } });
  assert.equal(ack.cmd, CommandType.ack, ack.errorMessage?.detail ?? '');
  return { uid: ack.ackMessage!.uid!, t: ack.ackMessage!.t! };
}
const isCmd = (cmd: CommandType) => (c: DecodedCommand) => c.cmd === cmd;

describe('conv max_read with queryAllMembers', () => {
  test('raw: the others’ newest times at the top level, the others’ tuples first, the requester last', async () => {
    const [tomId, jerryId, bobId] = env.names('mr-tom', 'mr-jerry', 'mr-bob');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    // Tom created it: the member list starts with him, who has read nothing.
    const cid = (await start(tom, [jerryId, bobId])).convMessage!.cid!;
    const sent = [await send(tom, cid, 'one'), await send(tom, cid, 'two')];
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent[1]!.t, mid: sent[1]!.uid }] } });
    await tom.take(isCmd(CommandType.rcp));

    const all = await tom.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid, queryAllMembers: true } });
    assert.equal(all.convMessage?.maxReadTimestamp, sent[1]!.t, 'the top level is the others’ newest read');
    assert.equal(all.convMessage?.maxAckTimestamp, sent[1]!.t);
    const tuples = all.convMessage!.maxReadTuples!;
    assert.equal(tuples[0]!.pid, jerryId, 'the reader comes first');
    assert.equal(tuples[0]!.maxReadTimestamp, sent[1]!.t);
    assert.equal(tuples.at(-1)!.pid, tomId, 'the requester’s own entry comes last');
    assert.deepEqual(tuples.map((tuple) => tuple.pid).sort(), [bobId, jerryId, tomId].sort());

    const stranger = await raw(env.names('mr-stranger')[0]);
    const refused = await stranger.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid, queryAllMembers: true } });
    assert.equal(refused.convMessage?.maxReadTuples?.length ?? 0, 0, 'a non-member learns nothing');
    assert.equal(refused.convMessage?.maxReadTimestamp ?? 0, 0);
  });

  for (const sdk of [v3, v4]) {
    test(`official ${sdk.version}: fetchReceiptTimestamps and _fetchAllReceiptTimestamps read the others’ times`, async () => {
      const [tomId, jerryId] = env.names(`mr${sdk.version}-tom`, `mr${sdk.version}-jerry`);
      const tom = await raw(tomId);
      const jerry = await raw(jerryId);
      const cid = (await start(tom, [jerryId])).convMessage!.cid!;
      const sent = await send(tom, cid, 'read me');
      jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent.t, mid: sent.uid }] } });
      await tom.take(isCmd(CommandType.rcp));

      const client = await official(sdk, tomId);
      const conversation = await client.getConversation(cid);
      await conversation.fetchReceiptTimestamps();
      assert.equal(conversation.lastReadAt?.getTime(), sent.t);
      assert.equal(conversation.lastDeliveredAt?.getTime(), sent.t);
      const all = await conversation._fetchAllReceiptTimestamps();
      assert.deepEqual(
        all.map((entry: Js) => [entry.pid, entry.lastReadAt?.getTime()]),
        [[jerryId, sent.t]],
        'only members with times, the reader first',
      );
    });
  }

  test('our SDK: fetchReceiptTimestamps', async () => {
    const [tomId, jerryId] = env.names('mr-sdk-tom', 'mr-sdk-jerry');
    const tom = await raw(tomId);
    const jerry = await raw(jerryId);
    const cid = (await start(tom, [jerryId])).convMessage!.cid!;
    const sent = await send(tom, cid, 'read me');
    jerry.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent.t, mid: sent.uid }] } });
    await tom.take(isCmd(CommandType.rcp));
    const client = await env.login(tomId);
    const conversation = (await client.getConversation(cid))!;
    await conversation.fetchReceiptTimestamps();
    assert.equal(conversation.lastReadAt?.getTime(), sent.t);
  });
});
