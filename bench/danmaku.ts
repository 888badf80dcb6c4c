/**
 * `npm run bench:danmaku`: frame times of `<lc-live-room>`'s danmaku overlay
 * in headless Chromium (Debian's, through Playwright), at 50, 100 and 200
 * comments per second for 5 seconds each, on a 1280×720 stage.
 *
 * Comments are injected with `room.show()` (the same path as received
 * ones after decoding), LOW/NORMAL/HIGH mixed 85/12/3 with `max-on-screen`
 * 120, so the density rules run too. Prints p50/p95 frame time, frames
 * over 1.5 × 16.7 ms ("dropped"), and shown/dropped comments.
 *
 * Needs `npm run build` first (loads dist/lc-chat.iife.js).
 */
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const RATES = [50, 100, 200];
const SECONDS = 5;

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1320, height: 800 } });
    await page.setContent('<!doctype html><body style="margin:0;background:#000"></body>');
    await page.addScriptTag({ path: resolve('dist/lc-chat.iife.js') });
    // tsx keeps function names with a helper the page does not have.
    await page.evaluate('window.__name = (target) => target');
    console.log('\ndanmaku (1280×720 stage, headless Chromium)');
    console.log('rate/s   p50 ms   p95 ms   dropped frames   shown   dropped comments');
    for (const rate of RATES) {
      const result = await page.evaluate(
        async ({ rate, seconds }) => {
          document.body.innerHTML = '<lc-live-room readonly max-on-screen="120" speed="160" style="display:block;width:1280px;height:760px"></lc-live-room>';
          const room = document.querySelector('lc-live-room') as HTMLElement & { show(text: string, options: object): void; updateComplete: Promise<unknown> };
          await room.updateComplete;
          let shown = 0;
          let dropped = 0;
          room.addEventListener('lc-danmaku-start', () => (shown += 1));
          room.addEventListener('lc-danmaku-drop', () => (dropped += 1));
          const words = ['nice!', 'hello from Berlin', '666', 'this is so smooth', '好厉害', 'what editor is that?', 'GG', 'ship it 🚀', '哈哈哈哈哈', 'LeanCloud compatible??'];
          const frames: number[] = [];
          let last = performance.now();
          const end = last + seconds * 1000;
          let sent = 0;
          const started = last;
          await new Promise<void>((done) => {
            const frame = (now: number) => {
              frames.push(now - last);
              last = now;
              // Comments due by now at `rate` per second.
              const due = Math.floor(((now - started) / 1000) * rate);
              for (; sent < due; sent += 1) {
                const roll = Math.random();
                room.show(words[sent % words.length]!, { priority: roll < 0.03 ? 1 : roll < 0.15 ? 2 : 3 });
              }
              if (now < end) requestAnimationFrame(frame);
              else done();
            };
            requestAnimationFrame(frame);
          });
          frames.shift();
          const sorted = [...frames].sort((a, b) => a - b);
          const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
          return { p50: at(0.5), p95: at(0.95), slow: frames.filter((ms) => ms > 25).length, frames: frames.length, shown, dropped };
        },
        { rate, seconds: SECONDS },
      );
      console.log(
        `${String(rate).padStart(6)}   ${result.p50.toFixed(1).padStart(6)}   ${result.p95.toFixed(1).padStart(6)}   ${`${result.slow}/${result.frames}`.padStart(14)}   ${String(result.shown).padStart(5)}   ${String(result.dropped).padStart(16)}`,
      );
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
