/**
 * The outbox: messages typed while the server is unreachable are shown as
 * waiting, kept in IndexedDB, and sent once each, in order, when the
 * connection returns. Uses its own server (`outbox`), restarted on the same
 * port with the same data.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import { openChatCache, TextMessage, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, startServer, stopServer, textarea, uid, waitFor, isSent } from './support/fixtures.js';

async function setup(): Promise<{ chat: LcChat; markup: string; me: string; peer: string; wsUrl: string; appId: string }> {
  const { wsUrl, appId } = await server('outbox');
  const me = uid('traveller');
  const peer = uid('peer');
  const markup = `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique></lc-chat>`;
  const chat = mount<LcChat>(markup);
  await opened(chat);
  return { chat, markup, me, peer, wsUrl, appId };
}

async function historyTexts(peer: string, me: string): Promise<string[]> {
  const client = await sdkClient(peer, 'outbox');
  const conversation = await client.createConversation({ members: [me], unique: true });
  const messages = await conversation.queryMessages({ limit: 100 });
  return messages.filter((message) => message instanceof TextMessage).map((message) => (message as TextMessage).text ?? '');
}

describe('outbox', function () {
  this.timeout(60_000);

  it('sends what was typed offline once each, in order, when the server is back', async () => {
    const { chat, me, peer } = await setup();
    await chat.send('before the tunnel');
    await waitFor(() => rows(chat).some((row) => row.status === 'sent'), 'the first message sent');

    await stopServer('outbox');
    try {
      await waitFor(() => chat.connectionState === 'offline', 'the offline state');
      textarea(chat).focus();
      for (const text of ['typed in the tunnel', 'still no signal']) {
        await sendKeys({ type: text });
        await sendKeys({ press: 'Enter' });
      }
      await waitFor(() => rows(chat).filter((row) => row.status === 'queued').length === 2, 'two waiting messages');
      expect(rows(chat).at(-1)!.element.textContent).to.contain('Waiting for connection');
    } finally {
      await startServer('outbox');
    }
    await waitFor(() => chat.connectionState === 'online', 'the connection to return', 30_000);
    await waitFor(() => rows(chat).length === 3 && rows(chat).every((row) => isSent(row)), 'everything sent', 15_000);
    expect(rows(chat).map((row) => row.text)).to.deep.equal(['before the tunnel', 'typed in the tunnel', 'still no signal']);
    expect(await historyTexts(peer, me)).to.deep.equal(['before the tunnel', 'typed in the tunnel', 'still no signal']);
  });

  it('keeps the outbox in IndexedDB across a page reload', async () => {
    const { chat, markup, me, peer, wsUrl, appId } = await setup();
    await stopServer('outbox');
    let second: LcChat | undefined;
    try {
      await waitFor(() => chat.connectionState === 'offline', 'the offline state');
      await chat.send('written before the reload');
      const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
      await waitFor(async () => (await cache.outbox()).some((entry) => entry.payload && JSON.stringify(entry.payload).includes('before the reload')), 'the outbox entry in IndexedDB');
      cache.close();
      // "Reload": the element and its client go away; a new one starts from the cache.
      const client = chat.client!;
      chat.remove();
      await client.close();
      second = mount<LcChat>(markup);
      await waitFor(() => rows(second!).some((row) => row.text === 'written before the reload' && row.status === 'queued'), 'the waiting message after the reload');
    } finally {
      await startServer('outbox');
    }
    await waitFor(() => rows(second!).some((row) => row.text === 'written before the reload' && row.status === 'sent'), 'the message sent', 30_000);
    expect(await historyTexts(peer, me)).to.deep.equal(['written before the reload']);
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    expect(await cache.outbox()).to.deep.equal([]);
    cache.close();
  });
});
