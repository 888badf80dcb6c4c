import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import '../../src/components/index.js';
import { Message, registerRenderer, type ChatMessage, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

async function chatReceiving(payloads: unknown[], setup?: (chat: LcChat) => void): Promise<LcChat> {
  const { wsUrl, appId } = await server();
  const me = uid('reader');
  const sender = uid('sender');
  const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${sender}" unique></lc-chat>`);
  setup?.(chat);
  await opened(chat);
  const client = await sdkClient(sender);
  const conversation = await client.createConversation({ members: [me], unique: true });
  for (const payload of payloads) await conversation.send(new Message(payload));
  await waitFor(() => rows(chat).length === payloads.length, `${payloads.length} messages`);
  await chat.updateComplete;
  return chat;
}

const file = (extra: Record<string, unknown> = {}) => ({ url: 'https://files.example.com/a/report.pdf', metaData: { name: 'report.pdf', size: 1536, ...extra } });

describe('renderers', () => {
  it('renders every built-in type', async () => {
    const chat = await chatReceiving([
      { _lctype: -1, _lctext: 'plain text' },
      { _lctype: -2, _lcfile: { url: 'https://files.example.com/cat.png', metaData: { name: 'cat.png', width: 800, height: 600 } }, _lctext: 'a cat' },
      { _lctype: -3, _lcfile: { url: 'https://files.example.com/voice.m4a', metaData: { duration: 75 } } },
      { _lctype: -4, _lcfile: { url: 'https://files.example.com/clip.mp4', metaData: { width: 1280, height: 720 } } },
      { _lctype: -5, _lcloc: { latitude: 39.9042, longitude: 116.4074 }, _lctext: 'Beijing' },
      { _lctype: -6, _lcfile: file() },
      { _lctype: -127 },
      { _lctype: 42, _lctext: 'sent by a newer app' },
      'an untyped string payload',
    ]);
    const bubbles = [...shadow(chat).querySelectorAll<HTMLElement>('.bubble')];
    expect(bubbles[0]!.textContent!.trim()).to.equal('plain text');

    const image = bubbles[1]!.querySelector('img')!;
    expect(image.getAttribute('loading')).to.equal('lazy');
    expect(image.src).to.equal('https://files.example.com/cat.png');
    expect([image.getAttribute('width'), image.getAttribute('height')]).to.deep.equal(['240', '180']);
    expect(bubbles[1]!.textContent).to.contain('a cat');

    const audio = bubbles[2]!.querySelector('audio')!;
    expect(audio.controls).to.equal(true);
    expect(bubbles[2]!.textContent).to.contain('1:15');
    expect(bubbles[3]!.querySelector('video')!.controls).to.equal(true);

    const map = bubbles[4]!.querySelector<HTMLAnchorElement>('a.location')!;
    expect(map.href).to.match(/^https:\/\/www\.openstreetmap\.org\/\?mlat=39\.9042&mlon=116\.4074/);
    expect(map.textContent).to.contain('39.90420, 116.40740');
    expect(bubbles[4]!.textContent).to.contain('Beijing');

    const download = bubbles[5]!.querySelector<HTMLAnchorElement>('a.file')!;
    expect(download.getAttribute('download')).to.equal('report.pdf');
    expect(download.href).to.equal('https://files.example.com/a/report.pdf');
    expect(download.rel).to.equal('noopener noreferrer');
    expect(download.textContent).to.contain('1.5 KB');

    expect(bubbles[6]!.textContent).to.contain('This message was recalled');
    expect(bubbles[7]!.textContent).to.contain('can’t be shown');
    expect(bubbles[7]!.textContent).to.contain('sent by a newer app');
    expect(bubbles[8]!.textContent!.trim()).to.equal('an untyped string payload');
  });

  it('opens images in a lightbox', async () => {
    const chat = await chatReceiving([{ _lctype: -2, _lcfile: { url: 'https://files.example.com/cat.png', metaData: { width: 10, height: 10 } } }]);
    shadow(chat).querySelector<HTMLButtonElement>('button.image')!.click();
    await chat.updateComplete;
    const dialog = shadow(chat).querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector('img')!.src).to.equal('https://files.example.com/cat.png');
    dialog.close();
  });

  it('registerRenderer adds a type for every element, and its return value restores the default', async () => {
    const unregister = registerRenderer(42, (message: ChatMessage, context) => html`<strong class="poll">Poll: ${message.text} (${context.own ? 'mine' : 'theirs'})</strong>`);
    try {
      const chat = await chatReceiving([{ _lctype: 42, _lctext: 'lunch?' }]);
      expect(shadow(chat).querySelector('.poll')?.textContent).to.equal('Poll: lunch? (theirs)');
    } finally {
      unregister();
    }
    const chat = await chatReceiving([{ _lctype: 42, _lctext: 'lunch?' }]);
    expect(shadow(chat).querySelector('.poll')).to.equal(null);
    expect(shadow(chat).querySelector('.bubble')!.textContent).to.contain('can’t be shown');
  });

  it("an element's own renderers win, and a renderer that throws falls back instead of breaking the list", async () => {
    const chat = await chatReceiving([{ _lctype: -1, _lctext: 'hello' }, { _lctype: 7, _lctext: 'boom' }], (element) => {
      element.renderers = {
        text: (message) => html`<em class="mine">${message.text?.toUpperCase()}</em>`,
        7: () => {
          throw new Error('renderer bug');
        },
      };
    });
    const bubbles = shadow(chat).querySelectorAll('.bubble');
    expect(bubbles[0]!.querySelector('.mine')!.textContent).to.equal('HELLO');
    expect(bubbles[1]!.textContent).to.contain('can’t be shown');
    expect(bubbles[1]!.textContent).to.contain('boom');
  });
});
