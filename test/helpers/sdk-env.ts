/**
 * Shared setup of the SDK feature tests (test/sdk-*.test.ts): one real
 * server per test file, Realtimes standing for devices, per-test client
 * ids, event helpers, and a WebSocket that records what the SDK sends.
 */
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { decodeCommand, encodeCommand, fromFrame, type Command, type DecodedCommand } from '../../src/protocol/index.js';
import {
  Realtime,
  type Conversation,
  type EventEmitter,
  type EventMap,
  type IMClient,
  type Message,
  type RealtimeOptions,
  type WebSocketConstructor,
} from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from './server.js';
import { within } from './wait.js';

/** The test server, devices and naming of one test file. Call at module top level. */
export function sdkEnvironment(): SdkEnvironment {
  const env = new SdkEnvironment();
  before(async () => {
    env.server = await startTestServer();
  });
  after(async () => {
    try {
      await within(Promise.allSettled(env.realtimes.map((realtime) => realtime.close())), `${env.realtimes.length} Realtime devices to close`);
    } finally {
      await env.server.stop();
    }
  });
  return env;
}

export class SdkEnvironment {
  server!: TestServer;
  readonly realtimes: Realtime[] = [];
  #run = 0;

  /** A Realtime on the test server: one per simulated device. */
  device(options: Partial<Omit<RealtimeOptions, 'appId' | 'server'>> = {}): Realtime {
    const realtime = new Realtime({ appId: this.server.appId, appKey: this.server.appKey, server: this.server.wsUrl, ...options });
    this.realtimes.push(realtime);
    return realtime;
  }

  /** Logs `id` in on a new device. */
  login(id: string, options: Partial<Omit<RealtimeOptions, 'appId' | 'server'>> = {}): Promise<IMClient> {
    return this.device(options).createIMClient(id);
  }

  /** Client ids unique to one test, so tests sharing the server cannot see each other's conversations. */
  names<const T extends string[]>(...base: T): { [K in keyof T]: string } {
    this.#run += 1;
    const run = this.#run;
    return base.map((name) => `${name}-${run}`) as { [K in keyof T]: string };
  }
}

/** The arguments of the next `event`, or a rejection after `ms` (generous: on a loaded machine a failure costs time, never a flake). */
export function nextEvent<E extends EventMap<E>, K extends keyof E & string>(emitter: EventEmitter<E>, event: K, ms = 10_000): Promise<E[K]> {
  const promise = new Promise<E[K]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
  // Awaited later, if at all: a test that failed before awaiting must not
  // end in an unhandled rejection.
  promise.catch(() => {});
  return promise;
}

/** The arguments of the next `event` for which `accept` holds (earlier ones are skipped), or a rejection after `ms`. */
export function eventWhere<E extends EventMap<E>, K extends keyof E & string>(
  emitter: EventEmitter<E>,
  event: K,
  accept: (...args: E[K]) => boolean,
  ms = 3000,
): Promise<E[K]> {
  const promise = new Promise<E[K]>((resolve, reject) => {
    const listener = (...args: E[K]): void => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching ${event} event within ${ms} ms`));
    }, ms);
    emitter.on(event, listener);
  });
  promise.catch(() => {});
  return promise;
}

/** Records every `event` from now on (its argument lists). */
export function record<E extends EventMap<E>, K extends keyof E & string>(emitter: EventEmitter<E>, event: K): E[K][] {
  const seen: E[K][] = [];
  emitter.on(event, (...args) => seen.push(args));
  return seen;
}

/** Collects the next `count` client `message` events. */
export function collectMessages(client: IMClient, count: number, ms = 3000): Promise<[Message, Conversation][]> {
  const got: [Message, Conversation][] = [];
  const promise = new Promise<[Message, Conversation][]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${got.length}/${count} messages within ${ms} ms`)), ms);
    const listener = (message: Message, conversation: Conversation): void => {
      got.push([message, conversation]);
      if (got.length === count) {
        clearTimeout(timer);
        client.off('message', listener);
        resolve(got);
      }
    };
    client.on('message', listener);
  });
  promise.catch(() => {});
  return promise;
}

/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until it holds, or rejects after `ms`. */
export async function until(condition: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await delay(20);
  }
}

/** Takes the device offline and waits until the server has logged `client` out (seen by `observer`), so what happens next is missed. */
export async function goOffline(device: Realtime, client: IMClient, observer: IMClient): Promise<void> {
  const disconnected = nextEvent(client, 'disconnect');
  device.pause();
  await disconnected;
  const deadline = Date.now() + 5000;
  while ((await observer.ping([client.id])).length > 0) {
    if (Date.now() > deadline) throw new Error(`${client.id} still online`);
    await delay(20);
  }
}

/** A `ws` WebSocket that records every command the SDK sends, and every frame it receives. */
export function recordingWebSocket(): { WebSocket: WebSocketConstructor; sent: DecodedCommand[]; received: DecodedCommand[]; lastFrameAt(): number } {
  const sent: DecodedCommand[] = [];
  const received: DecodedCommand[] = [];
  let lastFrameAt = 0;
  class Recording extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: 1 << 20 });
      this.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        lastFrameAt = Date.now();
        // The SDK sets binaryType 'arraybuffer', which applies to this listener too.
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : Array.isArray(data) ? Buffer.concat(data) : data;
        try {
          received.push(fromFrame(isBinary ? new Uint8Array(bytes) : Buffer.from(bytes).toString()));
        } catch {
          // not a command: the SDK ignores it too
        }
      });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(fromFrame(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer | Uint8Array)));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  return { WebSocket: Recording as unknown as WebSocketConstructor, sent, received, lastFrameAt: () => lastFrameAt };
}

/** `command` as the SDK receives it from the wire: encoded, then decoded (proto2 presence and defaults included). */
export function decoded(command: Command): DecodedCommand {
  return decodeCommand(encodeCommand(command));
}
