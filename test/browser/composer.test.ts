/**
 * The composer of `<lc-chat>`: files pasted or dropped (previewed, with a
 * caption, removable), attachments queued offline across a reload (their
 * bytes in IndexedDB) and sent when the server is back, the emoji picker,
 * "scroll to latest", and @-mentions with what the other side receives.
 * The offline tests use their own server (`composer`), stopped and started
 * again on the same port with the same data.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import { openChatCache, TextMessage, type LcAttachEvent, type LcChat, type Message } from '../../src/components/index.js';
import { EMOJI } from '../../src/components/lc-chat/emoji-panel.js';
import { mount, opened, rows, sdkClient, server, shadow, startServer, stopServer, textarea, uid, waitFor, isSent } from './support/fixtures.js';

/** A real 2×1 PNG (the server checks that image bytes are an image). */
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwyBDAYAMt4F+/Ulf1AAAAAASUVORK5CYII='),
  (char) => char.charCodeAt(0),
);

interface Payload {
  _lctype?: number;
  _lctext?: string;
  _lcfile?: { url: string; metaData: Record<string, unknown> };
}

async function setup(serverName = 'main', extra = ''): Promise<{ chat: LcChat; me: string; peer: string; markup: string; wsUrl: string; appId: string }> {
  const { wsUrl, appId, appKey } = await server(serverName);
  const [me, peer] = [uid('composer'), uid('reader')];
  const markup = `<lc-chat server="${wsUrl}" app-id="${appId}" app-key="${appKey}" client-id="${me}" members="${peer}" unique ${extra}></lc-chat>`;
  const chat = mount<LcChat>(markup);
  await opened(chat);
  return { chat, me, peer, markup, wsUrl, appId };
}

/** The peer, listening: every payload it receives, with its mentions. */
async function listener(peer: string, me: string, serverName = 'main'): Promise<Array<{ payload: Payload; mentionList: string[]; mentionedAll: boolean }>> {
  const client = await sdkClient(peer, serverName);
  const received: Array<{ payload: Payload; mentionList: string[]; mentionedAll: boolean }> = [];
  client.on('message', (message: Message) => {
    // Typing indicators (transient) are not messages.
    if (!message.transient) received.push({ payload: message.toJSON() as Payload, mentionList: [...message.mentionList], mentionedAll: message.mentionedAll });
  });
  await client.createConversation({ members: [me], unique: true });
  return received;
}

