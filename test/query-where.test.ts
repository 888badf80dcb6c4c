import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../src/protocol/errors.js';
import { parseSort, parseWhere } from '../src/server/query/where.js';
import type { Condition } from '../src/server/store/types.js';

const where = (value: unknown): Condition | null => parseWhere(JSON.stringify(value));

/** The RegExp a `$regex` condition will run as. */
function regexOf(value: unknown): RegExp {
  const condition = where(value);
  assert.ok(condition && condition.op === 'regex', `expected a regex condition, got ${JSON.stringify(condition)}`);
  return new RegExp(condition.pattern, condition.flags);
}

/** The official SDK's ConversationQuery._quote (contains/startsWith/endsWith). */
const sdkQuote = (text: string): string => '\\Q' + text.replace('\\E', '\\E\\\\E\\Q') + '\\E';

function assertFails(run: () => unknown, detail: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
    assert.equal(error.code, 4310);
    assert.equal(error.name, 'CONVERSATION_QUERY_FAILED');
    assert.match(error.detail ?? '', detail);
    return true;
  });
}

describe('parseWhere', () => {
  test('no condition: absent, empty text, empty object', () => {
    assert.equal(parseWhere(undefined), null);
    assert.equal(parseWhere(null), null);
    assert.equal(parseWhere(''), null);
    assert.equal(parseWhere('  '), null);
    assert.equal(parseWhere('{}'), null);
  });

  test('equality on scalars, objects, arrays and dates', () => {
    assert.deepEqual(where({ name: 'room' }), { op: 'eq', field: 'name', value: 'room' });
    assert.deepEqual(where({ level: 3 }), { op: 'eq', field: 'level', value: 3 });
    assert.deepEqual(where({ tr: true }), { op: 'eq', field: 'tr', value: true });
    assert.deepEqual(where({ name: null }), { op: 'eq', field: 'name', value: null });
    assert.deepEqual(where({ attr: { k: 'v', n: [1, { d: { __type: 'Date', iso: '1970-01-01T00:00:01.000Z' } }] } }), {
      op: 'eq',
      field: 'attr',
      value: { k: 'v', n: [1, { d: 1000 }] },
    });
    assert.deepEqual(where({ m: ['a', 'b'] }), { op: 'eq', field: 'm', value: ['a', 'b'] });
    assert.deepEqual(where({ lm: { __type: 'Date', iso: '2024-01-02T03:04:05.678Z' } }), {
      op: 'eq',
      field: 'lm',
      value: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
    });
    assert.deepEqual(where({ 'attr.k': 'v' }), { op: 'eq', field: 'attr.k', value: 'v' });
    // A "__proto__" key in a value stays plain data.
    const proto = where(JSON.parse('{"o": {"__proto__": {"x": 1}}}'));
    assert.ok(proto && proto.op === 'eq');
    assert.deepEqual(Object.getOwnPropertyNames(proto.value), ['__proto__']);
    assert.equal(Object.getPrototypeOf(proto.value), Object.prototype);
  });

  test('every operator', () => {
    const date = { __type: 'Date', iso: '1970-01-01T00:00:00.000Z' };
    assert.deepEqual(
      where({
        a: { $ne: 1 },
        b: { $lt: 2, $lte: 'x', $gt: date, $gte: -1.5 },
        c: { $in: [1, 'two', null, date], $nin: [] },
        d: { $exists: true },
        m: { $all: ['x', 'y'], $size: 2 },
        e: { $regex: '^a.c$', $options: 'mi' },
      }),
      {
        op: 'and',
        conditions: [
          { op: 'ne', field: 'a', value: 1 },
          { op: 'lt', field: 'b', value: 2 },
          { op: 'lte', field: 'b', value: 'x' },
          { op: 'gt', field: 'b', value: 0 },
          { op: 'gte', field: 'b', value: -1.5 },
          { op: 'in', field: 'c', values: [1, 'two', null, 0] },
          { op: 'nin', field: 'c', values: [] },
          { op: 'exists', field: 'd', exists: true },
          { op: 'all', field: 'm', values: ['x', 'y'] },
          { op: 'size', field: 'm', size: 2 },
          { op: 'regex', field: 'e', pattern: '^[Aa].[Cc]$', flags: 'm' },
        ],
      },
    );
  });

  test('$and, $or and several keys', () => {
    assert.deepEqual(where({ $or: [{ a: 1 }, { b: 2, c: 3 }], d: 4 }), {
      op: 'and',
      conditions: [
        {
          op: 'or',
          conditions: [
            { op: 'eq', field: 'a', value: 1 },
            { op: 'and', conditions: [{ op: 'eq', field: 'b', value: 2 }, { op: 'eq', field: 'c', value: 3 }] },
          ],
        },
        { op: 'eq', field: 'd', value: 4 },
      ],
    });
    assert.deepEqual(where({ $and: [{ a: 1 }] }), { op: 'and', conditions: [{ op: 'eq', field: 'a', value: 1 }] });
    // An empty document inside $or matches everything.
    assert.deepEqual(where({ $or: [{}] }), { op: 'or', conditions: [{ op: 'and', conditions: [] }] });
  });

  test('the example query from protocol.md §5', () => {
    const parsed = parseWhere('{"m":{"$all":["bob"]},"name":{"$regex":"\\\\Qro\\\\E"},"lm":{"$gt":{"__type":"Date","iso":"1970-01-01T00:00:00.000Z"}}}');
    assert.deepEqual(parsed, {
      op: 'and',
      conditions: [
        { op: 'all', field: 'm', values: ['bob'] },
        { op: 'regex', field: 'name', pattern: 'ro', flags: '' },
        { op: 'gt', field: 'lm', value: 0 },
      ],
    });
  });
});

