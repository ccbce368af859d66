import fc from 'fast-check';
import { parse } from 'yaml';
import { MAX_IMPLICIT_KEY, toYaml, yamlString } from '../../src/values/yaml';
import { valueTrees } from '../arbitraries';

/** Helm-values-like data: JSON values, keys and strings from a mix of tricky and ordinary text. */
const tricky = fc.constantFrom(
  '', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '1:20', '0x1F', '017', '1e3', '.inf', '-.Inf', '.NaN',
  '2001-12-14', '12:30:45', '- item', '? key', ': x', '#comment', 'a #b', 'a: b', 'key:', '&anchor', '*alias', '!tag', '%dir', '@at', '`tick`',
  '"quoted"', "'single'", '[[hostname]]', '{x}', 'https://x.example.com/a?b=c#d', 'line\nbreak', 'tab\there', ' lead', 'trail ', '\u0085nel', '\u2028ls',
  'Müller', '日本語', '😀', '\\back\\slash', '<<', '=', '/conversation-join/', 'nginz-https.red.example.com',
);
const text = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }));
const values = valueTrees(text, { negativeZero: false });

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

  test('multi-line strings are literal blocks that read back exactly, wherever they are (blanks at the very end: double-quoted)', () => {
    for (const s of ['a\n', 'a\n\n', 'a\n\n\n', 'a\nb', 'a\n\nb\n', 'a\n ', 'a\n\tb', 'a\n  b\n', '#x\n---\n...\n', 'a\n\n\n\nb', ' a\nb', '\n\na\n']) {
      for (const v of [{ k: s }, { k: [s, s] }, { k: { x: s }, z: 1 }, { k: [{ y: s, w: s }] }]) {
        const written = toYaml(v);
        // a literal block cannot end in blanks: its last line's blanks would be read as indentation
        expect(written).toContain(/\n[\t ]+$/.test(s) ? '"' : '|');
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
    // plain where YAML 1.1 and Go read the string: non-ASCII text as it is
    ['Müller', 'Müller'],
    ['red.example.com', 'red.example.com'],
    ['15m0s', '15m0s'],
    ['a b', 'a b'],
    ['😀', '😀'],
    ['a😀b𝄞', 'a😀b𝄞'],
    // quoted, with a double quote and no single one: single quotes
    ['say "hi"', 'say "hi"'],
    ['"hi" there', '\'"hi" there\''],
    ["it's: x", '"it\'s: x"'],
  ])('%j is written as %s', (input, expected) => {
    expect(yamlString(input)).toBe(expected);
  });

  test('a key longer than Go reads as `key:` is written in the explicit form `? key`', () => {
    const fits = 'k'.repeat(MAX_IMPLICIT_KEY);
    const long = 'k'.repeat(MAX_IMPLICIT_KEY + 1);
    // 1,023 "ü" and a "#" first: 1,026 characters written (the quotes too)
    const quoted = `#${'ü'.repeat(MAX_IMPLICIT_KEY - 1)}`;
    expect(toYaml({ [fits]: 1 })).toBe(`${fits}: 1\n`);
    expect(toYaml({ [long]: 1 })).toBe(`? ${long}\n: 1\n`);
    const v = { a: { [long]: { b: [1, { [quoted]: 'x\ny' }] }, [quoted]: [] } };
    const written = toYaml(v);
    // the value of an explicit key starts after `: ` (a mapping or a list too), indented as the key's
    expect(written).toBe(
      ['a:', `  ? ${long}`, '  : b:', '      - 1', `      - ? "${quoted}"`, '        : |-', '          x', '          y', `  ? "${quoted}"`, '  : []', ''].join('\n'),
    );
    expect(parse(written)).toEqual(v);
    expect(parse(written, { version: '1.1' })).toEqual(v);
  });

  test('refuses half a surrogate pair, naming where it is', () => {
    expect(() => toYaml({ a: ['ok', 'x\ud83d'] })).toThrow('the value at a[1] holds half a UTF-16 surrogate pair (\\ud83d at character 1), which no YAML reader accepts');
    // the key is shown escaped: a message cannot hold half a character
    expect(() => toYaml({ a: { ['\ude00']: 1 } })).toThrow('the key at a."\\ude00" holds half a UTF-16 surrogate pair');
    expect(() => toYaml({ ['x\ny']: { b: 'ok', c: ['\ud83d'] } })).toThrow('the value at "x\\ny".c[0] holds half a UTF-16 surrogate pair');
  });

  test('refuses what Helm values cannot hold, naming where it is', () => {
    expect(() => toYaml({ a: { b: Infinity } })).toThrow('value at a.b is Infinity: Helm values cannot hold it');
    expect(() => toYaml({ a: [() => 1] })).toThrow('value at a[0] is a function');
  });
});
