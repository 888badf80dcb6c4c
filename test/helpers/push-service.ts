/**
 * A push service stood up on loopback by a test, and the browser's side of
 * a subscription: the test makes the subscription's keys itself (Node's
 * ECDH), checks the VAPID signature with the server's public key and
 * decrypts the payload by RFC 8291 on its own, so the encryption and the
 * signature are proven, not assumed. Plain HTTP for a server that allows
 * loopback endpoints; HTTPS (a certificate made here for 127.0.0.1) for
 * servers started as an operator would, which only send over https.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decryptPush } from './web-push-decrypt.js';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  respond(status: number, headers?: Record<string, string>): void;
}

/** A certificate and key for `127.0.0.1`, self-signed, written into `dir`; `cert` is the file a client trusts (NODE_EXTRA_CA_CERTS). */
export function loopbackCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'push-service.crt');
  const key = join(dir, 'push-service.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

/** A push service on loopback: records each request; answers 201 unless `answer` holds it or says otherwise. */
export class FakePushService {
  readonly received: Received[] = [];
  private waiters: (() => void)[] = [];
  answer: (request: Received) => number | 'hold' = () => 201;
  private server!: Server;
  url = '';

  /** `tls`: the files of `loopbackCertificate`, to serve https. */
  async start(tls?: { cert: string; key: string }): Promise<void> {
    const handle = (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: Received = {
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
          respond: (status, headers = {}) => {
            if (!response.headersSent) response.writeHead(status, headers).end();
          },
        };
        this.received.push(received);
        const verdict = this.answer(received);
        if (verdict !== 'hold') received.respond(verdict);
        for (const wake of this.waiters.splice(0)) wake();
      });
    };
    this.server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handle) : createHttpServer(handle);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to `path`, once there are at least `count` of them. */
  async at(path: string, count = 1, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.received.filter((request) => request.path === path);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) throw new Error(`${count} push(es) to ${path} expected, got ${matching.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
export class Browser {
  readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth = randomBytes(16);
  constructor(readonly endpoint: string) {
    this.ecdh.generateKeys();
  }

  toJSON(): { endpoint: string; keys: { p256dh: string; auth: string } } {
    return { endpoint: this.endpoint, keys: { p256dh: this.ecdh.getPublicKey().toString('base64url'), auth: this.auth.toString('base64url') } };
  }

  /** RFC 8291 §3.4 and RFC 8188: one aes128gcm record (web-push-decrypt.ts). */
  decrypt(body: Buffer): string {
    return decryptPush(body, this.ecdh.getPrivateKey(), this.auth);
  }
}

/**
 * The VAPID header: `vapid t=<JWT>, k=<public key>`; the JWT must verify
 * with `publicKey` (RFC 8292), name the push service's origin and `subject`.
 */
export function checkVapid(request: Received, publicKey: string, audience: string, subject: string): Record<string, unknown> {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(request.headers.authorization));
  assert.ok(match, `Authorization: ${String(request.headers.authorization)}`);
  const [header, claims, signature] = match[1]!.split('.') as [string, string, string];
  assert.equal(match[2], publicKey);
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url')), 'JWT signed by the server\'s VAPID key');
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { typ: 'JWT', alg: 'ES256' });
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud: string; exp: number; sub: string };
  assert.equal(body.aud, audience);
  assert.equal(body.sub, subject);
  assert.ok(body.exp * 1000 > Date.now() && body.exp * 1000 <= Date.now() + 24 * 3600_000 + 60_000);
  assert.equal(request.headers['content-encoding'], 'aes128gcm');
  assert.match(String(request.headers.ttl), /^\d+$/);
  return body;
}
