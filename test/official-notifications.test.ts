/**
 * Issue 4 with the official SDKs from npm: membership events a device
 * misses while offline fire after it reconnects, each once. 3.5.7 is
 * pushed them after its r:true re-open; 4.3.1 fetches them itself from
 * GET https://<server>/1.1/rtm/notifications (protocol.md §8), which these
 * tests let it reach over plain HTTP by rewriting the scheme on the axios
 * instance it requires.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { redirectV4Rest, v3, type OfficialRealtime } from './helpers/official-sdk.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { within } from './helpers/wait.js';

const require = createRequire(import.meta.url);

// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;

let server: TestServer;
const realtimes: OfficialRealtime[] = [];
let rest: ReturnType<typeof redirectV4Rest> | undefined;

before(async () => {
  server = await startTestServer();
  rest = redirectV4Rest(server.httpUrl);
});
after(async () => {
  rest?.stop();
  for (const realtime of realtimes) (realtime as Js)._close();
  await server.stop();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await delay(10);
  }
}

/** 3.5.7 as official-sdk.ts builds it; 4.3.1 also with `server`, so its REST calls reach us. */
function device(version: '3.5.7' | '4.3.1'): OfficialRealtime {
  let realtime: OfficialRealtime;
  if (version === '3.5.7') {
    realtime = v3.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
  } else {
    const { Realtime } = require('lc4') as { Realtime: new (options: Record<string, unknown>) => OfficialRealtime };
    realtime = new Realtime({ appId: server.appId, appKey: server.appKey, RTMServers: server.wsUrl + '/', server: new URL(server.httpUrl).host });
  }
  realtimes.push(realtime);
  return realtime;
}

/** Every membership event of a client, as `<event> <conversation> <by> [members]`. */
function recordMembership(client: Js): string[] {
  const seen: string[] = [];
  client.on('invited', (payload: Js, conversation: Js) => seen.push(`invited ${conversation.id} ${payload.invitedBy}`));
  client.on('kicked', (payload: Js, conversation: Js) => seen.push(`kicked ${conversation.id} ${payload.kickedBy}`));
  client.on('membersjoined', (payload: Js, conversation: Js) => seen.push(`membersjoined ${conversation.id} ${payload.invitedBy} ${payload.members.join()}`));
  client.on('membersleft', (payload: Js, conversation: Js) => seen.push(`membersleft ${conversation.id} ${payload.kickedBy} ${payload.members.join()}`));
  return seen;
}

