/**
 * What a node of an earlier version kept in its data directory (issue 15):
 * `vapid.json`, its key pair, and `push-subscriptions.json`, the browsers
 * that subscribed through it. The first start of this version imports them
 * into the store and renames them `*.imported`, so the import runs once
 * (and, interrupted, runs again without doubling anything: an endpoint the
 * store holds is left as the store has it). The files stay, mode 0600, for
 * the operator to check and delete.
 *
 * The old pair is kept when the store has none, so the browsers that
 * subscribed with it keep getting pushes. If the store already holds
 * another pair (another node imported its own first), the file's
 * subscriptions were made with a key nobody signs with any more: push
 * services would refuse every push to them, so they are not imported.
 */
import { chmod, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/types.js';
import { type EndpointPolicy, LANGUAGE_TAG, parseSubscription, type PushSubscriptions, SubscriptionError } from './subscriptions.js';
import { isVapidKeyPair, storedVapidKeys, type VapidKeys } from './vapid-keys.js';

export const VAPID_FILE = 'vapid.json';
export const SUBSCRIPTIONS_FILE = 'push-subscriptions.json';
export const IMPORTED_SUFFIX = '.imported';

/** Longest app and client id an entry may name (the protocol's bound). */
const MAX_ID = 64;

/**
 * The deployment's key pair, after importing the data directory's files
 * of an earlier version, if any.
 * @throws Error if `vapid.json` exists but holds no key pair
 */
export async function keysAfterImport(dataDir: string, store: Store, subscriptions: PushSubscriptions, policy: EndpointPolicy, logger: Logger): Promise<VapidKeys> {
  const vapidFile = join(dataDir, VAPID_FILE);
  const oldKeys = await readKeysFile(vapidFile);
  const keys = await storedVapidKeys(store, oldKeys);
  const sameKeys = oldKeys === undefined || oldKeys.publicKey === keys.publicKey;
  if (oldKeys && sameKeys) logger.info({ file: vapidFile }, 'web push: the VAPID key pair of this file is now the store\'s');
  if (!sameKeys) logger.warn({ file: vapidFile }, 'web push: the store holds another VAPID key pair than this file; the subscriptions made with the file\'s are not imported (push services would refuse them)');
  await importSubscriptionsFile(join(dataDir, SUBSCRIPTIONS_FILE), sameKeys, subscriptions, policy, logger);
  // Renamed last: a start that stops before this imports again, harmlessly.
  if (oldKeys) await retire(vapidFile);
  return keys;
}

async function readKeysFile(file: string): Promise<VapidKeys | undefined> {
  const text = await readIfPresent(file);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isVapidKeyPair(parsed)) {
    throw new Error(`${file} does not hold a VAPID key pair ({publicKey, privateKey}, base64url); move it away to use the store's pair (subscriptions made with the file's then stop working)`);
  }
  return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}

async function importSubscriptionsFile(file: string, usable: boolean, subscriptions: PushSubscriptions, policy: EndpointPolicy, logger: Logger): Promise<void> {
  const text = await readIfPresent(file);
  if (text === undefined) return;
  const counts = { stored: 0, held: 0, full: 0, invalid: 0 };
  if (usable) {
    let clients: unknown;
    try {
      clients = (JSON.parse(text) as { clients?: unknown }).clients;
    } catch {
      clients = undefined;
    }
    if (!Array.isArray(clients)) throw new Error(`${file} does not hold push subscriptions ({clients: [[appId, clientId, [subscription…]]…]}); move it away to start without them`);
    for (const entry of clients) {
      const [appId, clientId, list] = Array.isArray(entry) ? (entry as unknown[]) : [];
      if (!isId(appId) || !isId(clientId) || !Array.isArray(list)) {
        counts.invalid += 1;
        continue;
      }
      for (const item of list as unknown[]) {
        const subscription = checked(item, policy);
        if (!subscription) counts.invalid += 1;
        else counts[await subscriptions.import(appId, clientId, subscription)] += 1;
      }
    }
  }
  logger.info({ file, ...counts, usable }, usable ? 'web push: imported the subscriptions of this file into the store' : 'web push: not importing the subscriptions of this file');
  await retire(file);
}

/** An entry of the old file, checked as a page's would be now (the endpoint policy may have narrowed since). */
function checked(item: unknown, policy: EndpointPolicy): Parameters<PushSubscriptions['import']>[2] | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { endpoint, p256dh, auth, createdAt, lang } = item as Record<string, unknown>;
  try {
    const parsed = parseSubscription({ endpoint, keys: { p256dh, auth } }, policy, typeof createdAt === 'number' && Number.isSafeInteger(createdAt) && createdAt >= 0 ? createdAt : Date.now());
    return typeof lang === 'string' && LANGUAGE_TAG.test(lang) ? { ...parsed, lang } : parsed;
  } catch (error) {
    if (error instanceof SubscriptionError) return undefined;
    throw error;
  }
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Renamed out of the way (it holds keys: readable by the owner only). */
async function retire(file: string): Promise<void> {
  await chmod(file, 0o600);
  await rename(file, `${file}${IMPORTED_SUFFIX}`);
}
