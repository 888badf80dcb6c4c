import { expect } from '@esm-bundle/chai';
import { openChatCache, type ChatMessage } from '../../src/components/index.js';
import { uid } from './support/fixtures.js';

const message = (cid: string, n: number): ChatMessage => ({
  id: `id-${String(n).padStart(3, '0')}`,
  cid,
  from: 'someone',
  timestamp: 1_700_000_000_000 + n * 1000,
  type: -1,
  text: `message ${n}`,
  payload: { _lctype: -1, _lctext: `message ${n}` },
  status: 'sent',
});

for (const storage of ['auto', 'memory'] as const) {
  describe(`the cache (${storage === 'auto' ? 'IndexedDB' : 'memory'})`, () => {
    it('keeps the newest messages per conversation, pages backwards, and evicts the oldest', async () => {
      const cache = await openChatCache({ server: 'ws://cache.test', appId: 'app', clientId: uid('c'), maxMessagesPerConversation: 25, storage });
      expect(cache.persistent).to.equal(storage === 'auto');
      await cache.putMessages(Array.from({ length: 30 }, (_, i) => message('conv-a', i + 1)));
      await cache.putMessages([message('conv-b', 1)]);
      const latest = await cache.latest('conv-a', 10);
      expect(latest.map((m) => m.text)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `message ${21 + i}`));
      const older = await cache.before('conv-a', latest[0]!, 100);
      expect(older.map((m) => m.text)).to.deep.equal(Array.from({ length: 15 }, (_, i) => `message ${6 + i}`));
      expect((await cache.latest('conv-b', 10)).map((m) => m.text)).to.deep.equal(['message 1']);
      // Updating a message in place (a receipt) does not duplicate it.
      await cache.putMessages([{ ...message('conv-a', 30), status: 'delivered' }]);
      const newest = await cache.latest('conv-a', 1);
      expect(newest[0]!.status).to.equal('delivered');
      expect(await cache.latest('conv-a', 100)).to.have.length(25);
      await cache.clear();
    });

    it('keeps the outbox in order and forgets everything on clear()', async () => {
      const clientId = uid('c');
      const cache = await openChatCache({ server: 'ws://cache.test', appId: 'app', clientId, storage });
      await cache.putOutbox({ localId: 'b', cid: 'x', from: clientId, payload: 'second', createdAt: 2, state: 'sending' });
      await cache.putOutbox({ localId: 'a', cid: 'x', from: clientId, payload: 'first', createdAt: 1, state: 'sending' });
      expect((await cache.outbox()).map((entry) => entry.payload)).to.deep.equal(['first', 'second']);
      await cache.deleteOutbox('a');
      expect((await cache.outbox()).map((entry) => entry.localId)).to.deep.equal(['b']);
      await cache.putConversation({ id: 'x', members: ['p', 'q'], key: 'unique:p,q', updatedAt: 1 });
      expect((await cache.conversationByKey('unique:p,q'))?.id).to.equal('x');
      await cache.clear();
      if (storage === 'auto') {
        const reopened = await openChatCache({ server: 'ws://cache.test', appId: 'app', clientId });
        expect(await reopened.outbox()).to.deep.equal([]);
        expect(await reopened.conversation('x')).to.equal(undefined);
        reopened.close();
      }
    });
  });
}

describe('the cache without IndexedDB', () => {
  it('falls back to memory when IndexedDB is missing or refuses to open (private mode)', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'indexedDB')!;
    try {
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
      expect((await openChatCache({ server: 'ws://x', appId: 'a', clientId: uid('c') })).persistent).to.equal(false);
      Object.defineProperty(window, 'indexedDB', {
        configurable: true,
        value: {
          open() {
            throw new DOMException('The user denied permission to access the database.', 'SecurityError');
          },
        },
      });
      const cache = await openChatCache({ server: 'ws://x', appId: 'a', clientId: uid('c') });
      expect(cache.persistent).to.equal(false);
      await cache.putMessages([message('c', 1)]);
      expect(await cache.latest('c', 5)).to.have.length(1);
    } finally {
      Object.defineProperty(window, 'indexedDB', original);
    }
  });
});
