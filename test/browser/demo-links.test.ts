import { expect } from '@esm-bundle/chai';
import { waitFor } from './support/fixtures.js';

describe('the demo index page', () => {
  it('keeps ?app=…&key=… (and theme, lang) on every demo link', async () => {
    const frame = document.createElement('iframe');
    frame.src = '/demo/index.html?app=dev-links&key=secret-key&lang=zh-CN';
    document.body.append(frame);
    try {
      const links = await waitFor(() => {
        const found = [...(frame.contentDocument?.querySelectorAll<HTMLAnchorElement>('a[href$=".html"], a[href*=".html?"]') ?? [])];
        return found.length && found.every((link) => link.search) ? found : null;
      }, 'the demo links');
      expect(links.map((link) => link.pathname.split('/').pop()).sort()).to.deep.equal(['agent.html', 'chat.html', 'inbox.html', 'live.html', 'support.html']);
      for (const link of links) {
        const params = new URL(link.href).searchParams;
        expect([params.get('app'), params.get('key'), params.get('lang')], link.href).to.deep.equal(['dev-links', 'secret-key', 'zh-CN']);
      }
    } finally {
      frame.remove();
    }
  });
});
