import * as fc from 'fast-check';
import { parse } from 'yaml';
import { readOwnYaml } from '../../src/plan/read-yaml';
import { toYaml } from '../../src/values/yaml';

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '__proto__', 'constructor', 'yes', 'No', 'on', 'null', 'true', '~', '1:20', 'E5', 'a:b', 'a:', 'x\ny', 'x\n', 'x\n\n', '\nx', ' x', '-', '- x', '"q"', '#c', '010', '1e+21',
    'a b', "it's", 'a"b', ' x\ny', '\n\nx\n\n', 'ü😀', '\x01\x7f\u0085', '15m0s', '<<', '0o17', 'x'.repeat(45) + '\n\x01',
  ),
  fc.stringMatching(/^[a-z][a-z0-9.:-]{0,10}$/),
);
const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}));
const document = fc.dictionary(text, value, { maxKeys: 6 }).map((v) => JSON.parse(JSON.stringify(v)));

test("the library's own YAML reads back exactly, as the general YAML library reads it", () => {
  fc.assert(
    fc.property(document, (v) => {
      const written = toYaml(v);
      const read = readOwnYaml(written);
      expect(read).toEqual(v);
      expect(read).toEqual(parse(written, { uniqueKeys: false }));
    }),
    { numRuns: 1000, examples: [[{ '': JSON.parse('{"__proto__": "yes"}') }]] },
  );
});

test('YAML outside the subset is not read (the general library reads it), and what is read matches the general library', () => {
  const others = [
    'a: 1 # comment\n',
    'a: {b: 1}\n',
    "a: 'it''s'\n",
    '? k\n: 1\n',
    'a: |1\n  x\n',
    '---\n',
    '---x: 1\n',
    'a: |-\n  x\n...\n',
    'a: &x 1\nb: *x\n',
    'a:\n    b: 1\n',
    'a: yes\n',
    'a: 010\n',
    'a: x  #y\n',
    'a:\tb\n',
    'a: 1\na: 2\n',
    'a: |\n  x\n\n',
    'a: 1', // no final newline
  ];
  for (const t of others) expect([t, readOwnYaml(t)]).toEqual([t, undefined]);
  fc.assert(
    fc.property(fc.stringMatching(/^([a-z"\\:|{}\[\]# -]|\n){0,30}\n$/), (t) => {
      const read = readOwnYaml(t);
      if (read !== undefined) expect(read).toEqual(parse(t, { uniqueKeys: false }));
    }),
    { numRuns: 3000 },
  );
});
