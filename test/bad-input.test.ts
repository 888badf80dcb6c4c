/**
 * Acceptance 4: bad input gets its protocol error or close code, and a
 * second client on the same server keeps chatting throughout.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { CommandType, OpType, encodeCommand, type Command } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { nextEvent, v4, type OfficialClient, type OfficialConversation, type OfficialMessage } from './helpers/official-sdk.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { within } from './helpers/wait.js';

let server: TestServer;
let alice: OfficialClient;
let bob: OfficialClient;
let chat: OfficialConversation;
let chatted = 0;

before(async () => {
  server = await startTestServer({ maxPayload: 4096 });
  const realtime = (id: string) => v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl }).createIMClient(id);
  [alice, bob] = await Promise.all([realtime('steady-alice'), realtime('steady-bob')]);
  chat = await alice.createConversation({ members: ['steady-bob'] });
});

after(async () => {
  await Promise.all([alice.close(), bob.close()]);
  await server.stop();
});

/** Proves the server still serves others: a message goes from alice to bob. */
async function stillChatting(): Promise<void> {
  const got = nextEvent<[OfficialMessage]>(bob, 'message');
  const text = `still here ${++chatted}`;
  await chat.send(new v4.TextMessage(text));
  assert.equal((await got)[0].text, text);
}

const rawSocket = (protocol: string | string[] = 'lc.protobuf2.3', url = server.wsUrl) => RawClient.connect(url, protocol);

const open = (peerId: string): Command => ({
  cmd: CommandType.session,
  op: OpType.open,
  appId: 'test-app-id',
  peerId,
  sessionMessage: { ua: 'raw-test' },
});

/** Random bytes behind the key of field 0 with wire type 7: undecodable whatever follows. */
const garbage = (length: number) => Buffer.concat([Buffer.from([0x07]), randomBytes(length - 1)]);

test('undecodable bytes get 4114 UNPARSEABLE_RAW_MESSAGE, and repeated garbage closes the socket', async () => {
  const raw = await rawSocket();
  raw.ws.send(garbage(64));
  const error = await raw.next();
  assert.equal(error.cmd, CommandType.error);
  assert.equal(error.errorMessage?.code, 4114);
  assert.equal(error.errorMessage?.reason, 'UNPARSEABLE_RAW_MESSAGE');
  await stillChatting();
  raw.ws.send(Buffer.from([0x0a, 0xff, 0xff])); // a truncated length-delimited field
  assert.equal((await raw.next()).errorMessage?.code, 4114);
  raw.ws.send('%%% not base64 %%%');
  assert.equal((await raw.next()).errorMessage?.code, 4114);
  assert.equal((await raw.closed).code, 4114);
  await stillChatting();
});

test('a truncated frame of a valid command is refused without harm', async () => {
  const raw = await rawSocket();
  const bytes = encodeCommand(open('truncated-client'));
  raw.ws.send(bytes.subarray(0, bytes.length - 3));
  assert.equal((await raw.next()).errorMessage?.code, 4114);
  const opened = await raw.request(open('truncated-client'));
  assert.equal(opened.op, OpType.opened, 'the same socket still works after a bad frame');
  raw.ws.close();
  await stillChatting();
});

test('a frame over maxPayload closes the socket with 1009', async () => {
  const raw = await rawSocket();
  raw.ws.send(Buffer.alloc(5000, 1));
  assert.equal((await raw.closed).code, 1009);
  await stillChatting();
});

test('a wrong or missing subprotocol is refused at the handshake', async () => {
  for (const protocol of ['lc.json.3', [] as string[]]) {
    const ws = new WebSocket(server.wsUrl, protocol);
    const status = await within(
      new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))),
      `the handshake's refusal of ${JSON.stringify(protocol)}`,
    );
    assert.equal(status, 400);
  }
  await stillChatting();
});

test('each subprotocol is echoed back', async () => {
  for (const protocol of ['lc.protobuf2.3', 'lc.protobuf2.1', 'lc.proto2base64.3', 'lc.proto2base64.1']) {
    const raw = await rawSocket(['lc.json.3', protocol]);
    assert.equal(raw.ws.protocol, protocol);
    raw.ws.close();
  }
});

