import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import type { LcChat } from '../../src/components/index.js';
import { mount, opened, rows, server, shadow, textarea, uid, waitFor } from './support/fixtures.js';

async function pair(): Promise<{ alice: LcChat; bob: LcChat; aliceId: string; bobId: string }> {
  const { wsUrl, appId } = await server();
  const aliceId = uid('alice');
  const bobId = uid('bob');
  const alice = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${aliceId}" members="${bobId}" unique></lc-chat>`);
  const bob = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${bobId}" members="${aliceId}" unique></lc-chat>`);
  await Promise.all([opened(alice), opened(bob)]);
  return { alice, bob, aliceId, bobId };
}

describe('<lc-chat>', () => {
  it('renders a header, an empty log and a composer', async () => {
    const { alice, bobId } = await pair();
    const root = shadow(alice);
    expect(root.querySelector('[part=header] .title')?.textContent).to.equal(bobId);
    const log = root.querySelector('[part=list]')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    await waitFor(() => root.querySelector('.empty')?.textContent?.includes('No messages yet'), 'the empty state');
    expect(textarea(alice).placeholder).to.equal('Write a message…');
    expect(root.querySelector<HTMLButtonElement>('[part=send-button]')!.disabled).to.equal(true);
  });

  it('sends with Enter and receives on the other side; Shift+Enter is a newline', async () => {
    const { alice, bob, aliceId } = await pair();
    textarea(alice).focus();
    await sendKeys({ type: 'Hello Bob' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'second line' });
    await sendKeys({ press: 'Enter' });
    expect(textarea(alice).value).to.equal('');
    await waitFor(() => rows(alice).find((row) => row.own && ['sent', 'delivered', 'read'].includes(row.status ?? '')), 'alice to see her message sent');
    const received = await waitFor(() => rows(bob).find((row) => row.from === aliceId), 'bob to receive it');
    expect(received.own).to.equal(false);
    expect(received.text).to.equal('Hello Bob\nsecond line');

    textarea(bob).focus();
    await sendKeys({ type: 'Hi Alice' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => rows(alice).find((row) => !row.own && row.text === 'Hi Alice'), 'alice to receive the reply');
    expect(rows(alice).map((row) => row.text)).to.deep.equal(['Hello Bob\nsecond line', 'Hi Alice']);
  });

  it('with no conversation chosen: "Select a conversation", no title, state, spinner or composer; then the chosen one', async () => {
    const { wsUrl, appId } = await server();
    const [me, other] = [uid('agent'), uid('visitor')];
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}"></lc-chat>`);
    await waitFor(() => chat.client?.state === 'online', 'the login');
    await chat.updateComplete;
    const root = shadow(chat);
    expect(root.querySelector('.empty')?.textContent).to.contain('Select a conversation');
    expect(root.querySelector('[part=header]'), 'a header').to.equal(null);
    expect(root.querySelector('.spinner'), 'a spinner').to.equal(null);
    expect(root.querySelector('textarea, [part=composer]'), 'a composer').to.equal(null);
    expect(root.textContent).to.not.contain('Connected');
    chat.setAttribute('lang', 'zh-CN');
    await waitFor(() => root.querySelector('.empty')?.textContent?.includes('选择一个会话'), 'the Chinese empty state');
    chat.setAttribute('lang', 'en');
    chat.members = [other];
    chat.unique = true;
    await opened(chat);
    expect(root.querySelector('[part=header] .title')?.textContent).to.equal(other);
    expect(textarea(chat)).to.exist;
  });
});

