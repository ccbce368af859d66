/**
 * The manifest writer writes the bytes of cdk8s' own writer (`Yaml.stringify`,
 * what a plain cdk8s `App` writes), except for the strings that Go's YAML
 * reader would misread in those bytes (src/values/yaml.ts lists the classes).
 */
import { Yaml } from 'cdk8s';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { toYamlDocuments } from '../../src/values/yaml';
import { valueTrees } from '../arbitraries';

/**
 * The classes of strings where the writer leaves cdk8s' bytes (stated here
 * from what Go does, more broadly than the writer decides: a string outside
 * them must come out byte for byte as cdk8s writes it).
 */
function goClass(s: string, asKey: boolean): string | undefined {
  // 1: Go removes underscores and reads 0o, 0X, 0B, 0b-1 and exponents with underscores as numbers (where cdk8s writes them plain)
  if (/^[-+.0-9]/.test(s) && /^[-+]?(?:0[oOxXbB][-+]?[0-9a-fA-F]+|[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)$/.test(s.replace(/_/g, '')) && Yaml.stringify({ v: s }) === `v: ${s}\n`) {
    return 'number';
  }
  if (asKey && s === '<<') return 'merge key';
  if (asKey && s.startsWith('\ufeff')) return 'byte order mark';
  if (/[\x7f-\x9f\ufffe\uffff]/.test(s)) return 'refused character';
  if (/[\u0085\u2028\u2029]/.test(s)) return 'Go line break';
  if (s.includes('\n') && ((/^[\t\n ]*$/.test(s) && /[\t ]/.test(s)) || /^\n*\t/.test(s))) return 'block indentation';
  if (/\n \n/.test(s)) return 'folded space';
  return undefined;
}

/** Every string of `v` (keys and values) with its class, if any. */
function deviations(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const c = goClass(v, false);
    if (c) out.push(c);
  } else if (Array.isArray(v)) {
    for (const x of v) deviations(x, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const c = goClass(k, true);
      if (c) out.push(c);
      deviations(x, out);
    }
  }
  return out;
}

/** Strings that YAML writers and readers treat specially. */
const AWKWARD = [
  '', ' ', 'a b', ' lead', 'trail ', 'a: b', 'a:b', 'k:', ':', '::', 'a #b', 'a#b', '#c', '- x', '-', '--', '-x', '? k', '?', '?x', ': x', ',x', 'x,', '[x]', '{x}',
  '&a', '*a', '!t', '!!str', '%d', '@', '`', '|', '>', '"', "'", '"quoted"', "'single'", 'it\'s "x"', "it's", 'a"b', '\\', '\\n', 'a\\"b',
  'yes', 'Yes', 'YES', 'yEs', 'No', 'on', 'On', 'ON', 'oN', 'off', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'tRUE', 'false', 'null', 'Null', 'NULL', 'nULL', '~',
  '010', '0o17', '0O17', '-0o17', '0x1F', '0X1F', '0x_1F', '0b101', '0B101', '0b-1', '0b+1', '-0b11', '1_000', '+_1', '-_1', '0_x1F', '1e3', '1E5', '1e1_0', '1e_5', '.5e1_0',
  '1.5e3_0', '+1', '-1', '+.5', '.5', '1.', '.', '._', '1..2', '08', '09.5', '1:20', '190:20:30', '1:20.5', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', 'E5', 'e5', 'E-0',
  '9223372036854775808', '18446744073709551616', '0xFFFFFFFFFFFFFFFFFF', 'Infinity', 'NaN', '15m0s', '5.32.0', '203.0.113.10', 'v1.2.3', 'https://x.example.com/a?b=c#d',
  '2001-12-14', '2001-12-14T21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-1-2', '12:30:45', '<<', '=', '---', '---x', '--- x', '...', '...x', 'a...b',
  'a\nb', 'a\n', 'a\n\n', 'a\n\n\n', '\na', '\n\na', '\n', '\n\n', ' \n', '  \n', '\n \n', 'a\n ', 'a\n\tb', '\ta\nb', '\n\ta', ' a\nb', '  a\n b\n', 'a \nb', 'a\n b',
  'x\n---\ny', '#x\n---\n...\n', '%x\ny', 'a\n\n\nb\n\n', 'tab\there', '\t', 'a\t', '\ta', '\r', 'a\r\nb', '\x00', '\x01', '\x07\x08\x0b\x0c\x1b', '\x7f', '\x80\x9f',
  '\u0085', 'a\u0085b', '\u2028', '\u2029', '\ufeff', 'a\ufeffb', '\ufffe', '\uffff', '\u00a0', 'Müller', '日本語', '😀', 'a😀b', '👩‍💻', '\u{10ffff}',
  `${'x'.repeat(40)}\n\x01 y\n\n z`, `${'x'.repeat(40)} \n\x01`, `${'x'.repeat(40)}\n \n\x01`, `\x01${'y'.repeat(40)}\n\n\nz\n`, `${'x'.repeat(39)}\n\n`,
  'k'.repeat(1024), 'k'.repeat(1025), 'ü'.repeat(1030), '😀'.repeat(513), `"${'k'.repeat(1030)}`, `a\n${'k'.repeat(1030)}`,
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...AWKWARD) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('a', '1', '0', ' ', '\t', '\n', ':', '#', '-', '?', '"', "'", '\\', '_', '.', 'e', 'x', 'o', '+', 'ü', '😀', '\x01') }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }).filter((s) => !/[\ud800-\udfff]/.test(s) || s.isWellFormed()) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9.:/-]{0,20}$/) },
);
const { value, mapping } = valueTrees(text);
const document = fc.oneof({ weight: 4, arbitrary: mapping }, { weight: 1, arbitrary: fc.array(value, { maxLength: 4 }) });

