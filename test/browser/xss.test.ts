/**
 * Nothing a message carries runs: text, file names, URLs, attributes,
 * custom fields and display names with markup render as text, and no
 * `javascript:` URL becomes a link or a source.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { Message, TextMessage, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

declare global {
  interface Window {
    __xss?: string;
  }
}

const SCRIPT = '<script>window.__xss = "script"</script>';
const IMG = `<img src=x onerror="window.__xss='img'">`;
const JS_LINK = `javascript:window.__xss='link' and <a href="javascript:window.__xss='a'">click</a>`;
const SVG = `"><svg onload="window.__xss='svg'">`;
const URL_BREAKOUT = `see https://example.com/"><svg/onload=window.__xss='url'> now`;

describe('XSS', () => {
  it('renders hostile content as text and runs nothing', async () => {
    delete window.__xss;
    const { wsUrl, appId } = await server();
    const me = uid('victim');
    const attacker = uid('attacker');
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${attacker}" unique></lc-chat>`);
    chat.names = { [attacker]: `<img src=x onerror="window.__xss='name'">` };
    await opened(chat);
    const client = await sdkClient(attacker);
    const conversation = await client.createConversation({ members: [me], unique: true });

    for (const text of [SCRIPT, IMG, JS_LINK, SVG, URL_BREAKOUT]) await conversation.send(new TextMessage(text));
    const hostileFile = {
      url: `javascript:window.__xss='file-url'`,
      metaData: { name: `"><img src=x onerror="window.__xss='file-name'">.png`, size: 2048, width: 100, height: 100 },
    };
    await conversation.send(new Message({ _lctype: -6, _lctext: SVG, _lcfile: hostileFile, _lcattrs: { title: SCRIPT } }));
    await conversation.send(new Message({ _lctype: -2, _lcfile: { ...hostileFile, url: `javascript:window.__xss='image'` } }));
    await conversation.send(new Message({ _lctype: -3, _lcfile: { url: `javascript:window.__xss='audio'` } }));
    await conversation.send(new Message({ _lctype: -5, _lcloc: { latitude: '"><svg onload=alert(1)>', longitude: 1 }, _lctext: IMG }));
    await conversation.send(new Message({ _lctype: 99, _lctext: SCRIPT, custom: IMG, onclick: `window.__xss='attr'` }));
    await conversation.send(new Message(`${SCRIPT}${IMG}`));

    await waitFor(() => rows(chat).length >= 11, 'all eleven messages', 10_000);
    // Give anything that would run (onerror, onload) the chance to.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(window.__xss).to.equal(undefined);

    const root = shadow(chat);
    const texts = rows(chat).map((row) => row.text);
    for (const text of [SCRIPT, IMG, SVG]) expect(texts).to.include(text);
    expect(texts.some((text) => text.includes(`javascript:window.__xss='link'`))).to.equal(true);
    expect(texts.some((text) => text.startsWith('see https://example.com/"><svg/onload='))).to.equal(true);

    for (const bubble of root.querySelectorAll('.bubble')) {
      for (const element of bubble.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          expect(attribute.name.startsWith('on'), `${element.localName} has ${attribute.name}`).to.equal(false);
          expect(/^\s*javascript:/i.test(attribute.value), `${element.localName}[${attribute.name}]=${attribute.value}`).to.equal(false);
        }
      }
      expect(bubble.querySelector('script, img[src="x"], iframe, object, embed')).to.equal(null);
    }
    const links = [...root.querySelectorAll<HTMLAnchorElement>('.bubble a[href]')];
    expect(links.map((link) => link.href)).to.deep.equal(['https://example.com/']);
    for (const link of links) expect(link.rel).to.equal('noopener noreferrer');
    // The hostile display name is text too.
    expect(root.querySelector('.visually-hidden')?.textContent).to.contain('<img');
  });
});