describe('<lc-chat> look and language', () => {
  before(() => {
    const style = document.createElement('style');
    style.id = 'theming-test';
    style.textContent = `
      lc-chat.branded { --lc-bubble-own-bg: rgb(1, 2, 3); --lc-color-accent: rgb(200, 0, 100); }
      lc-chat.branded::part(bubble) { outline: 3px solid rgb(255, 0, 0); }
      lc-chat.branded::part(send-button) { border-radius: 4px; }
    `;
    document.head.append(style);
  });
  after(() => document.getElementById('theming-test')?.remove());

  it('dark theme, custom properties and ::part from the page', async () => {
    const { alice } = await pair();
    const surface = shadow(alice).querySelector('.chat')!;
    expect(getComputedStyle(surface).backgroundColor).to.equal('rgb(255, 255, 255)');
    alice.theme = 'dark';
    await alice.updateComplete;
    expect(getComputedStyle(surface).backgroundColor).to.equal('rgb(17, 19, 24)');

    alice.classList.add('branded');
    await alice.send('styled');
    const bubble = await waitFor(() => shadow(alice).querySelector<HTMLElement>('.own .bubble'), 'own bubble');
    expect(getComputedStyle(bubble).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(bubble).outlineColor).to.equal('rgb(255, 0, 0)');
    const send = shadow(alice).querySelector<HTMLElement>('[part=send-button]')!;
    expect(getComputedStyle(send).borderRadius).to.equal('4px');
    expect(getComputedStyle(send).backgroundColor).to.equal('rgb(200, 0, 100)');
  });

  it('theme="auto" follows the system color scheme', async () => {
    const { alice } = await pair();
    alice.theme = 'auto';
    const surface = shadow(alice).querySelector('.chat')!;
    try {
      await emulateMedia({ colorScheme: 'dark' });
      await alice.updateComplete;
      expect(getComputedStyle(surface).backgroundColor).to.equal('rgb(17, 19, 24)');
      await emulateMedia({ colorScheme: 'light' });
      expect(getComputedStyle(surface).backgroundColor).to.equal('rgb(255, 255, 255)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('dir="rtl" mirrors the layout: own messages on the left', async () => {
    const { alice } = await pair();
    alice.setAttribute('dir', 'rtl');
    await alice.send('مرحبا');
    const bubble = await waitFor(() => shadow(alice).querySelector<HTMLElement>('.own .bubble'), 'own bubble');
    await alice.updateComplete;
    const list = shadow(alice).querySelector<HTMLElement>('[part=list]')!.getBoundingClientRect();
    expect(bubble.getBoundingClientRect().right).to.be.lessThan(list.left + list.width / 2);
  });

  it('lang="zh-CN" speaks Simplified Chinese; lang changes re-render', async () => {
    const { alice } = await pair();
    alice.setAttribute('lang', 'zh-CN');
    await alice.updateComplete;
    const root = shadow(alice);
    expect(textarea(alice).placeholder).to.equal('输入消息…');
    expect(root.querySelector('[part=send-button]')!.getAttribute('aria-label')).to.equal('发送');
    expect(root.querySelector('.empty')!.textContent).to.contain('还没有消息');
    expect(root.querySelector('.subtitle')!.textContent).to.contain('已连接');
    await alice.send('你好');
    await waitFor(() => root.querySelector('.day')?.textContent?.includes('今天'), 'the day separator in Chinese');
    alice.setAttribute('lang', 'en');
    await alice.updateComplete;
    expect(textarea(alice).placeholder).to.equal('Write a message…');
  });

  it('takes the language of the page when it has none of its own', async () => {
    const { alice } = await pair();
    document.documentElement.lang = 'zh-CN';
    try {
      await waitFor(() => textarea(alice).placeholder === '输入消息…', 'the document language');
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it('readonly hides the composer', async () => {
    const { alice } = await pair();
    alice.readOnly = true;
    await alice.updateComplete;
    expect(shadow(alice).querySelector('textarea')).to.equal(null);
    expect(shadow(alice).querySelector('.readonly-note')!.textContent).to.contain('read-only');
  });
});

describe('<lc-chat> keyboard', () => {
  it('Enter during IME composition does not send', async () => {
    const { alice } = await pair();
    const input = textarea(alice);
    input.value = 'ni hao';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(input.value).to.equal('ni hao');
    expect(rows(alice)).to.have.length(0);
  });

  it('arrow keys move through messages, Escape returns to the composer', async () => {
    const { alice } = await pair();
    await alice.send('one');
    await alice.send('two');
    await waitFor(() => rows(alice).length === 2 && ['sent', 'delivered', 'read'].includes(rows(alice)[1]!.status ?? ''), 'two messages');
    const list = shadow(alice).querySelector<HTMLElement>('[part=list]')!;
    list.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(shadow(alice).activeElement?.textContent).to.contain('two');
    await sendKeys({ press: 'ArrowUp' });
    expect(shadow(alice).activeElement?.textContent).to.contain('one');
    await sendKeys({ press: 'Escape' });
    expect(shadow(alice).activeElement).to.equal(textarea(alice));
  });
});
