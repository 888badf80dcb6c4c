import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { LcRealtime, openChatCache, openClients, type LcChat } from '../../src/components/index.js';
import { mount, opened, rows, server, uid, waitFor, isSent } from './support/fixtures.js';

describe('<lc-realtime> and the shared client', () => {
  it('provides its client to the lc-chat elements inside', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('provided');
    const provider = mount<LcRealtime>(`<lc-realtime server="${wsUrl}" app-id="${appId}" client-id="${me}">
      <div><lc-chat members="${uid('a')}" unique></lc-chat><lc-chat members="${uid('b')}" unique></lc-chat></div>
    </lc-realtime>`);
    const [first, second] = [...provider.querySelectorAll('lc-chat')] as LcChat[];
    await Promise.all([opened(first!), opened(second!)]);
    expect(first!.client).to.equal(provider.client);
    expect(second!.client).to.equal(provider.client);
    expect(first!.client!.clientId).to.equal(me);
  });

  it('an lc-chat that upgrades before its provider still gets the client (ContextRoot)', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('late');
    // The provider's tag is defined only after the chat inside it is connected.
    const tag = `lc-realtime-late-${Math.random().toString(36).slice(2, 8)}`;
    const outer = mount(`<${tag} server="${wsUrl}" app-id="${appId}" client-id="${me}"><lc-chat members="${uid('peer')}" unique></lc-chat></${tag}>`);
    const chat = outer.querySelector('lc-chat') as LcChat;
    await chat.updateComplete;
    expect(chat.client).to.equal(undefined);
    customElements.define(tag, class extends LcRealtime {});
    await opened(chat);
    expect(chat.client!.clientId).to.equal(me);
  });

  it('standalone elements naming the same user share one connection', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('twice');
    const attributes = `server="${wsUrl}" app-id="${appId}" client-id="${me}"`;
    const a = mount<LcChat>(`<lc-chat ${attributes} members="${uid('x')}" unique></lc-chat>`);
    const b = mount<LcChat>(`<lc-chat ${attributes.replace('ws://', 'http://')} members="${uid('y')}" unique></lc-chat>`);
    await Promise.all([opened(a), opened(b)]);
    expect(a.client).to.equal(b.client);
    expect(openClients().filter((client) => client.clientId === me)).to.have.length(1);
  });

  it('two users on one page chat through one conversation', async () => {
    const { wsUrl, appId } = await server();
    const [alice, bob] = [uid('alice'), uid('bob')];
    const left = mount<LcChat>(`<lc-realtime server="${wsUrl}" app-id="${appId}" client-id="${alice}"><lc-chat members="${bob}" unique></lc-chat></lc-realtime>`).querySelector('lc-chat') as LcChat;
    const right = mount<LcChat>(`<lc-realtime server="${wsUrl}" app-id="${appId}" client-id="${bob}"><lc-chat members="${alice}" unique></lc-chat></lc-realtime>`).querySelector('lc-chat') as LcChat;
    await Promise.all([opened(left), opened(right)]);
    expect(left.conversation!.id).to.equal(right.conversation!.id);
    await left.send('over the provider');
    await waitFor(() => rows(right).some((row) => row.text === 'over the provider'), 'the message on the other side');
  });
});

describe('logging out', () => {
  it('logout({clearCache: true}) closes the shared client and forgets the cached messages', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('leaving');
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${uid('x')}" unique></lc-chat>`);
    await opened(chat);
    await chat.send('soon forgotten');
    await waitFor(() => rows(chat).some((row) => isSent(row) && row.text === 'soon forgotten'), 'the message sent');
    const cid = chat.conversation!.id;
    await chat.logout({ clearCache: true });
    await waitFor(() => chat.connectionState === 'closed', 'the closed state');
    await chat.updateComplete;
    expect(chat.shadowRoot!.querySelector('[part=banner]')!.textContent).to.contain('signed out');
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    expect(await cache.latest(cid, 10)).to.deep.equal([]);
    cache.close();
  });
});
