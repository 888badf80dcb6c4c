// The rich built-in renderers (image, audio, video, location, file) load on
// demand (src/components/renderers/rich.ts). A file of its own: its own
// page, so nothing loaded them before these tests.
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { Message, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

const richLoaded = (): boolean => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/renderers/rich.'));

describe('rich renderers on demand', () => {
  it('load with the first rich message, which never shows as "can’t be shown" first', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('reader');
    const sender = uid('sender');
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${sender}" unique></lc-chat>`);
    await opened(chat);
    const client = await sdkClient(sender);
    const conversation = await client.createConversation({ members: [me], unique: true });
    await conversation.send(new Message({ _lctype: -1, _lctext: 'hello' }));
    await waitFor(() => rows(chat).length === 1, 'the text message');
    expect(richLoaded(), 'loaded before a rich message').to.equal(false);

    // Every state the list goes through, as it happens.
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(shadow(chat).querySelector('[role="log"]')?.textContent ?? ''));
    observer.observe(shadow(chat), { subtree: true, childList: true, characterData: true });
    try {
      await conversation.send(new Message({ _lctype: -2, _lcfile: { url: 'https://files.example.com/cat.png', metaData: { width: 8, height: 8 } }, _lctext: 'a cat' }));
      await waitFor(() => rows(chat).length === 2, 'the image message');
      await chat.updateComplete;
    } finally {
      observer.disconnect();
    }
    expect(seen.filter((text) => text.includes('can’t be shown'))).to.deep.equal([]);
    expect(shadow(chat).querySelector<HTMLImageElement>('button.image img')!.src).to.equal('https://files.example.com/cat.png');
    expect(richLoaded(), 'loaded with the image').to.equal(true);
  });
});
