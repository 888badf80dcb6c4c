/**
 * Prometheus metrics for `GET /metrics` (prom-client). One registry per
 * server, so several servers in one process (tests, embedders) never mix
 * their counts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Broker } from '../broker/types.js';
import type { Store } from '../store/types.js';

/** Live figures read at scrape time rather than counted as they happen. */
export interface LiveFigures {
  connections: number;
  sessions: number;
  pendingBytes: number;
  droppedFrames: number;
  slowConsumersCut: number;
}

/** Seconds; store calls are sub-millisecond on SQLite and tens of ms on a loaded PostgreSQL. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The server's counters and histograms; handlers call the `count…` methods, one call per event. */
export class ServerMetrics {
  /** This server's own metrics. */
  readonly registry = new Registry();
  /** What GET /metrics shows: this server's metrics and the process's. */
  private readonly exposed: Registry;
  private readonly commands: Counter<'command' | 'code'>;
  private readonly stored: Counter;
  private readonly deliveries: Counter;
  private readonly connectionsOpened: Counter;
  private readonly connectionsRefused: Counter;
  private readonly storeLatency: Histogram<'operation'>;
  private readonly brokerLatency: Histogram;
  /** Reads the broker's count of deliveries received from other nodes; set by instrumentBroker. */
  private brokerReceived: () => number = () => 0;
  private readonly hookCalls: Counter<'event' | 'outcome'>;

  constructor(live: () => LiveFigures) {
    const registers = [this.registry];
    this.commands = new Counter({ name: 'lc_commands_total', help: 'Commands handled, by command (cmd or cmd/op) and error code (0 for success).', labelNames: ['command', 'code'], registers });
    this.stored = new Counter({ name: 'lc_messages_stored_total', help: 'Messages appended to the store (retries deduplicated by dt not counted).', registers });
    this.deliveries = new Counter({ name: 'lc_deliveries_total', help: 'Frames queued to sessions on this node by broker deliveries (one per recipient session).', registers });
    this.connectionsOpened = new Counter({ name: 'lc_connections_opened_total', help: 'WebSocket connections accepted.', registers });
    this.connectionsRefused = new Counter({ name: 'lc_connections_rate_limited_total', help: 'WebSocket upgrades refused by the per-address rate limit (429).', registers });
    this.storeLatency = new Histogram({ name: 'lc_store_seconds', help: 'Store call latency by operation (append, history, query).', labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers });
    this.brokerLatency = new Histogram({ name: 'lc_broker_publish_seconds', help: 'Broker publish latency per burst of publishes (those of one commit or one fan-out, from the first until all were taken), recorded when a broker other than the in-process one is configured.', buckets: LATENCY_BUCKETS, registers });
    const brokerReceived = () => this.brokerReceived();
    new Counter({ name: 'lc_broker_deliveries_received_total', help: 'Deliveries this node received from other nodes through the broker (Redis); a node holding none of the recipients receives none.', registers, collect() { setCounter(this, brokerReceived()); } });
    this.hookCalls = new Counter({ name: 'lc_hook_calls_total', help: 'Hook calls by event and outcome (ok, retried, failed, dropped).', labelNames: ['event', 'outcome'], registers });
    new Gauge({ name: 'lc_connections', help: 'Open WebSocket connections.', registers, collect() { this.set(live().connections); } });
    new Gauge({ name: 'lc_sessions', help: 'Logged-in sessions (IMClients) on this node.', registers, collect() { this.set(live().sessions); } });
    new Gauge({ name: 'lc_send_queue_bytes', help: 'Bytes held in send queues and WebSocket buffers, all sockets together.', registers, collect() { this.set(live().pendingBytes); } });
    // Counted by the gateway already; exposed as counters read at scrape time.
    new Counter({ name: 'lc_frames_dropped_total', help: 'Chat-room frames dropped for clients that read too slowly.', registers, collect() { setCounter(this, live().droppedFrames); } });
    new Counter({ name: 'lc_slow_consumers_cut_total', help: 'Sockets cut off by the send-queue policy.', registers, collect() { setCounter(this, live().slowConsumersCut); } });
    // Last: merging copies the metrics registered so far.
    this.exposed = Registry.merge([this.registry, processRegistry()]);
  }

