/**
 * The server's VAPID key pair (RFC 8292): push services accept a push only
 * when it is signed by the key the browser subscribed with, so the pair is
 * made once, at the first start, and kept: a new pair would orphan every
 * subscription made with the old public key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import webPush from 'web-push';

/** A P-256 key pair, both halves base64url as the Push API and `web-push` take them. */
export interface VapidKeys {
  /** 65-byte uncompressed point: what pages pass to `pushManager.subscribe` as `applicationServerKey`. */
  publicKey: string;
  /** 32-byte scalar; never leaves the server. */
  privateKey: string;
}

export const VAPID_FILE = 'vapid.json';

const PUBLIC_KEY = /^[A-Za-z0-9_-]{87}$/;
const PRIVATE_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The key pair in `<dataDir>/vapid.json`, made there (mode 0600: whoever
 * reads the private key can push to every subscriber) if absent. Two
 * processes starting at once on one directory agree: the file appears
 * whole or not at all, and the loser reads the winner's. A file another user could
 * read is narrowed to 0600.
 * @throws Error if the file exists but holds no valid pair
 */
export async function loadOrCreateVapidKeys(dataDir: string): Promise<VapidKeys> {
  const file = join(dataDir, VAPID_FILE);
  await mkdir(dataDir, { recursive: true });
  const fresh = webPush.generateVAPIDKeys();
  const pair = { publicKey: fresh.publicKey, privateKey: fresh.privateKey };
  // Written whole under a private name, then linked into place: link fails if the file exists, so a racing process never reads half a file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(temporary, JSON.stringify(pair) + '\n', { mode: 0o600, flag: 'wx', flush: true });
  try {
    await link(temporary, file);
    return pair;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
  // Made by an earlier start (or a process racing this one): narrow its mode, then read it.
  await chmod(file, 0o600);
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const { publicKey, privateKey } = (parsed ?? {}) as Partial<VapidKeys>;
  if (typeof publicKey !== 'string' || !PUBLIC_KEY.test(publicKey) || typeof privateKey !== 'string' || !PRIVATE_KEY.test(privateKey)) {
    throw new Error(`${file} does not hold a VAPID key pair ({publicKey, privateKey}, base64url); move it away to make a new one (existing subscriptions then stop working)`);
  }
  return { publicKey, privateKey };
}
