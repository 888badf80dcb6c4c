import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { Message, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

/** A real 2×1 PNG (the server checks that image bytes are an image). */
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwyBDAYAMt4F+/Ulf1AAAAAASUVORK5CYII='),
  (char) => char.charCodeAt(0),
);

async function withAttachments(): Promise<{ chat: LcChat; me: string; peer: string }> {
  const { wsUrl, appId, appKey } = await server();
  const [me, peer] = [uid('sharer'), uid('viewer')];
  const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" app-key="${appKey}" client-id="${me}" members="${peer}" unique></lc-chat>`);
  await opened(chat);
  return { chat, me, peer };
}

/** Chooses files with the attach button's input, then sends them once the composer shows them. */
async function choose(chat: LcChat, ...files: File[]): Promise<void> {
  const input = shadow(chat).querySelector<HTMLInputElement>('input[type=file]')!;
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change'));
  await waitFor(() => shadow(chat).querySelectorAll('[part=attachments] .chip').length === files.length, 'the chosen files in the composer');
  shadow(chat).querySelector<HTMLButtonElement>('[part=send-button]')!.click();
}

describe('attachments', () => {
  it('uploads an image and a file and sends them as image and file messages', async () => {
    const { chat, me, peer } = await withAttachments();
    const viewer = await sdkClient(peer);
    const received: unknown[] = [];
    viewer.on('message', (message: Message) => received.push(message.toJSON()));
    await viewer.createConversation({ members: [me], unique: true });

    await choose(chat, new File([PNG], 'dot.png', { type: 'image/png' }), new File(['quarterly numbers\n'], 'report.txt', { type: 'text/plain' }));
    await waitFor(() => rows(chat).length === 2 && !shadow(chat).querySelector('.upload'), 'both sent');
    const image = await waitFor(() => shadow(chat).querySelector<HTMLImageElement>('.bubble img'), 'the image bubble');
    await waitFor(() => image.complete && image.naturalWidth === 2, 'the image to load from the server');
    expect(image.getAttribute('width')).to.equal('2');
    const link = shadow(chat).querySelector<HTMLAnchorElement>('.bubble a.file')!;
    expect(link.getAttribute('download')).to.equal('report.txt');
    expect(await (await fetch(link.href)).text()).to.equal('quarterly numbers\n');

    await waitFor(() => received.length === 2, 'the viewer to receive both');
    type FilePayload = { _lctype: number; _lcfile: { url: string; metaData: Record<string, unknown> } };
    const imagePayload = (received as FilePayload[]).find((payload) => payload._lctype === -2);
    const filePayload = (received as FilePayload[]).find((payload) => payload._lctype === -6);
    expect(imagePayload!._lcfile.metaData).to.include({ name: 'dot.png', width: 2, height: 1, size: PNG.length });
    expect(filePayload!._lcfile.metaData).to.include({ name: 'report.txt' });
  });

  it('shows progress and can cancel an upload; nothing is sent', async () => {
    const { chat } = await withAttachments();
    // Cancel is clicked from a MutationObserver, in the microtask after the
    // row with its progress bar renders: no network reply can come between,
    // so it is sure to beat the upload, however fast that is.
    const shown = new Promise<string>((resolve) => {
      const observer = new MutationObserver(() => {
        const upload = shadow(chat).querySelector('.upload');
        const cancel = upload?.querySelector<HTMLButtonElement>('.meta-line button');
        if (!upload?.querySelector('progress') || !cancel) return;
        observer.disconnect();
        const text = `${upload.textContent} [${cancel.textContent}]`;
        cancel.click();
        resolve(text);
      });
      observer.observe(shadow(chat), { childList: true, subtree: true, characterData: true });
    });
    await choose(chat, new File([new Uint8Array(8 * 1024 * 1024)], 'big.bin', { type: 'application/octet-stream' }));
    const text = await shown;
    expect(text).to.contain('big.bin');
    expect(text).to.contain('[Cancel]');
    await waitFor(() => !shadow(chat).querySelector('.upload'), 'the upload to go');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rows(chat)).to.have.length(0);
  });

  it('uploads with the session token when the page gives no app key', async () => {
    const { wsUrl, appId } = await server();
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${uid('tokened')}" members="${uid('x')}" unique></lc-chat>`);
    await opened(chat);
    expect(shadow(chat).querySelector('[part=attach-button]')).to.not.equal(null);
    await choose(chat, new File(['signed by the session\n'], 'note.txt', { type: 'text/plain' }));
    await waitFor(() => rows(chat).length === 1 && !shadow(chat).querySelector('.upload'), 'the file sent');
    const link = await waitFor(() => shadow(chat).querySelector<HTMLAnchorElement>('.bubble a.file'), 'the file bubble');
    expect(await (await fetch(link.href)).text()).to.equal('signed by the session\n');
  });
});
