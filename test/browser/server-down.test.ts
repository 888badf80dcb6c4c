/**
 * "You're offline" is for a browser without network (issue 13, defect 9):
 * when the network is fine and the server is down, the widget says the
 * server cannot be reached and when it tries again (the SDK's `schedule`).
 * Uses its own server (`server-down`), stopped and started again.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import type { LcChat } from '../../src/components/index.js';
import { mount, opened, server, shadow, startServer, stopServer, uid, waitFor } from './support/fixtures.js';

async function chatOn(name: string, lang = 'en'): Promise<LcChat> {
  const { wsUrl, appId } = await server(name);
  const chat = mount<LcChat>(`<lc-chat lang="${lang}" server="${wsUrl}" app-id="${appId}" client-id="${uid('me')}" members="${uid('x')}" unique></lc-chat>`);
  await opened(chat);
  return chat;
}

function bannerText(chat: LcChat): string {
  return shadow(chat).querySelector('[part=banner] p')?.textContent?.trim() ?? '';
}

describe('server down, network up', function () {
  this.timeout(40_000);

  it('says the server cannot be reached and when the next attempt is, not "You’re offline"', async () => {
    const chat = await chatOn('server-down');
    expect(navigator.onLine).to.equal(true);
    await stopServer('server-down');
    try {
      await waitFor(() => chat.connectionState === 'offline', 'the connection lost');
      await chat.updateComplete;
      expect(bannerText(chat)).to.match(/^Can’t reach the chat server\. Trying again/);
      await waitFor(() => chat.client?.nextAttemptAt, 'a scheduled attempt');
      await chat.updateComplete;
      const at = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(chat.client!.nextAttemptAt!);
      expect(bannerText(chat)).to.equal(`Can’t reach the chat server. Trying again at ${at}; messages you send will go out when it’s back.`);
      expect(bannerText(chat)).to.not.contain('offline');
      expect(shadow(chat).querySelector('.subtitle')!.textContent).to.contain('Can’t reach the server');
      expect(shadow(chat).querySelector('[part=banner] button')!.textContent).to.contain('Retry');
    } finally {
      await startServer('server-down');
    }
    shadow(chat).querySelector<HTMLButtonElement>('[part=banner] button')?.click();
    await waitFor(() => chat.connectionState === 'online', 'online again', 20_000);
  });

  it('a server down when the page loads: the first login keeps trying on the SDK’s back-off, then comes online', async () => {
    const { wsUrl, appId } = await server('server-down');
    await stopServer('server-down');
    let chat: LcChat;
    try {
      chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${uid('me')}" members="${uid('x')}" unique></lc-chat>`);
      await waitFor(() => chat.connectionState === 'offline', 'offline while the first connect fails');
      await waitFor(() => chat.client?.nextAttemptAt, 'a scheduled attempt');
      await chat.updateComplete;
      expect(bannerText(chat)).to.match(/^Can’t reach the chat server\. Trying again/);
      expect(chat.client!.lastError).to.equal(undefined);
    } finally {
      await startServer('server-down');
    }
    // No click: the scheduled attempts go on by themselves.
    await waitFor(() => chat.connectionState === 'online', 'online once the server is up', 30_000);
    expect(chat.client!.imClient?.id).to.equal(chat.client!.clientId);
  });

  it('keeps "You’re offline" when the browser has no network', async () => {
    const chat = await chatOn('main', 'zh-CN');
    const descriptor = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      window.dispatchEvent(new Event('offline'));
      await waitFor(() => chat.connectionState === 'offline', 'offline');
      await chat.updateComplete;
      expect(bannerText(chat)).to.equal('网络已断开。你发送的消息会在恢复连接后发出。');
      expect(shadow(chat).querySelector('.subtitle')!.textContent).to.contain('离线');
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
      Object.defineProperty(Navigator.prototype, 'onLine', descriptor);
      window.dispatchEvent(new Event('online'));
    }
    await waitFor(() => chat.connectionState === 'online', 'online again', 20_000);
  });
});
