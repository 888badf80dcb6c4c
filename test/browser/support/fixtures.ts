/// <reference types="mocha" />
/**
 * Helpers for the component tests: the test server, unique ids, mounting
 * elements (removed after each test), waiting for conditions, and reaching
 * into shadow roots.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { Realtime, type IMClient } from '../../../src/sdk/index.js';
import type { LcChat } from '../../../src/components/index.js';
import type { LcServerInfo } from './lc-server-plugin.js';

export async function server(name = 'main'): Promise<LcServerInfo> {
  return (await executeServerCommand('lc-server', { action: 'info', name })) as LcServerInfo;
}

export async function stopServer(name: string): Promise<void> {
  await executeServerCommand('lc-server', { action: 'stop', name });
}

export async function startServer(name: string): Promise<void> {
  await executeServerCommand('lc-server', { action: 'start', name });
}

let counter = 0;
/** A clientId or name no other test (or earlier run) uses. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

const mounted: HTMLElement[] = [];
const realtimes: Realtime[] = [];

/** Adds markup to the page; everything mounted is removed after the test. */
export function mount<T extends HTMLElement = HTMLElement>(markup: string): T {
  const template = document.createElement('template');
  template.innerHTML = markup.trim();
  const element = template.content.firstElementChild as T;
  document.body.append(element);
  mounted.push(element);
  return element;
}

/** An SDK client in the test itself, closed after the test. */
export async function sdkClient(clientId: string, serverName = 'main'): Promise<IMClient> {
  const info = await server(serverName);
  const realtime = new Realtime({ appId: info.appId, server: info.wsUrl });
  realtimes.push(realtime);
  return realtime.createIMClient(clientId);
}

afterEach(async () => {
  for (const element of mounted.splice(0)) element.remove();
  await Promise.all(realtimes.splice(0).map((realtime) => realtime.close().catch(() => {})));
});

/**
 * Polls until `check` returns a truthy value; fails with `what` after `timeout` ms. Generous: what
 * takes milliseconds quiet took over 8 s at load average 18 to 30 on two cores (the server, the
 * test runner and Chromium share them), so a loaded machine costs time, never a failure.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeout = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function shadow(element: Element): ShadowRoot {
  const root = element.shadowRoot;
  if (!root) throw new Error(`${element.localName} has no shadow root`);
  return root;
}

/**
 * Whether the server took a row's message (acked; maybe delivered or read):
 * the row is neither pending (sending, or queued for the connection) nor
 * failed. Read from the row's classes, not its status line: only the last
 * row of a group, a queued and a failed one show that line, so a row in the
 * middle of a group has no status while it is still sending.
 */
export function isSent(row: { element: HTMLElement }): boolean {
  return !row.element.classList.contains('pending') && !row.element.classList.contains('failed');
}

/** Message rows of a chat, as `{from, text, status}`. */
export function rows(chat: LcChat): Array<{ id: string; from: string; text: string; own: boolean; status: string | null; element: HTMLElement }> {
  return [...shadow(chat).querySelectorAll<HTMLElement>('article.row')].map((element) => ({
    id: element.dataset.id ?? '',
    from: element.dataset.from ?? '',
    text: element.querySelector('.bubble')?.textContent?.trim() ?? '',
    own: element.classList.contains('own'),
    status: element.querySelector('.meta-line')?.getAttribute('data-status') ?? null,
    element,
  }));
}

export function textarea(chat: LcChat): HTMLTextAreaElement {
  const input = shadow(chat).querySelector('textarea');
  if (!input) throw new Error('no composer');
  return input;
}

/** Waits until the chat shows its conversation (loaded from the network). */
export async function opened(chat: LcChat): Promise<void> {
  await waitFor(() => chat.conversation && chat.connectionState === 'online', `${chat.clientId ?? 'chat'} to open its conversation`);
  // …and show its newest page (no loading spinner).
  await waitFor(async () => (await chat.updateComplete) && !chat.shadowRoot?.querySelector('.empty .spinner'), 'the first page');
}
