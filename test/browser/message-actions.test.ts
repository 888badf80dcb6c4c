/**
 * Message actions in `<lc-chat>` (issue 14): the menu (its button, the
 * keyboard, a long press), recall, edit, reply with its quote and jump,
 * copy, retry and delete of a failed send, mentions, the `actions` and
 * `recall-window` attributes, the cancelable `lc-message-*` events, and
 * what the other side sees (a second `<lc-chat>` on the page, or our SDK).
 */
import { expect } from '@esm-bundle/chai';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/components/index.js';
import {
  Realtime,
  TextMessage,
  type LcChat,
  type LcConversationList,
  type LcErrorEvent,
  type LcMessageActionEvent,
  type LcMessageEditEvent,
} from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, startServer, stopServer, textarea, uid, waitFor, isSent } from './support/fixtures.js';

interface Axe {
  run(context: Element, options: object): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }> }>;
}

/** axe-core's browser build (not an ES module), as the a11y tests load it. */
async function expectAccessible(element: Element, what: string): Promise<void> {
  const global = window as unknown as { axe?: Axe };
  if (!global.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(script);
    });
  }
  const result = await global.axe!.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  const report = result.violations.map((violation) => `${violation.id}: ${violation.help} ${violation.nodes.map((node) => JSON.stringify(node.target)).join(' ')}`);
  expect(report, `${what}:\n${report.join('\n')}`).to.deep.equal([]);
}

function chatMarkup(wsUrl: string, appId: string, me: string, other: string, extra = ''): string {
  return `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${other}" unique ${extra}></lc-chat>`;
}

/** Two people on one page, each with their own chat of the same conversation. */
async function pair(extra = ''): Promise<{ alice: LcChat; bob: LcChat; aliceId: string; bobId: string; wsUrl: string; appId: string }> {
  const { wsUrl, appId } = await server();
  const [aliceId, bobId] = [uid('alice'), uid('bob')];
  const alice = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId, extra));
  await opened(alice);
  const bob = mount<LcChat>(chatMarkup(wsUrl, appId, bobId, aliceId));
  await opened(bob);
  return { alice, bob, aliceId, bobId, wsUrl, appId };
}

/** Alice's message `text`, sent and shown on both sides. */
async function sent(alice: LcChat, bob: LcChat, text: string): Promise<HTMLElement> {
  await alice.send(text);
  await waitFor(() => rows(bob).some((row) => row.text === text), `bob to see "${text}"`);
  return (await waitFor(() => rows(alice).find((row) => row.text === text && isSent(row)), `"${text}" sent`)).element;
}

function row(chat: LcChat, text: string): HTMLElement | undefined {
  return rows(chat).find((candidate) => candidate.text.startsWith(text))?.element;
}

/** Opens a message's menu with its button (the pointer's path) and returns the items' actions. */
async function openMenu(chat: LcChat, message: HTMLElement): Promise<HTMLElement> {
  // Hovering a message loads the actions; then its button shows.
  message.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true, pointerType: 'mouse' }));
  const button = await waitFor(() => message.querySelector<HTMLButtonElement>('[part="actions-button"]'), 'the actions button');
  button.click();
  return waitFor(() => message.querySelector<HTMLElement>('[role="menu"]'), 'the menu');
}

