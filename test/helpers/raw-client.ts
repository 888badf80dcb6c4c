/**
 * A bare protocol client over `ws` and our codec, for tests and benchmarks
 * that need exact control of frames (dedup tokens, garbage, pipelining).
 */
import WebSocket from 'ws';
import { CommandType, OpType, encodeCommand, fromFrame, has, type Command, type DecodedCommand, type ISessionCommand } from '../../src/protocol/codec.js';
import { within } from './wait.js';

export class RawClient {
  private nextI = 1;
  private readonly pending = new Map<number, (command: DecodedCommand | null, error?: Error) => void>();
  private readonly inbox: DecodedCommand[] = [];
  private readonly waiters: ((command: DecodedCommand) => void)[] = [];
  /** Waiters of `take`, each with what it is waiting for. */
  private readonly takers: { match: (command: DecodedCommand) => boolean; resolve: (command: DecodedCommand) => void }[] = [];
  /** Called for every frame that is not a reply to `request`; `next()` still sees it unless this returns true. */
  onPush: ((command: DecodedCommand) => boolean | void) | undefined;
  readonly #closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(fromFrame(isBinary ? new Uint8Array(data) : data.toString())));
    this.#closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        // Requests in flight will never be answered: fail them now.
        for (const [i, settle] of this.pending) settle(null, new Error(`socket closed (${code}) before reply to i=${i}`));
        this.pending.clear();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => {});
  }

  /** The close's code and reason; rejects if the socket is still open 20 s after this is read (a wait that would hang says so). */
  get closed(): Promise<{ code: number; reason: string }> {
    return within(this.#closed, 'the socket to close');
  }

  static async connect(url: string, protocol: string | string[] = 'lc.protobuf2.3'): Promise<RawClient> {
    const ws = new WebSocket(url, protocol);
    await within(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      `the WebSocket to ${url} to open`,
    );
    return new RawClient(ws);
  }

  /** Sends as-is (binary). */
  send(command: Command): void {
    this.ws.send(encodeCommand(command));
  }

  /** Sends with the next serial `i` and resolves with the reply carrying it (an error reply too). */
  request(command: Command, timeoutMs = 10_000): Promise<DecodedCommand> {
    const i = this.nextI++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(i);
        reject(new Error(`no reply to i=${i} (cmd ${command.cmd}, op ${command.op}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(i, (reply, error) => {
        clearTimeout(timer);
        if (reply) resolve(reply);
        else reject(error);
      });
      if (this.ws.readyState !== WebSocket.OPEN) return this.pending.get(i)!(null, new Error('socket is not open'));
      this.send({ ...command, i });
    });
  }

  /** The next frame that was not a reply to `request`. */
  next(timeoutMs = 3000): Promise<DecodedCommand> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter = (command: DecodedCommand) => {
        clearTimeout(timer);
        resolve(command);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`nothing arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * The first frame, queued or yet to come, that `match` accepts; frames
   * it skips stay queued for `next()` and later `take()`s.
   */
  take(match: (command: DecodedCommand) => boolean, timeoutMs = 3000): Promise<DecodedCommand> {
    const index = this.inbox.findIndex(match);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const taker = {
        match,
        resolve: (command: DecodedCommand) => {
          clearTimeout(timer);
          resolve(command);
        },
      };
      const timer = setTimeout(() => {
        this.takers.splice(this.takers.indexOf(taker), 1);
        reject(new Error(`nothing matching arrived within ${timeoutMs} ms (${this.inbox.length} other frames queued)`));
      }, timeoutMs);
      this.takers.push(taker);
    });
  }

  /** Every frame queued now, emptying the queue. */
  drain(): DecodedCommand[] {
    return this.inbox.splice(0);
  }

  /** Opens a session; rejects with the error reply if refused. `sessionMessage` adds to (or overrides) the defaults. */
  async login(appId: string, clientId: string, sessionMessage: ISessionCommand = {}): Promise<DecodedCommand> {
    const reply = await this.request({
      cmd: CommandType.session,
      op: OpType.open,
      appId,
      peerId: clientId,
      sessionMessage: { ua: 'raw-client', ...sessionMessage },
    });
    if (reply.cmd === CommandType.error) throw new Error(`login refused: ${reply.errorMessage?.reason}`);
    return reply;
  }

  close(): void {
    this.ws.close();
  }

  private receive(command: DecodedCommand): void {
    const resolve = has(command, 'i') ? this.pending.get(command.i) : undefined;
    if (resolve) {
      this.pending.delete(command.i);
      resolve(command);
      return;
    }
    if (this.onPush?.(command) === true) return;
    const taker = this.takers.findIndex((candidate) => candidate.match(command));
    if (taker >= 0) {
      this.takers.splice(taker, 1)[0]!.resolve(command);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(command);
    else this.inbox.push(command);
  }
}