/** The data as a reader gives it back (cdk8s writes undefined as null; -0 stays -0). */
const asRead = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x === undefined ? null : x)));

describe('the manifest writer and cdk8s write the same bytes', () => {
  test('for random documents, except where the strings are in a Go class (then ours reads back as the data)', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 3 }), (docs) => {
        const ours = toYamlDocuments(docs);
        const theirs = Yaml.stringify(...docs);
        const classes = docs.flatMap((d) => deviations(d));
        if (classes.length === 0) {
          compared++;
          expect(ours).toBe(theirs);
        } else {
          const read = parseAllDocuments(ours, { version: '1.1', uniqueKeys: false }).map((d) => d.toJSON());
          expect(read.map(asRead)).toEqual(docs.map(asRead));
        }
      }),
      { numRuns: 3000 },
    );
    // most documents are compared byte for byte (the classes are rare)
    expect(compared).toBeGreaterThan(1500);
  });

  test('each awkward string, as a key, as a value and in a list', () => {
    for (const s of AWKWARD) {
      const docs = [{ k: s, [s]: 1, l: [s, [s], { [s]: s }] }, [s], { a: { b: s } }];
      const ours = toYamlDocuments(docs);
      if (deviations(docs).length === 0) {
        expect({ s, ours }).toEqual({ s, ours: Yaml.stringify(...docs) });
      } else {
        expect({ s, read: parseAllDocuments(ours, { version: '1.1' }).map((d) => d.toJSON()) }).toEqual({ s, read: docs });
      }
      // whatever the class, YAML 1.2 readers read the same
      expect({ s, read: parseAllDocuments(ours).map((d) => d.toJSON()) }).toEqual({ s, read: docs });
    }
  });

  test('undefined values are null in manifests, as cdk8s writes them; an undefined document is an empty line', () => {
    const docs = [{ a: undefined, b: [undefined, 1] }, undefined, { c: 1 }];
    expect(toYamlDocuments(docs)).toBe(Yaml.stringify(...docs));
    expect(toYamlDocuments(docs)).toBe('a: null\nb:\n  - null\n  - 1\n---\n\n---\nc: 1\n');
  });

  test.each([
    // class 1: Go reads these as numbers (its ParseInt takes 0o, 0X, 0B; go-yaml removes every underscore first)
    ['0o17', 'v: "0o17"\n', 'v: 0o17\n'],
    ['0X1F', 'v: "0X1F"\n', 'v: 0X1F\n'],
    ['0b-1', 'v: "0b-1"\n', 'v: 0b-1\n'],
    ['+_1', 'v: "+_1"\n', 'v: +_1\n'],
    ['1e1_0', 'v: "1e1_0"\n', 'v: 1e1_0\n'],
    ['.5e1_0', 'v: ".5e1_0"\n', 'v: .5e1_0\n'],
    // class 3: characters Go refuses unescaped
    ['a\x7fb', 'v: "a\\x7fb"\n', 'v: "a\x7fb"\n'],
    ['\ufffe', 'v: "\\ufffe"\n', 'v: \ufffe\n'],
    // class 4: line breaks to Go
    ['a\u0085b', 'v: "a\\Nb"\n', 'v: "a\u0085b"\n'],
    ['a\u2028b', 'v: "a\\Lb"\n', 'v: a\u2028b\n'],
    // class 5: a block whose indentation Go takes from blank lines or a tab
    [' \n', 'v: "\\ \\n"\n', 'v: |+\n   \n'],
    ['\tx\ny', 'v: "\\tx\\ny"\n', 'v: |-\n  \tx\n  y\n'],
  ])('%j is written for Go, where cdk8s writes it otherwise', (s, ours, theirs) => {
    expect(Yaml.stringify({ v: s })).toBe(theirs);
    expect(toYamlDocuments([{ v: s }])).toBe(ours);
    expect(parse(ours, { version: '1.1' })).toEqual({ v: s });
    expect(parse(ours)).toEqual({ v: s });
  });

  test('class 2: the key << is quoted (a merge key to Go); as a value it stays plain', () => {
    expect(Yaml.stringify({ '<<': 1, 'v': '<<' })).toBe('<<: 1\nv: <<\n');
    expect(toYamlDocuments([{ '<<': 1, 'v': '<<' }])).toBe('"<<": 1\nv: <<\n');
  });

  test('class 6: a folded line that starts with a space before a line break is written `\\ ` (cdk8s writes `\\\\ `, a backslash)', () => {
    const s = `${'x'.repeat(40)}\n \n\x01`;
    const theirs = Yaml.stringify({ v: s });
    expect(parse(theirs)).not.toEqual({ v: s });
    const ours = toYamlDocuments([{ v: s }]);
    // the break folds to "\n\n", the next line starts with the escaped space, then the break before \x01 folds again
    expect(ours).toBe(`v: "${'x'.repeat(40)}\n\n  \\ \n\n  \\x01"\n`);
    expect(parse(ours, { version: '1.1' })).toEqual({ v: s });
  });
});
