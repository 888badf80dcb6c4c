/**
 * The deployment's VAPID key pair (RFC 8292): push services accept a push
 * only when it is signed by the key the browser subscribed with, so the
 * pair is made once and kept, in the store, where every node of the
 * deployment reads the same one (a node with a pair of its own could not
 * push to browsers that subscribed through another). A new pair would
 * orphan every subscription made with the old public key.
 */
import webPush from 'web-push';
import type { Store, VapidKeyPair } from '../store/types.js';

/** A P-256 key pair, both halves base64url as the Push API and `web-push` take them. */
export type VapidKeys = VapidKeyPair;

const PUBLIC_KEY = /^[A-Za-z0-9_-]{87}$/;
const PRIVATE_KEY = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` is a key pair of the right shape (a P-256 point and scalar, base64url). */
export function isVapidKeyPair(value: unknown): value is VapidKeys {
  const { publicKey, privateKey } = (value ?? {}) as Partial<VapidKeys>;
  return typeof publicKey === 'string' && PUBLIC_KEY.test(publicKey) && typeof privateKey === 'string' && PRIVATE_KEY.test(privateKey);
}

/**
 * The store's pair; `ifNone` (else a new pair) is stored first when the
 * store has none. Nodes starting at once all get the pair that won.
 * @throws Error if the store holds something that is not a pair
 */
export async function storedVapidKeys(store: Store, ifNone?: VapidKeys): Promise<VapidKeys> {
  const candidate = ifNone ?? webPush.generateVAPIDKeys();
  const keys = await store.vapidKeys({ publicKey: candidate.publicKey, privateKey: candidate.privateKey });
  if (!isVapidKeyPair(keys)) throw new Error('the store\'s vapid_keys row does not hold a VAPID key pair (base64url P-256); delete it to make a new one (existing subscriptions then stop working)');
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}
