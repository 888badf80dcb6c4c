/**
 * Screenshots of demo/chat.html in the light and dark themes (and Chinese),
 * taken by Debian's Chromium through Playwright against a real server with
 * a short real conversation typed into both widgets. For people to look at:
 * `npm run screenshots` writes .tmp/screenshots/*.png.
 *
 * Needs `npm run build` first (the demo loads demo/assets/lc-chat.js).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createServer } from '../src/server/index.js';

const out = resolve(process.argv[2] ?? '.tmp/screenshots');
const app = { appId: 'demo-app', appKey: 'demo-key', masterKey: 'demo-master-key' };

async function say(page: Page, who: 'alice' | 'bob', text: string): Promise<void> {
  const input = page.locator(`lc-chat[client-id="${who}"]`).locator('textarea');
  await input.click();
  for (const [index, line] of text.split('\n').entries()) {
    if (index > 0) await input.press('Shift+Enter');
    await input.pressSequentially(line, { delay: 2 });
  }
  await input.press('Enter');
  // Wait for the other side to show it: a real round trip, not a timer.
  const other = who === 'alice' ? 'bob' : 'alice';
  await page.locator(`lc-chat[client-id="${other}"]`).locator('article.row .bubble', { hasText: text.slice(0, 16) }).first().waitFor();
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-shots-'));
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    apps: [app],
    demoDir: resolve('demo'),
    devSigningAppId: app.appId,
    log: () => {},
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1180, height: 860 }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${server.httpUrl}/chat.html?app=${app.appId}&key=${app.appKey}&theme=light&lang=en`);
    await page.locator('lc-chat[client-id="alice"]').locator('.dot[data-state="online"]').waitFor();
    await page.locator('lc-chat[client-id="bob"]').locator('.dot[data-state="online"]').waitFor();

    await say(page, 'alice', 'Hi Bob! Did the new build go out this morning?');
    await say(page, 'bob', 'It did 🎉 Release notes are at https://example.com/releases/2.4');
    await say(page, 'bob', 'The offline outbox finally made it in.');
    // A real upload through the attach button: the file message with its size.
    await page.locator('lc-chat[client-id="bob"]').locator('input[type=file]').setInputFiles({
      name: 'Release notes 2.4.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n' + 'release notes '.repeat(9000) + '\n%%EOF\n'),
    });
    await page.locator('lc-chat[client-id="alice"]').locator('a.file').waitFor();
    await say(page, 'alice', 'Amazing. I’ll try it on the train later:\nno signal between stations, perfect test.');
    // Bob starts typing a reply: the indicator shows on Alice's side.
    await page.locator('lc-chat[client-id="bob"]').locator('textarea').pressSequentially('Let me know how it', { delay: 5 });
    await page.locator('lc-chat[client-id="alice"]').locator('.subtitle.typing').waitFor();

    await page.screenshot({ path: join(out, 'chat-light.png') });
    await page.locator('[data-theme-choice="dark"]').click();
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(out, 'chat-dark.png') });
    await page.locator('[data-lang-choice="zh-CN"]').click();
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(out, 'chat-dark-zh.png') });
    console.log(`screenshots in ${out}: chat-light.png, chat-dark.png, chat-dark-zh.png`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
