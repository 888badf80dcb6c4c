// The English strings are split in two (src/components/i18n/en.ts, in the
// first load, and en-more.ts, the parts loaded on demand, added to the
// table by `addEnglish(enMore)` at the top of each module that uses them).
// A module that used one of en-more's keys without that call would print
// `undefined` in English: this checks every one makes it, and that the two
// halves together are the table every other language follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../src/components/i18n/en.js';
import { enMore } from '../src/components/i18n/en-more.js';
import { zhCN } from '../src/components/i18n/zh-cn.js';

/** Before any test adds en-more's strings to the table. */
const coreKeys = Object.keys(en);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('en and en-more split the keys, and together have the keys of zh-CN', () => {
  const core = coreKeys;
  const more = Object.keys(enMore);
  assert.deepEqual(core.filter((key) => more.includes(key)), []);
  assert.deepEqual([...core, ...more].sort(), Object.keys(zhCN).sort());
});

test('every module that uses a key of en-more adds them to the English table first', () => {
  const keys = Object.keys(enMore);
  const users: string[] = [];
  for (const file of sources('src/components')) {
    if (file.includes('/i18n/')) continue;
    const code = readFileSync(file, 'utf8');
    if (!keys.some((key) => code.includes(`'${key}'`))) continue;
    users.push(file);
    assert.match(code, /^addEnglish\(enMore\);$/m, `${file} uses en-more's strings without addEnglish(enMore)`);
  }
  // The split is about these: a change that moved all of them would deserve a look.
  assert.ok(users.length >= 5, users.join(', '));
});

test('addEnglish makes en-more strings available to localizer', async () => {
  const { addEnglish } = await import('../src/components/i18n/localize.js');
  addEnglish(enMore);
  assert.equal((en as Record<string, unknown>)['inbox.label'], 'Conversations');
});
