/**
 * A reply sent by `<lc-chat>` (issue 14) is an ordinary text message whose
 * attributes carry `lcReply`: the official SDKs read its text as usual, and
 * the reference in `getAttributes()`. The message is built as the widget's
 * shared client builds it (`TextMessage` + `setAttributes`).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TextMessage } from '../src/sdk/index.js';
import { v3, v4, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { sdkEnvironment, until } from './helpers/sdk-env.js';
import { WAIT_MS, within } from './helpers/wait.js';

// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;

const env = sdkEnvironment();
const realtimes: OfficialRealtime[] = [];
after(() => {
  for (const realtime of realtimes) (realtime as Js)._close();
});

for (const sdk of [v3, v4] as OfficialSdk[]) {
  describe(`official ${sdk.version} reads a widget's reply`, () => {
    test('the text as usual, the quote reference in getAttributes().lcReply', async () => {
      const [aliceId, bobId] = env.names(`reply-alice-${sdk.version}`, `reply-bob-${sdk.version}`);
      const alice = await env.login(aliceId);
      const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
      realtimes.push(realtime);
      const bob: Js = await realtime.createIMClient(bobId);
      const conversation = await alice.createConversation({ members: [bobId], unique: true });
      const original = await conversation.send(new TextMessage('is the build out?'));

      const received = within(
        new Promise<Js>((resolve) => bob.on('message', (message: Js) => message.text !== 'is the build out?' && resolve(message))),
        "bob's reply",
      );
      const lcReply = { id: original.id, timestamp: original.timestamp.getTime(), from: aliceId, text: 'is the build out?' };
      const reply = new TextMessage('yes, at 9:10');
      reply.setAttributes({ lcReply });
      await conversation.send(reply);

      const message = await received;
      assert.equal(message.text, 'yes, at 9:10');
      assert.deepEqual(message.getAttributes(), { lcReply });
      // And from history, as a later page load reads it.
      const history: Js[] = await (await bob.getConversation(conversation.id)).queryMessages({ limit: 1 });
      assert.equal(history[0].text, 'yes, at 9:10');
      assert.deepEqual(history[0].getAttributes(), { lcReply });
      // The SDK acknowledges received messages up to 1 s later (a throttle that closing does not
      // cancel); sent after the file's end closed the socket, the ack threw 'not opened' from
      // a timer, an uncaught exception that failed the file when the test ran in under a second.
      await until(() => Object.keys(bob._ackMessageBuffer as object).length === 0, WAIT_MS, "bob's acknowledgement of the messages");
    });
  });
}
