import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import {
  openChatCache,
  openClients,
  TextMessage,
  type LcChat,
  type LcConversationList,
  type LcConversationSelectEvent,
  type LcUnreadChangeEvent,
} from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

/** The rows as the user sees them: title, preview, badge. */
function items(list: LcConversationList): Array<{ id: string; name: string; preview: string; badge: string; selected: boolean; element: HTMLElement }> {
  return [...shadow(list).querySelectorAll<HTMLElement>('[part=item]')].map((element) => ({
    id: element.dataset.id ?? '',
    name: element.querySelector('.name')?.textContent?.trim() ?? '',
    preview: element.querySelector('.preview')?.textContent?.trim() ?? '',
    badge: element.querySelector('[part=badge]')?.textContent?.trim() ?? '',
    selected: element.getAttribute('aria-selected') === 'true',
    element,
  }));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Alice's world: a one-to-one with Bob, then a group named "Launch", with unread messages from both. */
async function world() {
  const aliceId = uid('alice');
  const bobId = uid('bob');
  const carolId = uid('carol');
  const bob = await sdkClient(bobId);
  const carol = await sdkClient(carolId);
  const direct = await bob.createConversation({ members: [aliceId], unique: true });
  await direct.send(new TextMessage('hi alice'));
  await direct.send(new TextMessage('are you there?'));
  // Timestamps are in ms: keep the two conversations' last activity apart.
  await pause(20);
  const group = await carol.createConversation({ members: [aliceId, bobId], name: 'Launch' });
  await group.send(new TextMessage('<b>ship it</b>'));
  return { aliceId, bobId, carolId, bob, carol, direct, group };
}

describe('<lc-conversation-list>', () => {
  it('lists conversations newest first with previews and unread badges, and updates live', async () => {
    const { aliceId, bobId, carolId, direct, group } = await world();
    const { wsUrl, appId } = await server();
    const list = mount<LcConversationList>(`<lc-conversation-list server="${wsUrl}" app-id="${appId}" client-id="${aliceId}"></lc-conversation-list>`);
    const unreadEvents: LcUnreadChangeEvent[] = [];
    list.addEventListener('lc-unread-change', (event) => unreadEvents.push(event));

    await waitFor(() => items(list).length === 2, 'two conversations');
    await waitFor(() => items(list)[1]?.badge === '2', 'the unread badges');
    let shown = items(list);
    expect(shown.map((item) => item.name)).to.deep.equal(['Launch', bobId]);
    expect(shown[0]!.preview).to.equal(`${carolId}: <b>ship it</b>`, 'group previews name the sender; markup stays text');
    expect(shown[0]!.element.querySelector('b')).to.equal(null);
    expect(shown[1]!.preview).to.equal('are you there?');
    expect(shown.map((item) => item.badge)).to.deep.equal(['1', '2']);
    expect(list.unreadTotal).to.equal(3);
    await waitFor(() => unreadEvents.at(-1)?.total === 3, 'lc-unread-change with the total after loading');

    // A new message in the older conversation moves it to the top, live.
    await direct.send(new TextMessage('hello?? 👋'));
    await waitFor(() => items(list)[0]?.id === direct.id, 'the direct conversation to move to the top');
    shown = items(list);
    expect(shown[0]!.preview).to.equal('hello?? 👋');
    expect(shown[0]!.badge).to.equal('3');
    expect(list.unreadTotal).to.equal(4);
    const last = unreadEvents.at(-1)!;
    expect([last.conversationId, last.count, last.total]).to.deep.equal([direct.id, 3, 4]);
    expect(last.composed && last.bubbles).to.equal(true);

    // Member changes show up too: Bob leaves the group.
    await group.remove([bobId]);
    await waitFor(() => list.items.find((item) => item.id === group.id)?.members.length === 2, 'the group without Bob');
  });

  it('drives an <lc-chat> by id, marks the conversation read, and is keyboard navigable', async () => {
    const { aliceId, bobId, direct, group } = await world();
    const { wsUrl, appId } = await server();
    const host = mount<HTMLElement>(`<lc-realtime server="${wsUrl}" app-id="${appId}" client-id="${aliceId}">
      <lc-conversation-list for="list-chat"></lc-conversation-list>
      <lc-chat id="list-chat"></lc-chat>
    </lc-realtime>`);
    const list = host.querySelector('lc-conversation-list')!;
    const chat = host.querySelector<LcChat>('lc-chat')!;
    const selections: LcConversationSelectEvent[] = [];
    document.addEventListener('lc-conversation-select', (event) => selections.push(event), { once: true });

    await waitFor(() => items(list).length === 2 && items(list)[1]?.badge === '2', 'the list with badges');
    items(list)[1]!.element.click();
    expect(selections[0]?.conversationId).to.equal(direct.id);
    expect(list.selected).to.equal(direct.id);
    expect(chat.conversationId).to.equal(direct.id);
    await opened(chat);
    await waitFor(() => rows(chat).map((row) => row.text).join('|') === 'hi alice|are you there?', 'the chat to show the conversation');
    await waitFor(() => items(list).find((item) => item.id === direct.id)?.badge === '', 'the badge to clear');
    expect(list.unreadTotal).to.equal(1);

    // While it is open, new messages in it do not count as unread.
    await direct.send(new TextMessage('still there'));
    await waitFor(() => items(list)[0]?.preview === 'still there', 'the preview');
    expect(items(list)[0]!.badge).to.equal('');

    // Keyboard: focus the selected row, ArrowDown to the group, Enter opens it.
    items(list).find((item) => item.selected)!.element.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(shadow(list).activeElement?.getAttribute('data-id')).to.equal(group.id);
    await sendKeys({ press: 'Enter' });
    expect(chat.conversationId).to.equal(group.id);
    await waitFor(() => list.unreadTotal === 0, 'everything read');
    await sendKeys({ press: 'Home' });
    expect(shadow(list).activeElement?.getAttribute('data-id')).to.equal(direct.id);
    expect(bobId).to.be.a('string');
  });

  it('filters, shows an empty state, and lets the page handle or hide "new conversation"', async () => {
    const { aliceId, bobId } = await world();
    const { wsUrl, appId } = await server();
    const list = mount<LcConversationList>(`<lc-conversation-list server="${wsUrl}" app-id="${appId}" client-id="${aliceId}"></lc-conversation-list>`);
    await waitFor(() => items(list).length === 2, 'two conversations');
    const input = shadow(list).querySelector<HTMLInputElement>('[part=filter]')!;
    input.focus();
    await sendKeys({ type: 'laun' });
    await waitFor(() => items(list).length === 1, 'the filtered list');
    expect(items(list)[0]!.name).to.equal('Launch');
    await sendKeys({ press: 'Backspace' });
    input.value = '';
    input.dispatchEvent(new Event('input'));
    input.value = 'nobody-matches-this';
    input.dispatchEvent(new Event('input'));
    await list.updateComplete;
    expect(items(list)).to.have.length(0);
    expect(shadow(list).querySelector('[part=empty]')!.textContent).to.contain('No conversations match');
    input.value = bobId.slice(0, 8);
    input.dispatchEvent(new Event('input'));
    await list.updateComplete;
    expect(items(list).map((item) => item.name)).to.include(bobId);

    let asked = 0;
    list.addEventListener('lc-new-conversation', () => (asked += 1));
    shadow(list).querySelector<HTMLButtonElement>('[part=new-button]')!.click();
    expect(asked).to.equal(1);
    list.noNew = true;
    await list.updateComplete;
    expect(shadow(list).querySelector('[part=new-button]')).to.equal(null);

    const lonely = mount<LcConversationList>(`<lc-conversation-list server="${wsUrl}" app-id="${appId}" client-id="${uid('lonely')}" lang="zh-CN"></lc-conversation-list>`);
    await waitFor(() => shadow(lonely).querySelector('[part=empty]')?.textContent?.includes('还没有会话'), 'the empty state in Chinese');
  });

  it('pages through more conversations than one page as the user scrolls or moves to the end, without duplicates', async () => {
    const aliceId = uid('alice');
    const bob = await sdkClient(uid('bob'));
    // 45 conversations, oldest first, each with its own last-activity time: pages of 20 are 20, 20 and 5.
    const made: Array<{ id: string; send(message: TextMessage): Promise<unknown> }> = [];
    for (let i = 0; i < 45; i += 1) {
      const conversation = await bob.createConversation({ members: [aliceId], name: `paged ${i}` });
      await conversation.send(new TextMessage(`message ${i}`));
      made.push(conversation);
      await pause(3);
    }
    const newestFirst = made.map((conversation) => conversation.id).reverse();
    const { wsUrl, appId } = await server();
    const list = mount<LcConversationList>(
      `<lc-conversation-list style="display:flex;flex-direction:column;height:420px" page-size="20" server="${wsUrl}" app-id="${appId}" client-id="${aliceId}"></lc-conversation-list>`,
    );
    // What the list reported, named when a wait below fails (a refused query reads differently from a slow one).
    const errors: string[] = [];
    list.addEventListener('lc-error', (event) => errors.push(`${event.operation}: ${String(event.error)}`));
    await waitFor(() => list.hasMore && items(list).length === 20, 'the first page').catch((error: unknown) => {
      throw new Error(`${String(error)}; ${items(list).length} listed, hasMore ${list.hasMore}, lc-error: ${errors.join(' | ') || 'none'}`);
    });
    // Only the first page, the 20 newest, in order (nothing more loads until the user goes near the end).
    await pause(300);
    expect(items(list).map((item) => item.id)).to.deep.equal(newestFirst.slice(0, 20));
    expect(shadow(list).querySelector('[part=more] button')).to.not.equal(null);

    // While paging, a live message moves the oldest conversation (not loaded yet, on page 3) to the top:
    // every row on the server moves down one, so page 2 starts with a conversation already listed.
    await made[0]!.send(new TextMessage('back on top'));
    await waitFor(() => items(list)[0]?.id === made[0]!.id, 'the oldest conversation at the top, live');
    expect(items(list)[0]!.preview).to.equal('back on top');

    const scroller = shadow(list).querySelector<HTMLElement>('.scroll')!;
    expect(scroller.scrollHeight).to.be.greaterThan(scroller.clientHeight);
    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => items(list).length >= 40, 'the second page after scrolling to the end');
    const ids = () => items(list).map((item) => item.id);
    expect(new Set(ids()).size, 'no conversation listed twice').to.equal(ids().length);
    expect(ids()).to.deep.equal([made[0]!.id, ...newestFirst.slice(0, 39)]);

    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => items(list).length === 45 && !list.hasMore, 'the last page');
    expect(ids()).to.deep.equal([made[0]!.id, ...newestFirst.slice(0, 44)]);
    expect(new Set(ids()).size).to.equal(45);
    expect(shadow(list).querySelector('[part=more]')).to.equal(null);
    await pause(200);
    expect(items(list)).to.have.length(45);

    // A later visit: the cache shows all 45 at once, and the network's answer keeps them all
    // (rather than cutting the list back to one page under the reader).
    list.remove();
    await waitFor(() => !openClients().some((client) => client.clientId === aliceId), 'the first visit’s client closed');
    const again = mount<LcConversationList>(
      `<lc-conversation-list style="display:flex;flex-direction:column;height:420px" page-size="20" server="${wsUrl}" app-id="${appId}" client-id="${aliceId}"></lc-conversation-list>`,
    );
    const shown: number[] = [];
    await waitFor(() => {
      shown.push(items(again).length);
      // hasMore is set by the network's answer, never by the cache.
      return again.hasMore && items(again).length === 45;
    }, 'the cached list, refreshed').catch((error: unknown) => {
      throw new Error(`${String(error)}; counts seen: ${[...new Set(shown)].join(', ')}`);
    });
    expect(shown.find((count) => count > 0), 'the cached list first').to.equal(45);
    expect(shown.filter((count) => count > 0 && count < 45), 'never fewer than the cache showed').to.deep.equal([]);
  });

  it('moving to the last row with the keyboard loads the next page', async () => {
    const carolId = uid('carol');
    const bob = await sdkClient(uid('bob'));
    for (let i = 0; i < 25; i += 1) {
      const conversation = await bob.createConversation({ members: [carolId], name: `keyed ${i}` });
      await conversation.send(new TextMessage(`message ${i}`));
    }
    const { wsUrl, appId } = await server();
    const keyboard = mount<LcConversationList>(
      `<lc-conversation-list style="display:flex;flex-direction:column;height:420px" page-size="20" server="${wsUrl}" app-id="${appId}" client-id="${carolId}"></lc-conversation-list>`,
    );
    await waitFor(() => keyboard.hasMore && items(keyboard).length === 20, 'the first page');
    items(keyboard)[0]!.element.focus();
    await sendKeys({ press: 'End' });
    expect(shadow(keyboard).activeElement?.getAttribute('data-id')).to.equal(items(keyboard)[19]!.id);
    await waitFor(() => items(keyboard).length === 25, 'the next page after End');
    await sendKeys({ press: 'ArrowDown' });
    expect(shadow(keyboard).activeElement?.getAttribute('data-id')).to.equal(items(keyboard)[20]!.id);
  });

  it('shows the cached list at once, before (or without) the network', async () => {
    // A server that never answers: only the cache can fill the list.
    const unreachable = 'ws://127.0.0.1:9';
    const appId = 'cache-app';
    const clientId = uid('offline');
    const cache = await openChatCache({ server: unreachable, appId, clientId });
    const message = { id: 'm1', cid: 'c-old', from: 'zed', timestamp: 1_000, type: -1, text: 'cached hello', payload: { _lctype: -1, _lctext: 'cached hello' }, status: 'sent' as const };
    await cache.putConversation({ id: 'c-old', members: [clientId, 'zed'], updatedAt: 1, lastMessage: message, lastMessageAt: 1_000, unread: 2, listed: true });
    await cache.putConversation({ id: 'c-new', name: 'Newer', members: [clientId, 'a', 'b'], updatedAt: 1, lastMessageAt: 5_000, unread: 0, listed: true });
    await cache.putConversation({ id: 'c-not-listed', members: [clientId, 'q'], updatedAt: 1 });
    cache.close();
    const list = mount<LcConversationList>(`<lc-conversation-list server="${unreachable}" app-id="${appId}" client-id="${clientId}"></lc-conversation-list>`);
    await waitFor(() => items(list).length === 2, 'the cached conversations');
    expect(items(list).map((item) => [item.name, item.preview, item.badge])).to.deep.equal([
      ['Newer', 'No messages yet', ''],
      ['zed', 'cached hello', '2'],
    ]);
  });
});