/** A real click (the browser's own pointer events) at the middle of an element. */
async function mouseClick(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

function items(menu: HTMLElement): string[] {
  return [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')].map((item) => item.dataset.action ?? '');
}

function choose(menu: HTMLElement, action: string): void {
  menu.querySelector<HTMLElement>(`[data-action="${action}"]`)!.click();
}

function record<E extends Event>(target: EventTarget, type: string): E[] {
  const seen: E[] = [];
  target.addEventListener(type, (event) => seen.push(event as E));
  return seen;
}

const active = (chat: LcChat): Element | null => shadow(chat).activeElement;

describe('message actions', function () {
  this.timeout(60_000);
  afterEach(() => resetMouse());

  it('recall: both sides see "This message was recalled"; lc-message-recall fires first', async () => {
    const { alice, bob } = await pair();
    const message = await sent(alice, bob, 'sent by mistake');
    const recalls = record<LcMessageActionEvent>(alice, 'lc-message-recall');
    // With the real mouse: over the message, its button shows; a click opens the menu, another chooses.
    const bubble = message.querySelector('[part="bubble"]')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(bubble.x + 10), Math.round(bubble.y + 10)] });
    const button = await waitFor(() => message.querySelector<HTMLElement>('[part="actions-button"]'), 'the actions button');
    await waitFor(() => getComputedStyle(button).opacity === '1', 'the button shown on hover');
    await mouseClick(button);
    const menu = await waitFor(() => message.querySelector<HTMLElement>('[role="menu"]'), 'the menu');
    expect(items(menu)).to.deep.equal(['reply', 'copy', 'edit', 'recall']);
    await mouseClick(menu.querySelector('[data-action="recall"]')!);
    await waitFor(() => row(alice, 'This message was recalled'), 'recalled for alice');
    await waitFor(() => row(bob, 'This message was recalled'), 'recalled for bob');
    expect(recalls.map((event) => event.message.text)).to.deep.equal(['sent by mistake']);
    expect(rows(bob).some((candidate) => candidate.text.includes('sent by mistake'))).to.equal(false);
    // Gone from what the elements hold too, not only from the screen.
    for (const chat of [alice, bob]) expect(chat.messages.filter((item) => item.text === 'sent by mistake')).to.deep.equal([]);
    // A recalled message offers nothing more: no button, no menu.
    expect(row(alice, 'This message was recalled')!.querySelector('[part="actions-button"]')).to.equal(null);
  });

  it('recall canceled by the page: nothing is recalled, on the server either', async () => {
    const { alice, bob, aliceId, bobId } = await pair();
    const message = await sent(alice, bob, 'keep me');
    alice.addEventListener('lc-message-recall', (event) => event.preventDefault());
    choose(await openMenu(alice, message), 'recall');
    // Then something that does reach the server: its history has both, unrecalled.
    await sent(alice, bob, 'after the canceled recall');
    const client = await sdkClient(bobId);
    const conversation = await client.createConversation({ members: [aliceId], unique: true });
    const history = await conversation.queryMessages({ limit: 10 });
    expect(history.map((item) => (item as TextMessage).text)).to.deep.equal(['keep me', 'after the canceled recall']);
    expect(row(alice, 'keep me')).to.not.equal(undefined);
  });

  it('edit from the keyboard: Enter opens the menu, arrows move, Enter edits; "(edited)" for both, after a reload, and from the cache', async () => {
    // Its own server: it is stopped below to show the cache alone.
    const { wsUrl, appId } = await server('actions-edit');
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const a = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId));
    const b = mount<LcChat>(chatMarkup(wsUrl, appId, bobId, aliceId));
    await opened(a);
    await opened(b);
    const message = await sent(a, b, 'helo wrold');
    const edits = record<LcMessageEditEvent>(a, 'lc-message-edit');

    message.focus();
    await sendKeys({ press: 'Enter' });
    const menu = await waitFor(() => message.querySelector<HTMLElement>('[role="menu"]'), 'the menu');
    await waitFor(() => active(a)?.getAttribute('data-action') === 'reply', 'focus on the first item');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(active(a)!.getAttribute('data-action')).to.equal('edit');
    expect(items(menu)).to.include('edit');
    await sendKeys({ press: 'Enter' });
    const editor = await waitFor(() => message.querySelector<HTMLTextAreaElement>('[part="editor"] textarea'), 'the editor');
    await waitFor(() => active(a) === editor, 'the editor focused');
    expect(editor.value).to.equal('helo wrold');
    editor.select();
    await sendKeys({ type: 'hello world' });
    await sendKeys({ press: 'Enter' });

    await waitFor(() => row(b, 'hello world')?.querySelector('[part="edited"]'), 'bob sees the edit, marked');
    await waitFor(() => row(a, 'hello world')?.querySelector('[part="edited"]'), 'alice sees her edit, marked');
    expect(row(b, 'hello world')!.querySelector('[part="edited"]')!.textContent).to.equal('(edited)');
    expect(edits.map((event) => [event.message.text, event.text])).to.deep.equal([['helo wrold', 'hello world']]);
    // The focus is back on the message.
    await waitFor(() => active(a) === row(a, 'hello world'), 'focus back on the message');

    // A reload: from history.
    const bobClient = b.client!;
    b.remove();
    await bobClient.close();
    const reloaded = mount<LcChat>(chatMarkup(wsUrl, appId, bobId, aliceId));
    await opened(reloaded);
    await waitFor(() => row(reloaded, 'hello world')?.querySelector('[part="edited"]'), '"(edited)" after a reload');
    const reloadedClient = reloaded.client!;
    reloaded.remove();
    await reloadedClient.close();

    // A reload with the server down: from the cache alone.
    await stopServer('actions-edit');
    try {
      const offline = mount<LcChat>(chatMarkup(wsUrl, appId, bobId, aliceId));
      await waitFor(() => row(offline, 'hello world')?.querySelector('[part="edited"]'), '"(edited)" from the cache');
      expect(offline.connectionState).to.not.equal('online');
    } finally {
      await startServer('actions-edit');
    }
  });

  it('an edit or a recall outlives the delivery receipt that comes after it: the receipt moves the status, never the text back, on screen or in the cache', async () => {
    // Its own server: it is stopped below to show the cache alone.
    const { wsUrl, appId } = await server('actions-receipt');
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const alice = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId));
    await opened(alice);
    await alice.send('sent by mistake');
    await alice.send('helo wrold');
    // Acknowledged (its server id shown): recall and edit are offered.
    const acknowledged = async (text: string): Promise<HTMLElement> => {
      const { id } = await waitFor(() => alice.messages.find((item) => item.text === text && item.status === 'sent'), `"${text}" sent`);
      return waitFor(() => shadow(alice).querySelector<HTMLElement>(`article.row[data-id="${id}"]`), `"${text}" shown as sent`);
    };
    choose(await openMenu(alice, await acknowledged('sent by mistake')), 'recall');
    await waitFor(() => row(alice, 'This message was recalled'), 'the recall shown');
    const message = await acknowledged('helo wrold');
    choose(await openMenu(alice, message), 'edit');
    const editor = await waitFor(() => message.querySelector<HTMLTextAreaElement>('[part="editor"] textarea'), 'the editor');
    editor.value = 'hello world';
    message.querySelector<HTMLButtonElement>('[part="editor"] button[type="submit"]')!.click();
    await waitFor(() => row(alice, 'hello world')?.querySelector('[part="edited"]'), 'the edit shown');

    // Bob was never online: he logs in only now, offered his missed messages
    // (offline-push mode), and his ack gives Alice the receipts of the
    // messages she sent (oldest first), after her recall and her edit.
    const realtime = new Realtime({ appId, server: wsUrl, pushOfflineMessages: true });
    const texts = (chat: LcChat) => rows(chat).map((candidate) => candidate.text);
    try {
      const bob = await realtime.createIMClient(bobId);
      const received: Array<{ text?: string }> = [];
      bob.on('message', (pushed) => received.push(pushed as { text?: string }));
      await waitFor(() => shadow(alice).querySelector(`article.row[data-id="${message.dataset.id}"] [data-status="delivered"]`), 'the delivery receipt');
      expect(received.map((pushed) => pushed.text)).to.deep.equal([undefined, 'hello world']);
    } finally {
      await realtime.close();
    }
    expect(texts(alice)).to.deep.equal(['This message was recalled', 'hello world']);
    expect(row(alice, 'hello world')!.querySelector('[part="edited"]')?.textContent).to.equal('(edited)');
    const aliceClient = alice.client!;
    alice.remove();
    await aliceClient.close();

    // What the receipts cached: the recall, and the edit, delivered.
    await stopServer('actions-receipt');
    try {
      const offline = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId));
      await waitFor(() => rows(offline).length === 2, 'the cached history');
      expect(texts(offline)).to.deep.equal(['This message was recalled', 'hello world']);
      // "(edited)" is drawn by the actions' part loaded on demand: once it is in.
      await waitFor(() => row(offline, 'hello world')?.querySelector('[part="edited"]'), '"(edited)" from the cache');
      expect(rows(offline)[1]!.status).to.equal('delivered');
    } finally {
      await startServer('actions-receipt');
    }
  });

  it('edit canceled by the page, or changed by it', async () => {
    const { alice, bob } = await pair();
    const first = await sent(alice, bob, 'first draft');
    let cancel = true;
    alice.addEventListener('lc-message-edit', (event) => {
      if (cancel) event.preventDefault();
      else event.detail.text = `${event.text} (checked by the page)`;
    });
    const edit = async (message: HTMLElement, text: string) => {
      choose(await openMenu(alice, message), 'edit');
      const editor = await waitFor(() => message.querySelector<HTMLTextAreaElement>('[part="editor"] textarea'), 'the editor');
      editor.value = text;
      message.querySelector<HTMLButtonElement>('[part="editor"] button[type="submit"]')!.click();
      await waitFor(() => !message.querySelector('[part="editor"]'), 'the editor closed');
    };
    await edit(first, 'second draft');
    expect(row(alice, 'first draft')).to.not.equal(undefined);
    cancel = false;
    await edit(row(alice, 'first draft')!, 'third draft');
    await waitFor(() => row(bob, 'third draft (checked by the page)'), 'bob sees the text the page set');
    expect(rows(bob).some((candidate) => candidate.text.includes('second draft'))).to.equal(false);
  });

  it('reply: a quote reference in attributes that our SDK reads, a quote above the reply, and a jump to an original loaded from history', async () => {
    const { wsUrl, appId } = await server();
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const bobClient = await sdkClient(bobId);
    const conversation = await bobClient.createConversation({ members: [aliceId], unique: true });
    const original = await conversation.send(new TextMessage('the question, asked long ago'));
    for (let index = 0; index < 30; index++) await conversation.send(new TextMessage(`filler ${index}`));
    const received: TextMessage[] = [];
    bobClient.on('message', (message) => received.push(message as TextMessage));

    // Alice sees everything (page size 40) and replies to the original.
    const alice = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId, 'page-size="40"'));
    await opened(alice);
    const replies = record<LcMessageActionEvent>(alice, 'lc-message-reply');
    const sends = record<Event & { attributes?: Record<string, unknown> }>(alice, 'lc-before-send');
    const target = await waitFor(() => row(alice, 'the question'), 'the original');
    choose(await openMenu(alice, target), 'reply');
    const bar = await waitFor(() => shadow(alice).querySelector<HTMLElement>('[part="reply-bar"]'), 'the reply bar');
    expect(bar.textContent!.replace(/\s+/g, ' ')).to.include(`Replying to ${bobId}`).and.include('the question, asked long ago');
    await waitFor(() => active(alice) === textarea(alice), 'the composer focused');
    await sendKeys({ type: 'the answer' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !shadow(alice).querySelector('[part="reply-bar"]'), 'the bar gone once sent');
    expect(replies.map((event) => event.message.text)).to.deep.equal(['the question, asked long ago']);
    expect(sends[0]!.attributes).to.deep.equal({ lcReply: { id: original.id, timestamp: original.timestamp.getTime(), from: bobId, text: 'the question, asked long ago' } });

    // The other side, through the SDK: the text as usual, the reference in the attributes.
    const answer = await waitFor(() => received.find((message) => message.text === 'the answer'), 'bob to receive the answer');
    expect(answer.attributes).to.deep.equal({ lcReply: { id: original.id, timestamp: original.timestamp.getTime(), from: bobId, text: 'the question, asked long ago' } });

    // A page showing only the newest 5: the quote still says what it answers, and a click loads back to the original.
    const bob = mount<LcChat>(chatMarkup(wsUrl, appId, bobId, aliceId, 'page-size="5"'));
    await opened(bob);
    const reply = await waitFor(() => row(bob, 'the answer')?.closest('article') as HTMLElement | null, 'the reply');
    expect(row(bob, 'the question')).to.equal(undefined);
    const quote = await waitFor(() => reply.querySelector<HTMLButtonElement>('[part="quote"]'), 'the quote');
    expect(quote.textContent!.replace(/\s+/g, ' ').trim()).to.equal('You the question, asked long ago');
    quote.click();
    const found = await waitFor(() => shadow(bob).querySelector<HTMLElement>(`article.row[data-id="${original.id}"]`), 'the original loaded');
    await waitFor(() => found.classList.contains('highlight') && active(bob) === found, 'the original highlighted and focused');
    const list = shadow(bob).querySelector<HTMLElement>('[part="list"]')!.getBoundingClientRect();
    const box = found.getBoundingClientRect();
    expect(box.top >= list.top && box.bottom <= list.bottom, 'the original scrolled into view').to.equal(true);
  });

  it('reply canceled by the page opens no bar; the bar\'s cancel button, or Escape in the composer, drops the reply', async () => {
    const { alice, bob } = await pair();
    await sent(bob, alice, 'a question');
    const target = await waitFor(() => row(alice, 'a question'), 'the message');
    const stop = (event: Event) => event.preventDefault();
    alice.addEventListener('lc-message-reply', stop);
    choose(await openMenu(alice, target), 'reply');
    await alice.updateComplete;
    expect(shadow(alice).querySelector('[part="reply-bar"]')).to.equal(null);
    alice.removeEventListener('lc-message-reply', stop);

    choose(await openMenu(alice, target), 'reply');
    const bar = await waitFor(() => shadow(alice).querySelector<HTMLElement>('[part="reply-bar"]'), 'the reply bar');
    bar.querySelector<HTMLButtonElement>('button')!.click();
    await waitFor(() => !shadow(alice).querySelector('[part="reply-bar"]'), 'the bar gone');
    // Escape in the composer drops it too.
    choose(await openMenu(alice, target), 'reply');
    await waitFor(() => shadow(alice).querySelector('[part="reply-bar"]') && active(alice) === textarea(alice), 'the reply bar, the composer focused');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !shadow(alice).querySelector('[part="reply-bar"]'), 'the bar gone on Escape');
    const sends = record<Event & { attributes?: Record<string, unknown> }>(alice, 'lc-before-send');
    textarea(alice).focus();
    await sendKeys({ type: 'not a reply' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => row(bob, 'not a reply'), 'bob sees it');
    expect(sends[0]!.attributes).to.equal(undefined);
    expect(row(bob, 'not a reply')!.querySelector('[part="quote"]')).to.equal(null);
  });

  it('copy puts the text on the clipboard; canceled, nothing is copied', async () => {
    const { alice, bob } = await pair();
    const message = await sent(alice, bob, 'copy this: 42');
    const written: string[] = [];
    const clipboard = navigator.clipboard;
    const original = clipboard.writeText;
    clipboard.writeText = async (text: string) => {
      written.push(text);
    };
    try {
      const copies = record<LcMessageActionEvent>(alice, 'lc-message-copy');
      choose(await openMenu(alice, message), 'copy');
      await waitFor(() => written.length === 1, 'the clipboard written');
      expect(written).to.deep.equal(['copy this: 42']);
      expect(copies.length).to.equal(1);
      // The focus goes back to the message.
      await waitFor(() => active(alice) === message, 'focus back on the message');

      alice.addEventListener('lc-message-copy', (event) => event.preventDefault());
      choose(await openMenu(alice, message), 'copy');
      await waitFor(() => copies.length === 2, 'the second lc-message-copy');
      await alice.updateComplete;
      expect(written).to.deep.equal(['copy this: 42']);
    } finally {
      clipboard.writeText = original;
    }
  });

  it('a failed send: Retry and Delete from the menu, each announced and cancelable', async () => {
    const { wsUrl, appId } = await server();
    const [owner, me] = [uid('owner'), uid('member')];
    const admin = await sdkClient(owner);
    const conversation = await admin.createConversation({ members: [me], name: 'retry' });
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" conversation-id="${conversation.id}"></lc-chat>`);
    const errors = record<LcErrorEvent>(chat, 'lc-error');
    await opened(chat);
    // Out of the conversation, sends are refused (not for good: back in, they go).
    await conversation.remove([me]);
    await waitFor(() => chat.membership === 'removed', 'removed');
    await chat.send('refused once');
    await chat.send('refused, then deleted');
    await waitFor(() => rows(chat).filter((candidate) => candidate.status === 'failed').length === 2, 'both failed');
    expect(errors.some((event) => event.operation === 'send')).to.equal(true);
    await conversation.add([me]);
    await waitFor(() => chat.membership === 'member', 'a member again');

    const retries = record<LcMessageActionEvent>(chat, 'lc-message-retry');
    const deletes = record<LcMessageActionEvent>(chat, 'lc-message-delete');
    const failed = row(chat, 'refused once')!;
    const menu = await openMenu(chat, failed);
    expect(items(menu)).to.deep.equal(['copy', 'retry', 'delete']);
    // Canceled: it stays failed.
    const stop = (event: Event) => event.preventDefault();
    chat.addEventListener('lc-message-retry', stop);
    choose(menu, 'retry');
    await waitFor(() => retries.length === 1, 'lc-message-retry');
    await chat.updateComplete;
    expect(rows(chat).find((candidate) => candidate.text.startsWith('refused once'))!.status).to.equal('failed');
    chat.removeEventListener('lc-message-retry', stop);
    choose(await openMenu(chat, row(chat, 'refused once')!), 'retry');
    await waitFor(() => rows(chat).some((candidate) => candidate.text.startsWith('refused once') && isSent(candidate)), 'sent on retry');
    const history = await conversation.queryMessages({ limit: 10 });
    expect(history.map((item) => (item as TextMessage).text)).to.deep.equal(['refused once']);

    chat.addEventListener('lc-message-delete', stop);
    choose(await openMenu(chat, row(chat, 'refused, then deleted')!), 'delete');
    await waitFor(() => deletes.length === 1, 'lc-message-delete');
    await chat.updateComplete;
    expect(row(chat, 'refused, then deleted')).to.not.equal(undefined);
    chat.removeEventListener('lc-message-delete', stop);
    // The inline Delete goes through the same event.
    const inline = [...row(chat, 'refused, then deleted')!.querySelectorAll<HTMLButtonElement>('.meta-line button')].find((button) => button.textContent!.trim() === 'Delete')!;
    inline.click();
    await waitFor(() => !row(chat, 'refused, then deleted'), 'deleted');
    expect(deletes.length).to.equal(2);
  });

  it('actions="copy" offers only Copy; actions="" no menu at all (nor Retry or Delete on a failed send); recall-window hides Recall once it has passed', async () => {
    const { wsUrl, appId } = await server();
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const onlyCopy = mount<LcChat>(chatMarkup(wsUrl, appId, aliceId, bobId, 'actions="copy"'));
    await opened(onlyCopy);
    await onlyCopy.send('limited');
    const limited = await waitFor(() => rows(onlyCopy).find((candidate) => candidate.text === 'limited' && isSent(candidate)), 'sent')!;
    const close = async () => {
      await sendKeys({ press: 'Escape' });
      await waitFor(() => !shadow(onlyCopy).querySelector('[role="menu"]'), 'the menu closed');
    };
    expect(items(await openMenu(onlyCopy, limited.element))).to.deep.equal(['copy']);
    await close();

    // recall-window in seconds: a millisecond has passed by the time the menu opens.
    onlyCopy.actions = undefined;
    onlyCopy.recallWindow = 0.001;
    await onlyCopy.updateComplete;
    expect(items(await openMenu(onlyCopy, row(onlyCopy, 'limited')!))).to.deep.equal(['reply', 'copy', 'edit']);
    await close();
    onlyCopy.recallWindow = 3600;
    await onlyCopy.updateComplete;
    expect(items(await openMenu(onlyCopy, row(onlyCopy, 'limited')!))).to.deep.equal(['reply', 'copy', 'edit', 'recall']);
    await close();

    onlyCopy.setAttribute('actions', '');
    await onlyCopy.updateComplete;
    const message = row(onlyCopy, 'limited')!;
    message.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    message.focus();
    await sendKeys({ press: 'Enter' });
    await onlyCopy.updateComplete;
    expect(message.querySelector('[part="actions-button"]')).to.equal(null);
    expect(message.querySelector('[role="menu"]')).to.equal(null);
  });

  it('a long press on touch opens the menu; Escape closes it and gives the focus back', async () => {
    const { alice, bob } = await pair();
    const message = await sent(alice, bob, 'press and hold');
    const bubble = message.querySelector<HTMLElement>('[part="bubble"]')!;
    const box = bubble.getBoundingClientRect();
    const touch = { bubbles: true, composed: true, pointerType: 'touch', isPrimary: true, clientX: box.x + 5, clientY: box.y + 5 };
    bubble.dispatchEvent(new PointerEvent('pointerover', touch));
    bubble.dispatchEvent(new PointerEvent('pointerdown', touch));
    const menu = await waitFor(() => message.querySelector<HTMLElement>('[role="menu"]'), 'the menu after a long press');
    bubble.dispatchEvent(new PointerEvent('pointerup', touch));
    await waitFor(() => active(alice)?.getAttribute('role') === 'menuitem', 'focus in the menu');
    expect(menu.getAttribute('aria-label')).to.equal('Message actions');
    await sendKeys({ press: 'End' });
    expect(active(alice)!.getAttribute('data-action')).to.equal('recall');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !message.querySelector('[role="menu"]') && active(alice) === message, 'closed, focus on the message');
    // Shift+F10, the other key for a context menu, from the focused message.
    await sendKeys({ press: 'Shift+F10' });
    await waitFor(() => message.querySelector('[role="menu"]') && active(alice)?.getAttribute('data-action') === 'reply', 'the menu from Shift+F10');
    await sendKeys({ press: 'Escape' });

    // A short tap opens nothing.
    const other = await sent(alice, bob, 'just a tap');
    const otherBubble = other.querySelector<HTMLElement>('[part="bubble"]')!;
    otherBubble.dispatchEvent(new PointerEvent('pointerdown', touch));
    otherBubble.dispatchEvent(new PointerEvent('pointerup', touch));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(other.querySelector('[role="menu"]')).to.equal(null);
  });

  it('mentions: the mentioned user\'s row is highlighted and says so; the conversation list shows "@"', async () => {
    const { wsUrl, appId } = await server();
    const [me, bobId, carol] = [uid('me'), uid('bob'), uid('carol')];
    const bob = await sdkClient(bobId);
    const group = await bob.createConversation({ members: [me, carol], name: 'group' });
    const quiet = await bob.createConversation({ members: [me, carol], name: 'quiet' });
    const list = mount<LcConversationList>(`<lc-conversation-list server="${wsUrl}" app-id="${appId}" client-id="${me}"></lc-conversation-list>`);
    await waitFor(() => list.items?.length === 2, 'both conversations listed');
    await group.send(new TextMessage(`@${me} look`).setMentionList([me]));
    await quiet.send(new TextMessage('nobody in particular'));
    const marker = (id: string) => shadow(list).querySelector(`[data-id="${id}"] [part="mention"]`);
    await waitFor(() => marker(group.id), 'the @ marker');
    expect(marker(group.id)!.getAttribute('aria-label')).to.equal('You were mentioned');
    expect(marker(quiet.id)).to.equal(null);
    await expectAccessible(list, '<lc-conversation-list> with a mention');

    await group.send(new TextMessage('all hands').mentionAll());
    await group.send(new TextMessage('just chatting'));
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" conversation-id="${group.id}"></lc-chat>`);
    await opened(chat);
    await waitFor(() => row(chat, 'just chatting'), 'the messages');
    const mentioned = rows(chat).filter((candidate) => candidate.element.classList.contains('mentioned')).map((candidate) => candidate.text);
    expect(mentioned).to.have.length(2);
    expect(mentioned[0]).to.include('look');
    expect(mentioned[1]).to.include('all hands');
    await waitFor(
      () => rows(chat).filter((candidate) => candidate.element.textContent!.includes('Mentions you')).length === 2,
      'the words for screen readers on both',
    );
    // Read (the chat is open at the bottom): the marker goes.
    await waitFor(() => !marker(group.id), 'the @ marker gone once read');
  });

  it('axe: a reply, an edited message, the open menu and the reply bar, light and dark', async () => {
    for (const theme of ['light', 'dark']) {
      const { alice, bob } = await pair(`theme="${theme}"`);
      bob.setAttribute('theme', theme);
      await sent(bob, alice, 'what time is it?');
      const target = await waitFor(() => row(alice, 'what time'), 'the question');
      choose(await openMenu(alice, target), 'reply');
      await waitFor(() => shadow(alice).querySelector('[part="reply-bar"]'), 'the reply bar');
      await sendKeys({ type: 'noon' });
      await sendKeys({ press: 'Enter' });
      const reply = await waitFor(() => rows(alice).find((candidate) => candidate.text.includes('noon') && isSent(candidate)), 'the reply sent');
      choose(await openMenu(alice, reply.element), 'edit');
      const editor = await waitFor(() => reply.element.querySelector<HTMLTextAreaElement>('[part="editor"] textarea'), 'the editor');
      editor.value = 'noon sharp';
      reply.element.querySelector<HTMLButtonElement>('[part="editor"] button[type="submit"]')!.click();
      await waitFor(() => rows(alice).find((candidate) => candidate.text.includes('noon sharp'))?.element.querySelector('[part="edited"]'), 'edited');
      choose(await openMenu(alice, target), 'reply');
      await waitFor(() => shadow(alice).querySelector('[part="reply-bar"]'), 'the reply bar again');
      await openMenu(alice, row(alice, 'what time')!);
      await expectAccessible(alice, `<lc-chat> ${theme} with the actions`);
      alice.remove();
      bob.remove();
    }
  });

  it('in Chinese: the menu, the reply bar and "(edited)"', async () => {
    const { alice, bob } = await pair('lang="zh-CN"');
    const message = await sent(alice, bob, '你好');
    const menu = await openMenu(alice, message);
    expect([...menu.querySelectorAll('[role="menuitem"]')].map((item) => item.textContent!.trim())).to.deep.equal(['回复', '复制文字', '编辑', '撤回']);
    expect(menu.getAttribute('aria-label')).to.equal('消息操作');
    choose(menu, 'reply');
    const bar = await waitFor(() => shadow(alice).querySelector<HTMLElement>('[part="reply-bar"]'), 'the reply bar');
    expect(bar.textContent!.replace(/\s+/g, ' ')).to.include('回复 我');
    expect(bar.querySelector('button')!.getAttribute('aria-label')).to.equal('取消回复');
    choose(await openMenu(alice, message), 'edit');
    const editor = await waitFor(() => message.querySelector<HTMLTextAreaElement>('[part="editor"] textarea'), 'the editor');
    expect(editor.getAttribute('aria-label')).to.equal('编辑消息');
    editor.value = '你好！';
    message.querySelector<HTMLButtonElement>('[part="editor"] button[type="submit"]')!.click();
    const edited = await waitFor(() => row(alice, '你好！')?.querySelector('[part="edited"]'), 'edited');
    expect(edited.textContent).to.equal('（已编辑）');
  });
});
