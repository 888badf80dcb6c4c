/**
 * The support desk end to end: a visitor's `<lc-support>` (pre-chat form,
 * office hours, title and chime while the tab is hidden) and the agent's
 * `<lc-conversation-list status>` + `<lc-chat>` (who the visitor is, the
 * open/resolved status and its filter, mentions), each with its own client
 * against the real server; the official SDK wire format is the same
 * `lcSupport` attribute any member can read.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import { TextMessage, type LcChat, type LcConversationList, type LcSupport } from '../../src/components/index.js';
import type { LcPrechatSubmitEvent, LcStatusChangeEvent } from '../../src/components/lc-support/support-events.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Office hours open all day today (UTC), or only on another day. */
function hours(open: boolean): string {
  const today = new Date().getUTCDay();
  return `${DAYS[open ? today : (today + 3) % 7]} 00:00-24:00; UTC`;
}

/** An agent page: the inbox (`status` filter) driving a chat, signed in as `agent`. */
function agentPage(wsUrl: string, appId: string, agent: string): { list: LcConversationList; chat: LcChat } {
  const chatId = uid('chat');
  const page = mount(`<div>
    <lc-conversation-list server="${wsUrl}" app-id="${appId}" client-id="${agent}" for="${chatId}" status="open" no-new></lc-conversation-list>
    <lc-chat id="${chatId}" server="${wsUrl}" app-id="${appId}" client-id="${agent}"></lc-chat>
  </div>`);
  return { list: page.querySelector('lc-conversation-list')!, chat: page.querySelector('lc-chat')! };
}

function row(list: LcConversationList, id: string): HTMLElement | null {
  return shadow(list).querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
}

/** Resolves when the finite animations in `element`'s tree, shadow roots included, have ended (endless ones, like the typing dots, are left running). */
async function animationsSettled(element: Element): Promise<void> {
  const roots: Array<Document | ShadowRoot> = [document];
  const visit = (node: Element): void => {
    if (!node.shadowRoot) return;
    roots.push(node.shadowRoot);
    node.shadowRoot.querySelectorAll('*').forEach(visit);
  };
  visit(element);
  element.querySelectorAll('*').forEach(visit);
  const finite = [...new Set(roots.flatMap((root) => root.getAnimations()))].filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
}

/** axe-core over an element, WCAG 2.1 A/AA (as test/browser/a11y.test.ts runs it). */
async function expectAccessible(element: Element, what: string): Promise<void> {
  const global = window as unknown as { axe?: { run(context: Element, options: object): Promise<{ violations: Array<{ id: string; help: string; nodes: unknown[] }> }> } };
  if (!global.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(script);
    });
  }
  // The panel fades in: contrast measured mid-fade is not the contrast a reader gets.
  await animationsSettled(element);
  const result = await global.axe!.run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  const report = result.violations.map((violation) => `${violation.id}: ${violation.help} ${JSON.stringify(violation.nodes)}`);
  expect(report, `${what}:\n${report.join('\n')}`).to.deep.equal([]);
}

