/**
 * Screenshots of the inbox, support, agent and live-room demos in the light
 * and dark themes, taken by Debian's Chromium through Playwright against a
 * real server, with conversations seeded by the SDK (as real users would
 * write them). For people to look at: `npm run screenshots` writes
 * .tmp/screenshots/*.png (after demo/chat.html's, by screenshot-demo.ts).
 *
 * Needs `npm run build` first (the demos load demo/assets/lc-chat.js).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createServer } from '../src/server/index.js';
import { Realtime, TextMessage, type IMClient } from '../src/sdk/index.js';

const out = resolve(process.argv[2] ?? '.tmp/screenshots');
const app = { appId: 'demo-app', appKey: 'demo-key', masterKey: 'demo-master-key' };
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-shots-'));
  const server = await createServer({ port: 0, host: '127.0.0.1', dataDir, apps: [app], demoDir: resolve('demo'), devSigningAppId: app.appId, log: () => {} });
  const realtimes: Realtime[] = [];
  const user = async (id: string): Promise<IMClient> => {
    const realtime = new Realtime({ appId: app.appId, appKey: app.appKey, server: server.wsUrl });
    realtimes.push(realtime);
    return realtime.createIMClient(id);
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`  ${name}.png`);
  };
  const base = `${server.httpUrl}`;
  const q = (theme: string, extra = '') => `?app=${app.appId}&key=${app.appKey}&theme=${theme}&lang=en${extra}`;
  try {
    // ---- inbox: Alice's conversations, some unread --------------------------------
    const [bob, carol, dave] = await Promise.all([user('bob'), user('carol'), user('dave')]);
    const trip = await carol.createConversation({ members: ['alice', 'bob', 'dave'], name: 'Weekend trip 🏔️' });
    await trip.send(new TextMessage('I booked the cabin for Saturday!'));
    await pause(30);
    const direct = await bob.createConversation({ members: ['alice'], unique: true });
    await direct.send(new TextMessage('Did the new build go out this morning?'));
    await pause(30);
    const design = await dave.createConversation({ members: ['alice', 'bob'], name: 'Design review' });
    await design.send(new TextMessage('Mockups are in the shared folder'));
    await design.send(new TextMessage('Can everyone look before 3pm?'));
    await pause(30);
    await trip.send(new TextMessage('Who brings the board games? 🎲'));

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    for (const theme of ['light', 'dark']) {
      await page.goto(`${base}/inbox.html${q(theme, '&user=alice')}`);
      const list = page.locator('lc-conversation-list');
      await list.locator('[part=item]').nth(2).waitFor();
      await list.locator('[part=badge]').first().waitFor();
      if (theme === 'light') {
        await list.locator('[part=item]').nth(1).click();
        await page.locator('lc-chat').locator('article.row').first().waitFor();
        await page.locator('lc-chat textarea').fill('');
        await page.locator('lc-chat textarea').pressSequentially('Yes, it shipped at 9 🎉', { delay: 2 });
        await page.locator('lc-chat textarea').press('Enter');
        await page.locator('lc-chat').locator('article.row.own').waitFor();
      } else {
        await list.locator('[part=item]').first().click();
        await page.locator('lc-chat').locator('article.row').first().waitFor();
      }
      await pause(300);
      await shot(page, `inbox-${theme}`);
    }

    // ---- support: the visitor's launcher, closed with unread, then open ----------
    const agent = await user('support-agent');
    for (const theme of ['light', 'dark']) {
      const visitor = `visitor-shot-${theme}`;
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const support = await context.newPage();
      support.on('pageerror', (error) => console.error('page error:', error));
      // Dark: office hours that are closed now (another day), to show the away notice.
      const closed = `&hours=${encodeURIComponent(`${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][(new Date().getUTCDay() + 3) % 7]} 09:00-17:00; UTC`)}`;
      await support.goto(`${base}/support.html${q(theme, `&visitor=${visitor}${theme === 'dark' ? closed : ''}`)}`);
      await support.locator('lc-support').locator('[part=greeting]').waitFor();
      await shot(support, `support-closed-${theme}`);
      const conversation = await agent.createConversation({ members: [visitor], unique: true });
      await conversation.send(new TextMessage('Hi! I’m Maya from Northwind support. Anything I can help with?'));
      await support.locator('lc-support').locator('[part=badge]').waitFor();
      await shot(support, `support-unread-${theme}`);
      await support.locator('lc-support').locator('[part=launcher]').click();
      // The pre-chat form first (outside office hours in the dark run: the away notice above it).
      const form = support.locator('lc-support').locator('[part=prechat]');
      await form.waitFor();
      await pause(300);
      await shot(support, `support-prechat-${theme}`);
      await form.locator('#prechat-name').fill(theme === 'light' ? 'Ada Lovelace' : 'Grace Hopper');
      await form.locator('#prechat-email').fill(theme === 'light' ? 'ada@example.com' : 'grace@example.org');
      await form.locator('#prechat-email').press('Enter');
      const chat = support.locator('lc-support lc-chat');
      await chat.locator('article.row').first().waitFor();
      await chat.locator('textarea').pressSequentially('Does the Team plan include SSO?', { delay: 2 });
      await chat.locator('textarea').press('Enter');
      await chat.locator('article.row.own').waitFor();
      await conversation.send(new TextMessage('It does — SAML and OIDC, on every Team seat.'));
      await chat.locator('article.row .bubble', { hasText: 'SAML' }).waitFor();
      await pause(300);
      await shot(support, `support-open-${theme}`);
      await context.close();
    }

    // ---- support on a phone (375 px): the panel fills the screen ----------------------
    // The visitors of the runs above: their conversations know their names, so no form.
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const phone = await context.newPage();
      await phone.goto(`${base}/support.html${q(theme, `&visitor=visitor-shot-${theme}`)}`);
      await phone.locator('lc-support').locator('[part=greeting]').waitFor();
      await shot(phone, `support-mobile-closed-${theme}`);
      await phone.locator('lc-support').locator('[part=launcher]').dispatchEvent('click');
      await phone.locator('lc-support lc-chat').locator('article.row').nth(2).waitFor();
      await pause(300);
      await shot(phone, `support-mobile-${theme}`);
      await context.close();
    }

    // ---- agent: the visitors' conversations, with who they are and the status ------------
    for (const theme of ['light', 'dark']) {
      await page.goto(`${base}/agent.html${q(theme)}`);
      const list = page.locator('lc-conversation-list');
      await list.locator('[part=item]').nth(1).waitFor();
      await list.locator('[part=item]').first().click();
      await page.locator('lc-chat').locator('article.row').nth(1).waitFor();
      await page.locator('lc-chat').locator('[part=status-button]').waitFor();
      await pause(300);
      await shot(page, `agent-${theme}`);
      const phone = await browser.newPage({ viewport: { width: 375, height: 900 }, deviceScaleFactor: 2 });
      await phone.goto(`${base}/agent.html${q(theme)}`);
      await phone.locator('lc-conversation-list').locator('[part=item]').nth(1).waitFor();
      await phone.locator('lc-conversation-list').locator('[part=item]').first().click();
      await phone.locator('lc-chat').locator('[part=status-button]').waitFor();
      await pause(300);
      await shot(phone, `agent-mobile-${theme}`);
      await phone.close();
    }

    // ---- live: a room with a crowd ------------------------------------------------
    for (const theme of ['light', 'dark']) {
      await page.goto(`${base}/live.html${q(theme, `&viewer=viewer-${theme}&room=shots-${theme}`)}`);
      const room = page.locator('lc-live-room');
      await room.locator('.online').filter({ hasText: 'watching' }).waitFor();
      await page.locator('#crowd').click();
      await page.waitForFunction(() => (document.querySelector('lc-live-room') as unknown as { onScreen: number }).onScreen > 14, undefined, { timeout: 15_000 });
      await room.locator('input[part=input]').fill('hello from the screenshot 👋');
      await room.locator('input[part=input]').press('Enter');
      await pause(3500);
      await shot(page, `live-${theme}`);
    }
  } finally {
    await browser.close();
    await Promise.all(realtimes.map((realtime) => realtime.close().catch(() => {})));
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`screenshots in ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