  /** `n` commands (one by default) answered: `code` is 0 for success, else the protocol's error code. */
  countCommand(command: string, code: number, n = 1): void {
    this.commands.inc({ command, code: String(code) }, n);
  }

  countConnection(): void {
    this.connectionsOpened.inc();
  }

  countHook(event: string, outcome: 'ok' | 'retried' | 'failed' | 'dropped'): void {
    this.hookCalls.inc({ event, outcome });
  }

  countRefusedConnection(): void {
    this.connectionsRefused.inc();
  }

  countDeliveries(n: number): void {
    if (n > 0) this.deliveries.inc(n);
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.exposed.contentType, body: await this.exposed.metrics() };
  }

  /** Wraps the store so appends are counted and timed, and history and conversation queries timed. */
  instrumentStore(store: Store): Store {
    const timed = this.storeLatency;
    const stored = this.stored;
    const wrappers: Partial<Store> = {
      appendMessage: async (input) => {
        const end = timed.startTimer({ operation: 'append' });
        const result = await store.appendMessage(input).finally(end);
        if (!result.duplicate) stored.inc();
        return result;
      },
      // One timing per batch (what the store waited), one count for its new messages.
      appendMessages: async (inputs) => {
        const end = timed.startTimer({ operation: 'append' });
        const outcomes = await store.appendMessages(inputs).finally(end);
        let added = 0;
        for (const outcome of outcomes) if (outcome.ok && !outcome.result.duplicate) added += 1;
        if (added > 0) stored.inc(added);
        return outcomes;
      },
      queryMessages: (query) => {
        const end = timed.startTimer({ operation: 'history' });
        return store.queryMessages(query).finally(end);
      },
      findConversations: (query) => {
        const end = timed.startTimer({ operation: 'query' });
        return store.findConversations(query).finally(end);
      },
    };
    return withOverrides(store, wrappers);
  }

  /**
   * Wraps a broker so its publishes are timed, and counts what it received
   * if it says (`deliveriesReceived`). One observation per burst of
   * publishes (those made before the next microtask: the direct batch's
   * pushes of one commit, a fan-out), from the first publish until all of
   * them were taken: a timer per publish cost ~0.6 µs each (a closure, an
   * hrtime and a histogram observation per message on the Redis path).
   */
  instrumentBroker(broker: Broker): Broker {
    if (countsReceived(broker)) this.brokerReceived = () => broker.deliveriesReceived;
    const timed = this.brokerLatency;
    let burst: Promise<void>[] | undefined;
    let startedAt = 0;
    const endBurst = () => {
      const published = burst!;
      const from = startedAt;
      burst = undefined;
      void Promise.allSettled(published).then(() => timed.observe((performance.now() - from) / 1000));
    };
    return withOverrides(broker, {
      publish: (delivery) => {
        const published = broker.publish(delivery);
        if (!burst) {
          burst = [];
          startedAt = performance.now();
          queueMicrotask(endBurst);
        }
        burst.push(published);
        return published;
      },
    });
  }
}

/**
 * `target` with some methods replaced; every other property (methods bound
 * to the target) passes through, so a store or broker class with more
 * methods than its interface keeps working.
 */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

let sharedProcessRegistry: Registry | undefined;

/**
 * The process metrics (CPU, memory, event-loop lag, GC), collected once per
 * process: they describe the process, not one server, and each collection
 * starts its own event-loop and GC monitors, which nothing stops.
 */
function processRegistry(): Registry {
  if (!sharedProcessRegistry) {
    sharedProcessRegistry = new Registry();
    collectDefaultMetrics({ register: sharedProcessRegistry, prefix: 'lc_' });
  }
  return sharedProcessRegistry;
}

function countsReceived(broker: Broker): broker is Broker & { readonly deliveriesReceived: number } {
  return typeof (broker as Broker & { deliveriesReceived?: unknown }).deliveriesReceived === 'number';
}

function setCounter(counter: Counter, value: number): void {
  counter.reset();
  if (value > 0) counter.inc(value);
}