function paste(target: Element, ...files: File[]): ClipboardEvent {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

function drag(target: Element, type: 'dragenter' | 'dragover' | 'drop', ...files: File[]): DragEvent {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  const event = new DragEvent(type, { dataTransfer: data, bubbles: true, composed: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
}

/** Fails with every WCAG 2.1 A/AA violation axe-core finds in `element` (as a11y.test.ts does). */
async function expectAccessible(element: Element, what: string): Promise<void> {
  const global = window as unknown as { axe?: { run(context: Element, options: object): Promise<AxeResult> } };
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
  const report = result.violations.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `  ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join('\n')}`,
  );
  expect(report, `${what}:\n${report.join('\n')}`).to.deep.equal([]);
}

const chips = (chat: LcChat) => [...shadow(chat).querySelectorAll<HTMLElement>('[part=attachments] .chip')];
const sendButton = (chat: LcChat) => shadow(chat).querySelector<HTMLButtonElement>('[part=send-button]')!;

describe('composer', function () {
  this.timeout(60_000);

  it('previews a pasted image, sends it with the typed caption, and the other side receives both', async () => {
    const { chat, me, peer } = await setup();
    const received = await listener(peer, me);
    const attached: Array<{ name: string; source: string }> = [];
    chat.addEventListener('lc-attach', (event: LcAttachEvent) => attached.push({ name: event.file.name, source: event.source }));

    const event = paste(textarea(chat), new File([PNG], 'screenshot.png', { type: 'image/png' }));
    expect(event.defaultPrevented, 'a file paste is the composer’s').to.equal(true);
    expect(attached).to.deep.equal([{ name: 'screenshot.png', source: 'paste' }]);
    const chip = await waitFor(() => chips(chat)[0], 'the preview');
    const thumbnail = chip.querySelector('img')!;
    expect(thumbnail.src).to.match(/^blob:/);
    await waitFor(() => thumbnail.complete && thumbnail.naturalWidth === 2, 'the thumbnail to show the pasted bytes');
    expect(chip.textContent).to.contain('screenshot.png');
    expect(sendButton(chat).disabled, 'a file alone can be sent').to.equal(false);
    expect(rows(chat)).to.have.length(0);

    textarea(chat).focus();
    await sendKeys({ type: 'the bug, see the corner' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => chips(chat).length === 0, 'the tray to empty');
    await waitFor(() => received.length === 1, 'the peer to receive the image');
    expect(received[0]!.payload._lctype).to.equal(-2);
    expect(received[0]!.payload._lctext).to.equal('the bug, see the corner');
    expect(received[0]!.payload._lcfile!.metaData).to.include({ name: 'screenshot.png', width: 2, height: 1 });
    await waitFor(() => rows(chat).length === 1 && isSent(rows(chat)[0]!), 'the own row, sent');
    expect(textarea(chat).value).to.equal('');
  });

  it('leaves a text paste to the textarea', async () => {
    const { chat } = await setup();
    const data = new DataTransfer();
    data.setData('text/plain', 'just words');
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true });
    textarea(chat).dispatchEvent(event);
    expect(event.defaultPrevented).to.equal(false);
    await chat.updateComplete;
    expect(chips(chat)).to.have.length(0);
  });

  it('takes dropped files (showing the drop zone while dragging) and sends each as its own message', async () => {
    const { chat, me, peer } = await setup();
    const received = await listener(peer, me);
    const list = shadow(chat).querySelector('.list')!;
    const report = new File(['quarterly numbers\n'], 'report.txt', { type: 'text/plain' });
    const photo = new File([PNG], 'dot.png', { type: 'image/png' });

    expect(drag(list, 'dragover', report).defaultPrevented, 'dragover accepted, so the drop is allowed').to.equal(true);
    const zone = await waitFor(() => shadow(chat).querySelector('[part=drop-zone]'), 'the drop zone');
    expect(zone.textContent).to.contain('Drop files');
    const drop = drag(list, 'drop', report, photo);
    expect(drop.defaultPrevented, 'the browser does not open the file').to.equal(true);
    await chat.updateComplete;
    expect(shadow(chat).querySelector('[part=drop-zone]')).to.equal(null);
    await waitFor(() => chips(chat).length === 2, 'both previews');
    expect(chips(chat).map((chip) => chip.querySelector('.file-name')!.textContent)).to.deep.equal(['report.txt', 'dot.png']);
    expect(chips(chat)[0]!.querySelector('img'), 'no thumbnail for a text file').to.equal(null);

    sendButton(chat).click();
    await waitFor(() => received.length === 2, 'both files received');
    expect(received.map((message) => message.payload._lctype)).to.deep.equal([-6, -2]);
    const url = received[0]!.payload._lcfile!.url;
    expect(await (await fetch(url)).text()).to.equal('quarterly numbers\n');
  });

  it('removes a staged file from the keyboard, and a cancelled lc-attach stages nothing', async () => {
    const { chat } = await setup();
    chat.addEventListener('lc-attach', (event: LcAttachEvent) => {
      if (event.file.name.endsWith('.exe')) event.preventDefault();
    });
    paste(textarea(chat), new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' }), new File(['a'], 'keep.txt', { type: 'text/plain' }));
    await waitFor(() => chips(chat).length === 1, 'one preview');
    expect(chips(chat)[0]!.textContent).to.contain('keep.txt');
    const remove = chips(chat)[0]!.querySelector<HTMLButtonElement>('button.remove')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove keep.txt');
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => chips(chat).length === 0, 'the preview gone');
    expect(shadow(chat).activeElement, 'focus back in the composer').to.equal(textarea(chat));
    expect(sendButton(chat).disabled).to.equal(true);
  });

  it('queues an attachment offline, keeps its bytes across a reload, and uploads and sends it when the server is back', async () => {
    const { chat, me, peer, markup, wsUrl, appId } = await setup('composer');
    await stopServer('composer');
    let second: LcChat | undefined;
    try {
      await waitFor(() => chat.connectionState === 'offline', 'the offline state');
      paste(textarea(chat), new File(['written in the tunnel\n'], 'notes.txt', { type: 'text/plain' }));
      await waitFor(() => chips(chat).length === 1, 'the preview, offline');
      textarea(chat).focus();
      await sendKeys({ type: 'my notes' });
      await sendKeys({ press: 'Enter' });
      const pending = await waitFor(() => rows(chat).find((row) => row.status === 'queued'), 'the waiting attachment');
      expect(pending.element.textContent).to.contain('notes.txt');
      expect(pending.element.textContent).to.contain('Waiting for connection');
      expect(pending.element.querySelector('.meta-line button')!.textContent).to.equal('Cancel');

      const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
      const [entry] = await waitFor(async () => {
        const entries = await cache.outbox();
        return entries.length === 1 && entries[0]!.file ? entries : undefined;
      }, 'the outbox entry with its file in IndexedDB');
      expect(entry!.file!.blob).to.be.instanceOf(Blob);
      expect(await entry!.file!.blob.text()).to.equal('written in the tunnel\n');
      expect(entry!.file!.caption).to.equal('my notes');
      cache.close();

      // "Reload": the element and its client go away; a new one starts from the cache.
      const client = chat.client!;
      chat.remove();
      await client.close();
      second = mount<LcChat>(markup);
      await waitFor(() => rows(second!).some((row) => row.status === 'queued' && row.text.includes('notes.txt')), 'the waiting attachment after the reload');
    } finally {
      await startServer('composer');
    }
    await waitFor(() => rows(second!).length === 1 && isSent(rows(second!)[0]!), 'the attachment sent', 30_000);
    await waitFor(() => shadow(second!).querySelector('.bubble a.file'), 'the file bubble, with its link');
    const peerClient = await sdkClient(peer, 'composer');
    const conversation = await peerClient.createConversation({ members: [me], unique: true });
    const history = (await conversation.queryMessages({ limit: 10 })).map((message) => message.toJSON() as Payload);
    expect(history, 'stored once, though sent after a reload').to.have.length(1);
    expect(history[0]!._lctype).to.equal(-6);
    expect(history[0]!._lctext).to.equal('my notes');
    expect(await (await fetch(history[0]!._lcfile!.url)).text()).to.equal('written in the tunnel\n');
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    expect(await cache.outbox()).to.deep.equal([]);
    cache.close();
  });

  it('cancels a queued attachment: nothing is uploaded or sent, and its bytes leave IndexedDB', async () => {
    const { chat, me, peer, wsUrl, appId } = await setup('composer');
    await stopServer('composer');
    try {
      await waitFor(() => chat.connectionState === 'offline', 'the offline state');
      paste(textarea(chat), new File(['never mind\n'], 'draft.txt', { type: 'text/plain' }));
      await waitFor(() => chips(chat).length === 1, 'the preview');
      sendButton(chat).click();
      const pending = await waitFor(() => rows(chat).find((row) => row.status === 'queued'), 'the waiting attachment');
      pending.element.querySelector<HTMLButtonElement>('.meta-line button')!.click();
      await waitFor(() => rows(chat).length === 0, 'the row gone');
      const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
      await waitFor(async () => (await cache.outbox()).length === 0, 'the outbox empty');
      cache.close();
    } finally {
      await startServer('composer');
    }
    await waitFor(() => chat.connectionState === 'online', 'the connection back', 30_000);
    await chat.send('only this');
    await waitFor(() => rows(chat).some((row) => row.text === 'only this' && isSent(row)), 'the text sent');
    const peerClient = await sdkClient(peer, 'composer');
    const conversation = await peerClient.createConversation({ members: [me], unique: true });
    const history = await conversation.queryMessages({ limit: 10 });
    expect(history.map((message) => (message instanceof TextMessage ? message.text : message.toJSON()))).to.deep.equal(['only this']);
  });

  it('inserts an emoji from the lazily loaded picker, by keyboard', async () => {
    const { chat } = await setup();
    const button = shadow(chat).querySelector<HTMLButtonElement>('[part=emoji-button]')!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shadow(chat).querySelector('[part=emoji-panel]'), 'not loaded before the first opening').to.equal(null);
    textarea(chat).focus();
    await sendKeys({ type: 'nice ' });
    button.focus();
    await sendKeys({ press: 'Enter' });
    const panel = await waitFor(() => shadow(chat).querySelector('[part=emoji-panel]'), 'the picker');
    expect(panel.getAttribute('role')).to.equal('grid');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await waitFor(() => shadow(chat).activeElement?.closest('[part=emoji-panel]'), 'focus in the picker');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowDown' });
    const chosen = (shadow(chat).activeElement as HTMLButtonElement).textContent;
    expect(chosen, 'second column, second row').to.equal(EMOJI[9]);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !shadow(chat).querySelector('[part=emoji-panel]'), 'the picker closed');
    expect(textarea(chat).value).to.equal(`nice ${chosen}`);
    expect(shadow(chat).activeElement).to.equal(textarea(chat));
    expect(sendButton(chat).disabled).to.equal(false);

    button.click();
    await waitFor(() => shadow(chat).activeElement?.closest('[part=emoji-panel]'), 'the picker again');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !shadow(chat).querySelector('[part=emoji-panel]'), 'closed by Escape');
    expect(textarea(chat).value).to.equal(`nice ${chosen}`);

    button.click();
    await waitFor(() => shadow(chat).activeElement?.closest('[part=emoji-panel]'), 'the picker a third time');
    await sendKeys({ press: 'Tab' });
    await waitFor(() => !shadow(chat).querySelector('[part=emoji-panel]'), 'closed when Tab left it');
    expect(shadow(chat).activeElement, 'Tab went on to the next control, the message field').to.equal(textarea(chat));
  });

  it('offers "scroll to latest" while away from the bottom, with the count of new messages, reachable by keyboard', async () => {
    const { wsUrl, appId } = await server();
    const [me, peer] = [uid('scroller'), uid('talker')];
    const client = await sdkClient(peer);
    const conversation = await client.createConversation({ members: [me], unique: true });
    for (let index = 0; index < 30; index++) await conversation.send(new TextMessage(`line ${index}\nwith a second line`));
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique page-size="30" style="block-size: 420px"></lc-chat>`);
    await opened(chat);
    await waitFor(() => rows(chat).length === 30, 'the history');
    const list = shadow(chat).querySelector<HTMLElement>('.list')!;
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 40, 'the list at the bottom');
    expect(shadow(chat).querySelector('[part=latest-button]')).to.equal(null);

    list.scrollTop = list.scrollHeight / 2;
    const button = await waitFor(() => shadow(chat).querySelector<HTMLButtonElement>('[part=latest-button]'), 'the button');
    expect(button.textContent).to.contain('Scroll to latest');
    await conversation.send(new TextMessage('while you were reading'));
    await waitFor(() => button.isConnected && button.textContent!.includes('1 new message'), 'the count of new messages');

    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !shadow(chat).querySelector('[part=latest-button]'), 'the button gone');
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 40, 'the list at the newest');
    expect(shadow(chat).activeElement, 'focus in the composer, not lost with the button').to.equal(textarea(chat));
  });

  describe('@-mentions', () => {
    async function group(): Promise<{ chat: LcChat; me: string; bob: string; carol: string; received: Array<{ payload: Payload; mentionList: string[]; mentionedAll: boolean }> }> {
      const { wsUrl, appId } = await server();
      const [me, bob, carol] = [uid('host'), uid('bob'), uid('carol')];
      const carolClient = await sdkClient(carol);
      const conversation = await carolClient.createConversation({ members: [me, bob], name: 'Team' });
      const received: Array<{ payload: Payload; mentionList: string[]; mentionedAll: boolean }> = [];
      carolClient.on('message', (message: Message) => {
        // Typing indicators (transient) are not messages.
        if (!message.transient) received.push({ payload: message.toJSON() as Payload, mentionList: [...message.mentionList], mentionedAll: message.mentionedAll });
      });
      const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" conversation-id="${conversation.id}"></lc-chat>`);
      chat.names = { [bob]: 'Bob Builder', [carol]: 'Carol' };
      await opened(chat);
      return { chat, me, bob, carol, received };
    }

    const options = (chat: LcChat) => [...shadow(chat).querySelectorAll<HTMLElement>('[part=mentions] [role=option]')];

    it('suggests members by name as "@" is typed; arrows and Enter pick; the message carries mentionList', async () => {
      const { chat, bob, carol, received } = await group();
      textarea(chat).focus();
      await sendKeys({ type: 'hey @' });
      await waitFor(() => options(chat).length === 3, 'Bob, Carol and all');
      expect(options(chat).map((option) => option.querySelector('strong')!.textContent)).to.deep.equal(['@Bob Builder', '@Carol', '@all']);
      expect(textarea(chat).getAttribute('aria-controls')).to.equal('mentions');
      expect(textarea(chat).getAttribute('aria-activedescendant')).to.equal('mention-0');
      await sendKeys({ type: 'b' });
      await waitFor(() => options(chat).length === 1, 'only Bob');
      await sendKeys({ press: 'Backspace' });
      await waitFor(() => options(chat).length === 3, 'all three again');
      await sendKeys({ press: 'ArrowDown' });
      await waitFor(() => textarea(chat).getAttribute('aria-activedescendant') === 'mention-1', 'Carol active');
      expect(options(chat)[1]!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Enter' });
      await waitFor(() => options(chat).length === 0, 'the list closed');
      expect(textarea(chat).value, 'Enter picked, it did not send').to.equal('hey @Bob Builder ');
      expect(rows(chat)).to.have.length(0);
      await sendKeys({ type: 'can you look?' });
      await sendKeys({ press: 'Enter' });
      await waitFor(() => received.length === 1, 'Carol to receive it');
      expect(received[0]!.payload._lctext).to.equal('hey @Bob Builder can you look?');
      expect(received[0]!.mentionList).to.deep.equal([bob]);
      expect(received[0]!.mentionedAll).to.equal(false);
      expect(received[0]!.mentionList).to.not.include(carol);
    });

    it('Tab picks "@all" (mentionedAll); Escape closes the list; a mention deleted from the text is not sent', async () => {
      const { chat, received } = await group();
      textarea(chat).focus();
      await sendKeys({ type: '@car' });
      await waitFor(() => options(chat).length === 1, 'Carol');
      await sendKeys({ press: 'Tab' });
      await waitFor(() => textarea(chat).value === '@Carol ', 'Carol picked');
      // Deleted again: "@Carol " is gone from the text, so no mention of her is sent.
      for (let index = 0; index < 7; index++) await sendKeys({ press: 'Backspace' });
      await sendKeys({ type: 'x @' });
      await waitFor(() => options(chat).length === 3, 'the list');
      await sendKeys({ press: 'Escape' });
      await waitFor(() => options(chat).length === 0, 'closed by Escape');
      await sendKeys({ type: 'al' });
      await waitFor(() => options(chat).length === 1, '@all');
      // Leaving the composer closes the list; typing there again opens it.
      shadow(chat).querySelector<HTMLElement>('.list')!.focus();
      await waitFor(() => options(chat).length === 0, 'closed when the composer lost focus');
      textarea(chat).focus();
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ type: 'l' });
      await waitFor(() => options(chat).length === 1, '@all again');
      await sendKeys({ press: 'Tab' });
      await waitFor(() => textarea(chat).value === 'x @all ', '@all picked');
      await sendKeys({ press: 'Enter' });
      await waitFor(() => received.length === 1, 'received');
      expect(received[0]!.mentionedAll).to.equal(true);
      expect(received[0]!.mentionList).to.deep.equal([]);
    });

    it('offers nothing in a one-to-one conversation, or with no-mentions', async () => {
      const { chat } = await setup();
      textarea(chat).focus();
      await sendKeys({ type: '@' });
      await chat.updateComplete;
      expect(options(chat)).to.have.length(0);
      await sendKeys({ press: 'Enter' });
      await waitFor(() => rows(chat).some((row) => row.text === '@'), 'Enter sends as usual');

      const { chat: quiet } = await group();
      quiet.noMentions = true;
      textarea(quiet).focus();
      await sendKeys({ type: '@' });
      await quiet.updateComplete;
      expect(options(quiet)).to.have.length(0);
    });
  });

  it('turns attachments and emoji off by attribute', async () => {
    const { chat } = await setup('main', 'no-attachments no-emoji');
    expect(shadow(chat).querySelector('[part=attach-button]')).to.equal(null);
    expect(shadow(chat).querySelector('[part=emoji-button]')).to.equal(null);
    const event = paste(textarea(chat), new File([PNG], 'x.png', { type: 'image/png' }));
    expect(event.defaultPrevented, 'left to the page').to.equal(false);
    expect(drag(shadow(chat).querySelector('.list')!, 'drop', new File(['a'], 'a.txt')).defaultPrevented).to.equal(false);
    await chat.updateComplete;
    expect(chips(chat)).to.have.length(0);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with files staged, suggestions open, the emoji picker open and an attachment waiting, ${theme}`, async () => {
      const { wsUrl, appId, appKey } = await server();
      const [me, bob, carol] = [uid('audited'), uid('bob'), uid('carol')];
      const carolClient = await sdkClient(carol);
      const conversation = await carolClient.createConversation({ members: [me, bob], name: 'Audit' });
      const chat = mount<LcChat>(`<lc-chat theme="${theme}" server="${wsUrl}" app-id="${appId}" app-key="${appKey}" client-id="${me}" conversation-id="${conversation.id}"></lc-chat>`);
      chat.names = { [bob]: 'Bob', [carol]: 'Carol' };
      await opened(chat);
      paste(textarea(chat), new File([PNG], 'shot.png', { type: 'image/png' }), new File(['x'], 'a-rather-long-file-name-for-the-chip.txt', { type: 'text/plain' }));
      await waitFor(() => chips(chat).length === 2, 'the previews');
      textarea(chat).focus();
      await sendKeys({ type: '@' });
      await waitFor(() => shadow(chat).querySelector('[part=mentions]'), 'the suggestions');
      await chat.updateComplete;
      await expectAccessible(chat, `staged files and suggestions, ${theme}`);

      await sendKeys({ press: 'Escape' });
      shadow(chat).querySelector<HTMLButtonElement>('[part=emoji-button]')!.click();
      await waitFor(() => shadow(chat).querySelector('[part=emoji-panel]'), 'the picker');
      await chat.updateComplete;
      await expectAccessible(chat, `emoji picker, ${theme}`);

      await sendKeys({ press: 'Escape' });
      await waitFor(() => !shadow(chat).querySelector('[part=emoji-panel]'), 'the picker closed');
      textarea(chat).value = '';
      sendButton(chat).click();
      await waitFor(() => rows(chat).some((row) => row.element.classList.contains('upload')), 'a pending attachment');
      await chat.updateComplete;
      await expectAccessible(chat, `pending attachment, ${theme}`);
    });
  }
});
