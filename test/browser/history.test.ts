import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { openChatCache, TextMessage, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, startServer, stopServer, uid, waitFor } from './support/fixtures.js';

const label = (n: number) => `m${String(n).padStart(2, '0')}`;

async function seed(serverName: string, count: number): Promise<{ reader: string; conversationId: string }> {
  const reader = uid('reader');
  const writer = await sdkClient(uid('writer'), serverName);
  const conversation = await writer.createConversation({ members: [reader], unique: true });
  for (let n = 1; n <= count; n += 1) await conversation.send(new TextMessage(label(n)));
  return { reader, conversationId: conversation.id };
}

describe('history', () => {
  it('shows the newest page, loads older pages at the top without moving what the reader sees', async () => {
    const { wsUrl, appId } = await server();
    const { reader, conversationId } = await seed('main', 35);
    const chat = mount<LcChat>(
      `<lc-chat style="height: 360px" server="${wsUrl}" app-id="${appId}" client-id="${reader}" conversation-id="${conversationId}" page-size="10"></lc-chat>`,
    );
    await opened(chat);
    await waitFor(() => rows(chat).length === 10, 'the first page');
    expect(rows(chat).map((row) => row.text)).to.deep.equal([26, 27, 28, 29, 30, 31, 32, 33, 34, 35].map(label));
    const list = shadow(chat).querySelector<HTMLElement>('[part=list]')!;
    // Pinned to the newest message.
    expect(list.scrollHeight - list.scrollTop - list.clientHeight).to.be.lessThan(2);

    for (const expected of [20, 30, 35]) {
      const anchor = rows(chat)[0]!;
      // Scrolling to the top loads the next page (the scroll event comes a frame later).
      list.scrollTop = 0;
      const before = anchor.element.getBoundingClientRect().top;
      await waitFor(() => rows(chat).length >= expected, `${expected} messages`);
      await chat.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const after = rows(chat).find((row) => row.id === anchor.id)!.element.getBoundingClientRect().top;
      expect(Math.abs(after - before), `the first visible message moved by ${after - before}px`).to.be.lessThan(2);
      if (expected === 35) break;
    }
    await waitFor(() => shadow(chat).querySelector('.status-row')?.textContent?.includes('beginning'), 'the beginning of the conversation');
    expect(rows(chat).map((row) => row.text)).to.deep.equal(Array.from({ length: 35 }, (_, i) => label(i + 1)));
  });

  it('a message arriving while the reader is scrolled up shows a "new messages" pill instead of moving', async () => {
    const { wsUrl, appId } = await server();
    const reader = uid('reader');
    const writer = await sdkClient(uid('writer'));
    const conversation = await writer.createConversation({ members: [reader], unique: true });
    for (let n = 1; n <= 30; n += 1) await conversation.send(new TextMessage(label(n)));
    const chat = mount<LcChat>(
      `<lc-chat style="height: 360px" server="${wsUrl}" app-id="${appId}" client-id="${reader}" conversation-id="${conversation.id}" page-size="30"></lc-chat>`,
    );
    await opened(chat);
    await waitFor(() => rows(chat).length === 30, 'the messages');
    const list = shadow(chat).querySelector<HTMLElement>('[part=list]')!;
    list.scrollTop = 200;
    list.dispatchEvent(new Event('scroll'));
    await conversation.send(new TextMessage('while you were away'));
    // Away from the bottom the pill says "Scroll to latest" at once; with the message, how many are new.
    const pill = await waitFor(() => {
      const found = shadow(chat).querySelector<HTMLButtonElement>('.pill.new');
      return found?.textContent?.includes('new message') ? found : undefined;
    }, 'the new-messages pill');
    expect(pill.textContent).to.contain('1 new message');
    expect(list.scrollTop).to.equal(200);
    expect(shadow(chat).querySelector('.unread')?.textContent).to.contain('Unread messages');
    pill.click();
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 2, 'the list at the bottom');
    await waitFor(() => !shadow(chat).querySelector('.pill.new'), 'the pill to go');
  });

  it('paints from the IndexedDB cache, even when the server is down', async () => {
    const { wsUrl, appId } = await server('cache');
    const { reader, conversationId } = await seed('cache', 5);
    const markup = `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${reader}" conversation-id="${conversationId}"></lc-chat>`;
    const first = mount<LcChat>(markup);
    await opened(first);
    await waitFor(() => rows(first).length === 5, 'the history');
    const cache = await openChatCache({ server: wsUrl, appId, clientId: reader });
    expect(cache.persistent).to.equal(true);
    expect((await cache.latest(conversationId, 10)).map((message) => message.text)).to.deep.equal([1, 2, 3, 4, 5].map(label));
    cache.close();
    const firstClient = first.client!;
    first.remove();

    await stopServer('cache');
    try {
      // A new page load: a fresh client (the old one is closed), no server.
      await firstClient.close();
      const second = mount<LcChat>(markup);
      await waitFor(() => rows(second).length === 5, 'the cached history');
      expect(second.connectionState).to.not.equal('online');
      expect(rows(second).map((row) => row.text)).to.deep.equal([1, 2, 3, 4, 5].map(label));
    } finally {
      await startServer('cache');
    }
  });
});

describe('unread', () => {
  it('an unread separator marks where the messages that arrived while away start', async () => {
    const { wsUrl, appId } = await server();
    const reader = uid('returning');
    const writer = await sdkClient(uid('writer'));
    const conversation = await writer.createConversation({ members: [reader], unique: true });
    for (const text of ['old news', 'seen this']) await conversation.send(new TextMessage(text));
    // The reader reads those, then leaves.
    const first = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${reader}" conversation-id="${conversation.id}"></lc-chat>`);
    await opened(first);
    await waitFor(() => rows(first).length === 2, 'the first messages');
    // Read: the server's unread count for the reader drops to 0.
    await waitFor(async () => (await writer.getQuery().equalTo('objectId', conversation.id).find()) && first.conversation!.unreadMessagesCount === 0, 'them read');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const firstClient = first.client!;
    first.remove();
    await firstClient.close();

    for (const text of ['while you were out', 'and this', 'and this too']) await conversation.send(new TextMessage(text));
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${reader}" conversation-id="${conversation.id}"></lc-chat>`);
    await opened(chat);
    await waitFor(() => rows(chat).length === 5, 'all five messages');
    const separator = await waitFor(() => shadow(chat).querySelector('.unread'), 'the unread separator');
    expect(separator.textContent).to.contain('Unread messages');
    const firstUnread = separator.nextElementSibling as HTMLElement;
    expect(firstUnread.querySelector('.bubble')!.textContent!.trim()).to.equal('while you were out');
  });
});
