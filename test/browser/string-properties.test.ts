/**
 * React 19, Vue 3 and Svelte 5 set a custom element's property, not its
 * attribute, whenever the element has one: `members="bob"` in their
 * templates arrives as `element.members = "bob"`, before the element is in
 * the document. Every list-valued property takes that string as its
 * attribute would, and a value it cannot use is dropped with a warning.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { MessagePriority, TextMessage, type LcChat, type LcDanmakuDropEvent, type LcLiveRoom, type LcSupport } from '../../src/components/index.js';
import { mount, opened, rows, server, shadow, uid, waitFor } from './support/fixtures.js';

const created: HTMLElement[] = [];

/** Creates an element and sets its properties, then adds it to the page: the order frameworks use. */
function render<T extends HTMLElement>(tag: string, properties: Record<string, unknown>): T {
  const element = document.createElement(tag) as T;
  Object.assign(element, properties);
  document.body.append(element);
  created.push(element);
  return element;
}

/** Console warnings during `body`. */
async function warnings(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    await body();
  } finally {
    console.warn = warn;
  }
  return seen;
}

afterEach(() => {
  for (const element of created.splice(0)) element.remove();
});

describe('list-valued properties set as strings, as frameworks set them', () => {
  it('<lc-chat>.members = "bob" opens the conversation with bob, and they chat', async () => {
    const { wsUrl, appId } = await server();
    const [aliceId, bobId] = [uid('alice'), uid('bob')];
    const alice = render<LcChat>('lc-chat', { server: wsUrl, appId, clientId: aliceId, members: bobId, unique: true });
    const bob = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${bobId}" members="${aliceId}" unique></lc-chat>`);
    expect(alice.members).to.deep.equal([bobId]);
    await Promise.all([opened(alice), opened(bob)]);
    expect(alice.conversation!.members.slice().sort()).to.deep.equal([aliceId, bobId].sort());
    expect(shadow(alice).querySelector('[part=header] .title')?.textContent).to.equal(bobId);
    await alice.conversation!.send(new TextMessage('through a string'));
    await waitFor(() => rows(bob).find((row) => row.from === aliceId && row.text === 'through a string'), 'bob to receive it');
    // The attribute's separators: commas or spaces.
    alice.members = ` ${bobId}, carol  dave `;
    expect(alice.members).to.deep.equal([bobId, 'carol', 'dave']);
  });

  it('<lc-support>.agents = "a, b" makes both agents members of the visitor\'s conversation', async () => {
    const { wsUrl, appId } = await server();
    const agents = [uid('agent'), uid('agent')];
    const launcher = render<LcSupport>('lc-support', { server: wsUrl, appId, clientId: uid('visitor'), agents: agents.join(', '), open: true });
    expect(launcher.agents).to.deep.equal(agents);
    const chat = await waitFor(() => launcher.chat, 'the panel\'s chat');
    await opened(chat);
    for (const agent of agents) expect(chat.conversation!.members).to.include(agent);
  });

  it('<lc-live-room>.blockWords = "spoiler, the end" filters those phrases', async () => {
    const room = render<LcLiveRoom>('lc-live-room', { readOnly: true, blockWords: 'spoiler, The End' });
    room.style.cssText = 'display:block;width:640px;height:400px';
    expect(room.blockWords).to.deep.equal(['spoiler', 'The End']);
    await room.updateComplete;
    const dropped: string[] = [];
    room.addEventListener('lc-danmaku-drop', (event: LcDanmakuDropEvent) => dropped.push(`${event.reason}: ${event.danmaku.text}`));
    room.show('a SPOILER ahead', { priority: MessagePriority.NORMAL });
    room.show('the end is near');
    room.show('the beginning');
    expect(dropped).to.deep.equal(['filter: a SPOILER ahead', 'filter: the end is near']);
  });

  it('a value a list cannot use is dropped with a warning naming the property; the element keeps working', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('alice');
    let chat!: LcChat;
    const seen = await warnings(async () => {
      chat = render<LcChat>('lc-chat', { server: wsUrl, appId, clientId: me, members: 42 });
      await chat.updateComplete;
      chat.members = ['bob', 7] as unknown as string[];
      await chat.updateComplete;
    });
    expect(seen).to.have.length(2);
    expect(seen[0]).to.contain('<lc-chat>.members').and.contain('a number');
    expect(seen[1]).to.contain('<lc-chat>.members').and.contain('not strings');
    expect(chat.members).to.deep.equal(['bob']);
    await waitFor(() => chat.client?.state === 'online', 'the login');
    chat.members = [];
    await chat.updateComplete;
    expect(shadow(chat).querySelector('.empty')?.textContent).to.contain('Select a conversation');
  });
});
