/**
 * A fuzz target for the configuration loader: random bytes, and valid
 * configurations (YAML and JSON, with values files) mutated at random. The
 * command line must never crash or hang: it accepts the file, or refuses it
 * as invalid input with every problem located (`file:line: ...`).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { EXAMPLE_CONFIG } from '../../src/cli/example';
import { main } from '../../src/cli/main';
import { captureWarnings, tempDir } from '../util';

const dir = tempDir('fuzz-');
const VALUES = 'replicaCount: 2\nconfig:\n  externalUrls:\n    backendRest: nginz-https.green.example.org\nlist: [1, yes, ~]\n';
fs.writeFileSync(path.join(dir, 'values.yaml'), VALUES);
const YAML_CONFIG = `${EXAMPLE_CONFIG}webappValuesFile: values.yaml\nwireServerValues:\n  base: &b {a: 1, b: [x, y]}\n  merged: {<<: *b, c: on}\n`;
const JSON_CONFIG = JSON.stringify({ defaultDomain: 'green.example.org', additionalDomains: ['red.example.com'], namespace: 'wire', webappValues: { a: [1, 'x', null] } }, null, 2);

/** Pieces of YAML syntax and YAML 1.1 words that exercise the reader. */
const TOKENS = [
  ': ', '- ', '? ', '#', '&a ', '*a', '*b', '<<: ', '<<: *b', '!!binary ', '!!set ', '!!omap ', '!!timestamp ', '!!float ', '!foo ', '!!int ', '"', "'", '{', '}', '[', ']', ',',
  '|', '>', '\t', '\n', '\n  ', '  ', '---\n', '...\n', '%YAML 1.1\n', 'yes', 'no', 'on', '~', 'null', '010', '0x1F', '1_000', '1e400', '.inf', '__proto__', 'constructor',
  '"\\ud83d"', '"\\U0001F600"', '😀', '\u0085', '\ufeff', '\u0000', 'k'.repeat(1030), '['.repeat(300), '{a: '.repeat(300), 'x@{domain}', '../outside.yaml',
];

type Mutation = { at: number; cut: number; insert: string };
const mutation = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 20 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constant('')),
});

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    out = out.slice(0, at) + m.insert + out.slice(at + m.cut);
  }
  return out;
}

/** Run `validate` on `content`; what it printed and its exit code, and how long it took. */
function validate(content: string | Uint8Array, name: string): { code: number; err: string; file: string; ms: number } {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  let err = '';
  const warned = captureWarnings();
  const started = Date.now();
  try {
    const code = main(['validate', '--config', file, '--quiet'], () => undefined, (s) => (err += s));
    return { code, err, file, ms: Date.now() - started };
  } finally {
    warned.restore();
  }
}

/** The checks every run must pass. */
function expectHandled(r: { code: number; err: string; file: string; ms: number }): void {
  expect(r.ms).toBeLessThan(30_000); // no hang (one run takes milliseconds; the bound leaves room for a loaded machine)
  if (r.code === 0) return;
  const lines = r.err.split('\n').filter((l) => l !== '');
  // invalid input, every problem with its place; never "failed" (an internal error) or a stack trace
  expect({ code: r.code, first: lines[0] }).toEqual({ code: 1, first: 'cdk8s-wire-multi-ingress: invalid input, nothing was written:' });
  for (const line of lines.slice(1)) {
    const located = line.startsWith(`  ${r.file}:`) || line.startsWith(`  ${path.join(dir, 'values.yaml')}:`);
    const withLine = /^ {2}\S+?:\d+: /.test(line);
    const internal = /\(\S+\.[jt]s:\d+:\d+\)|Maximum call stack|Cannot read properties|is not a function|undefined|\[object /.test(line);
    expect({ line, located, withLine, internal }).toEqual({ line, located: true, withLine: true, internal: false });
  }
}

/**
 * JSON texts of any value JSON.parse accepts, written as a person could:
 * strings of any UTF-16 units (half surrogate pairs too, as \u escapes),
 * numbers as written (too large ones too), nested lists and objects.
 */
const jsonTexts = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 4 }).map((t) => JSON.stringify(t)),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.constantFrom('1e400', '-1E+309', '1e-400', '-0', '12345678901234567890', '0.5e0'),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 3 }), tie('value')), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(',\n')}}`),
  ),
})).value as fc.Arbitrary<string>;

describe('the configuration loader under fuzzing: no crash, no hang, every failure located', () => {
  test('the unmutated configurations are valid', () => {
    expect(validate(YAML_CONFIG, 'seed.yaml')).toMatchObject({ code: 0, err: '' });
    expect(validate(JSON_CONFIG, 'seed.json')).toMatchObject({ code: 0, err: '' });
  });

  test('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, json) => expectHandled(validate(bytes, json ? 'bytes.json' : 'bytes.yaml'))),
      { numRuns: 150 },
    );
  });

  test('mutated YAML configurations', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => expectHandled(validate(mutate(YAML_CONFIG, mutations), 'mutated.yaml'))),
      { numRuns: 300 },
    );
  }, 120_000);

  test('mutated JSON configurations', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => expectHandled(validate(mutate(JSON_CONFIG, mutations), 'mutated.json'))),
      { numRuns: 150 },
    );
  }, 120_000);

  test('JSON configurations whose values hold anything JSON.parse accepts', () => {
    fc.assert(
      fc.property(jsonTexts, (value) => expectHandled(validate(`{\n"defaultDomain": "green.example.org",\n"webappValues": {"v":\n${value}}\n}\n`, 'values.json'))),
      { numRuns: 300 },
    );
  }, 120_000);

  test('mutated values files read by a valid configuration', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        fs.writeFileSync(path.join(dir, 'values.yaml'), mutate(VALUES, mutations));
        expectHandled(validate(YAML_CONFIG, 'with-values.yaml'));
      }),
      { numRuns: 150 },
    );
    fs.writeFileSync(path.join(dir, 'values.yaml'), VALUES);
  }, 120_000);
});
