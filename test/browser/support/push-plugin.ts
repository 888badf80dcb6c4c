/**
 * What a browser test of Web Push needs from outside the page, by
 * `executeServerCommand('lc-push', {action, …})`:
 *
 * - `grant`: notification permission for the page's origin (Playwright), as
 *   a user's click on "Allow" would give;
 * - `service`: starts (once) a push service on loopback that records what
 *   the lc-chat server sends; returns its URL;
 * - `received`: waits for a request to `path` there; returns its headers
 *   and body (base64);
 * - `decrypt`: decrypts a recorded body with the subscriber's keys (RFC
 *   8291, test/helpers/web-push-decrypt.ts), as the browser would;
 * - `deliver`: hands `data` to the page's service worker registration of
 *   `scope` as a push message, through the DevTools protocol
 *   (`ServiceWorker.deliverPushMessage`): the browser's own push event in
 *   the real worker, standing in for the push service Chromium cannot
 *   reach here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { PlaywrightLauncher } from '@web/test-runner-playwright';
import { decryptPush } from '../../helpers/web-push-decrypt.js';

interface Recorded {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const recorded: Recorded[] = [];
let service: Server | undefined;
let serviceUrl = '';

async function startService(): Promise<string> {
  if (service) return serviceUrl;
  service = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      recorded.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('base64') });
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => service!.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  return serviceUrl;
}

async function received(path: string, timeoutMs = 15_000): Promise<Recorded> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = recorded.find((entry) => entry.path === path);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no push to ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function pushPlugin(): TestRunnerPlugin {
  return {
    name: 'lc-push',
    async serverStop() {
      service?.closeAllConnections();
      service?.close();
    },
    async executeCommand({ command, payload, session }) {
      if (command !== 'lc-push') return undefined;
      const args = payload as { action: string; origin?: string; path?: string; body?: string; privateKey?: string; auth?: string; scope?: string; data?: string };
      const page = () => (session.browser as PlaywrightLauncher).getPage(session.id);
      switch (args.action) {
        case 'grant':
          await page().context().grantPermissions(['notifications'], { origin: args.origin! });
          return true;
        case 'service':
          return startService();
        case 'received':
          return received(args.path!);
        case 'decrypt':
          return decryptPush(Buffer.from(args.body!, 'base64'), Buffer.from(args.privateKey!, 'base64url'), Buffer.from(args.auth!, 'base64url'));
        case 'deliver': {
          const cdp = await page().context().newCDPSession(page());
          try {
            const registrations = new Promise<string>((resolve) => {
              cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
                const match = registrations.find((registration) => registration.scopeURL === args.scope && !registration.isDeleted);
                if (match) resolve(match.registrationId);
              });
            });
            await cdp.send('ServiceWorker.enable');
            const registrationId = await Promise.race([
              registrations,
              new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`lc-push deliver: DevTools listed no service worker registration of ${args.scope} within 20 s`)), 20_000).unref()),
            ]);
            await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(args.scope!).origin, registrationId, data: args.data! });
            return true;
          } finally {
            await cdp.detach();
          }
        }
        default:
          throw new Error(`lc-push: unknown action ${args.action}`);
      }
    },
  };
}
