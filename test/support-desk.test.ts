/**
 * The support desk's pure parts: office hours (parsing, open or not at a
 * given instant in the schedule's time zone, the next opening), and the
 * `lcSupport` conversation attribute as agents read it (member-written, so
 * read defensively).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpen, nextOpening, parseOfficeHours } from '../src/components/lc-support/office-hours.js';
import { describeBrowser, isEmail, pageUrl, readSupport } from '../src/components/lc-support/support-info.js';

test('office hours: days, ranges and the time zone', () => {
  const hours = parseOfficeHours('Mon-Fri 09:00-12:30 13:30-18:00; Sat 10:00-14:00; Europe/Berlin');
  assert.equal(hours.timeZone, 'Europe/Berlin');
  // 2026-12-07 is a Monday; Berlin is UTC+1 in December.
  assert.equal(isOpen(hours, new Date('2026-12-07T08:00:00Z')), true, '09:00 Berlin');
  assert.equal(isOpen(hours, new Date('2026-12-07T07:59:00Z')), false, '08:59 Berlin');
  assert.equal(isOpen(hours, new Date('2026-12-07T11:45:00Z')), false, 'lunch, 12:45 Berlin');
  assert.equal(isOpen(hours, new Date('2026-12-07T16:59:00Z')), true, '17:59 Berlin');
  assert.equal(isOpen(hours, new Date('2026-12-07T17:00:00Z')), false, '18:00 Berlin: closed');
  assert.equal(isOpen(hours, new Date('2026-12-12T09:30:00Z')), true, 'Saturday 10:30 Berlin');
  assert.equal(isOpen(hours, new Date('2026-12-13T10:00:00Z')), false, 'Sunday');
  // In summer Berlin is UTC+2: the same wall clock, another instant.
  assert.equal(isOpen(hours, new Date('2026-07-06T07:30:00Z')), true, 'Monday 09:30 CEST');
});

test('office hours: the next opening, over a weekend and across lunch', () => {
  const hours = parseOfficeHours('Mon-Fri 09:00-12:30 13:30-18:00; Asia/Shanghai');
  // Friday 2026-12-11 19:00 Shanghai (11:00Z): next is Monday 09:00 Shanghai = 01:00Z.
  assert.equal(nextOpening(hours, new Date('2026-12-11T11:00:00Z'))?.toISOString(), '2026-12-14T01:00:00.000Z');
  // Monday 12:45 Shanghai: 13:30 the same day.
  assert.equal(nextOpening(hours, new Date('2026-12-14T04:45:00Z'))?.toISOString(), '2026-12-14T05:30:00.000Z');
  const open = new Date('2026-12-14T02:00:00Z');
  assert.equal(nextOpening(hours, open), open, 'open now: now');
});

test('office hours: daily, lists, wrapping ranges, UTC by default', () => {
  const all = parseOfficeHours('daily 00:00-24:00');
  assert.equal(all.timeZone, 'UTC');
  assert.equal(isOpen(all, new Date('2026-12-13T23:59:00Z')), true);
  const list = parseOfficeHours('mon,WED,Fri 08:00-16:00');
  assert.deepEqual([...new Set(list.openings.map((o) => o.day))].sort(), [1, 3, 5]);
  const wrap = parseOfficeHours('Fri-Mon 10:00-11:00; UTC');
  assert.deepEqual([...new Set(wrap.openings.map((o) => o.day))].sort(), [0, 1, 5, 6]);
});

test('office hours: what is wrong is said', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /no opening hours/],
    ['Europe/Berlin', /no opening hours/],
    ['Mon-Fri 9-18', /not a time/],
    ['Mon-Fri 18:00-09:00', /ends before it starts/],
    ['Mon-Fri 09:00-25:00', /not a time/],
    ['Mon-Fri 09:00-18:60', /not a time/],
    ['Someday 09:00-18:00', /not a day/],
    ['Mon-Fri', /needs days and hours/],
    ['Mon-Fri 09:00-18:00; Mars/Olympus', /not a time zone/],
    ['Mon 09:00-10:00; '.repeat(60), /more than 50 rules/],
    ['x'.repeat(3000), /longer than/],
  ];
  for (const [source, why] of bad) assert.throws(() => parseOfficeHours(source), why, source.slice(0, 40));
});

test('office hours: rules that never open have no next opening', () => {
  // Only Monday, checked from a Monday after closing: next Monday is found (7 days ahead).
  const monday = parseOfficeHours('Mon 09:00-10:00');
  assert.equal(nextOpening(monday, new Date('2026-12-07T11:00:00Z'))?.toISOString(), '2026-12-14T09:00:00.000Z');
});

test('lcSupport: read defensively (types, lengths, emails, a bounded agents map)', () => {
  assert.equal(readSupport(undefined), undefined);
  assert.equal(readSupport({ lcSupport: 'x' }), undefined);
  const agents = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`a${i}`, { name: `Agent ${i}` }]));
  const info = readSupport({
    lcSupport: {
      visitor: { id: 'visitor-1', name: `  ${'N'.repeat(300)} `, email: 'not an email', url: 42, browser: 'Firefox 133 on Linux' },
      status: 'weird',
      agents,
    },
  });
  assert.ok(info?.visitor);
  assert.equal(info.visitor.id, 'visitor-1');
  assert.equal(info.visitor.name?.length, 100);
  assert.equal(info.visitor.email, undefined);
  assert.equal(info.visitor.url, undefined);
  assert.equal(info.visitor.browser, 'Firefox 133 on Linux');
  assert.equal(info.status, 'open', 'anything but "resolved" is open');
  assert.equal(Object.keys(info.agents).length, 50);
  assert.equal(readSupport({ lcSupport: { status: 'resolved', visitor: { name: 'no id' } } })?.visitor, undefined);
  assert.equal(readSupport({ lcSupport: { status: 'resolved' } })?.status, 'resolved');
});

test('visitor details: emails, browsers, page URLs without the query', () => {
  assert.equal(isEmail('ada@example.com'), true);
  for (const bad of ['ada', 'ada@', '@x.y', 'a b@x.y', 'ada@example', `${'a'.repeat(250)}@x.com`]) assert.equal(isEmail(bad), false, bad);
  assert.equal(
    describeBrowser('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
    'Chrome 131 on macOS',
  );
  assert.equal(describeBrowser('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'), 'Firefox 133 on Windows');
  assert.equal(
    describeBrowser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    'Safari 17 on iOS',
  );
  assert.equal(
    describeBrowser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'),
    'Edge 131 on Windows',
  );
  assert.equal(describeBrowser('curl/8.0'), 'Browser');
  assert.equal(pageUrl({ origin: 'https://shop.example.com', pathname: '/pricing' }), 'https://shop.example.com/pricing');
});
