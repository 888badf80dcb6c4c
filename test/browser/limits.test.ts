/**
 * The server's limits in the widget (issue 13, defects 1 and 10): a message
 * over `--max-payload` is shown as failed with Delete and never sent (the
 * server would close the socket on it, and the outbox used to resend it on
 * every reconnect, forever, with everything typed later stuck behind it).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import { openChatCache, type LcChat, type LcConnectionChangeEvent, type LcErrorEvent } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, textarea, uid, waitFor } from './support/fixtures.js';

/** Over the default 64 KB `--max-payload`. */
const LONG_TEXT = 'long words '.repeat(Math.ceil((70 * 1024) / 11));

function record<E extends Event>(target: EventTarget, type: string): E[] {
  const events: E[] = [];
  target.addEventListener(type, (event) => events.push(event as E));
  return events;
}

/** Types a text as if pasted, then presses Enter. */
async function pasteAndSend(chat: LcChat, text: string): Promise<void> {
  const input = textarea(chat);
  input.focus();
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertFromPaste' }));
  await sendKeys({ press: 'Enter' });
}

function failedRow(chat: LcChat) {
  return rows(chat).find((row) => row.status === 'failed' && row.element.querySelector('[data-reason="too-large"]'));
}

function buttons(row: { element: HTMLElement }): string[] {
  return [...row.element.querySelectorAll('.meta-line button')].map((button) => button.textContent?.trim() ?? '');
}

describe('message size limit', function () {
  this.timeout(40_000);

  it('a 70 KB paste is shown as failed with Delete, never sent; later messages go through; a reload does not restart it', async () => {
    const { wsUrl, appId } = await server();
    const [me, peer] = [uid('paster'), uid('reader')];
    const markup = `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique></lc-chat>`;
    const chat = mount<LcChat>(markup);
    const errors = record<LcErrorEvent>(chat, 'lc-error');
    await opened(chat);
    const states = record<LcConnectionChangeEvent>(chat, 'lc-connection-change');

    await pasteAndSend(chat, LONG_TEXT);
    const failed = await waitFor(() => failedRow(chat), 'the long message shown as failed');
    expect(failed.element.querySelector('.meta-line')!.textContent).to.match(/Too long to send \(7\d KB; the limit is 64 KB\)/);
    expect(buttons(failed)).to.deep.equal(['Delete']);
    expect(errors.map((event) => [event.operation, event.error.name])).to.deep.include(['send', 'MESSAGE_TOO_LARGE']);
    expect(textarea(chat).value).to.equal('');

    await pasteAndSend(chat, 'after the long one');
    await waitFor(() => rows(chat).some((row) => row.text === 'after the long one' && !row.element.classList.contains('pending')), 'the next message sent');
    expect(states.map((event) => event.state)).to.deep.equal([], 'the connection never dropped');
    const reader = await sdkClient(peer);
    const conversation = await reader.createConversation({ members: [me], unique: true });
    const texts = (await conversation.queryMessages({ limit: 10 })).map((message) => JSON.stringify(message.toJSON()).length);
    expect(texts.every((length) => length < 1024), 'only the short message reached the server').to.equal(true);

    // "Reload": the failed message is still there, still failed; nothing is resent.
    const client = chat.client!;
    chat.remove();
    await client.close();
    const second = mount<LcChat>(markup);
    await opened(second);
    const secondStates = record<LcConnectionChangeEvent>(second, 'lc-connection-change');
    const restored = await waitFor(() => failedRow(second), 'the failed message after the reload');
    expect(buttons(restored)).to.deep.equal(['Delete']);
    await pasteAndSend(second, 'after the reload');
    await waitFor(() => rows(second).some((row) => row.text === 'after the reload' && !row.element.classList.contains('pending')), 'a message sent after the reload');
    expect(secondStates.map((event) => event.state)).to.deep.equal([]);

    (restored.element.querySelector('.meta-line button') as HTMLButtonElement).click();
    await waitFor(() => !failedRow(second), 'the failed message deleted');
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    expect(await cache.outbox()).to.deep.equal([]);
    cache.close();
  });

  it('without GET /limits (an older server), the socket the server closes on it fails the message once; the chat recovers', async () => {
    const original = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).endsWith('/limits') ? Promise.resolve(new Response('not found', { status: 404 })) : original(input, init);
    try {
      const { wsUrl, appId } = await server();
      const [me, peer] = [uid('unlimited'), uid('reader')];
      const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique></lc-chat>`);
      const errors = record<LcErrorEvent>(chat, 'lc-error');
      await opened(chat);
      await pasteAndSend(chat, LONG_TEXT);
      const failed = await waitFor(() => failedRow(chat), 'the long message shown as failed', 15_000);
      expect(buttons(failed)).to.deep.equal(['Delete']);
      expect(errors.map((event) => event.error.name)).to.include('MESSAGE_TOO_LARGE');
      await waitFor(() => chat.connectionState === 'online', 'the connection back', 15_000);
      await pasteAndSend(chat, 'after the socket closed');
      await waitFor(() => rows(chat).some((row) => row.text === 'after the socket closed' && !row.element.classList.contains('pending')), 'the next message sent', 15_000);
      expect(failedRow(chat), 'still failed, not resent').to.not.equal(undefined);
    } finally {
      window.fetch = original;
    }
  });

  it('an oversized message left in the outbox by an older version fails once instead of looping', async () => {
    const { wsUrl, appId } = await server();
    const [me, peer] = [uid('wedged'), uid('reader')];
    const reader = await sdkClient(peer);
    const conversation = await reader.createConversation({ members: [me], unique: true });
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    await cache.putOutbox({ localId: uid('dt'), cid: conversation.id, from: me, payload: { _lctype: -1, _lctext: LONG_TEXT }, createdAt: Date.now(), state: 'sending' });
    cache.close();

    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique></lc-chat>`);
    const states = record<LcConnectionChangeEvent>(chat, 'lc-connection-change');
    await opened(chat);
    const failed = await waitFor(() => failedRow(chat), 'the old message shown as failed');
    expect(buttons(failed)).to.deep.equal(['Delete']);
    await pasteAndSend(chat, 'not stuck behind it');
    await waitFor(() => rows(chat).some((row) => row.text === 'not stuck behind it' && !row.element.classList.contains('pending')), 'the next message sent');
    expect(states.map((event) => event.state)).to.not.include('offline');
    expect(shadow(chat).querySelector('.banner')).to.equal(null);
  });
});