describe('$regex translation', () => {
  test('\\Q…\\E from contains, startsWith and endsWith is literal text', () => {
    const text = 'a.b*c(d)[e]{2}|f^$\\g/h?+';
    const contains = regexOf({ name: { $regex: sdkQuote(text) } });
    assert.ok(contains.test(`xx${text}yy`));
    assert.ok(!contains.test('aXb*c(d)[e]{2}|f^$\\g/h?+'));
    const startsWith = regexOf({ name: { $regex: '^' + sdkQuote(text) } });
    assert.ok(startsWith.test(`${text}!`) && !startsWith.test(`!${text}`));
    const endsWith = regexOf({ name: { $regex: sdkQuote(text) + '$' } });
    assert.ok(endsWith.test(`!${text}`) && !endsWith.test(`${text}!`));
    // The SDK splits a literal \E out of the quote: \Qa\E\\E\Qb\E.
    const withE = regexOf({ name: { $regex: sdkQuote('a\\Eb') } });
    assert.ok(withE.test('a\\Eb') && !withE.test('ab'));
    // An unterminated \Q quotes to the end, as in Java.
    assert.ok(regexOf({ name: { $regex: '\\Q(a' } }).test('(a'));
    assert.ok(regexOf({ name: { $regex: '\\Q\\E' } }).test('anything'));
  });

  test('options: i is folded into the pattern, m and s are flags', () => {
    const folded = regexOf({ name: { $regex: sdkQuote('Hello') + '[a-c]\\d', $options: 'i' } });
    assert.equal(folded.flags, '');
    assert.ok(folded.test('hELLOB1') && folded.test('helloa2') && !folded.test('hellod3'));
    const negated = regexOf({ name: { $regex: '^[^a]$', $options: 'i' } });
    assert.ok(!negated.test('A') && negated.test('b'));
    assert.ok(regexOf({ name: { $regex: 'straße', $options: 'i' } }).test('STRAßE'));
    assert.ok(regexOf({ name: { $regex: 'Ω', $options: 'i' } }).test('ω'));
    const multiline = regexOf({ name: { $regex: '^b$', $options: 'm' } });
    assert.equal(multiline.flags, 'm');
    assert.ok(multiline.test('a\nb'));
    assert.ok(regexOf({ name: { $regex: 'a.b', $options: 's' } }).test('a\nb'));
    assert.equal(regexOf({ name: { $regex: 'a', $options: '' } }).flags, '');
  });

  test('ordinary JS sources from matches(key, /re/) keep their meaning', () => {
    const re = regexOf({ name: { $regex: '^(?:ab|c)+\\s\\w{2,4}[\\d_-]?(?<tail>x)*\\/\\.$' } });
    assert.ok(re.test('abcab word9/.') && re.test('c zz_x/.') && !re.test('d zz/.'));
    assert.ok(regexOf({ name: { $regex: 'a{2}b{1,}c{0,3}' } }).test('aabc'));
    assert.ok(regexOf({ name: { $regex: 'a{x}' } }).test('a{x}'));
    assert.ok(regexOf({ name: { $regex: '\\x41\\u0042\\t' } }).test('AB\t'));
    assert.ok(regexOf({ name: { $regex: '[\\]\\-]' } }).test('-'));
    assert.ok(regexOf({ name: { $regex: 'a*?b+?' } }).test('aab'));
  });
});

