/**
 * A broker gap (issue 17): deliveries may have been lost between nodes (a
 * Redis broker's link was down), so the gateway closes every connection
 * with 1012 and each client reconnects, logs in again and catches up from
 * the store. The broker here is the in-process one with a switch that
 * drops deliveries, and a `gap()` that reports the loss as a Redis broker
 * would.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalBroker } from '../src/server/broker/local-broker.js';
import type { Delivery } from '../src/server/broker/types.js';
import { createServer, type LcServer } from '../src/server/index.js';
import { Realtime, TextMessage, type IMClient } from '../src/sdk/index.js';
import { nextEvent, redirectV4Rest, v3, v4, type OfficialClient, type OfficialMessage, type OfficialRealtime, type OfficialSdk } from './helpers/official-sdk.js';
import { nextEvent as nextSdkEvent } from './helpers/sdk-env.js';
import { TEST_APP } from './helpers/server.js';
import { dropTestStore, testStoreFor } from './helpers/test-store.js';

const require = createRequire(import.meta.url);

/** The in-process broker, but one that can lose deliveries and then say so. */
class GappyBroker extends LocalBroker {
  /** While set, published deliveries are lost, as over a cut link. */
  dropping = false;
  dropped = 0;
  private readonly gapHandlers = new Set<() => void>();

  override async publish(delivery: Delivery): Promise<void> {
    if (this.dropping) {
      this.dropped += 1;
      return;
    }
    await super.publish(delivery);
  }

  override onGap(handler: () => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  /** The link is back: deliveries flow again, and the node is told some may be lost. */
  gap(): void {
    this.dropping = false;
    for (const handler of this.gapHandlers) handler();
  }
}

async function withGappyServer(run: (server: LcServer, broker: GappyBroker) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-gap-'));
  const storeLocation = await testStoreFor(dataDir);
  const broker = new GappyBroker();
  const server = await createServer({ port: 0, host: '127.0.0.1', apps: [TEST_APP], log: () => {}, dataDir, broker, ...(storeLocation ? { storeLocation } : {}) });
  try {
    await run(server, broker);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    await dropTestStore(dataDir);
  }
}

/** A receiver of one SDK: its client, the texts of the messages it got, and its reconnect events. */
interface Receiver {
  id: string;
  texts: string[];
  reconnected(): Promise<unknown>;
  disconnected(): Promise<unknown>;
  ping(ids: string[]): Promise<string[]>;
  close(): Promise<void>;
}

async function ourReceiver(server: LcServer, id: string): Promise<Receiver> {
  const wsUrl = server.wsUrl;
  const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: wsUrl });
  const client = await realtime.createIMClient(id);
  const texts: string[] = [];
  client.on('message', (message) => texts.push((message as TextMessage).text ?? ''));
  return {
    id,
    texts,
    reconnected: () => nextSdkEvent(client, 'reconnect', 20_000),
    disconnected: () => nextSdkEvent(client, 'disconnect', 20_000),
    ping: (ids) => client.ping(ids),
    close: () => realtime.close(),
  };
}

async function officialReceiver(sdk: OfficialSdk, server: LcServer, id: string): Promise<Receiver> {
  const wsUrl = server.wsUrl;
  // 4.x fetches missed membership events over HTTPS from the server's host: to our plain HTTP.
  const rest = sdk === v4 ? redirectV4Rest(server.httpUrl) : undefined;
  // Subprotocol .1: a reconnect is pushed the messages it missed (4.x, and 3.x alike).
  const options = { appId: TEST_APP.appId, appKey: TEST_APP.appKey, pushOfflineMessages: true };
  const realtime: OfficialRealtime =
    sdk === v4
      ? new (require('lc4') as { Realtime: new (options: Record<string, unknown>) => OfficialRealtime }).Realtime({ ...options, RTMServers: wsUrl + '/', server: new URL(server.httpUrl).host })
      : sdk.realtime({ ...options, wsUrl });
  const client: OfficialClient = await realtime.createIMClient(id);
  const texts: string[] = [];
  client.on('message', ((message: OfficialMessage) => texts.push(message.text ?? '')) as (...args: never[]) => void);
  return {
    id,
    texts,
    reconnected: () => nextEvent(client, 'reconnect', 20_000),
    disconnected: () => nextEvent(client, 'disconnect', 20_000),
    ping: (ids) => client.ping(ids),
    close: async () => {
      await client.close();
      (realtime as unknown as { _close(): void })._close();
      rest?.stop();
    },
  };
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const receivers: Array<{ name: string; login: (server: LcServer, id: string) => Promise<Receiver> }> = [
  { name: 'our SDK', login: ourReceiver },
  { name: v3.version, login: (server, id) => officialReceiver(v3, server, id) },
  { name: v4.version, login: (server, id) => officialReceiver(v4, server, id) },
];

for (const { name, login } of receivers) {
  test(`${name}: after a broker gap the client is disconnected, reconnects, is logged in again and gets the message the broker lost, once`, { timeout: 60_000 }, async () => {
    await withGappyServer(async (server, broker) => {
      const senderRealtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: server.wsUrl });
      const receiver = await login(server, `gap-receiver-${name}`);
      try {
        const sender: IMClient = await senderRealtime.createIMClient(`gap-sender-${name}`);
        const conversation = await sender.createConversation({ members: [receiver.id] });
        await conversation.send(new TextMessage('before'));
        await until(() => receiver.texts.length === 1, 'the live message');

        broker.dropping = true;
        await conversation.send(new TextMessage('lost'));
        assert.equal(broker.dropped, 1, 'the push of the acked message was lost');

        const receiverDown = receiver.disconnected();
        const receiverBack = receiver.reconnected();
        const senderBack = nextSdkEvent(sender, 'reconnect', 20_000);
        broker.gap();
        await receiverDown;
        await receiverBack;
        await senderBack;
        assert.deepEqual(await receiver.ping([receiver.id, sender.id]), [receiver.id, sender.id], 'both logged in again');

        await until(() => receiver.texts.length >= 2, 'the lost message, caught up');
        await conversation.send(new TextMessage('after'));
        await until(() => receiver.texts.length >= 3, 'the next live message');
        assert.deepEqual(receiver.texts, ['before', 'lost', 'after']);
      } finally {
        await receiver.close();
        await senderRealtime.close();
      }
    });
  });
}
