/** Signing strings, verification rules and the app-server signing handler. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSignatureHandler, type SignatureRequest } from '../src/server/auth/signature-handler.js';
import { SignatureVerifier, conversationSigningString, loginSigningString, sign } from '../src/server/auth/signature.js';

const KEY = 'master-key';

test('signing strings follow protocol.md §6 exactly', () => {
  assert.equal(loginSigningString('app', 'alice', 1700000000, 'n0nce'), 'app:alice::1700000000:n0nce');
  assert.equal(conversationSigningString('app', 'alice', null, ['carol', 'alice', 'bob'], 5, 'n', 'create'), 'app:alice:alice:bob:carol:5:n');
  assert.equal(conversationSigningString('app', 'alice', 'cid', ['carol'], 5, 'n', 'add'), 'app:alice:cid:carol:5:n:invite');
  assert.equal(conversationSigningString('app', 'alice', 'cid', ['bob', 'carol'], 5, 'n', 'remove'), 'app:alice:cid:bob:carol:5:n:kick');
});

test('a signature verifies once, in seconds or milliseconds, within six hours', () => {
  let now = Date.now();
  const verifier = new SignatureVerifier(() => now);
  const build = (t: number, n: string) => loginSigningString('app', 'alice', t, n);
  const fresh = sign(KEY, build, now);
  assert.deepEqual(verifier.verify(KEY, fresh, build), { ok: true });
  assert.deepEqual(verifier.verify(KEY, fresh, build), { ok: false, reason: 'nonce already used' });

  const inMs = { nonce: 'ms-nonce', timestamp: now, signature: createHmac('sha1', KEY).update(build(now, 'ms-nonce')).digest('hex') };
  assert.deepEqual(verifier.verify(KEY, inMs, build), { ok: true });

  const old = sign(KEY, build, now - 6 * 3600 * 1000 - 60_000);
  assert.deepEqual(verifier.verify(KEY, old, build), { ok: false, reason: 'signature timestamp expired' });
  const other = sign('another-key', build, now);
  assert.deepEqual(verifier.verify(KEY, other, build), { ok: false, reason: 'signature mismatch' });
  const forOtherClient = sign(KEY, (t, n) => loginSigningString('app', 'mallory', t, n), now);
  assert.deepEqual(verifier.verify(KEY, forOtherClient, build), { ok: false, reason: 'signature mismatch' });
  assert.equal(verifier.verify(KEY, { signature: 'zz', timestamp: now, nonce: 'x' }, build).ok, false);
  assert.equal(verifier.verify(KEY, { timestamp: now, nonce: 'x' }, build).ok, false);

  // Once a nonce's signature has expired it is forgotten: memory stays bounded.
  now += 7 * 3600 * 1000;
  assert.deepEqual(verifier.verify(KEY, fresh, build), { ok: false, reason: 'signature timestamp expired' });
});

let http: Server;
let url: string;
const asked: SignatureRequest[] = [];
before(async () => {
  const handler = createSignatureHandler({
    appId: 'app',
    masterKey: KEY,
    authorize: (request) => {
      asked.push(request);
      return request.clientId !== 'mallory';
    },
  });
  http = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/sign`;
});
after(() => new Promise<void>((resolve) => http.close(() => resolve())));

const post = (body: unknown) => fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

test('the signing handler signs what the app authorizes, and refuses the rest clearly', async () => {
  const verifier = new SignatureVerifier();
  const login = (await (await post({ clientId: 'alice' })).json()) as { signature: string; timestamp: number; nonce: string };
  assert.deepEqual(verifier.verify(KEY, login, (t, n) => loginSigningString('app', 'alice', t, n)), { ok: true });

  const add = (await (await post({ clientId: 'alice', conversationId: 'cid', members: ['bob'], action: 'add' })).json()) as typeof login;
  assert.deepEqual(verifier.verify(KEY, add, (t, n) => conversationSigningString('app', 'alice', 'cid', ['bob'], t, n, 'add')), { ok: true });
  assert.deepEqual(asked.at(-1), { kind: 'conversation', clientId: 'alice', conversationId: 'cid', members: ['bob'], action: 'add' });

  assert.equal((await post({ clientId: 'mallory' })).status, 403);
  assert.equal((await post('{not json')).status, 400);
  assert.equal((await post({ clientId: 'x'.repeat(65) })).status, 400);
  assert.equal((await post({ clientId: 'alice', members: ['bob'], action: 'destroy' })).status, 400);
  assert.equal((await post({ clientId: 'alice', members: ['bob'], action: 'add' })).status, 400, 'add needs a conversation id');
  assert.equal((await post({ clientId: 'alice', members: [], action: 'create' })).status, 400, 'a create over no members signs the login string');
  assert.equal((await fetch(url)).status, 405);
  assert.equal((await post({ clientId: 'a', pad: 'x'.repeat(70_000) })).status, 413);
});
