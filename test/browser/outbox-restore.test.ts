/**
 * The outbox (src/components/client/outbox.ts) is not in the first load: it
 * loads as a shared client starts. A file of its own, so its own page: the
 * module is not loaded before the test. A message restored from the cache
 * must still go out before one sent the moment the element starts, before
 * the module has arrived. (Sent before the connection is up, as here, both
 * wait for the outbox's flush when online, which sends by creation time;
 * online before the module arrives, SharedClient's #loadOutbox flushes
 * first, ahead of the send that waited for the module.)
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { openChatCache, TextMessage, type LcChat } from '../../src/components/index.js';
import { isSent, mount, rows, sdkClient, server, uid, waitFor } from './support/fixtures.js';

const outboxLoaded = (): boolean => performance.getEntriesByType('resource').some((entry) => /\/client\/outbox\.ts/.test(entry.name));

describe('the outbox on demand', function () {
  this.timeout(60_000);

  it('sends what it restored from the cache before what is sent as the element starts, in order', async () => {
    const { wsUrl, appId } = await server();
    const me = uid('returning');
    const peer = uid('peer');
    const peerClient = await sdkClient(peer);
    const conversation = await peerClient.createConversation({ members: [me], unique: true });

    // Left in IndexedDB by an earlier visit that never reached the server.
    const cache = await openChatCache({ server: wsUrl, appId, clientId: me });
    await cache.putOutbox({
      localId: uid('restored'),
      cid: conversation.id,
      from: me,
      payload: { _lctype: -1, _lctext: 'written last visit' },
      createdAt: Date.now() - 60_000,
      state: 'sending',
    });
    cache.close();

    expect(outboxLoaded(), 'the outbox loaded before any client').to.equal(false);
    const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${peer}" unique></lc-chat>`);
    // At once, before the outbox module (or the connection) is there.
    const sent = chat.client!.sendText(conversation.id, { text: 'typed as the page opened' });
    expect(outboxLoaded(), 'the outbox loaded synchronously').to.equal(false);
    expect((await sent).text).to.equal('typed as the page opened');

    await waitFor(() => rows(chat).length === 2 && rows(chat).every((row) => isSent(row)), 'both messages sent', 30_000);
    expect(rows(chat).map((row) => row.text)).to.deep.equal(['written last visit', 'typed as the page opened']);
    const history = await conversation.queryMessages({ limit: 10 });
    expect(history.map((message) => (message as TextMessage).text)).to.deep.equal(['written last visit', 'typed as the page opened']);
    expect(outboxLoaded()).to.equal(true);
  });
});
