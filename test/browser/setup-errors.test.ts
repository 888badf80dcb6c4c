/**
 * Setup mistakes (issue 13, defect 4): a missing or misspelled attribute,
 * an app id the server does not know, a signature endpoint that is not
 * there. Each gets one clear, localized message in the widget (no spinner,
 * no Retry: retrying cannot fix the page), an `lc-error` naming the
 * attribute, and a console warning naming it.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import type { LcChat, LcErrorEvent, LcRealtime, LcSupport, SetupError } from '../../src/components/index.js';
import { mount, server, shadow, uid, waitFor } from './support/fixtures.js';

let warnings: string[] = [];
let restore: (() => void)[] = [];

beforeEach(() => {
  warnings = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  restore.push(() => (console.warn = warn));
});

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

/** Answers `status` for POSTs to `path`, as a real signature endpoint might. */
function signatureEndpoint(path: string, status: number): void {
  const original = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    String(input instanceof Request ? input.url : input).endsWith(path) ? Promise.resolve(new Response('{"error":"nope"}', { status })) : original(input, init);
  restore.push(() => (window.fetch = original));
}

function mountChat(markup: string): { chat: LcChat; errors: LcErrorEvent[] } {
  const errors: LcErrorEvent[] = [];
  // Listening from before the element exists, as a page's own script may.
  const listener = (event: Event) => errors.push(event as LcErrorEvent);
  document.addEventListener('lc-error', listener);
  restore.push(() => document.removeEventListener('lc-error', listener));
  return { chat: mount<LcChat>(markup), errors };
}

/** The one message the widget shows, and that nothing contradicts it. */
async function setupBanner(chat: LcChat): Promise<string> {
  const banner = await waitFor(() => shadow(chat).querySelector('[part=banner][data-setup]'), 'the setup message');
  await chat.updateComplete;
  expect(banner.querySelector('button'), 'no Retry').to.equal(null);
  expect(shadow(chat).querySelector('.spinner'), 'no spinner').to.equal(null);
  expect(shadow(chat).querySelectorAll('[part=banner]').length).to.equal(1);
  expect(shadow(chat).querySelector('.subtitle')!.textContent).to.contain('Cannot sign in');
  return banner.textContent!.trim();
}

function setupErrors(errors: LcErrorEvent[]): Array<[string, string]> {
  return errors.filter((event) => event.error.name === 'SetupError').map((event) => [event.operation, (event.error as SetupError).attribute]);
}

