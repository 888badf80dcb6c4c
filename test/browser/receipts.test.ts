import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import type { LcChat, LcReceiptEvent } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, startServer, stopServer, uid, waitFor } from './support/fixtures.js';

/** Every status a chat's own rows show, sampled on every DOM change. */
function watchStatuses(chat: LcChat): { seen: string[][]; stop(): void } {
  const seen: string[][] = [];
  const sample = (): void => {
    const statuses = rows(chat).filter((row) => row.own).map((row) => row.status ?? '');
    if (statuses.length) seen.push(statuses);
  };
  const observer = new MutationObserver(sample);
  observer.observe(chat.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
  return { seen, stop: () => observer.disconnect() };
}

describe('receipts', function () {
  this.timeout(40_000);

  it('a read message stays read across a reload: from the cache, never going back, and lc-receipt does not fire again', async () => {
    const { wsUrl, appId } = await server('receipts');
    const [alice, bob] = [uid('alice'), uid('bob')];
    const aliceMarkup = `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${alice}" members="${bob}" unique></lc-chat>`;
    const first = mount<LcChat>(aliceMarkup);
    await opened(first);
    await first.send('one');
    await first.send('two');
    const reader = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${bob}" members="${alice}" unique></lc-chat>`);
    await opened(reader);
    await waitFor(() => rows(first).length === 2 && rows(first).every((row) => row.status === 'read' || !row.status), 'both read');
    const readerClient = reader.client!;
    reader.remove();
    await readerClient.close();
    const firstClient = first.client!;
    first.remove();
    await firstClient.close();

    // A new page load while the server is unreachable: the cache alone says "read".
    await stopServer('receipts');
    let second: LcChat;
    let statuses: ReturnType<typeof watchStatuses>;
    const receipts: LcReceiptEvent[] = [];
    try {
      second = mount<LcChat>(aliceMarkup);
      second.addEventListener('lc-receipt', (event) => receipts.push(event));
      await waitFor(() => rows(second).length === 2, 'the cached history');
      statuses = watchStatuses(second);
      expect(rows(second).map((row) => row.status)).to.deep.equal([null, 'read']);
    } finally {
      await startServer('receipts');
    }
    // The network answers (history, receipt times): nothing moves back, nothing is news.
    await opened(second);
    await new Promise((resolve) => setTimeout(resolve, 500));
    statuses.stop();
    for (const sample of statuses.seen) expect(sample.filter(Boolean)).to.deep.equal(['read']);
    expect(rows(second).map((row) => row.status)).to.deep.equal([null, 'read']);
    expect(receipts.map((event) => `${event.message.text}:${event.status}`)).to.deep.equal([]);
  });

  it('read looks different from delivered, in color and in words, and says so in the accessible text', async () => {
    const { wsUrl, appId } = await server();
    const [alice, bob, carol] = [uid('alice'), uid('bob'), uid('carol')];
    // Carol is connected but never opens the conversation: delivered. Bob opens his: read.
    await sdkClient(carol);
    const toCarol = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${alice}" members="${carol}" unique></lc-chat>`);
    const toBob = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${alice}" members="${bob}" unique></lc-chat>`);
    await opened(toCarol);
    await opened(toBob);
    await toCarol.send('for carol');
    await toBob.send('for bob');
    mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${bob}" members="${alice}" unique></lc-chat>`);
    const delivered = await waitFor(() => rows(toCarol).find((row) => row.status === 'delivered'), 'the delivered mark');
    const read = await waitFor(() => rows(toBob).find((row) => row.status === 'read'), 'the read mark');
    const line = (row: { element: HTMLElement }) => row.element.querySelector<HTMLElement>('.meta-line')!;
    const tickColor = (row: { element: HTMLElement }) => getComputedStyle(line(row).querySelector('svg')!).color;
    expect(tickColor(read)).to.not.equal(tickColor(delivered));
    // Visible words: what is on screen, not only in the accessibility tree.
    const visibleText = (row: { element: HTMLElement }) =>
      [...line(row).querySelectorAll<HTMLElement>('span')]
        .filter((span) => span.getBoundingClientRect().width > 1)
        .map((span) => span.textContent?.trim())
        .join(' ');
    expect(visibleText(read)).to.equal('Read');
    expect(visibleText(delivered)).to.equal('');
    expect(line(read).textContent).to.contain('Read');
    expect(line(delivered).textContent).to.contain('Delivered');
  });
});
