import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { TextMessage, type LcConversationList } from '../../src/components/index.js';
import { avatarHue } from '../../src/components/lc-chat/message-list.js';
import { mount, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

/** Distance between two hues on the color wheel. */
const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

describe('issue 13, minor', () => {
  it('avatar colors come from the whole id: ids that differ only at the end are far apart', () => {
    const crowd = ['mika', 'jun', 'ola', 'sam', 'lee', 'ana'].map((name) => `crowd-${name}`);
    const numbered = Array.from({ length: 12 }, (_, i) => `crowd-${i + 1}`);
    for (const ids of [crowd, numbered]) {
      const hues = ids.map(avatarHue);
      // Spread around the wheel, not bunched in one region.
      const sectors = new Set(hues.map((hue) => Math.floor(hue / 45)));
      expect(sectors.size, `${ids.join(',')} → ${hues.join(',')}`).to.be.at.least(Math.min(ids.length, 8) / 2);
    }
    // Neighbours by name are not neighbours by color.
    for (let i = 1; i < numbered.length; i += 1) expect(hueDistance(avatarHue(numbered[i - 1]!), avatarHue(numbered[i]!)), numbered[i]).to.be.at.least(10);
    expect(avatarHue('crowd-1')).to.equal(avatarHue('crowd-1'));
  });

  it('a filter that names one conversation exactly offers no "Show more conversations"', async () => {
    const aliceId = uid('alice');
    const bob = await sdkClient(uid('bob'));
    for (let i = 0; i < 5; i += 1) {
      const conversation = await bob.createConversation({ members: [aliceId], name: `team ${i}` });
      await conversation.send(new TextMessage(`message ${i}`));
    }
    const { wsUrl, appId } = await server();
    const list = mount<LcConversationList>(
      `<lc-conversation-list style="display:flex;flex-direction:column;height:420px" page-size="3" server="${wsUrl}" app-id="${appId}" client-id="${aliceId}"></lc-conversation-list>`,
    );
    await waitFor(() => list.hasMore && shadow(list).querySelectorAll('[part=item]').length === 3, 'the first page');
    const filter = shadow(list).querySelector<HTMLInputElement>('[part=filter]')!;
    const type = async (text: string) => {
      filter.value = text;
      filter.dispatchEvent(new Event('input'));
      await list.updateComplete;
    };
    // A partial match: more pages may hold more matches.
    await type('team');
    expect(shadow(list).querySelector('[part=more] button')).to.not.equal(null);
    // An exact title: found.
    await type('Team 4');
    expect(shadow(list).querySelectorAll('[part=item]').length).to.equal(1);
    expect(shadow(list).querySelector('[part=more]')).to.equal(null);
  });
});