describe('setup mistakes', function () {
  this.timeout(30_000);

  it('a misspelled app-id: says the attribute is missing, names the misspelling in the console', async () => {
    const { wsUrl, appId } = await server();
    const { chat, errors } = mountChat(`<lc-chat server="${wsUrl}" appid="${appId}" client-id="${uid('me')}" members="x" unique></lc-chat>`);
    expect(await setupBanner(chat)).to.equal('This chat isn’t set up: its app-id attribute is missing.');
    await waitFor(() => errors.length, 'lc-error');
    expect(setupErrors(errors)).to.deep.equal([['config', 'app-id']]);
    expect(warnings.join('\n')).to.match(/app-id attribute is missing \(found "appid"/);
  });

  it('an app id the server does not know: one message, no Retry, no spinner', async () => {
    const { wsUrl } = await server();
    const { chat, errors } = mountChat(`<lc-chat server="${wsUrl}" app-id="no-such-app" client-id="${uid('me')}" members="x" unique></lc-chat>`);
    expect(await setupBanner(chat)).to.equal('This chat isn’t set up: the server doesn’t know its app (check app-id).');
    expect(setupErrors(errors)).to.deep.equal([['login', 'app-id']]);
    expect(warnings.join('\n')).to.contain('app-id "no-such-app"');
  });

  it('<lc-support> without app-id: the panel says so instead of spinning', async () => {
    const { wsUrl } = await server();
    const errors: LcErrorEvent[] = [];
    const listener = (event: Event) => errors.push(event as LcErrorEvent);
    document.addEventListener('lc-error', listener);
    restore.push(() => document.removeEventListener('lc-error', listener));
    const support = mount<LcSupport>(`<lc-support server="${wsUrl}" agents="agent-1"></lc-support>`);
    support.show();
    await support.updateComplete;
    const chat = await waitFor(() => support.chat, 'the panel');
    expect(await setupBanner(chat)).to.equal('This chat isn’t set up: its app-id attribute is missing.');
    await waitFor(() => errors.length, 'lc-error');
    expect(setupErrors(errors)[0]).to.deep.equal(['config', 'app-id']);
    expect(warnings.join('\n')).to.contain('lc-support: the app-id attribute is missing');
  });

  it('<lc-realtime> without client-id: one lc-error naming it, no client; once set, the elements inside get it', async () => {
    const { wsUrl, appId } = await server();
    const errors: LcErrorEvent[] = [];
    const listener = (event: Event) => errors.push(event as LcErrorEvent);
    document.addEventListener('lc-error', listener);
    restore.push(() => document.removeEventListener('lc-error', listener));
    const provider = mount<LcRealtime>(`<lc-realtime server="${wsUrl}" app-id="${appId}"><lc-chat members="x" unique></lc-chat></lc-realtime>`);
    await waitFor(() => errors.length, 'lc-error');
    expect(errors.every((event) => event.target === provider)).to.equal(true);
    expect(setupErrors(errors)).to.deep.equal([['config', 'client-id']]);
    expect(warnings.join('\n')).to.contain('lc-realtime: the client-id attribute is missing');
    const chat = provider.querySelector('lc-chat') as LcChat;
    expect(provider.client).to.equal(undefined);
    expect(chat.client).to.equal(undefined);
    const me = uid('me');
    provider.setAttribute('client-id', me);
    await waitFor(() => chat.client?.clientId === me, 'the provided client');
    expect(provider.client).to.equal(chat.client);
    expect(setupErrors(errors)).to.have.length(1);
  });

  for (const status of [404, 501]) {
    it(`a signature-url answering ${status}: one message naming signature-url, no Retry`, async () => {
      const { wsUrl, appId } = await server('signed');
      signatureEndpoint('/__lc/missing-signer', status);
      const { chat, errors } = mountChat(
        `<lc-chat lang="zh-CN" server="${wsUrl}" app-id="${appId}" client-id="${uid('me')}" members="x" unique signature-url="/__lc/missing-signer"></lc-chat>`,
      );
      const banner = await waitFor(() => shadow(chat).querySelector('[part=banner][data-setup]'), 'the setup message');
      await chat.updateComplete;
      expect(banner.textContent!.trim()).to.equal('此聊天尚未配置好：签名接口没有响应（请检查 signature-url）。');
      expect(banner.querySelector('button')).to.equal(null);
      expect(shadow(chat).querySelector('.spinner')).to.equal(null);
      expect(setupErrors(errors)).to.deep.equal([['signature', 'signature-url']]);
      expect(warnings.join('\n')).to.match(new RegExp(`signature-url /__lc/missing-signer answered ${status}`));
    });
  }

  it('a signature endpoint that fails for now (503) still offers Retry', async () => {
    const { wsUrl, appId } = await server('signed');
    signatureEndpoint('/__lc/busy-signer', 503);
    const { chat } = mountChat(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${uid('me')}" members="x" unique signature-url="/__lc/busy-signer"></lc-chat>`);
    await waitFor(() => chat.connectionState === 'error', 'the error state');
    await chat.updateComplete;
    const banner = shadow(chat).querySelector('[part=banner]')!;
    expect(banner.hasAttribute('data-setup')).to.equal(false);
    expect(banner.querySelector('button')!.textContent).to.contain('Retry');
  });
});