for (const version of ['3.5.7', '4.3.1'] as const) {
  let run = 0;
  const names = (...who: string[]) => {
    run += 1;
    return who.map((name) => `${name}-n${version}-${run}`);
  };

  describe(`official SDK ${version}: membership events missed offline`, () => {
    test('invited, kicked and membersjoined fire once after the reconnect', { timeout: 40_000 }, async () => {
      const [tomId, bobId, jerryId] = names('Tom', 'Bob', 'Jerry') as [string, string, string];
      const tom: Js = await device(version).createIMClient(tomId);
      const bob: Js = await device(version).createIMClient(bobId);
      const jerrysDevice: Js = device(version);
      const jerry: Js = await jerrysDevice.createIMClient(jerryId);
      const seen = recordMembership(jerry);

      const b: Js = await tom.createConversation({ members: [jerryId], name: 'b' });
      const c: Js = await tom.createConversation({ members: [jerryId], name: 'c' });
      await until(() => seen.length === 2, 5000, 'the live invitations');
      assert.deepEqual([...seen.splice(0)].sort(), [`invited ${b.id} ${tomId}`, `invited ${c.id} ${tomId}`].sort());

      jerrysDevice.pause();
      const deadline = Date.now() + 5000;
      while ((await tom.ping([jerryId])).length > 0) {
        if (Date.now() > deadline) throw new Error(`${jerryId} still online`);
        await delay(20);
      }
      const a: Js = await tom.createConversation({ members: [bobId], name: 'a' });
      await a.add([jerryId]);
      await b.remove([jerryId]);
      await (await bob.getConversation(c.id)).join();
      const callsBefore = rest!.calls.length;

      const back = within(new Promise((resolve) => jerry.on('reconnect', resolve)), `${jerryId}'s reconnect`);
      jerrysDevice.resume();
      await back;
      const expected = [
        `invited ${a.id} ${tomId}`,
        `membersjoined ${a.id} ${tomId} ${jerryId}`,
        `kicked ${b.id} ${tomId}`,
        `membersjoined ${c.id} ${bobId} ${bobId}`,
      ];
      await until(() => seen.length >= expected.length, 10_000, `${expected.length} membership events (got ${seen.join('; ')})`);
      await delay(500);
      // Each SDK fetches an unknown conversation before raising `invited`:
      // order is kept within a conversation, not across them.
      assert.deepEqual([...seen].sort(), [...expected].sort(), 'each missed event once, none from before');
      const of = (list: string[], cid: string) => list.filter((line) => line.includes(` ${cid} `));
      for (const cid of [a.id, b.id, c.id]) assert.deepEqual(of(seen, cid), of(expected, cid), `in order within ${cid}`);

      const fetched = rest!.calls.slice(callsBefore).filter((url) => url.includes('/1.1/rtm/notifications'));
      if (version === '4.3.1') {
        assert.equal(fetched.length, 1, 'v4 fetched the notifications once, over our endpoint');
      } else {
        assert.equal(fetched.length, 0, 'v3 makes no REST calls');
      }
    });
  });
}

describe('a device away longer than its session token lives', () => {
  test('our SDK and 3.5.7, back after their token expired, log in again without it and still get the invitation they missed', { timeout: 30_000 }, async () => {
    const shortLived = await startTestServer({ sessionTokenTtlMs: 1000 });
    const devices: Array<{ pause(): void; resume(): void; close?(): Promise<void>; _close?(): void }> = [];
    try {
      const ours = (await import('../src/sdk/index.js')).Realtime;
      const make = (kind: 'ours' | '3.5.7') => {
        const realtime =
          kind === 'ours'
            ? new ours({ appId: shortLived.appId, appKey: shortLived.appKey, server: shortLived.wsUrl })
            : v3.realtime({ appId: shortLived.appId, appKey: shortLived.appKey, wsUrl: shortLived.wsUrl });
        devices.push(realtime as Js);
        return realtime as Js;
      };
      const tom: Js = await make('ours').createIMClient(`Tom-lapsed-${Date.now()}`);
      for (const kind of ['ours', '3.5.7'] as const) {
        const jerryId = `Jerry-lapsed-${kind}-${Date.now()}`;
        const device = make(kind);
        const jerry: Js = await device.createIMClient(jerryId);
        const seen = recordMembership(jerry);
        const errors: unknown[] = [];
        jerry.on('reconnecterror', (error: unknown) => errors.push(error));
        device.pause();
        const deadline = Date.now() + 5000;
        while ((await tom.ping([jerryId])).length > 0) {
          if (Date.now() > deadline) throw new Error(`${jerryId} still online`);
          await delay(20);
        }
        const conversation: Js = await tom.createConversation({ members: [jerryId], name: 'while away' });
        // Tokens expire in whole seconds.
        await delay(2100);
        const back = within(new Promise((resolve) => jerry.on('reconnect', resolve)), `${jerryId}'s reconnect`);
        device.resume();
        await back;
        await until(() => seen.length >= 1, 5000, `${kind}: the invitation`);
        await delay(300);
        assert.deepEqual(seen, [`invited ${conversation.id} ${tom.id}`], kind);
        assert.deepEqual(errors, [], `${kind}: no reconnecterror`);
      }
    } finally {
      for (const device of devices) {
        if (device._close) device._close();
        else await device.close?.();
      }
      await shortLived.stop();
    }
  });
});
