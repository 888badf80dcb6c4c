/**
 * Pieces of Redis key and channel names. An app id is operator-chosen and
 * may hold a colon; escaped, `<appId>:<id>` can be read back one way only,
 * so app `a:b` with client `c` and app `a` with client `b:c` never share a
 * channel or a key.
 */
export function appSegment(appId: string): string {
  return appId.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/**
 * `<prefix>cn:<app>:<clientId>` HASH: node id → `1` for every node holding a
 * session of the client (the broker's `follow`). The fan-out script reads
 * it to publish a delivery once per recipient node.
 */
export function clientNodesKey(prefix: string, appId: string, clientId: string): string {
  return `${prefix}cn:${appSegment(appId)}:${clientId}`;
}

/**
 * `<prefix>n:<node>:cn` SET: the `clientNodesKey`s where the node has put
 * itself, so that whoever sweeps a dead node (the presence) deletes its
 * fields: a dead node's entries must not outlive it.
 */
export function clientNodesIndexKey(prefix: string, nodeId: string): string {
  return `${prefix}n:${nodeId}:cn`;
}

/** `<prefix>n:<node>`: the channel of one node, where it gets the deliveries for its sessions' clients. */
export function nodeChannel(prefix: string, nodeId: string): string {
  return `${prefix}n:${nodeId}`;
}
