/**
 * The server-wide bound on bytes held for clients that do not read.
 *
 * Each socket has its own budget (maxBufferedBytes), but many slow
 * sockets together could still hold the server's memory: 200 members of
 * one busy conversation that never read would hold 200 budgets. Over the
 * total, the sockets holding the most unsent bytes are cut off first:
 * they are the slowest, and a client cut off recovers from history, so no
 * persisted message is lost.
 */

/** What the budget needs of a socket. */
export interface BudgetedSocket {
  readonly isOpen: boolean;
  /** Bytes accepted for the client and not yet handed to the kernel. */
  readonly pendingBytes: number;
  /** Drops the socket without a close handshake (which would wait behind the unsent bytes). */
  cutOff(reason: string): void;
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

  constructor(
    readonly limit: number,
    private readonly sockets: () => Iterable<BudgetedSocket>,
  ) {}

  /** Records bytes just queued for a socket; may cut sockets off (that one included). */
  charge(bytes: number): void {
    this.bound += bytes + FRAME_OVERHEAD;
    if (this.bound > this.limit) this.enforce();
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
      holding.sort((a, b) => b.bytes - a.bytes);
      for (const { socket, bytes } of holding) {
        if (total <= this.limit) break;
        socket.cutOff(`the server holds more than ${this.limit} bytes unsent and this socket held the most (${bytes})`);
        total -= bytes;
      }
    }
    this.bound = total;
  }
}
