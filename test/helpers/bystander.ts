/**
 * A bystander for attack tests: two ordinary clients on the same server
 * chatting in their own conversation while an attacker does its worst.
 * `stop()` resolves once every message sent was delivered (or rejects
 * naming what was lost) and reports the delivery latencies, which a test
 * logs for the issue note and never asserts on: machines here are noisy.
 */
import { CommandType, OpType } from '../../src/protocol/codec.js';
import { RawClient } from './raw-client.js';
import { TEST_APP } from './server.js';

export interface BystanderReport {
  sent: number;
  delivered: number;
  /** Send-to-push latencies in ms. */
  p50: number;
  p99: number;
  max: number;
}

export interface Bystander {
  /** Stops sending, waits for what is in flight and checks that everything arrived. */
  stop(): Promise<BystanderReport>;
}

/**
 * Starts a pair `by-a-<tag>` / `by-b-<tag>`: `a` sends one message every
 * `intervalMs` (waiting for the previous ack), `b` records when each
 * arrives.
 */
export async function startBystander(wsUrl: string, tag: string, intervalMs = 20, appId = TEST_APP.appId): Promise<Bystander> {
  const sender = await RawClient.connect(wsUrl);
  const receiver = await RawClient.connect(wsUrl);
  const a = `by-a-${tag}`;
  const b = `by-b-${tag}`;
  await sender.login(appId, a);
  await receiver.login(appId, b);
  const started = await sender.request({ cmd: CommandType.conv, op: OpType.start, peerId: a, convMessage: { m: [b] } });
  const cid = started.convMessage?.cid;
  if (!cid) throw new Error(`bystander could not start its conversation: ${started.errorMessage?.reason}`);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let arrivedAll: (() => void) | undefined;
  receiver.onPush = (command) => {
    if (command.cmd !== CommandType.direct || command.directMessage?.cid !== cid) return false;
    const text = command.directMessage.msg ?? '';
    const at = sentAt.get(text);
    if (at !== undefined) {
      latencies.push(Date.now() - at);
      sentAt.delete(text);
      if (sentAt.size === 0) arrivedAll?.();
    }
    return true;
  };

  let running = true;
  let sent = 0;
  let failure: Error | undefined;
  const loop = (async () => {
    while (running) {
      const text = `bystander ${tag} ${sent}`;
      sentAt.set(text, Date.now());
      sent += 1;
      try {
        const ack = await sender.request({ cmd: CommandType.direct, peerId: a, directMessage: { cid, msg: text } }, 30_000);
        if (ack.cmd !== CommandType.ack) throw new Error(`bystander send refused: ${ack.errorMessage?.reason}`);
      } catch (error) {
        failure = error as Error;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      if (sentAt.size > 0) {
        await new Promise<void>((resolve) => {
          arrivedAll = resolve;
          setTimeout(resolve, 10_000);
        });
      }
      sender.close();
      receiver.close();
      if (failure) throw failure;
      if (sentAt.size > 0) throw new Error(`bystander ${tag}: ${sentAt.size} of ${sent} messages never arrived`);
      const sorted = [...latencies].sort((x, y) => x - y);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { sent, delivered: latencies.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
    },
  };
}

/** One line for the test log: `bystander <tag>: 120 delivered, p50 2 ms, p99 9 ms, max 14 ms`. */
export function describeBystander(tag: string, report: BystanderReport): string {
  return `bystander ${tag}: ${report.delivered} delivered, p50 ${report.p50} ms, p99 ${report.p99} ms, max ${report.max} ms`;
}
