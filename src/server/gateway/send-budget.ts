/**
 * The server-wide bound on bytes held for clients that do not read
 * (`--max-send-buffer-total`).
 *
 * Each socket has its own budget (maxBufferedBytes), but many slow
 * sockets together could still hold the server's memory: 200 members of
 * one busy conversation that never read would hold 200 budgets. Over the
 * total, the sockets holding the most unsent bytes (the slowest) first
 * lose their droppable chat-room frames, LOW then NORMAL, as their own
 * budget would shed them; if that is not enough they are cut off, the
 * largest holder first: a client cut off recovers from history, so no
 * persisted message is lost.
 */

/** What the budget needs of a socket. */
export interface BudgetedSocket {
  readonly isOpen: boolean;
  /** Bytes accepted for the client and not yet handed to the kernel. */
  readonly pendingBytes: number;
  /** Drops the socket without a close handshake (which would wait behind the unsent bytes). */
  cutOff(reason: string): void;
  /**
   * Drops queued chat-room frames (LOW, then NORMAL, oldest first) worth at
   * least `bytes`, if it has them; returns the frames and bytes dropped. A
   * socket without droppable frames may leave it out.
   */
  shedDroppable?(bytes: number): { frames: number; bytes: number };
}

/** What the budget did since the server started, for stats() and /health. */
export interface SendBudgetStats {
  /** The cap: `--max-send-buffer-total`. */
  sendBufferTotalLimit: number;
  /** Chat-room frames dropped because all queues together held more than the cap. */
  framesShedForTotal: number;
  /** Sockets cut off because all queues together held more than the cap. */
  cutForTotal: number;
}

/**
 * A WebSocket frame header is at most 14 bytes; charging it keeps the
 * estimate above what the sockets report.
 */
const FRAME_OVERHEAD = 14;

export class ServerSendBudget {
  /**
   * An upper bound of what all sockets hold: the exact total at the last
   * count plus every byte queued since (bytes that left meanwhile are not
   * subtracted). Counting is O(sockets), so it happens only when this
   * bound passes the limit: once per `limit` bytes of traffic at most,
   * unless the sockets really hold about that much.
   */
  private bound = 0;

  private framesShed = 0;
  private cut = 0;

  constructor(
    readonly limit: number,
    private readonly sockets: () => Iterable<BudgetedSocket>,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Records bytes just queued for a socket; may shed frames of sockets or cut them off (that one included). */
  charge(bytes: number): void {
    this.bound += bytes + FRAME_OVERHEAD;
    if (this.bound > this.limit) this.enforce();
  }

  stats(): SendBudgetStats {
    return { sendBufferTotalLimit: this.limit, framesShedForTotal: this.framesShed, cutForTotal: this.cut };
  }

  private enforce(): void {
    const holding: { socket: BudgetedSocket; bytes: number }[] = [];
    let total = 0;
    for (const socket of this.sockets()) {
      if (!socket.isOpen) continue;
      const bytes = socket.pendingBytes;
      if (bytes === 0) continue;
      total += bytes;
      holding.push({ socket, bytes });
    }
    if (total > this.limit) {
      const over = total;
      holding.sort((a, b) => b.bytes - a.bytes);
      let shedFrames = 0;
      let shedFrom = 0;
      for (const entry of holding) {
        if (total <= this.limit) break;
        const shed = entry.socket.shedDroppable?.(total - this.limit);
        if (!shed || shed.frames === 0) continue;
        shedFrames += shed.frames;
        shedFrom += 1;
        entry.bytes -= shed.bytes;
        total -= shed.bytes;
      }
      let cut = 0;
      if (total > this.limit) {
        holding.sort((a, b) => b.bytes - a.bytes);
        for (const { socket, bytes } of holding) {
          if (total <= this.limit) break;
          socket.cutOff(`the server holds more than ${this.limit} bytes unsent and this socket held the most (${bytes})`);
          total -= bytes;
          cut += 1;
        }
      }
      this.framesShed += shedFrames;
      this.cut += cut;
      this.log(`send queues held ${over} bytes, over the server-wide cap of ${this.limit}: shed ${shedFrames} chat-room frames of ${shedFrom} sockets, cut off ${cut}`);
    }
    this.bound = total;
  }
}
