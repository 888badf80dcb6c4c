/** The file service: authenticated uploads, type proven from bytes, safe downloads, nothing outside the data dir. */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { issueSessionToken } from '../src/server/auth/session-token.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ maxUploadBytes: 64 * 1024 });
});
after(() => server.stop());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 7)]);
const appKey = { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey };

function upload(name: string, body: Uint8Array, headers: Record<string, string>) {
  return fetch(`${server.httpUrl}/files?name=${encodeURIComponent(name)}`, { method: 'POST', body: new Uint8Array(body), headers });
}

/** Every path under the data dir, relative to it. */
function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(server.dataDir, path));
    }
  };
  walk(server.dataDir);
  return out;
}

test('an image uploaded with the app key is served back inline with safe headers', async () => {
  const response = await upload('猫.png', PNG, { ...appKey, 'Content-Type': 'image/png' });
  assert.equal(response.status, 201);
  const file = (await response.json()) as { objectId: string; url: string; name: string; size: number; mime_type: string };
  assert.match(file.objectId, /^[0-9a-f]{32}$/);
  assert.equal(file.name, '猫.png');
  assert.equal(file.size, PNG.length);
  assert.equal(file.mime_type, 'image/png');
  const download = await fetch(file.url);
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
  assert.equal(download.headers.get('content-type'), 'image/png');
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
  assert.match(download.headers.get('content-disposition')!, /^inline; .*filename\*=UTF-8''%E7%8C%AB\.png$/);
  assert.match(download.headers.get('content-security-policy')!, /sandbox/);
});

test('HTML is refused as an image, and served only as a download when sent as a file', async () => {
  const html = Buffer.from('<!doctype html><script>alert(1)</script>');
  const refused = await upload('x.png', html, { ...appKey, 'Content-Type': 'image/png' });
  assert.equal(refused.status, 415);
  assert.match(((await refused.json()) as { error: string }).error, /not image\/png/);
  const asFile = (await (await upload('page.html', html, { ...appKey, 'Content-Type': 'text/html' })).json()) as { url: string };
  const download = await fetch(asFile.url);
  assert.equal(download.headers.get('content-type'), 'application/octet-stream');
  assert.match(download.headers.get('content-disposition')!, /^attachment;/);
});

test('uploads over the limit, without credentials or with a bad token are refused and leave nothing', async () => {
  const before = filesOnDisk();
  const big = await upload('big.bin', Buffer.alloc(64 * 1024 + 1), appKey);
  assert.equal(big.status, 413);
  assert.equal((await upload('a.png', PNG, {})).status, 401);
  assert.equal((await upload('a.png', PNG, { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': 'wrong' })).status, 401);
  assert.equal((await upload('a.png', PNG, { 'X-LC-Id': 'no-app', 'X-LC-Key': TEST_APP.appKey })).status, 401);
  assert.equal((await upload('a.png', PNG, { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': 'forged.1.x' })).status, 401);
  // A chunked body (no Content-Length) over the limit is cut off while streaming.
  const chunked = await fetch(`${server.httpUrl}/files?name=stream.bin`, {
    method: 'POST',
    headers: appKey,
    body: new ReadableStream({
      start(controller) {
        for (let n = 0; n < 40; n++) controller.enqueue(new Uint8Array(4096));
        controller.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);
  assert.equal(chunked.status, 413);
  assert.deepEqual(filesOnDisk(), before, 'no file and no partial file was kept');
});

test('a session token identifies the uploader; names with ../ never become paths', async () => {
  const token = issueSessionToken(TEST_APP, 'alice', 60);
  const response = await upload('../../../etc/passwd', Buffer.from('plain text'), { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': token });
  assert.equal(response.status, 201);
  const file = (await response.json()) as { name: string; url: string };
  assert.equal(file.name, 'passwd');
  for (const path of filesOnDisk()) assert.match(path, /^(lc-chat\.db(-wal|-shm)?|files\/[0-9a-f]{2}\/[0-9a-f]{32}(\.json)?)$/, path);
  assert.equal((await fetch(`${server.httpUrl}/files/..%2f..%2flc-chat.db`)).status, 404);
  assert.equal((await fetch(`${server.httpUrl}/files/${'0'.repeat(32)}/x`)).status, 404);
  const expired = issueSessionToken(TEST_APP, 'alice', -1);
  assert.equal((await upload('a.txt', Buffer.from('x'), { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': expired })).status, 401);
});