describe('support desk', function () {
  this.timeout(60_000);
  it('pre-chat form by keyboard: checked, then the name, email, page and browser reach the agent’s list and chat', async () => {
    const { wsUrl, appId } = await server();
    const agent = uid('agent');
    const visitor = uid('visitor');
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${visitor}" agents="${agent}" prechat="name email"></lc-support>`);
    const submitted: LcPrechatSubmitEvent[] = [];
    launcher.addEventListener('lc-prechat-submit', (event) => submitted.push(event));
    await launcher.updateComplete;
    shadow(launcher).querySelector<HTMLButtonElement>('[part=launcher]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => launcher.open && deepActive()?.id === 'prechat-name', 'focus in the name field');
    expect(launcher.chat, 'no chat before the form').to.equal(null);
    await expectAccessible(launcher, 'the pre-chat form');

    // Empty: the name is asked for, and the focus stays on it.
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(launcher).querySelector('#prechat-name-error'), 'the name error');
    expect(shadow(launcher).querySelector('#prechat-name-error')!.textContent).to.equal('Please enter your name.');
    expect(shadow(launcher).querySelector('#prechat-name')!.getAttribute('aria-invalid')).to.equal('true');
    await sendKeys({ type: 'Ada <b>Lovelace</b>' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'ada@example' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(launcher).querySelector('#prechat-email-error'), 'the email error');
    expect(deepActive()?.id).to.equal('prechat-email');
    await expectAccessible(launcher, 'the pre-chat form with an error');
    await sendKeys({ type: '.com' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => launcher.chat, 'the chat after the form');
    expect(submitted.map((event) => [event.name, event.email])).to.deep.equal([['Ada <b>Lovelace</b>', 'ada@example.com']]);
    await waitFor(() => deepActive()?.localName === 'textarea', 'focus in the composer');
    await waitFor(() => launcher.support?.visitor?.email === 'ada@example.com', 'the details saved on the conversation');
    await sendKeys({ type: 'Where is my invoice?' });
    await sendKeys({ press: 'Enter' });
    const cid = launcher.chat!.conversation!.id;

    // A reload: answered once, the form is not asked again.
    const markup = launcher.outerHTML;
    launcher.remove();
    const again = mount<LcSupport>(markup);
    await again.updateComplete;
    expect(again.open, 'it was open').to.equal(true);
    expect(again.needsPrechat).to.equal(false);
    expect(shadow(again).querySelector('[part=prechat]')).to.equal(null);
    await waitFor(() => again.chat, 'the chat at once');

    // What any member (here our SDK, as the official ones would) reads from the conversation.
    const sdk = await sdkClient(agent);
    const [found] = await sdk.getQuery().equalTo('objectId', cid).find();
    const record = found!.get('lcSupport') as { visitor: Record<string, string>; status: string };
    expect(record.status).to.equal('open');
    expect(record.visitor).to.include({ id: visitor, name: 'Ada <b>Lovelace</b>', email: 'ada@example.com', url: `${location.origin}${location.pathname}` });
    expect(record.visitor.browser).to.match(/^Chrome \d+ on /);

    // The agent's inbox: the visitor by name, with email, page and browser; the chat header too.
    const { list, chat } = agentPage(wsUrl, appId, agent);
    await waitFor(() => row(list, cid), 'the visitor’s row');
    const item = row(list, cid)!;
    expect(item.querySelector('.name')!.textContent).to.equal('Ada <b>Lovelace</b>');
    expect(item.querySelector('.name b'), 'the name is text').to.equal(null);
    expect(item.querySelector('[part=visitor]')!.textContent).to.contain('ada@example.com').and.contain(location.host).and.contain('Chrome');
    item.click();
    await opened(chat);
    await waitFor(() => shadow(chat).querySelector('[part=visitor-email]'), 'the visitor details under the chat header');
    expect(shadow(chat).querySelector('.title')!.textContent).to.equal('Ada <b>Lovelace</b>');
    expect(shadow(chat).querySelector('[part=visitor-email]')!.getAttribute('href')).to.equal('mailto:ada@example.com');
    expect(shadow(chat).querySelector('[part=visitor-url]')!.getAttribute('href')).to.equal(`${location.origin}${location.pathname}`);
    await waitFor(() => rows(chat).some((r) => r.text === 'Where is my invoice?'), 'the visitor’s message');
    await expectAccessible(list, 'the support inbox');
    await expectAccessible(chat, 'the agent’s chat with visitor details');
    list.theme = 'dark';
    chat.theme = 'dark';
    await Promise.all([list.updateComplete, chat.updateComplete]);
    await expectAccessible(list, 'the support inbox, dark');
    await expectAccessible(chat, 'the agent’s chat with visitor details, dark');
  });

  it('pre-chat form in Chinese and dark: localized, checked, accessible; a cancelled submit keeps the form', async () => {
    const { wsUrl, appId } = await server();
    const launcher = mount<LcSupport>(
      `<lc-support server="${wsUrl}" app-id="${appId}" client-id="${uid('visitor')}" agents="${uid('agent')}" prechat="email" lang="zh-CN" theme="dark" office-hours="${hours(false)}" open></lc-support>`,
    );
    await launcher.updateComplete;
    const root = shadow(launcher);
    expect(root.querySelector('.prechat-submit')!.textContent).to.equal('开始对话');
    expect(root.querySelector('label[for=prechat-email]')!.textContent).to.equal('邮箱');
    expect(root.querySelector('#prechat-name'), 'only the fields asked for').to.equal(null);
    expect(root.querySelector('[part=away]')!.textContent).to.contain('我们现在不在线');
    await expectAccessible(launcher, 'the pre-chat form, zh-CN, dark, away');
    launcher.addEventListener('lc-prechat-submit', (event) => event.preventDefault(), { once: true });
    root.querySelector<HTMLInputElement>('#prechat-email')!.value = 'li@example.cn';
    root.querySelector<HTMLButtonElement>('.prechat-submit')!.click();
    await launcher.updateComplete;
    expect(root.querySelector('[part=prechat]'), 'cancelled: still the form').to.not.equal(null);
    root.querySelector<HTMLButtonElement>('.prechat-submit')!.click();
    await waitFor(() => launcher.chat, 'the chat');
    await waitFor(() => launcher.support?.visitor?.email === 'li@example.cn', 'the email saved');
  });

  it('status: the agent resolves by keyboard, the filter follows, and the visitor writing opens it again', async () => {
    const { wsUrl, appId } = await server();
    const agent = uid('agent');
    const visitor = uid('visitor');
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${visitor}" agents="${agent}" visitor-name="Grace" open></lc-support>`);
    await waitFor(() => launcher.support?.visitor?.name === 'Grace', 'the visitor recorded');
    const cid = launcher.chat!.conversation?.id ?? (await opened(launcher.chat!), launcher.chat!.conversation!.id);

    const { list, chat } = agentPage(wsUrl, appId, agent);
    await waitFor(() => row(list, cid), 'the open conversation listed');
    list.select(cid);
    await opened(chat);
    const button = await waitFor(() => shadow(chat).querySelector<HTMLButtonElement>('[part=status-button]'), 'the status button');
    expect(button.textContent!.trim()).to.equal('Mark resolved');
    expect(shadow(chat).querySelector('[part=status]')!.textContent).to.equal('Open');

    // Cancelled: nothing changes.
    const cancel = (event: LcStatusChangeEvent) => event.preventDefault();
    chat.addEventListener('lc-status-change', cancel, { once: true });
    button.focus();
    await sendKeys({ press: 'Enter' });
    await chat.updateComplete;
    expect(shadow(chat).querySelector('[part=status]')!.textContent).to.equal('Open');

    const changes: string[] = [];
    chat.addEventListener('lc-status-change', (event) => changes.push(`${event.previous}→${event.status}`));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(chat).querySelector('[part=status]')?.textContent === 'Resolved', 'resolved in the header');
    expect(changes).to.deep.equal(['open→resolved']);
    // The inbox on the same page follows at once, and its "open" filter hides the row.
    await waitFor(() => !row(list, cid), 'the row gone from the open filter');
    const resolvedButton = shadow(list).querySelector<HTMLButtonElement>('[part=status-filter] [data-status=resolved]')!;
    resolvedButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => row(list, cid), 'the row under "resolved"');
    expect(list.status).to.equal('resolved');
    expect(list.getAttribute('status')).to.equal('resolved');
    expect(resolvedButton.getAttribute('aria-pressed')).to.equal('true');
    expect(row(list, cid)!.querySelector('[part=status]')!.textContent).to.equal('Resolved');
    // The visitor's page heard it from the server.
    await waitFor(() => launcher.support?.status === 'resolved', 'the visitor’s copy resolved');

    // The visitor writes again: open again, for the agent too (a push from the server).
    const reopened: string[] = [];
    launcher.addEventListener('lc-status-change', (event) => reopened.push(event.status));
    await launcher.chat!.send('One more thing');
    await waitFor(() => launcher.support?.status === 'open', 'open again on the visitor’s side');
    expect(reopened).to.deep.equal(['open']);
    await waitFor(() => !row(list, cid), 'gone from "resolved"');
    await waitFor(() => shadow(chat).querySelector('[part=status]')?.textContent === 'Open', 'open in the agent’s header');
    list.status = 'all';
    await waitFor(() => row(list, cid), 'listed under "all"');

    // Turned off by attribute: the control, then the details.
    chat.setAttribute('no-status', '');
    await chat.updateComplete;
    expect(shadow(chat).querySelector('[part=status-button]')).to.equal(null);
    expect(shadow(chat).querySelector('[part=visitor-browser]')).to.not.equal(null);
    chat.setAttribute('no-visitor-details', '');
    await chat.updateComplete;
    expect(shadow(chat).querySelector('[part=visitor]')).to.equal(null);
    expect(shadow(chat).querySelector('.title')!.textContent, 'still named').to.equal('Grace');
  });

  it('no-page-info: the page URL and browser are not recorded', async () => {
    const { wsUrl, appId } = await server();
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${uid('visitor')}" agents="${uid('agent')}" visitor-email="private@example.com" no-page-info></lc-support>`);
    const info = await waitFor(() => launcher.support?.visitor, 'the visitor recorded');
    expect(info).to.deep.equal({ id: launcher.clientId, email: 'private@example.com' });
  });

  it('office hours: outside them the away message and when the team is back; inside, none; a bad value warns and is ignored', async () => {
    const { wsUrl, appId } = await server();
    const markup = (hoursValue: string, extra = '') =>
      `<lc-support server="${wsUrl}" app-id="${appId}" client-id="${uid('visitor')}" agents="${uid('agent')}" office-hours="${hoursValue}" ${extra} open></lc-support>`;
    const away = mount<LcSupport>(markup(hours(false), 'away-message="We are offline — leave a note."'));
    await away.updateComplete;
    expect(away.away).to.equal(true);
    const note = await waitFor(() => shadow(away).querySelector('[part=away]'), 'the away notice');
    expect(note.getAttribute('role')).to.equal('status');
    expect(note.textContent).to.contain('We are offline — leave a note.').and.contain('Back ');
    await expectAccessible(away, 'the away notice');
    // Dismissed by the visitor, it stays away.
    shadow(away).querySelector<HTMLButtonElement>('[part=away] .close')!.click();
    await away.updateComplete;
    expect(shadow(away).querySelector('[part=away]')).to.equal(null);

    const open = mount<LcSupport>(markup(hours(true)));
    await open.updateComplete;
    expect(open.away).to.equal(false);
    expect(shadow(open).querySelector('[part=away]')).to.equal(null);

    const errors: string[] = [];
    document.addEventListener('lc-error', (event) => errors.push(`${event.operation}: ${event.error.message}`), { once: true });
    const warn = console.warn;
    console.warn = () => {};
    try {
      const bad = mount<LcSupport>(markup('Mon-Fri 9-18; Europe/Berlin'));
      await bad.updateComplete;
      expect(bad.away, 'a typo must not say nobody is there').to.equal(false);
    } finally {
      console.warn = warn;
    }
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^config: office-hours: "9" is not a time/);

    // The away notice is in the form's flow too, before the chat.
    const form = mount<LcSupport>(markup(hours(false), 'prechat="email"'));
    await form.updateComplete;
    expect(shadow(form).querySelector('.intro [part=away]')).to.not.equal(null);
    await expectAccessible(form, 'the pre-chat form with the away notice');
  });

  it('tab hidden: the title shows the unread count and a chime plays; visible again, the title comes back', async () => {
    const { wsUrl, appId } = await server();
    const agentId = uid('agent');
    const visitor = uid('visitor');
    // Count the notes the chime asks WebAudio for.
    let notes = 0;
    const original = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      notes += 1;
      return original.call(this);
    };
    const title = 'Pricing · Northwind';
    document.title = title;
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${visitor}" agents="${agentId}" sound></lc-support>`);
    try {
      await waitFor(() => launcher.support, 'the conversation resolved');
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      const agent = await sdkClient(agentId);
      const conversation = await agent.createConversation({ members: [visitor], unique: true });
      await conversation.send(new TextMessage('Are you still there?'));
      await waitFor(() => document.title === `(1) ${title}`, 'the count in the title');
      expect(notes).to.equal(2);
      await conversation.send(new TextMessage('Hello?'));
      await waitFor(() => document.title === `(2) ${title}`, 'two in the title');
      expect(notes).to.equal(4);

      delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      expect(document.title).to.equal(title);

      // Without the title badge or the sound: neither.
      launcher.noTitleBadge = true;
      launcher.sound = false;
      await launcher.updateComplete;
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      await conversation.send(new TextMessage('Third'));
      await waitFor(() => launcher.unread === 3, 'the third unread');
      expect(document.title).to.equal(title);
      expect(notes).to.equal(4);
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      AudioContext.prototype.createOscillator = original;
    }
  });

  it('mentions and agents: the inbox marks conversations that mention the agent; the visitor sees agents’ names and avatars', async () => {
    const { wsUrl, appId } = await server();
    const agent = uid('agent');
    const other = await sdkClient(uid('colleague'));
    const group = await other.createConversation({ members: [agent], name: 'Team' });
    const { list } = agentPage(wsUrl, appId, agent);
    list.status = 'all';
    await waitFor(() => row(list, group.id), 'the group listed');
    await group.send(new TextMessage('plain'));
    await waitFor(() => row(list, group.id)?.querySelector('[part=badge]'), 'unread');
    expect(row(list, group.id)!.querySelector('[part=mention]')).to.equal(null);
    await group.send(new TextMessage(`@${agent} please look`).setMentionList([agent]));
    const mark = await waitFor(() => row(list, group.id)?.querySelector('[part=mention]'), 'the mention marker');
    expect(mark.getAttribute('aria-label')).to.equal('You were mentioned');
    list.select(group.id);
    await waitFor(() => !row(list, group.id)?.querySelector('[part=mention]'), 'cleared when read');

    // The visitor's side: agents' names from the conversation (`lcSupport.agents`), written by the desk's side.
    const visitor = uid('visitor');
    const desk = await sdkClient(agent);
    const shared = await desk.createConversation({ members: [visitor], unique: true });
    shared.set('lcSupport.agents', { [agent]: { name: 'Mia (from the conversation)' } });
    await shared.save();
    const avatar = `${location.origin}/demo/favicon.svg`;
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${visitor}" agents="${agent}" open></lc-support>`);
    const fromConversation = await waitFor(() => launcher.chat, 'the chat');
    await waitFor(() => shadow(fromConversation).querySelector('.title')?.textContent === 'Mia (from the conversation)', 'the name from the conversation');
    // The page's own names win.
    launcher.names = { [agent]: 'Mia from support' };
    launcher.avatars = { [agent]: avatar };
    const chat = await waitFor(() => launcher.chat, 'the chat');
    await opened(chat);
    await waitFor(() => shadow(chat).querySelector('.title')?.textContent === 'Mia from support', 'the agent’s name in the header');
    expect(shadow(chat).querySelector('header .avatar img')?.getAttribute('src')).to.equal(avatar);
    // An unsafe avatar URL is not used.
    launcher.avatars = { [agent]: 'javascript:alert(1)' };
    await launcher.updateComplete;
    await chat.updateComplete;
    expect(shadow(chat).querySelector('header .avatar img')).to.equal(null);
  });
});
