import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import {
  DANMAKU_KEY,
  MessagePriority,
  TextMessage,
  type LcDanmakuDropEvent,
  type LcDanmakuStartEvent,
  type LcLiveRoom,
} from '../../src/components/index.js';
import { mount, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

const SIZE = 'style="display:block;width:640px;height:400px"';
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
/**
 * Resolves once `ms` have passed on the document timeline, the clock the
 * comments' animations (and so their positions) follow. A timer's `ms` may
 * pass with few frames or none drawn on a loaded machine, the comments then
 * standing where the last frame put them.
 */
async function timelinePasses(ms: number): Promise<void> {
  const start = Number(document.timeline.currentTime);
  while (Number(document.timeline.currentTime) < start + ms) await frame();
}

function comments(room: LcLiveRoom): HTMLElement[] {
  return [...shadow(room).querySelectorAll<HTMLElement>('.danmaku')].filter((element) => element.style.visibility !== 'hidden' && element.textContent);
}

/** Records the danmaku events of an element. */
function record(room: LcLiveRoom) {
  const started: LcDanmakuStartEvent['danmaku'][] = [];
  const dropped: Array<{ priority: number; reason: string; text: string }> = [];
  room.addEventListener('lc-danmaku-start', (event) => started.push(event.danmaku));
  room.addEventListener('lc-danmaku-drop', (event: LcDanmakuDropEvent) => dropped.push({ priority: event.danmaku.priority, reason: event.reason, text: event.danmaku.text }));
  return { started, dropped };
}

/** A playing video fed by a canvas: nothing downloaded. */
async function canvasVideo(): Promise<HTMLVideoElement> {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 90;
  const context = canvas.getContext('2d')!;
  let hue = 0;
  const draw = () => {
    hue = (hue + 3) % 360;
    context.fillStyle = `hsl(${hue} 60% 40%)`;
    context.fillRect(0, 0, 160, 90);
  };
  draw();
  const timer = setInterval(draw, 50);
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = canvas.captureStream(20);
  video.addEventListener('emptied', () => clearInterval(timer));
  return video;
}

describe('<lc-live-room>', () => {
  it('delivers comments to several viewers, outlines the own ones and shows the online count', async () => {
    const { wsUrl, appId } = await server();
    const host = await sdkClient(uid('host'));
    const room = await host.createConversation({ name: uid('stream'), transient: true });
    const viewerA = uid('viewer');
    const viewerB = uid('viewer');
    const a = mount<LcLiveRoom>(`<lc-live-room ${SIZE} server="${wsUrl}" app-id="${appId}" client-id="${viewerA}" room-id="${room.id}" chat></lc-live-room>`);
    const b = mount<LcLiveRoom>(`<lc-live-room ${SIZE} server="${wsUrl}" app-id="${appId}" client-id="${viewerB}" room-id="${room.id}"></lc-live-room>`);
    const seenA = record(a);
    const seenB = record(b);
    await waitFor(() => a.conversation && b.conversation, 'both viewers to join');
    await waitFor(() => (a.onlineCount ?? 0) >= 2, 'the online count');

    const message = new TextMessage('first!');
    message.setAttributes({ [DANMAKU_KEY]: { mode: 'top', priority: MessagePriority.NORMAL } });
    await room.send(message, { priority: MessagePriority.NORMAL });
    await waitFor(() => seenA.started.some((d) => d.text === 'first!') && seenB.started.some((d) => d.text === 'first!'), 'both viewers to show it');
    expect(seenA.started.find((d) => d.text === 'first!')).to.include({ mode: 'top', priority: MessagePriority.NORMAL, own: false });

    await a.send('<img src=x onerror=alert(1)>', { priority: MessagePriority.LOW });
    await waitFor(() => seenB.started.some((d) => d.from === viewerA), 'the other viewer to get A’s comment');
    const own = seenA.started.find((d) => d.from === viewerA)!;
    expect(own.own).to.equal(true);
    const element = comments(a).find((candidate) => candidate.textContent === '<img src=x onerror=alert(1)>')!;
    expect(element.classList.contains('own')).to.equal(true);
    expect(element.querySelector('img')).to.equal(null);
    expect(getComputedStyle(element).outlineStyle).to.equal('solid');
    // The composer: a HIGH notice typed and sent with Enter.
    const select = shadow(a).querySelector<HTMLSelectElement>('.composer select')!;
    select.value = 'high';
    select.dispatchEvent(new Event('change'));
    const input = shadow(a).querySelector<HTMLInputElement>('[part=input]')!;
    input.focus();
    await sendKeys({ type: 'pinned notice' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => seenB.started.some((d) => d.text === 'pinned notice' && d.priority === MessagePriority.HIGH), 'the typed notice at the other viewer');
    expect(input.value).to.equal('');
    // The side chat lists the messages, as text.
    await waitFor(() => shadow(a).querySelectorAll('.side-list .entry').length === 3, 'the side chat');
    expect(shadow(a).querySelector('.side-list img')).to.equal(null);
  });

  it('keeps comments of one lane from overlapping, at a speed in px/s', async () => {
    const room = mount<LcLiveRoom>(`<lc-live-room ${SIZE} readonly speed="400" max-on-screen="200"></lc-live-room>`);
    await room.updateComplete;
    const seen = record(room);
    for (let i = 0; i < 40; i += 1) room.show(i % 3 ? `comment number ${i}` : `a much longer comment, number ${i}, to vary the widths`, { priority: MessagePriority.HIGH });
    const lanes = new Set<string>();
    let checks = 0;
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      await frame();
      const byLane = new Map<string, DOMRect[]>();
      for (const element of comments(room)) {
        lanes.add(element.dataset.lane!);
        const list = byLane.get(element.dataset.lane!) ?? [];
        list.push(element.getBoundingClientRect());
        byLane.set(element.dataset.lane!, list);
      }
      for (const rects of byLane.values()) {
        rects.sort((x, y) => x.left - y.left);
        for (let i = 1; i < rects.length; i += 1) {
          checks += 1;
          expect(rects[i]!.left, 'comments in one lane overlap').to.be.at.least(rects[i - 1]!.right - 0.5);
        }
      }
    }
    expect(checks).to.be.greaterThan(20);
    expect(lanes.size).to.be.greaterThan(4);
    // Lanes stay inside the area: 0.8 of 400px.
    for (const element of comments(room)) expect(element.offsetTop + element.offsetHeight).to.be.at.most(400 * 0.8 + 1);
    // Speed: 400 px per second of the comment's own animation time, read in the same frames as its
    // positions (wall time is not what passed on screen: a loaded machine draws frames late). The newest
    // comment is measured: it has the longest way left, so it is still moving afterwards.
    const one = comments(room).reduce((newest, element) => (element.getBoundingClientRect().left > newest.getBoundingClientRect().left ? element : newest));
    const [animation] = one.getAnimations();
    const t0 = Number(animation!.currentTime);
    const x0 = one.getBoundingClientRect().left;
    await timelinePasses(250);
    expect(animation!.playState, 'the measured comment still moving').to.equal('running');
    const elapsed = Number(animation!.currentTime) - t0;
    const moved = x0 - one.getBoundingClientRect().left;
    expect(elapsed).to.be.greaterThan(100);
    expect((moved / elapsed) * 1000, `${moved} px in ${elapsed} ms`).to.be.within(380, 420);
    expect(seen.started.length).to.be.greaterThan(10);
  });

  it('puts top comments at the top and bottom comments at the bottom of the area, centered', async () => {
    const room = mount<LcLiveRoom>(`<lc-live-room ${SIZE} readonly></lc-live-room>`);
    await room.updateComplete;
    room.show('pinned at the top', { mode: 'top' });
    room.show('at the bottom', { mode: 'bottom' });
    room.show('above it', { mode: 'bottom' });
    const overlay = shadow(room).querySelector<HTMLElement>('[part=overlay]')!.getBoundingClientRect();
    const find = (text: string) => waitFor(() => comments(room).find((element) => element.textContent === text), text);
    const top = (await find('pinned at the top')).getBoundingClientRect();
    const bottom = (await find('at the bottom')).getBoundingClientRect();
    const above = (await find('above it')).getBoundingClientRect();
    expect(top.top - overlay.top).to.be.below(2);
    // Bottom comments take the lowest lane of the area (0.8 of the height): no further lane fits under it,
    // and the bottom fifth (subtitles) stays clear.
    const areaBottom = overlay.top + overlay.height * 0.8;
    expect(areaBottom - bottom.bottom).to.be.at.least(-0.5);
    expect(areaBottom - bottom.bottom).to.be.below(bottom.height);
    expect(above.bottom).to.be.at.most(bottom.top + 0.5);
    expect(bottom.top - above.bottom).to.be.below(2);
    expect(Math.abs((bottom.left + bottom.right) / 2 - (overlay.left + overlay.right) / 2)).to.be.below(2);
  });

  it('never lets comments of any mode overlap or enter the subtitle strip, through a flood and a resize', async () => {
    // Dark theme and an area of 0.6: the bottom 40% is reserved for subtitles.
    const room = mount<LcLiveRoom>(
      // A font size in rem: lanes follow the comments' measured height, whatever unit sets it.
      `<lc-live-room style="display:block;width:640px;height:420px;--lc-danmaku-font-size:1.5rem" readonly theme="dark" area="0.6" speed="320" duration="1.2" max-on-screen="60"></lc-live-room>`,
    );
    await room.updateComplete;
    const seen = record(room);
    const overlayElement = shadow(room).querySelector<HTMLElement>('[part=overlay]')!;
    const modes = ['scroll', 'top', 'bottom', 'scroll', 'bottom'] as const;
    const texts = ['nice!', 'hello from Berlin 👋', '666', 'this is so smooth', '好厉害好厉害', 'ship it 🚀', 'a rather long comment that takes up some room', 'two\nlines'];
    let sent = 0;
    const flood = (count: number) => {
      for (let i = 0; i < count; i += 1, sent += 1) {
        const priority = sent % 7 === 0 ? MessagePriority.HIGH : sent % 3 === 0 ? MessagePriority.NORMAL : MessagePriority.LOW;
        room.show(`${texts[sent % texts.length]} #${sent}`, { mode: modes[sent % modes.length]!, priority, own: sent % 11 === 0 });
      }
    };
    let pairs = 0;
    let frames = 0;
    const modesSeen = new Set<string>();
    /** Checks one frame: every pair of visible comments apart, every comment above the strip. */
    const check = () => {
      const overlay = overlayElement.getBoundingClientRect();
      const limit = overlay.top + overlay.height * 0.6;
      const boxes = comments(room).map((element) => ({ element, rect: element.getBoundingClientRect() }));
      for (const { element, rect } of boxes) {
        if (rect.right <= overlay.left || rect.left >= overlay.right) continue;
        modesSeen.add([...element.classList].find((name) => name === 'scroll' || name === 'top' || name === 'bottom')!);
        expect(rect.top, `"${element.textContent}" above the stage`).to.be.at.least(overlay.top - 0.5);
        expect(rect.bottom, `"${element.textContent}" enters the reserved bottom strip`).to.be.at.most(limit + 0.5);
      }
      for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
          const a = boxes[i]!.rect;
          const b = boxes[j]!.rect;
          pairs += 1;
          const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
          expect(apart, `"${boxes[i]!.element.textContent}" (${boxes[i]!.element.className}) overlaps "${boxes[j]!.element.textContent}" (${boxes[j]!.element.className})`).to.equal(true);
        }
      }
      frames += 1;
    };
    const run = async (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        flood(3);
        await frame();
        check();
      }
    };
    await run(1800);
    // Resize mid-flood: narrower and shorter; the strip follows the new height.
    room.style.width = '480px';
    room.style.height = '300px';
    await frame();
    await frame();
    await run(1500);
    expect(frames).to.be.greaterThan(30);
    expect(pairs).to.be.greaterThan(500);
    expect([...modesSeen].sort()).to.deep.equal(['bottom', 'scroll', 'top']);
    expect(seen.started.filter((d) => d.mode === 'bottom').length).to.be.greaterThan(2);
    expect(seen.started.filter((d) => d.mode === 'top').length).to.be.greaterThan(2);
    expect(seen.dropped.filter((d) => d.priority === MessagePriority.HIGH)).to.have.length(0);
  });

  it('drops LOW comments before NORMAL ones under max-on-screen, and never HIGH ones', async () => {
    const room = mount<LcLiveRoom>(`<lc-live-room ${SIZE} readonly speed="300" max-on-screen="8"></lc-live-room>`);
    await room.updateComplete;
    const seen = record(room);
    for (let i = 0; i < 20; i += 1) {
      room.show(`low ${i}`, { priority: MessagePriority.LOW });
      room.show(`normal ${i}`, { priority: MessagePriority.NORMAL });
    }
    for (let i = 0; i < 4; i += 1) room.show(`HIGH ${i}`, { priority: MessagePriority.HIGH });
    expect(room.onScreen).to.be.at.most(8 + 4);
    await waitFor(() => seen.started.filter((d) => d.priority === MessagePriority.HIGH).length === 4, 'every HIGH comment to show', 10_000);
    const started = (priority: number) => seen.started.filter((d) => d.priority === priority).length;
    const dropped = (priority: number) => seen.dropped.filter((d) => d.priority === priority).length;
    expect(dropped(MessagePriority.HIGH)).to.equal(0);
    expect(dropped(MessagePriority.LOW)).to.be.greaterThan(dropped(MessagePriority.NORMAL));
    expect(started(MessagePriority.NORMAL)).to.be.greaterThan(started(MessagePriority.LOW));
    expect(started(MessagePriority.LOW) + dropped(MessagePriority.LOW)).to.equal(20);
    expect(seen.dropped.every((d) => d.reason === 'density')).to.equal(true);
  });

  it('pauses with the slotted video and under the pointer; filters keywords', async () => {
    const video = await canvasVideo();
    const room = mount<LcLiveRoom>(`<lc-live-room ${SIZE} readonly speed="200" block-words="spoiler, Ending"></lc-live-room>`);
    room.append(video);
    await video.play();
    await waitFor(() => room.playState === 'running', 'the overlay to run with the video');
    const seen = record(room);
    room.show('moving along');
    room.show('the ENDING is a twist');
    expect(seen.dropped).to.deep.equal([{ priority: MessagePriority.NORMAL, reason: 'filter', text: 'the ENDING is a twist' }]);
    const element = await waitFor(() => comments(room)[0], 'a comment');
    const x = () => element.getBoundingClientRect().left;
    const start = x();
    await timelinePasses(150);
    expect(x()).to.be.lessThan(start - 10);

    video.pause();
    await waitFor(() => room.playState === 'paused', 'the overlay to pause with the video');
    await frame();
    const stopped = x();
    await timelinePasses(250);
    expect(x()).to.equal(stopped);
    expect(room.getAttribute('play-state')).to.equal('paused');

    await video.play();
    await waitFor(() => room.playState === 'running', 'the overlay to resume');
    await timelinePasses(150);
    expect(x()).to.be.lessThan(stopped - 10);

    // Hovering a comment holds it (and its lane) still.
    element.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    await frame();
    const held = x();
    await timelinePasses(200);
    expect(x()).to.equal(held);
    element.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, composed: true }));
    await timelinePasses(150);
    expect(x()).to.be.lessThan(held - 10);
    video.pause();
    video.srcObject = null;
  });
});
