import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import { TextMessage, type LcSupport } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

function badge(launcher: LcSupport): string {
  return shadow(launcher).querySelector('[part=badge]')?.textContent?.trim() ?? '';
}

/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('<lc-support>', function () {
  this.timeout(60_000);
  it('keyboard: Enter opens into the composer, Tab goes from the launcher into the panel, Escape closes back to the launcher', async () => {
    const { wsUrl, appId } = await server();
    const launcher = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${appId}" client-id="${uid('visitor')}" agents="${uid('agent')}"></lc-support>`);
    await launcher.updateComplete;
    const button = shadow(launcher).querySelector<HTMLButtonElement>('[part=launcher]')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => launcher.open && deepActive()?.localName === 'textarea', 'focus in the composer');
    // Typing goes into the composer; Space is a space, not a toggle.
    await sendKeys({ type: 'hello there' });
    expect(launcher.open).to.equal(true);
    expect((deepActive() as HTMLTextAreaElement).value).to.equal('hello there');

    // The tab order follows what is seen: from the launcher into the panel it opened.
    button.focus();
    await sendKeys({ press: 'Tab' });
    const panel = shadow(launcher).querySelector('[part=panel]')!;
    const focused = deepActive()!;
    const inPanel = panel.contains(focused) || shadow(launcher.chat!).contains(focused);
    expect(inPanel, `focus on ${focused.localName}.${focused.className}`).to.equal(true);

    // Escape from the composer closes the panel and puts focus back on the launcher.
    launcher.chat!.focus();
    await waitFor(() => deepActive()?.localName === 'textarea', 'focus back in the composer');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !launcher.open, 'the panel to close');
    await launcher.updateComplete;
    expect(deepActive()).to.equal(button);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => launcher.open && deepActive()?.localName === 'textarea', 'focus in the composer again');
    // The close button returns focus to the launcher too.
    const close = shadow(launcher).querySelector<HTMLButtonElement>('.close')!;
    close.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !launcher.open, 'closed by the close button');
    await launcher.updateComplete;
    expect(deepActive()).to.equal(button);
  });

  it('shows unread while closed, opens the conversation with the agent, and keeps its state across a reload', async () => {
    const { wsUrl, appId } = await server();
    const agentId = uid('agent');
    const visitor = uid('visitor');
    const markup = `<lc-support server="${wsUrl}" app-id="${appId}" client-id="${visitor}" agents="${agentId}" greeting="Hi! Questions?" z-index="77"></lc-support>`;
    let launcher = mount<LcSupport>(markup);
    await launcher.updateComplete;
    expect(getComputedStyle(launcher).zIndex).to.equal('77');
    expect(getComputedStyle(launcher).position).to.equal('fixed');
    expect(shadow(launcher).querySelector('[part=greeting]')?.textContent).to.equal('Hi! Questions?');
    expect(shadow(launcher).querySelector('[part=panel]')).to.equal(null);

    // The agent writes into the unique conversation while the panel is closed.
    const agent = await sdkClient(agentId);
    const conversation = await agent.createConversation({ members: [visitor], unique: true });
    await conversation.send(new TextMessage('Hello! Anything I can help with?'));
    await waitFor(() => badge(launcher) === '1', 'the unread badge on the bubble');
    expect(launcher.unread).to.equal(1);

    shadow(launcher).querySelector<HTMLButtonElement>('[part=launcher]')!.click();
    await launcher.updateComplete;
    expect(launcher.open).to.equal(true);
    expect(shadow(launcher).querySelector('[part=greeting]')).to.equal(null);
    const chat = launcher.chat!;
    await opened(chat);
    expect(chat.conversation!.id).to.equal(conversation.id);
    await waitFor(() => rows(chat).some((row) => row.text === 'Hello! Anything I can help with?'), 'the agent’s message in the panel');
    await waitFor(() => launcher.unread === 0, 'the conversation to be read');
    expect(badge(launcher)).to.equal('');
    await chat.send('My order is late');
    const [reply] = await new Promise<[string]>((resolve) => conversation.on('message', (message) => resolve([message.toJSON() as string])));
    expect(JSON.stringify(reply)).to.contain('My order is late');

    // "Reload": a new element on the page remembers that it was open.
    launcher.remove();
    launcher = mount<LcSupport>(markup);
    await launcher.updateComplete;
    expect(launcher.open).to.equal(true);
    expect(shadow(launcher).querySelector('[part=panel] lc-chat')).to.not.equal(null);
    shadow(launcher).querySelector<HTMLButtonElement>('[part=launcher]')!.click();
    await launcher.updateComplete;
    launcher.remove();
    launcher = mount<LcSupport>(markup);
    await launcher.updateComplete;
    expect(launcher.open).to.equal(false);
    expect(shadow(launcher).querySelector('[part=greeting]'), 'the greeting only until first opened').to.equal(null);
  });

  it('gives an anonymous visitor an id kept in local storage', async () => {
    const { wsUrl, appId } = await server();
    const app = `${appId}`;
    localStorage.removeItem(`lc-support:visitor:${app}`);
    const first = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${app}" agents="${uid('agent')}"></lc-support>`);
    await first.updateComplete;
    const id = first.clientId!;
    expect(id).to.match(/^visitor-[0-9a-f]{16}$/);
    first.remove();
    const second = mount<LcSupport>(`<lc-support server="${wsUrl}" app-id="${app}" agents="${uid('agent')}"></lc-support>`);
    await second.updateComplete;
    expect(second.clientId).to.equal(id);
    localStorage.removeItem(`lc-support:visitor:${app}`);
  });
});
