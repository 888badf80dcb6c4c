/**
 * Where each client has sessions: the registrations the fan-out script
 * reads (redis-broker.ts), written by the nodes (`follow`, `unfollow`) and
 * deleted for a dead node by whoever sweeps it (redis-presence.ts).
 *
 * - `<prefix>cl:<app>` HASH: client id → the ids of the nodes holding a
 *   session of it, joined by spaces (a node id is `[\w-]{1,64}`; a client
 *   is on one node but for the minutes a second device logs in elsewhere).
 *   One hash per app, so that the fan-out script finds a whole group's
 *   recipients with one HMGET of the raw ids, where one hash per client
 *   took an HKEYS per recipient on a key built in Lua (with the list sent
 *   once per call, the script went from about 207 to 124 µs per call of
 *   nine messages to 99 recipients on this machine; bench/cluster.ts
 *   broker).
 * - `<prefix>n:<node>:cl` SET: `<app>:<client id>` of every entry naming
 *   the node, so that a dead node's entries are found and do not outlive it.
 *
 * An entry and its index line change together in one script (atomic), so
 * no entry escapes the sweep of a node that dies between the two.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { appSegment } from './redis-names.js';

/** KEYS: the app's hash, the node's index; ARGV: client id, node id, index member. 1 if the node was not in the entry. */
const ADD = `
redis.call('SADD', KEYS[2], ARGV[3])
local nodes = redis.call('HGET', KEYS[1], ARGV[1])
if not nodes then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
for node in string.gmatch(nodes, '%S+') do
  if node == ARGV[2] then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], nodes .. ' ' .. ARGV[2])
return 1
`;

/** KEYS and ARGV as ADD's. Takes the node out of the entry (the entry goes with its last node) and the line out of the index. */
const REMOVE = `
local nodes = redis.call('HGET', KEYS[1], ARGV[1])
if nodes then
  local rest = {}
  for node in string.gmatch(nodes, '%S+') do
    if node ~= ARGV[2] then rest[#rest + 1] = node end
  end
  if #rest == 0 then
    redis.call('HDEL', KEYS[1], ARGV[1])
  else
    redis.call('HSET', KEYS[1], ARGV[1], table.concat(rest, ' '))
  end
end
redis.call('SREM', KEYS[2], ARGV[3])
return 1
`;

interface ClientNodeScripts {
  lcAddClientNode(appKey: string, indexKey: string, clientId: string, nodeId: string, member: string): unknown;
  lcRemoveClientNode(appKey: string, indexKey: string, clientId: string, nodeId: string, member: string): unknown;
}

/** Defines the scripts on a connection (and so on its pipelines and transactions). */
export function defineClientNodeScripts(redis: Redis): void {
  redis.defineCommand('lcAddClientNode', { numberOfKeys: 2, lua: ADD });
  redis.defineCommand('lcRemoveClientNode', { numberOfKeys: 2, lua: REMOVE });
}

/** `<prefix>cl:<app>`: the app's hash of client → nodes; the fan-out script's first argument. */
export function clientNodesKey(prefix: string, appId: string): string {
  return `${prefix}cl:${appSegment(appId)}`;
}

/** `<prefix>n:<node>:cl`: the node's index of its entries. */
export function clientNodesIndexKey(prefix: string, nodeId: string): string {
  return `${prefix}n:${nodeId}:cl`;
}

/** The index line of a client: `<app>:<client id>` (the escaped app holds no colon, so it reads back one way). */
export function clientNodesMember(appId: string, clientId: string): string {
  return `${appSegment(appId)}:${clientId}`;
}

/** Queues the writes that put `nodeId` in the client's entry (and its index). */
export function addClientNode(batch: ChainableCommander, prefix: string, nodeId: string, member: string): void {
  const [appKey, clientId] = entryOf(prefix, member);
  (batch as unknown as ClientNodeScripts).lcAddClientNode(appKey, clientNodesIndexKey(prefix, nodeId), clientId, nodeId, member);
}

/** Queues the writes that take `nodeId` out of the client's entry (and its index). */
export function removeClientNode(batch: ChainableCommander, prefix: string, nodeId: string, member: string): void {
  const [appKey, clientId] = entryOf(prefix, member);
  (batch as unknown as ClientNodeScripts).lcRemoveClientNode(appKey, clientNodesIndexKey(prefix, nodeId), clientId, nodeId, member);
}

function entryOf(prefix: string, member: string): [appKey: string, clientId: string] {
  const colon = member.indexOf(':');
  return [`${prefix}cl:${member.slice(0, colon)}`, member.slice(colon + 1)];
}
