/**
 * The setup checks and their messages (src/components/client/setup-check.ts)
 * load on demand. A file of its own, so its own page: the module is not
 * loaded before the test. An element with some connection attributes but
 * not all waits for it before it renders: it never says "Connecting…" first.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import type { LcChat } from '../../src/components/index.js';
import { mount, server, shadow, uid, waitFor } from './support/fixtures.js';

const checkLoaded = (): boolean => performance.getEntriesByType('resource').some((entry) => /\/client\/setup-check\.ts/.test(entry.name));

describe('setup checks on demand', () => {
  it('an element missing an attribute shows the setup message as its first render', async () => {
    const { wsUrl } = await server();
    expect(checkLoaded(), 'loaded before any element').to.equal(false);
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" client-id="${uid('me')}" members="x" unique></lc-chat>`);
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(shadow(chat).textContent ?? ''));
    observer.observe(shadow(chat), { subtree: true, childList: true, characterData: true, attributes: true });
    try {
      const banner = await waitFor(() => shadow(chat).querySelector('[part=banner][data-setup]'), 'the setup message');
      await chat.updateComplete;
      expect(banner.textContent!.trim()).to.equal('This chat isn’t set up: its app-id attribute is missing.');
    } finally {
      observer.disconnect();
    }
    expect(seen.length, 'renders observed').to.be.greaterThan(0);
    expect(seen.filter((text) => /Connecting|Loading/.test(text))).to.deep.equal([]);
    expect(checkLoaded()).to.equal(true);
  });
});
