/**
 * The widgets' client options reach the SDK (issue 18): `plugins` and
 * `timings` given to `acquireClient` are those of the one Realtime the
 * shared client logs in with, and an element naming the same client
 * shares it.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { acquireClient, releaseClient, type LcChat, type Realtime } from '../../src/components/index.js';
import { mount, opened, server, uid } from './support/fixtures.js';

describe('client options', function () {
  this.timeout(20_000);

  it('plugins and timings go to the shared client’s Realtime, which an element then uses', async () => {
    const { wsUrl, appId } = await server('main');
    const clientId = uid('opts');
    const created: Realtime[] = [];
    const timings = { backoffInitial: 250, backoffMax: 5_000 };
    const client = acquireClient({ server: wsUrl, appId, clientId, timings, plugins: [{ name: 'probe', onRealtimeCreate: (realtime) => created.push(realtime) }] });
    try {
      const im = await client.ready();
      expect(im.id).to.equal(clientId);
      expect(created).to.have.length(1);
      expect(created[0]!.options.timings).to.deep.equal(timings);
      expect(created[0]!.options.retryFirstConnect).to.equal(true);
      const chat = mount<LcChat>(`<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${clientId}" members="${uid('x')}" unique></lc-chat>`);
      await opened(chat);
      expect(chat.client).to.equal(client);
      expect(created).to.have.length(1, 'no second Realtime');
    } finally {
      releaseClient(client);
    }
  });
});
