/**
 * The official `leancloud-realtime` SDKs from npm (3.5.7 and 4.3.1, installed
 * as the aliases lc3 and lc4), pointed at a test server as protocol.md §2
 * describes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/* The official SDKs ship no types; these are the parts the tests use. */
export interface OfficialMessage {
  id: string;
  cid: string;
  from: string;
  timestamp: Date;
  text?: string;
  type?: number;
  getText?(): string;
  content?: unknown;
}
export interface OfficialConversation {
  id: string;
  name: string;
  members: string[];
  send(message: unknown, options?: Record<string, unknown>): Promise<OfficialMessage>;
  queryMessages(options?: Record<string, unknown>): Promise<OfficialMessage[]>;
  createMessagesIterator(options?: Record<string, unknown>): { next(): Promise<{ value: OfficialMessage[]; done: boolean }> };
  count(): Promise<number>;
  on(event: string, listener: (...args: never[]) => void): void;
}
export interface OfficialClient {
  id: string;
  createConversation(options: Record<string, unknown>): Promise<OfficialConversation>;
  getConversation(id: string): Promise<OfficialConversation>;
  getQuery(): { containsMembers(ids: string[]): { find(): Promise<OfficialConversation[]> } };
  ping(ids: string[]): Promise<string[]>;
  close(): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): void;
}
export interface OfficialRealtime {
  createIMClient(id: string): Promise<OfficialClient>;
  on(event: string, listener: (...args: never[]) => void): void;
}
export interface OfficialSdk {
  version: '3.5.7' | '4.3.1';
  TextMessage: new (text: string) => unknown;
  /** A Realtime bound to the test server; `pushOfflineMessages` asks for subprotocol `.1`. */
  realtime(options: { appId: string; appKey: string; wsUrl: string; noBinary?: boolean; pushOfflineMessages?: boolean; plugins?: object[] }): OfficialRealtime;
}

interface Lc3Module {
  Realtime: (new (options: Record<string, unknown>) => OfficialRealtime) & { _fetchEndpointsInfo?: unknown };
  TextMessage: new (text: string) => unknown;
}

export const v3: OfficialSdk = {
  version: '3.5.7',
  TextMessage: (require('lc3') as Lc3Module).TextMessage,
  realtime({ appId, wsUrl, noBinary, pushOfflineMessages, plugins = [] }) {
    const { Realtime } = require('lc3') as Lc3Module;
    // 3.5.7 has no server option: replace its endpoint discovery (protocol.md §2.1).
    Realtime._fetchEndpointsInfo = () => Promise.resolve({ server: wsUrl + '/', ttl: 3600 });
    return new Realtime({ appId, noBinary: noBinary === true, pushOfflineMessages: pushOfflineMessages === true, plugins });
  },
};

export const v4: OfficialSdk = {
  version: '4.3.1',
  TextMessage: (require('lc4') as Lc3Module).TextMessage,
  realtime({ appId, appKey, wsUrl, noBinary, pushOfflineMessages, plugins = [] }) {
    const { Realtime } = require('lc4') as Lc3Module;
    return new Realtime({ appId, appKey, RTMServers: wsUrl + '/', noBinary: noBinary === true, pushOfflineMessages: pushOfflineMessages === true, plugins });
  },
};

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function nextEvent<T extends unknown[]>(
  emitter: { on(event: string, listener: (...args: never[]) => void): void },
  event: string,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    emitter.on(event, ((...args: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(args);
    }) as unknown as (...args: never[]) => void);
  });
}

/** Collects the messages of `event` until `count` arrived, or rejects after `ms`. */
export function collect<T>(
  emitter: { on(event: string, listener: (...args: never[]) => void): void },
  event: string,
  count: number,
  ms = 5000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    const timer = setTimeout(() => reject(new Error(`got ${items.length} of ${count} ${event} events`)), ms);
    emitter.on(event, ((item: T) => {
      items.push(item);
      if (items.length === count) {
        clearTimeout(timer);
        resolve(items);
      }
    }) as (...args: never[]) => void);
  });
}

interface AxiosRequestConfig {
  url?: string;
}
interface Axios {
  interceptors: { request: { use(onFulfilled: (config: AxiosRequestConfig) => AxiosRequestConfig): number; eject(id: number): void } };
}

/**
 * 4.x always calls its REST API (notifications, member info) over
 * `https://<server>`; this rewrites those calls to the test server's plain
 * HTTP on the axios instance lc4 requires (its own nested copy), and
 * records the URLs as v4 built them. `stop()` removes the rewrite.
 */
export function redirectV4Rest(httpUrl: string): { calls: string[]; stop(): void } {
  const axios = createRequire(require.resolve('lc4'))('axios') as Axios;
  const host = new URL(httpUrl).host;
  const calls: string[] = [];
  const id = axios.interceptors.request.use((config) => {
    if (!config.url?.startsWith(`https://${host}/`)) return config;
    calls.push(config.url);
    return { ...config, url: `http://${config.url.slice('https://'.length)}` };
  });
  return { calls, stop: () => axios.interceptors.request.eject(id) };
}