describe('parseSort', () => {
  test('comma list, - for descending', () => {
    assert.deepEqual(parseSort(undefined), []);
    assert.deepEqual(parseSort(null), []);
    assert.deepEqual(parseSort(''), []);
    assert.deepEqual(parseSort('-lm'), [{ field: 'lm', descending: true }]);
    assert.deepEqual(parseSort('createdAt, -updatedAt,attr.k'), [
      { field: 'createdAt', descending: false },
      { field: 'updatedAt', descending: true },
      { field: 'attr.k', descending: false },
    ]);
  });

  test('invalid sort fields fail with 4310', () => {
    assertFails(() => parseSort('lm,'), /invalid field name "" in sort/);
    assertFails(() => parseSort('--lm'), /invalid field name "-lm" in sort/);
    assertFails(() => parseSort('lm;drop'), /invalid field name "lm;drop" in sort/);
    assertFails(() => parseSort('name.x'), /name has no sub-fields/);
    assertFails(() => parseSort(Array(9).fill('lm').join(',')), /more than 8 keys/);
  });
});

describe('errors are 4310 CONVERSATION_QUERY_FAILED with a detail naming the problem', () => {
  test('malformed JSON and non-objects', () => {
    assertFails(() => parseWhere('{"a":'), /not valid JSON/);
    assertFails(() => parseWhere('[1]'), /must be a JSON object/);
    assertFails(() => parseWhere('"text"'), /must be a JSON object/);
    assertFails(() => parseWhere('null'), /must be a JSON object/);
    assertFails(() => parseWhere('3'), /must be a JSON object/);
    assertFails(() => parseWhere(`{"a":"${'x'.repeat(70_000)}"}`), /longer than 65536 characters/);
  });

  test('unknown operators', () => {
    assertFails(() => where({ name: { $foo: 1 } }), /unknown operator "\$foo" on name/);
    assertFails(() => where({ $nor: [{ a: 1 }] }), /unknown operator "\$nor" at the top level/);
    assertFails(() => where({ name: { $regex: 'a', b: 1 } }), /name mixes operators and plain keys/);
    assertFails(() => where({ name: { k: { $gt: 1 } } }), /operator "\$gt" inside a value of name/);
  });

  test('wrong operand types', () => {
    assertFails(() => where({ a: { $in: 'x' } }), /\$in on a needs an array/);
    assertFails(() => where({ a: { $nin: { x: 1 } } }), /\$nin on a needs an array/);
    assertFails(() => where({ m: { $all: 'x' } }), /\$all on m needs an array/);
    assertFails(() => where({ a: { $exists: 1 } }), /\$exists on a needs true or false/);
    assertFails(() => where({ m: { $size: -1 } }), /\$size on m needs a non-negative integer/);
    assertFails(() => where({ m: { $size: 1.5 } }), /\$size on m needs a non-negative integer/);
    assertFails(() => where({ m: { $size: '2' } }), /\$size on m needs a non-negative integer/);
    assertFails(() => where({ a: { $lt: true } }), /\$lt on a needs a number, a string or a date/);
    assertFails(() => where({ a: { $gte: [1] } }), /\$gte on a needs a number, a string or a date/);
    assertFails(() => where({ a: { $gt: null } }), /\$gt on a needs a number, a string or a date/);
    assertFails(() => where({ a: { $regex: 1 } }), /\$regex on a needs a string/);
    assertFails(() => where({ a: { $regex: 'x', $options: 1 } }), /\$options on a needs a string/);
    assertFails(() => where({ a: { $options: 'i' } }), /\$options without \$regex on a/);
    assertFails(() => where({ $and: [] }), /\$and needs a non-empty array/);
    assertFails(() => where({ $or: { a: 1 } }), /\$or needs a non-empty array/);
    assertFails(() => where({ $or: [1] }), /\$or items must be objects/);
  });

  test('invalid dates', () => {
    assertFails(() => where({ lm: { $gt: { __type: 'Date', iso: 'yesterday' } } }), /invalid date .* on lm/);
    assertFails(() => where({ lm: { __type: 'Date', iso: '2024-13-45T00:00:00Z' } }), /invalid date/);
    assertFails(() => where({ lm: { __type: 'Date' } }), /invalid date/);
    assertFails(() => where({ lm: { $in: [{ __type: 'Date', iso: 5 }] } }), /invalid date/);
  });

  test('bad regexes', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['(a', '', /bad \$regex on name: unterminated group/],
      ['a)', '', /unmatched \)/],
      ['[a-', '', /unterminated character class/],
      ['[z-a]', '', /character range out of order/],
      ['*a', '', /nothing to repeat/],
      ['a\\', '', /ends with a backslash/],
      ['(a+)+b', '', /nested quantifiers are not supported/],
      ['((a)*b)*', '', /nested quantifiers/],
      ['(a*){2}', '', /nested quantifiers/],
      ['(a)\\1', '', /backreferences are not supported/],
      ['(?<n>a)\\k<n>', '', /backreferences/],
      ['a(?=b)', '', /lookaround assertions are not supported/],
      ['(?<!a)b', '', /lookaround/],
      ['(?i)a', '', /unsupported group syntax \(\?i/],
      ['(?>a)', '', /unsupported group syntax/],
      ['a*+', '', /possessive quantifiers are not supported/],
      ['a{16}', '', /repetition counts above 15/],
      ['a{2,1}', '', /repetition range out of order/],
      ['\\Aabc\\z', '', /unsupported escape \\A/],
      ['\\p{L}', '', /unsupported escape \\p/],
      ['\\01', '', /octal escapes/],
      ['\\xZZ', '', /invalid \\x escape/],
      ['[[a]]', '', /nested character classes/],
      ['[a&&b]', '', /intersection/],
      ['a', 'x', /unsupported option "x"/],
      ['a', 'g', /unsupported option "g"/],
      ['a'.repeat(1001), '', /longer than 1000 characters/],
    ];
    for (const [pattern, options, detail] of cases) {
      assertFails(() => where({ name: { $regex: pattern, $options: options } }), detail);
    }
  });

  test('invalid field names', () => {
    for (const field of ['a-b', '1a', 'a..b', '.a', 'a.', 'a b', 'a"', "a'", 'a.$b', 'x'.repeat(129)]) {
      assertFails(() => where({ [field]: 1 }), /invalid field name .* in where/);
    }
    assertFails(() => where({ '': 1 }), /invalid field name "" in where/);
    assertFails(() => where({ $: 1 }), /unknown operator "\$" at the top level/);
    assertFails(() => where({ 'm.length': 1 }), /m has no sub-fields/);
    assertFails(() => where({ $or: [{ 'objectId.x': 1 }] }), /objectId has no sub-fields/);
  });

  test('too deep or too large', () => {
    let nested: object = { a: 1 };
    for (let i = 0; i < 8; i++) nested = { $and: [nested] };
    assertFails(() => where(nested), /nested more than 8 levels/);
    let deepValue: unknown = 1;
    for (let i = 0; i < 9; i++) deepValue = [deepValue];
    assertFails(() => where({ a: deepValue }), /value of a is nested more than 8 levels/);
    // The default maxQueryTerms (1000): a $in on an attribute counts 4, and 1 per string or number.
    assertFails(() => where({ a: { $in: Array.from({ length: 997 }, (_, i) => i) } }), /more than 1000 terms/);
    // Right at the limits is fine.
    let seven: object = { a: 1 };
    for (let i = 0; i < 7; i++) seven = { $and: [seven] };
    assert.ok(where(seven));
    assert.ok(where({ a: { $in: Array.from({ length: 996 }, (_, i) => i) } }));
  });
});
