import fc from 'fast-check';
import { parse } from 'yaml';
import { MAX_IMPLICIT_KEY, toYaml, yamlString } from '../../src/values/yaml';

/** Helm-values-like data: JSON values, keys and strings from a mix of tricky and ordinary text. */
const tricky = fc.constantFrom(
  '', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '1:20', '0x1F', '017', '1e3', '.inf', '-.Inf', '.NaN',
  '2001-12-14', '12:30:45', '- item', '? key', ': x', '#comment', 'a #b', 'a: b', 'key:', '&anchor', '*alias', '!tag', '%dir', '@at', '`tick`',
  '"quoted"', "'single'", '[[hostname]]', '{x}', 'https://x.example.com/a?b=c#d', 'line\nbreak', 'tab\there', ' lead', 'trail ', '\u0085nel', '\u2028ls',
  'Müller', '日本語', '😀', '\\back\\slash', '<<', '=', '/conversation-join/', 'nginz-https.red.example.com',
);
const text = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }));
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('mapping'),
  ),
  mapping: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
}));

describe('the YAML writer for Helm values', () => {
  test('reads back as the same data in YAML 1.2 and in YAML 1.1 (as Helm reads it)', () => {
    fc.assert(
      fc.property(values.mapping, (v) => {
        const written = toYaml(v as any);
        expect(parse(written)).toEqual(v);
        expect(parse(written, { version: '1.1' })).toEqual(v);
      }),
      { numRuns: 400 },
    );
  });

  test('multi-line strings are literal blocks that read back exactly, wherever they are', () => {
    for (const s of ['a\n', 'a\n\n', 'a\n\n\n', 'a\nb', 'a\n\nb\n', 'a\n ', 'a\n\tb', 'a\n  b\n', '#x\n---\n...\n', 'a\n\n\n\nb']) {
      for (const v of [{ k: s }, { k: [s, s] }, { k: { x: s }, z: 1 }, { k: [{ y: s, w: s }] }]) {
        const written = toYaml(v);
        expect(written).toContain('|');
        expect(parse(written)).toEqual(v);
        expect(parse(written, { version: '1.1' })).toEqual(v);
      }
    }
  });

  test('keeps key order and writes the plain strings operators expect plainly', () => {
    const written = toYaml({ z: 1, a: { url: 'https://assets.red.example.com', path: '/conversation-join/', on: 'yes', list: ['a', 1, null] } });
    expect(written).toBe(
      ['z: 1', 'a:', '  url: https://assets.red.example.com', '  path: /conversation-join/', '  "on": "yes"', '  list:', '    - a', '    - 1', '    - null', ''].join('\n'),
    );
  });

  test.each([
    ['yes', '"yes"'],
    ['E0', '"E0"'],
    ['E-0', '"E-0"'],
    ['1:20', '"1:20"'],
    ['key:', '"key:"'],
    ['Müller', '"M\\u00fcller"'],
    ['red.example.com', 'red.example.com'],
    // outside the Basic Multilingual Plane: one \U escape (Go's YAML reader refuses the pair "\ud83d\ude00")
    ['😀', '"\\U0001f600"'],
    ['a😀b𝄞', '"a\\U0001f600b\\U0001d11e"'],
  ])('%j is written as %s', (input, expected) => {
    expect(yamlString(input)).toBe(expected);
  });

  test('a key longer than Go reads as `key:` is written in the explicit form `? key`', () => {
    const fits = 'k'.repeat(MAX_IMPLICIT_KEY);
    const long = 'k'.repeat(MAX_IMPLICIT_KEY + 1);
    // 171 "ü" are 1,026 characters written ("\u00fc" each, and the quotes)
    const umlauts = 'ü'.repeat(171);
    expect(toYaml({ [fits]: 1 })).toBe(`${fits}: 1\n`);
    expect(toYaml({ [long]: 1 })).toBe(`? ${long}\n: 1\n`);
    const v = { a: { [long]: { b: [1, { [umlauts]: 'x\ny' }] }, [umlauts]: [] } };
    const written = toYaml(v);
    expect(written).toBe(
      ['a:', `  ? ${long}`, '  :', '    b:', '      - 1', `      - ? ${yamlString(umlauts)}`, '        : |-', '          x', '          y', `  ? ${yamlString(umlauts)}`, '  : []', ''].join('\n'),
    );
    expect(parse(written)).toEqual(v);
    expect(parse(written, { version: '1.1' })).toEqual(v);
  });

  test('refuses half a surrogate pair, naming where it is', () => {
    expect(() => toYaml({ a: ['ok', 'x\ud83d'] })).toThrow('the value at a[1] holds half a UTF-16 surrogate pair (\\ud83d at character 1), which no YAML reader accepts');
    expect(() => toYaml({ a: { ['\ude00']: 1 } })).toThrow('the key at a.\ude00 holds half a UTF-16 surrogate pair');
  });

  test('refuses what Helm values cannot hold, naming where it is', () => {
    expect(() => toYaml({ a: { b: Infinity } })).toThrow('value at a.b is Infinity: Helm values cannot hold it');
    expect(() => toYaml({ a: [() => 1] })).toThrow('value at a[0] is a function');
  });
});