test('a 65-character clientId gets 4103 INVALID_LOGIN, an unknown app 4100', async () => {
  const raw = await rawSocket();
  const error = await raw.request(open('x'.repeat(65)));
  assert.equal(error.cmd, CommandType.error);
  assert.equal(error.i, 1, 'the error answers the request');
  assert.equal(error.errorMessage?.code, 4103);
  assert.equal(error.errorMessage?.reason, 'INVALID_LOGIN');
  assert.equal((await raw.request({ ...open('fine'), appId: 'no-such-app' })).errorMessage?.code, 4100);
  assert.equal((await raw.request(open('x'.repeat(64)))).op, OpType.opened, '64 characters are allowed');
  raw.ws.close();
  await stillChatting();
});

test('sending to a conversation one is not in gets 4401 INVALID_MESSAGING_TARGET (official SDK)', async () => {
  const mallory = await v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl }).createIMClient('mallory');
  const conversation = await mallory.getConversation(chat.id);
  await assert.rejects(conversation.send(new v4.TextMessage('let me in')), (error: Error & { code?: number }) => {
    assert.equal(error.code, 4401);
    assert.equal(error.name, 'INVALID_MESSAGING_TARGET');
    assert.equal(error.message, 'INVALID_MESSAGING_TARGET');
    return true;
  });
  const history = await chat.queryMessages({ limit: 100 });
  assert.ok(!history.some((m) => m.text === 'let me in'), 'nothing was stored');
  await mallory.close();
  await stillChatting();
});

test('commands before login get 4105 SESSION_REQUIRED; unknown commands get an error with their i', async () => {
  const raw = await rawSocket();
  assert.equal((await raw.request({ cmd: CommandType.direct, directMessage: { cid: chat.id, msg: 'x' } })).errorMessage?.code, 4105);
  await raw.request(open('raw-user'));
  const unknown = await raw.request({ cmd: CommandType.presence });
  assert.equal(unknown.cmd, CommandType.error);
  assert.equal(unknown.i, 3);
  const echo = await raw.request({ cmd: CommandType.echo });
  assert.equal(echo.cmd, CommandType.echo);
  assert.equal(echo.i, 4);
  raw.ws.close();
});

test('sockets that never log in are closed with 4108, idle ones with 4107', async () => {
  const strict = await startTestServer({ loginTimeoutMs: 300, idleTimeoutMs: 600 });
  try {
    const silent = await rawSocket('lc.protobuf2.3', strict.wsUrl);
    const idle = await rawSocket('lc.protobuf2.3', strict.wsUrl);
    assert.equal((await idle.request(open('idle-user'))).op, OpType.opened);
    const pinging = await rawSocket('lc.protobuf2.3', strict.wsUrl);
    await pinging.request(open('pinging-user'));
    const heartbeat = setInterval(() => void pinging.request({ cmd: CommandType.echo }), 150);
    assert.equal((await silent.closed).code, 4108);
    assert.equal((await idle.closed).code, 4107);
    clearInterval(heartbeat);
    assert.equal(pinging.ws.readyState, WebSocket.OPEN, 'a client that sends heartbeats stays connected');
    pinging.ws.close();
  } finally {
    await strict.stop();
  }
  await stillChatting();
});

test('bursts of garbage from many sockets at once do not disturb the others', async () => {
  const sockets = await Promise.all(Array.from({ length: 20 }, () => rawSocket()));
  for (const raw of sockets) for (let n = 0; n < 3; n++) raw.ws.send(garbage(100 + n));
  const codes = await Promise.all(sockets.map((raw) => raw.closed));
  assert.deepEqual(codes.map(({ code }) => code), sockets.map(() => 4114));
  await stillChatting();
});

test('thousands of random frames (some happen to decode) get errors or nothing, and never hurt the server', async () => {
  const replies: number[] = [];
  const connect = async () => {
    const raw = await rawSocket();
    raw.onPush = (command) => void replies.push(command.cmd);
    return raw;
  };
  const sockets = await Promise.all(Array.from({ length: 5 }, connect));
  let sent = 0;
  for (let n = 0; sent < 3000; n++) {
    const k = n % sockets.length;
    // Garbage closes a socket after a few frames: replace it and go on.
    if (sockets[k]!.ws.readyState !== WebSocket.OPEN) sockets[k] = await connect();
    sockets[k]!.ws.send(randomBytes(1 + ((n * 37) % 300)));
    sent++;
    if (n % 500 === 0) await stillChatting();
  }
  await stillChatting();
  assert.ok(replies.length > 0, 'the server answered some of the garbage with errors');
  assert.ok(replies.every((cmd) => cmd === CommandType.error), 'a session-less socket only ever gets errors back');
  for (const raw of sockets) raw.close();
});
