/**
 * The official SDKs fetch a conversation they do not know yet (conv query)
 * before emitting a message for it. A later message, for a conversation
 * they know by then, is emitted at once: were it pushed before that query's
 * reply, the SDK would emit it first. This is the flaky "群聊: every member
 * receives" failure (official-sdk.test.ts) under load: the query waited for
 * a later turn (src/server/query/query-turns.ts) while Bob's reply was
 * handled and pushed. The server now holds a client's pushes until its
 * pending conv queries are answered. Here a gate on the query turns makes
 * a query wait, deterministically; only the order is asserted.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { QueryTurns } from '../src/server/query/query-turns.js';
import { collect, nextEvent, v3, v4, type OfficialMessage, type OfficialRealtime } from './helpers/official-sdk.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const env = rawEnvironment();
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });

/** Queries of `gatedClient` wait in `gated` until released. */
const gated: (() => void)[] = [];
let gatedClient: string | undefined;
const run = QueryTurns.prototype.run;
QueryTurns.prototype.run = function <T>(this: QueryTurns, client: string, query: () => Promise<T>): Promise<T> {
  if (client !== gatedClient) return run.call(this, client, query) as Promise<T>;
  return new Promise<void>((resolve) => gated.push(resolve)).then(() => run.call(this, client, query) as Promise<T>);
};
const opened: OfficialRealtime[] = [];
after(() => {
  QueryTurns.prototype.run = run;
  for (const realtime of opened) (realtime as unknown as { _close(): void })._close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const sdk of [v4, v3]) {
  test(`official SDK ${sdk.version}: a message whose conversation is being fetched is not overtaken by a later one`, async () => {
    const [jerryId, tomId, bobId] = ['Jerry', 'Tom', 'Bob'].map((who) => `query-order-${who}-${sdk.version}`) as [string, string, string];
    const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
    opened.push(realtime);
    const jerry = await realtime.createIMClient(jerryId);
    const tom = await env.login(tomId);
    const bob = await env.login(bobId);
    const invited = nextEvent(jerry, 'invited');
    const messages = collect<OfficialMessage>(jerry, 'message', 2);
    gated.length = 0;
    gatedClient = `${TEST_APP.appId}/${jerryId}`;
    try {
      const started = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [jerryId, bobId] } });
      const cid = started.convMessage!.cid!;
      // Jerry's SDK fetches the conversation it was invited to: that query waits.
      await until(() => gated.length >= 1, 'the query for the invitation');
      const first = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('你们在哪儿?') } });
      assert.equal(first.cmd, CommandType.ack);
      // The invitation's query is answered: Jerry knows the conversation from now on.
      gated.shift()!();
      await invited;
      // Bob answers while any other query of Jerry's still waits.
      const second = await bob.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('Tom,我在 Jerry 家') } });
      assert.equal(second.cmd, CommandType.ack);
    } finally {
      gatedClient = undefined;
      for (const release of gated.splice(0)) release();
    }
    assert.deepEqual((await messages).map((m) => m.text), ['你们在哪儿?', 'Tom,我在 Jerry 家'], 'in the order they were sent');
    await jerry.close();
  });
}
