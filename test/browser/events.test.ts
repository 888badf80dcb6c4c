import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import {
  TextMessage,
  type LcBeforeSendEvent,
  type LcChat,
  type LcConflictEvent,
  type LcConnectionChangeEvent,
  type LcErrorEvent,
  type LcMessageEvent,
  type LcReceiptEvent,
  type LcUnreadChangeEvent,
} from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, textarea, uid, waitFor } from './support/fixtures.js';

async function chatWith(attributes: string): Promise<{ chat: LcChat; me: string; other: string }> {
  const { wsUrl, appId } = await server();
  const me = uid('me');
  const other = uid('other');
  const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${other}" unique ${attributes}></lc-chat>`);
  return { chat, me, other };
}

function record<E extends Event>(target: EventTarget, type: string): E[] {
  const seen: E[] = [];
  target.addEventListener(type, (event) => seen.push(event as E));
  return seen;
}

describe('DOM events', () => {
  it('lc-connection-change: connecting → online, bubbling and composed', async () => {
    const changes = record<LcConnectionChangeEvent>(document, 'lc-connection-change');
    const { chat } = await chatWith('');
    await opened(chat);
    const mine = changes.filter((event) => event.target === chat);
    expect(mine.map((event) => [event.previous, event.state])).to.deep.include(['connecting', 'online']);
    expect(mine[0]!.bubbles).to.equal(true);
    expect(mine[0]!.composed).to.equal(true);
  });

  it('lc-message for received messages (outgoing false) and own accepted ones (outgoing true)', async () => {
    const { chat, me, other } = await chatWith('');
    const messages = record<LcMessageEvent>(chat, 'lc-message');
    await opened(chat);
    const peer = await sdkClient(other);
    const conversation = await peer.createConversation({ members: [me], unique: true });
    await conversation.send(new TextMessage('from the other side'));
    await waitFor(() => messages.find((event) => !event.outgoing), 'an incoming lc-message');
    await chat.send('from me');
    const outgoing = await waitFor(() => messages.find((event) => event.outgoing), 'an outgoing lc-message');
    expect(outgoing.message.text).to.equal('from me');
    expect(outgoing.message.status).to.equal('sent');
    expect(outgoing.conversation.id).to.equal(conversation.id);
    const incoming = messages.find((event) => !event.outgoing)!;
    expect(incoming.message).to.include({ text: 'from the other side', from: other, cid: conversation.id });
  });

  it('the data is in detail too, as with CustomEvent; lc-before-send detail.text writes through', async () => {
    const changes = record<LcConnectionChangeEvent>(document, 'lc-connection-change');
    const { chat, me, other } = await chatWith('');
    const messages = record<LcMessageEvent>(chat, 'lc-message');
    await opened(chat);
    const online = changes.find((event) => event.target === chat && event.state === 'online')!;
    expect(online.detail).to.deep.equal({ state: 'online', previous: online.previous });
    expect(online.detail).to.equal(online.detail);
    const peer = await sdkClient(other);
    const received: string[] = [];
    peer.on('message', (message) => message instanceof TextMessage && received.push(message.text ?? ''));
    chat.addEventListener('lc-before-send', (event: LcBeforeSendEvent) => {
      expect(event.detail.conversationId).to.equal(event.conversationId);
      event.detail.text = `${event.detail.text}!`;
    });
    textarea(chat).focus();
    await sendKeys({ type: 'via detail' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => received.includes('via detail!'), 'the text changed through detail');
    const outgoing = await waitFor(() => messages.find((event) => event.outgoing), 'lc-message');
    expect(outgoing.detail.message).to.equal(outgoing.message);
    expect(outgoing.detail.conversation).to.equal(outgoing.conversation);
    expect(outgoing.detail.outgoing).to.equal(true);
    void me;
  });

  it('lc-before-send may change the text, or cancel and keep it in the composer', async () => {
    const { chat, me, other } = await chatWith('');
    await opened(chat);
    const peer = await sdkClient(other);
    const received: string[] = [];
    // Typing indicators arrive too (transient plain messages): count texts only.
    peer.on('message', (message) => message instanceof TextMessage && received.push(message.text ?? ''));
    let mode: 'edit' | 'cancel' = 'edit';
    chat.addEventListener('lc-before-send', (event: LcBeforeSendEvent) => {
      if (mode === 'edit') event.text = event.text.toUpperCase();
      else event.preventDefault();
    });
    textarea(chat).focus();
    await sendKeys({ type: 'shout this' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => received.includes('SHOUT THIS'), 'the edited text to arrive');
    mode = 'cancel';
    await sendKeys({ type: 'keep me' });
    await sendKeys({ press: 'Enter' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(textarea(chat).value).to.equal('keep me');
    expect(rows(chat).map((row) => row.text)).to.deep.equal(['SHOUT THIS']);
    expect(received).to.deep.equal(['SHOUT THIS']);
    void me;
  });

  it('lc-error and a visible state for a conversation that does not exist', async () => {
    const { wsUrl, appId } = await server();
    const errors = record<LcErrorEvent>(document, 'lc-error');
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${uid('lost')}" conversation-id="0123456789abcdef01234567"></lc-chat>`);
    const error = await waitFor(() => errors.find((event) => event.target === chat), 'lc-error');
    expect(error.operation).to.equal('conversation');
    await chat.updateComplete;
    expect(shadow(chat).querySelector('[role=alert]')?.textContent).to.contain('doesn’t exist');
  });

  it('lc-unread-change: nothing while the reader looks at the newest messages; 1 while the page is hidden, 0 once seen', async () => {
    const { chat, me, other } = await chatWith('');
    const unread = record<LcUnreadChangeEvent>(chat, 'lc-unread-change');
    await opened(chat);
    const peer = await sdkClient(other);
    const conversation = await peer.createConversation({ members: [me], unique: true });
    // Visible, at the bottom: read at once, so the count never changed for the reader.
    await conversation.send(new TextMessage('seen at once'));
    await waitFor(() => rows(chat).some((row) => row.text === 'seen at once'), 'the message');
    // Whatever the SDK and the server say about the count afterwards has arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unread.map((event) => event.count)).to.deep.equal([]);

    // The page hidden: the count goes up once, and back to 0 (once) when it is seen.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      await conversation.send(new TextMessage('unread?'));
      await waitFor(() => unread.some((event) => event.count === 1), 'count 1');
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => unread.at(-1)!.count === 0, 'count 0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unread.map((event) => event.count)).to.deep.equal([1, 0]);
    const first = unread[0]!;
    expect(first.conversationId).to.equal(conversation.id);
    expect(first.total).to.be.at.least(1);
    expect(unread.at(-1)!.total).to.equal(0);
  });

  it('lc-receipt when the other side receives a message', async () => {
    const { chat, other } = await chatWith('');
    const receipts = record<LcReceiptEvent>(chat, 'lc-receipt');
    await opened(chat);
    await sdkClient(other);
    await chat.send('did you get this?');
    const receipt = await waitFor(() => receipts[0], 'lc-receipt');
    expect(receipt.status).to.equal('delivered');
    expect(receipt.message.text).to.equal('did you get this?');
    await waitFor(() => rows(chat).find((row) => row.status === 'delivered'), 'the delivered mark');
  });

  it('lc-receipt "read" when the other person sees it, and the read mark', async () => {
    const { wsUrl, appId } = await server();
    const [alice, bob] = [uid('alice'), uid('bob')];
    const left = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${alice}" members="${bob}" unique></lc-chat>`);
    const receipts = record<LcReceiptEvent>(left, 'lc-receipt');
    await opened(left);
    await left.send('read me');
    // Bob opens the conversation (visible, at the bottom): he has read it.
    const right = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${bob}" members="${alice}" unique></lc-chat>`);
    await opened(right);
    const read = await waitFor(() => receipts.find((event) => event.status === 'read'), 'a read receipt', 10_000);
    expect(read.message.text).to.equal('read me');
    await waitFor(() => rows(left).find((row) => row.status === 'read'), 'the read mark');
  });

  it('lc-conflict when the session is taken over (tag), with a banner offering to take it back', async () => {
    const { chat, me } = await chatWith('tag="Web"');
    const conflicts = record<LcConflictEvent>(chat, 'lc-conflict');
    await opened(chat);
    const info = await server();
    const { Realtime } = await import('../../src/sdk/index.js');
    const other = new Realtime({ appId: info.appId, server: info.wsUrl });
    try {
      await other.createIMClient(me, { tag: 'Web' });
      await waitFor(() => conflicts[0], 'lc-conflict');
      expect(conflicts[0]!.cancelable).to.equal(true);
      expect(conflicts[0]!.reason).to.be.a('string').that.is.not.empty;
      await chat.updateComplete;
      const banner = shadow(chat).querySelector('[part=banner]');
      expect(banner?.textContent).to.contain('another device');
      expect(chat.connectionState).to.equal('conflict');
    } finally {
      await other.close();
    }
  });

  it('a page that cancels lc-conflict gets no banner', async () => {
    const { chat, me } = await chatWith('tag="Web"');
    chat.addEventListener('lc-conflict', (event) => event.preventDefault());
    await opened(chat);
    const info = await server();
    const { Realtime } = await import('../../src/sdk/index.js');
    const other = new Realtime({ appId: info.appId, server: info.wsUrl });
    try {
      await other.createIMClient(me, { tag: 'Web' });
      await waitFor(() => chat.connectionState === 'conflict', 'the conflict state');
      await chat.updateComplete;
      expect(shadow(chat).querySelector('[part=banner]')).to.equal(null);
    } finally {
      await other.close();
    }
  });
});