describe('upload limits', function () {
  this.timeout(40_000);

  /** Every `POST /files` the page makes. */
  function watchUploads(): string[] {
    const urls: string[] = [];
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      if (String(url).includes('/files')) urls.push(`${method} ${String(url)}`);
      return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof XMLHttpRequest.prototype.open;
    after = () => {
      XMLHttpRequest.prototype.open = open;
    };
    return urls;
  }
  let after: (() => void) | undefined;
  afterEach(() => {
    after?.();
    after = undefined;
  });

  async function chatWithAttachments(lang = 'en'): Promise<LcChat> {
    const { wsUrl, appId, appKey } = await server();
    const chat = mount<LcChat>(
      `<lc-chat lang="${lang}" server="${wsUrl}" app-id="${appId}" app-key="${appKey}" client-id="${uid('sender')}" members="${uid('peer')}" unique></lc-chat>`,
    );
    await opened(chat);
    return chat;
  }

  /** Chooses a file with the attach button's input, then sends it once the composer shows it. */
  async function choose(chat: LcChat, file: File): Promise<void> {
    const input = shadow(chat).querySelector<HTMLInputElement>('input[type=file]')!;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await waitFor(() => shadow(chat).querySelector('[part=attachments] .chip'), 'the chosen file in the composer');
    shadow(chat).querySelector<HTMLButtonElement>('[part=send-button]')!.click();
  }

  function failedUpload(chat: LcChat): { text: string; buttons: string[] } | undefined {
    const row = shadow(chat).querySelector('.upload');
    const error = row?.querySelector('.upload-error');
    if (!row || !error) return undefined;
    return { text: error.textContent?.trim() ?? '', buttons: [...row.querySelectorAll('.meta-line button')].map((button) => button.textContent?.trim() ?? '') };
  }

  it('a 21 MB file is refused before uploading: a localized reason with the server\'s limit, no Retry', async () => {
    const chat = await chatWithAttachments();
    const errors = record<LcErrorEvent>(chat, 'lc-error');
    const uploads = watchUploads();
    await choose(chat, new File([new Uint8Array(21 * 1024 * 1024)], 'huge.bin', { type: 'application/octet-stream' }));
    const failed = await waitFor(() => failedUpload(chat), 'the upload refused');
    expect(failed.text).to.equal('This file is too large to send (the limit is 20 MB).');
    expect(failed.buttons).to.deep.equal(['Delete']);
    expect(uploads).to.deep.equal([], 'nothing was uploaded');
    expect(errors.map((event) => [event.operation, (event.error as Error & { status?: number }).status])).to.deep.equal([['upload', 413]]);
  });

  it('a "PNG" that is HTML is refused before uploading, in the page\'s language', async () => {
    const chat = await chatWithAttachments('zh-CN');
    const uploads = watchUploads();
    await choose(chat, new File(['<!doctype html><script>alert(1)</script>'], 'cat.png', { type: 'image/png' }));
    const failed = await waitFor(() => failedUpload(chat), 'the upload refused');
    expect(failed.text).to.equal('此文件不是有效的图片。');
    expect(failed.buttons).to.deep.equal(['删除']);
    expect(uploads).to.deep.equal([]);
  });
});
