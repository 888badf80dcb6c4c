/**
 * Issue 15: hooks to the app's own server, a real HTTP server on loopback
 * standing in for it. Drop, modify, time out and fail: nothing is lost,
 * nothing waits longer than the hook timeout, every call is signed.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

interface HookCall {
  event: string;
  body: Record<string, unknown>;
  signed: boolean;
}

type Behaviour = (call: HookCall, response: ServerResponse) => void;
const calls: HookCall[] = [];
let behaviour: Behaviour = (_call, response) => response.end('{}');
const appServer = createServer((request: IncomingMessage, response: ServerResponse) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(request.headers['x-lc-hook-timestamp']);
    const expected = Buffer.from(`sha256=${createHmac('sha256', TEST_APP.masterKey).update(`${timestamp}.${raw}`).digest('hex')}`);
    const given = Buffer.from(String(request.headers['x-lc-hook-signature']));
    const call = { event: String(request.headers['x-lc-hook-event']), body: JSON.parse(raw) as Record<string, unknown>, signed: given.length === expected.length && timingSafeEqual(given, expected) };
    calls.push(call);
    response.setHeader('Content-Type', 'application/json');
    behaviour(call, response);
  });
});
await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
after(() => {
  appServer.closeAllConnections();
  appServer.close();
});

const HOOK_TIMEOUT_MS = 400;
const hookUrl = (event: string) => `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/hooks/${event}`;
const events = ['messageReceived', 'receiversOffline', 'conversationStarted', 'membersChanged', 'clientOnline', 'clientOffline'] as const;
const QUIET_APP = { appId: 'quiet-app', appKey: 'quiet-app-key', masterKey: 'quiet-master-key' };
const env = rawEnvironment({
  apps: [{ ...TEST_APP, hooks: { urls: Object.fromEntries(events.map((event) => [event, hookUrl(event)])) } }, QUIET_APP],
  hookTimeoutMs: HOOK_TIMEOUT_MS,
  hookRetryBaseMs: 50,
  hookRetries: 3,
});

const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const isDirect = (command: DecodedCommand) => command.cmd === CommandType.direct;

async function until<T>(find: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function pair(a: string, b: string) {
  const first = await env.login(a);
  const second = await env.login(b);
  const started = await first.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [b] } });
  const cid = started.convMessage!.cid!;
  await second.take((command) => command.op === OpType.joined);
  return { first, second, cid };
}

test('messageReceived may drop a message: the sender gets 4402 with the app code, nobody receives it, it is not stored', async () => {
  const { first, second, cid } = await pair('hook-drop-a', 'hook-drop-b');
  behaviour = (call, response) => response.end(call.event === 'messageReceived' ? JSON.stringify({ drop: true, code: 77, detail: 'spam' }) : '{}');
  const refused = await first.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('buy now') } });
  assert.equal(refused.cmd, CommandType.error);
  assert.deepEqual([refused.errorMessage?.code, refused.errorMessage?.appCode, refused.errorMessage?.detail], [4402, 77, 'spam']);
  const asked = calls.find((call) => call.event === 'messageReceived' && call.body.convId === cid)!;
  assert.ok(asked.signed, 'the call carries a valid HMAC signature');
  assert.deepEqual([asked.body.fromPeer, asked.body.content, asked.body.toPeers], ['hook-drop-a', text('buy now'), ['hook-drop-b']]);
  await assert.rejects(second.take(isDirect, 300), /nothing matching/);
  const history = await first.request({ cmd: CommandType.logs, logsMessage: { cid, l: 10 } });
  assert.equal(history.logsMessage?.logs?.length ?? 0, 0);
  behaviour = (_call, response) => response.end('{}');
});

test('messageReceived may change the content: the members and history get the new text', async () => {
  const { first, second, cid } = await pair('hook-edit-a', 'hook-edit-b');
  behaviour = (call, response) => response.end(call.event === 'messageReceived' ? JSON.stringify({ content: text('[filtered]') }) : '{}');
  const ack = await first.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('a rude word') } });
  assert.equal(ack.cmd, CommandType.ack);
  assert.equal((await second.take(isDirect)).directMessage?.msg, text('[filtered]'));
  const history = await first.request({ cmd: CommandType.logs, logsMessage: { cid, l: 10 } });
  assert.deepEqual(history.logsMessage?.logs?.map((item) => item.data), [text('[filtered]')]);
  behaviour = (_call, response) => response.end('{}');
});

test('a hook that times out or fails lets the message through unchanged, and blocks nobody meanwhile', async () => {
  const { first, second, cid } = await pair('hook-slow-a', 'hook-slow-b');
  // Another app without hooks chats on while this one's hook hangs.
  const quietA = await env.connect();
  await quietA.login(QUIET_APP.appId, 'quiet-a');
  const quietB = await env.connect();
  await quietB.login(QUIET_APP.appId, 'quiet-b');
  const quietConv = (await quietA.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['quiet-b'] } })).convMessage!.cid!;

  const hanging: ServerResponse[] = [];
  behaviour = (call, response) => (call.event === 'messageReceived' ? hanging.push(response) : response.end('{}'));
  const started = Date.now();
  const slow = first.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('still here') } });
  // While the hook hangs, the other app's message goes through at once.
  await until(() => hanging[0], 'the hook to be called');
  const quickAck = await quietA.request({ cmd: CommandType.direct, directMessage: { cid: quietConv, msg: text('hello') } });
  assert.equal(quickAck.cmd, CommandType.ack);
  assert.equal((await quietB.take(isDirect)).directMessage?.msg, text('hello'));
  assert.ok(Date.now() - started < HOOK_TIMEOUT_MS, 'the other app did not wait for the hook');

  const ack = await slow;
  assert.equal(ack.cmd, CommandType.ack, 'the message went through after the timeout');
  assert.equal((await second.take(isDirect)).directMessage?.msg, text('still here'));
  for (const response of hanging) response.end('{}');

  behaviour = (call, response) => {
    response.statusCode = call.event === 'messageReceived' ? 500 : 200;
    response.end('{}');
  };
  const failed = await first.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('after a 500') } });
  assert.equal(failed.cmd, CommandType.ack);
  assert.equal((await second.take(isDirect)).directMessage?.msg, text('after a 500'));
  behaviour = (_call, response) => response.end('{}');
  quietA.close();
  quietB.close();
});

test('receiversOffline gets the offline members and pushData, retried with backoff until the app answers', async () => {
  const { first, second, cid } = await pair('hook-off-a', 'hook-off-b');
  second.close();
  await until(() => calls.find((call) => call.event === 'clientOffline' && call.body.peerId === 'hook-off-b'), 'clientOffline');
  let refusals = 2;
  behaviour = (call, response) => {
    if (call.event === 'receiversOffline' && refusals-- > 0) response.statusCode = 503;
    response.end('{}');
  };
  const mark = calls.length;
  const ack = await first.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('are you there?'), pushData: JSON.stringify({ alert: 'New message' }) } });
  assert.equal(ack.cmd, CommandType.ack, 'the ack does not wait for the hook');
  const attempts = () => calls.slice(mark).filter((call) => call.event === 'receiversOffline');
  await until(() => (attempts().length >= 3 ? true : undefined), 'three attempts');
  const delivered = attempts()[2]!;
  assert.ok(delivered.signed);
  assert.deepEqual(delivered.body.offlinePeers, ['hook-off-b']);
  assert.equal(delivered.body.pushData, JSON.stringify({ alert: 'New message' }));
  assert.equal(delivered.body.messageId, ack.ackMessage?.uid);
  // Stored all along: the offline member reads it when back.
  const back = await env.login('hook-off-b');
  const history = await back.request({ cmd: CommandType.logs, logsMessage: { cid, l: 10 } });
  assert.deepEqual(history.logsMessage?.logs?.map((item) => item.data), [text('are you there?')]);
  behaviour = (_call, response) => response.end('{}');
  first.close();
});

test('conversationStarted, membersChanged and clientOnline reach the app, signed', async () => {
  const mark = calls.length;
  const { first, cid } = await pair('hook-ev-a', 'hook-ev-b');
  await first.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: ['hook-ev-c'] } });
  const started = await until(() => calls.slice(mark).find((call) => call.event === 'conversationStarted' && call.body.convId === cid), 'conversationStarted');
  assert.deepEqual([started.body.initBy, started.body.members], ['hook-ev-a', ['hook-ev-a', 'hook-ev-b']]);
  const changed = await until(() => calls.slice(mark).find((call) => call.event === 'membersChanged' && call.body.convId === cid), 'membersChanged');
  assert.deepEqual([changed.body.op, changed.body.members, changed.body.initBy], ['added', ['hook-ev-c'], 'hook-ev-a']);
  const online = await until(() => calls.slice(mark).find((call) => call.event === 'clientOnline' && call.body.peerId === 'hook-ev-a'), 'clientOnline');
  assert.equal(online.body.appId, TEST_APP.appId);
  assert.ok(calls.slice(mark).every((call) => call.signed));
  first.close();
});
