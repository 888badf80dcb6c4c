import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { MessagePriority, TextMessage, type LcConversationList, type LcLiveRoom } from '../../src/components/index.js';
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
    // The live demo's crowd: no two members in nearly the same color.
    const crowdHues = crowd.map(avatarHue);
    for (let i = 0; i < crowdHues.length; i += 1) for (let j = i + 1; j < crowdHues.length; j += 1) expect(hueDistance(crowdHues[i]!, crowdHues[j]!), `${crowd[i]} / ${crowd[j]}`).to.be.at.least(20);
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

  it('on a 375 px phone, comments go over the picture, not the letterbox bars', async () => {
    const room = mount<LcLiveRoom>(`<lc-live-room style="display:block;width:375px;height:560px" readonly speed="300">
      <canvas width="1280" height="720"></canvas>
    </lc-live-room>`);
    await room.updateComplete;
    const canvas = room.querySelector('canvas')!;
    const box = canvas.getBoundingClientRect();
    // object-fit: contain: the 16:9 picture is centered, with black bars above and below.
    const pictureHeight = (box.width * 720) / 1280;
    const picture = { top: box.top + (box.height - pictureHeight) / 2, bottom: box.top + (box.height + pictureHeight) / 2 };
    expect(box.height - pictureHeight, 'the test needs bars').to.be.greaterThan(50);
    const overlay = shadow(room).querySelector<HTMLElement>('[part=overlay]')!;
    await waitFor(() => Math.abs(overlay.getBoundingClientRect().height - pictureHeight) < 2, 'the overlay to fit the picture');
    for (const mode of ['scroll', 'top', 'bottom'] as const) room.show(`a ${mode} comment`, { mode });
    const shown = await waitFor(() => {
      const found = [...shadow(room).querySelectorAll<HTMLElement>('.danmaku')].filter((element) => element.style.visibility !== 'hidden' && element.textContent);
      return found.length === 3 ? found : null;
    }, 'a comment of each mode').catch((error) => {
      const all = [...shadow(room).querySelectorAll<HTMLElement>('.danmaku')];
      throw new Error(`${String(error)} ${JSON.stringify(overlay.getBoundingClientRect())} ${all.map((e) => `${e.className}|${e.style.cssText}|${e.textContent}`).join(' ;; ')} ${room.onScreen}`);
    });
    for (const comment of shown) {
      const rect = comment.getBoundingClientRect();
      expect(rect.top, comment.textContent ?? '').to.be.at.least(picture.top - 1);
      expect(rect.bottom, comment.textContent ?? '').to.be.at.most(picture.bottom + 1);
    }
  });

  it('comments dropped because the screen is full are counted where the viewer sees them', async () => {
    const room = mount<LcLiveRoom>(`<lc-live-room style="display:block;width:640px;height:400px" readonly speed="60" max-on-screen="2"></lc-live-room>`);
    await room.updateComplete;
    let dropped = 0;
    room.addEventListener('lc-danmaku-drop', (event) => (dropped += event.reason === 'density' ? 1 : 0));
    for (let i = 0; i < 8; i += 1) room.show(`low ${i}`, { priority: MessagePriority.LOW });
    await waitFor(() => dropped > 0, 'some comments dropped');
    await room.updateComplete;
    const count = shadow(room).querySelector<HTMLElement>('[part=hidden-count]');
    expect(count?.textContent?.trim()).to.equal(`${dropped} hidden`);
    expect(count!.getBoundingClientRect().width).to.be.greaterThan(0);
  });
});
