import * as fs from 'fs';
import * as path from 'path';
import { HelmValues } from '../../src';
import { loadConfig, toProps } from '../../src/cli/config';
import { main } from '../../src/cli/main';
import { MAX_DEPTH, readHelmYaml, YamlProblem } from '../../src/values/helm-yaml';
import { captureWarnings, tempDir } from '../util';

const read = (text: string) => readHelmYaml(text).data as any;
const problem = (text: string): { line: number; message: string } => {
  try {
    readHelmYaml(text);
  } catch (e) {
    if (e instanceof YamlProblem) return { line: e.line, message: e.message };
    throw e;
  }
  throw new Error('expected the text to be refused');
};

describe('values are read the way Helm reads them (Go YAML 1.1, as in sigs.k8s.io/yaml)', () => {
  // YAML 1.1 booleans: y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
  test.each([
    ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['On', true], ['ON', true], ['true', true],
    ['no', false], ['No', false], ['n', false], ['N', false], ['off', false], ['OFF', false], ['false', false],
    ['yEs', 'yEs'], ['oN', 'oN'],
  ])('the plain scalar %s is %j', (text, expected) => {
    expect(read(`a: ${text}\n`).a).toBe(expected);
  });

  // integers as Go's strconv.ParseInt(s, 0, 64) reads them once underscores are removed; then floats
  test.each([
    ['010', 8], ['0o17', 15], ['0O17', 15], ['0x1F', 31], ['0x_1F', 31], ['0b101', 5], ['-0b11', -3], ['1_000', 1000], ['1__0', 10], ['1_', 1], ['+1', 1],
    ['08', 8], ['09.5', 9.5], ['1e3', 1000], ['0.1e3', 100], ['1.', 1], ['.5', 0.5], ['+.5', 0.5], ['-.5e-3', -0.0005], ['-0.0', -0], ['-0', 0],
    ['0b', '0b'], ['0o', '0o'], ['._5', '._5'], ['1e400', '1e400'], ['-0x8000000000000001', '-0x8000000000000001'], ['0x8000000000000000', 2 ** 63],
    ['1:20', '1:20'], ['190:20:30', '190:20:30'], ['2001-12-14', '2001-12-14'], ['2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
    ['~', null], ['null', null], ['Null', null], ['', null],
  ])('the plain scalar %s is %j', (text, expected) => {
    expect(read(`a: ${text}\n`).a).toBe(expected);
  });

  test('quoted scalars are strings', () => {
    expect(read('a: "yes"\nb: \'010\'\nc: "1_000"\n')).toEqual({ a: 'yes', b: '010', c: '1_000' });
  });

  test('keys become the strings Go makes of them', () => {
    expect(read('yes: 1\nn: 2\n010: 3\n1.5: 4\n1234567.0: 5\n1000000.0: 6\n0x10: 7\n9007199254740993: 8\n!!float 1: 9\n2001-12-14: 10\n')).toEqual({
      'true': 1, 'false': 2, '8': 3, '1.5': 4, '1.234567e+06': 5, '1e+06': 6, '16': 7, '9007199254740993': 8, '1': 9, '2001-12-14': 10,
    });
  });

  test('merge keys merge, in the order Go applies them (a later merge overrides earlier keys, earlier mappings of a list win)', () => {
    const data = read('base: &b {x: 1, p: 2}\nm:\n  x: 0\n  <<: *b\n  z: 3\nm2:\n  <<: [*b, {x: 5, w: 6}]\nq:\n  "<<": quoted\n');
    expect(data.m).toEqual({ x: 1, p: 2, z: 3 });
    expect(data.m2).toEqual({ x: 1, p: 2, w: 6 });
    expect(data.q).toEqual({ '<<': 'quoted' });
  });

  test('tags: what Helm keeps', () => {
    const data = read('t: !!timestamp 2001-12-14\ns: !!set {x, z}\no: !!omap [{p: 1}, {q: 2}]\nb: !!binary aGVsbG8=\nbb: !!binary |\n  aGVs\n  bG8=\nf: !!float 1\ni: !!int "10"\nstr: !!str 10\nu: !foo bar\n');
    expect(data).toEqual({ t: '2001-12-14', s: { x: null, z: null }, o: [{ p: 1 }, { q: 2 }], b: 'hello', bb: 'hello', f: 1, i: 10, str: '10', u: 'bar' });
  });

  test.each([
    ['a: !!float abc\n', 1, 'cannot read !!str `abc` as a !!float'],
    ['a: !!timestamp x\n', 1, 'cannot read !!str `x` as a !!timestamp'],
    ['a: !!binary /w==\n', 1, 'this !!binary value is not UTF-8 text'],
    ['a: !!binary "%%"\n', 1, '!!binary value contains invalid base64 data'],
    ['x: 1\n~: x\n', 2, 'a null key'],
    ['a: .inf\n', 1, '.inf is not a finite number'],
    ['b:\n  a: .NaN\n', 2, '.NaN is not a finite number'],
    ['a: "\\ud83d\\ude00"\n', 1, 'a \\u escape of half a UTF-16 surrogate pair'],
    ['a: 1\n"\\ud83d": x\n', 2, 'a \\u escape of half a UTF-16 surrogate pair'],
    ['a:\n  "x\\udc00y": {b: 1}\n', 2, 'a \\u escape of half a UTF-16 surrogate pair'],
    ['a: &x [*x]\n', 1, 'the anchor &x contains an alias of itself'],
    ['[1, 2]: x\n', 1, 'a mapping or list used as a key'],
    ['18446744073709551615: x\n', 1, 'beyond 64-bit integers'],
    ['a: 1\n---\nb: 2\n', 2, 'more than one YAML document'],
  ])('refused as Helm refuses it: %j', (text, line, message) => {
    const p = problem(text);
    expect(p.line).toBe(line);
    expect(p.message).toContain(message);
  });

  test('__proto__ is an ordinary key', () => {
    const data = read('a:\n  __proto__:\n    x: 1\n  b: 2\n');
    expect(Object.keys(data.a)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(data.a, '__proto__')?.value).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(data.a)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(data))).toEqual(JSON.parse('{"a":{"__proto__":{"x":1},"b":2}}'));
  });
});

describe('limits: linear time, a clear message', () => {
  test('duplicate keys are refused, also when Helm reads two spellings as one key', () => {
    expect(problem('a: 1\nb: 2\na: 3\n')).toEqual({ line: 3, message: 'not valid YAML: the key "a" appears twice in one mapping' });
    expect(problem('yes: 1\ntrue: 2\n')).toEqual({ line: 2, message: 'not valid YAML: the key "true" appears twice in one mapping' });
    expect(problem('on: 1\ny: 2\n')).toEqual({ line: 2, message: 'not valid YAML: the key "true" appears twice in one mapping (here written "y", which Helm reads as "true")' });
  });

  test('40,000 keys in one mapping, with a duplicate at the end, are read in linear time', () => {
    const dir = tempDir('helm-yaml-keys-');
    const config = (n: number, extra = '') => 'defaultDomain: green.example.org\nwebappValues:\n  m:\n' + Array.from({ length: n }, (_, i) => `    key${i}: v${i}\n`).join('') + extra;
    const file = path.join(dir, 'many.yaml');
    // the YAML library's own duplicate check took about a minute for this on a CI machine (quadratic)
    const started = Date.now();
    fs.writeFileSync(file, config(40_000));
    expect(Object.keys(loadConfig(file).data.webappValues.m)).toHaveLength(40_000);
    fs.writeFileSync(file, config(40_000, '    key0: again\n'));
    expect(() => loadConfig(file)).toThrow(`${file}:40004: not valid YAML: the key "key0" appears twice in one mapping`);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  test(`nesting deeper than ${MAX_DEPTH} levels is refused with the limit, not a stack overflow`, () => {
    const nested = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:\n`).join('') + `${' '.repeat(depth)}v\n`;
    let node = read(nested(MAX_DEPTH));
    for (let i = 0; i < MAX_DEPTH; i++) node = node.k;
    expect(node).toBe('v');
    expect(problem(nested(1000))).toEqual({ line: MAX_DEPTH + 1, message: `mappings and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)` });
    expect(problem('a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n').message).toContain(`nested more than ${MAX_DEPTH} levels deep`);
  });

  test('a values file with 150 aliases is read; a billion laughs is refused with its line', () => {
    const ordinary = 'defaults: &d\n  resources: {limits: {cpu: 1, memory: 1Gi}}\n  replicas: 2\n' + Array.from({ length: 150 }, (_, i) => `svc${i}:\n  <<: *d\n  name: s${i}\n  again: *d\n`).join('');
    const data = read(ordinary);
    expect(data.svc149).toEqual({ resources: { limits: { cpu: 1, memory: '1Gi' } }, replicas: 2, name: 's149', again: data.defaults });
    let laughs = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      laughs += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    }
    const p = problem(laughs);
    expect(p.line).toBe(6);
    expect(p.message).toMatch(/^the aliases of this file expand it to more than 100000 values \(here \*e; .* "billion laughs" attack\)/);
  });
});

describe('the limits hold through the command line', () => {
  const dir = tempDir('helm-yaml-cli-');
  const validate = (name: string, text: string, command = 'validate', format = 'helmchart') => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    let err = '';
    const args = command === 'synth' ? ['synth', '--config', file, '--out', path.join(dir, `out-${format}`), '--quiet'] : ['validate', '--config', file, '--quiet'];
    const warned = captureWarnings();
    try {
      return { code: main(args, () => undefined, (s) => (err += s)), err };
    } finally {
      warned.restore();
    }
  };
  const config = (format: string) =>
    `defaultDomain: green.example.org\nformat:\n  type: ${format}\n${format === 'argocd' ? '  secretValuesRepository:\n    repoURL: https://git.example.org/secrets.git\n' : ''}`;

  test.each(['helmchart', 'flux', 'argocd', 'values'])(`values nested to the limit (${MAX_DEPTH} levels in the file) are written in format %s`, (format) => {
    const depth = MAX_DEPTH - 1; // the file's own mapping is the first level
    const nested = Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 2)}k:\n`).join('') + `${' '.repeat(depth + 2)}v\n`;
    expect(validate(`deep-${format}.yaml`, `${config(format)}webappValues:\n${nested}`, 'synth', format)).toEqual({ code: 0, err: '' });
  });

  test('YAML and JSON nested beyond the limit are refused with the place and the limit', () => {
    const deep = 'defaultDomain: green.example.org\nwebappValues: ' + '['.repeat(1000) + ']'.repeat(1000) + '\n';
    expect(validate('deep.yaml', deep).err).toBe(
      `cdk8s-wire-multi-ingress: invalid input, nothing was written:\n  ${dir}/deep.yaml:2: mappings and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)\n`,
    );
    const json = '{\n  "defaultDomain": "green.example.org",\n  "webappValues": {"a":\n' + '['.repeat(1000) + ']'.repeat(1000) + '}\n}\n';
    expect(validate('deep.json', json).err).toBe(
      `cdk8s-wire-multi-ingress: invalid input, nothing was written:\n  ${dir}/deep.json:4: objects and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)\n`,
    );
  });

  test('inline values in the configuration are read as Helm reads them', () => {
    const file = path.join(dir, 'inline.yaml');
    fs.writeFileSync(file, 'defaultDomain: green.example.org\nwebappValues:\n  enabled: yes\n  replicas: 010\n  base: &b {x: 1}\n  merged: {<<: *b, z: 2}\n');
    const props = toProps(loadConfig(file));
    expect(props.webappValues).toEqual({ enabled: true, replicas: 8, base: { x: 1 }, merged: { x: 1, z: 2 } });
  });
});

describe('HelmValues: the same reader for API users', () => {
  test('reads values files as Helm does, and names the file and line of a problem', () => {
    const dir = tempDir('helm-values-');
    const file = path.join(dir, 'values.yaml');
    fs.writeFileSync(file, '\ufeffreplicaCount: 010\nenabled: on\nlist: [y, n]\n');
    expect(HelmValues.fromFile(file)).toEqual({ replicaCount: 8, enabled: true, list: [true, false] });
    expect(HelmValues.parse('')).toEqual({});
    expect(() => HelmValues.parse('a: 1\na: 2\n', 'mine.yaml')).toThrow('mine.yaml:2: not valid YAML: the key "a" appears twice in one mapping');
    expect(() => HelmValues.parse('- a\n')).toThrow('values:1: holds a list: expected Helm values (a mapping)');
    // only a regular file is read: a device would be read without end
    expect(() => HelmValues.fromFile('/dev/zero')).toThrow('/dev/zero is not a regular file');
  });
});

describe('more of what Go does', () => {
  test('the non-specific tag "!" makes a string', () => {
    expect(read('a: ! 10\nb: ! yes\n')).toEqual({ a: '10', b: 'yes' });
  });

  test('aliases cannot nest values beyond the limit', () => {
    const half = Math.ceil(MAX_DEPTH / 2) + 1;
    const nest = (depth: number, leaf: string) => '['.repeat(depth) + leaf + ']'.repeat(depth);
    const p = problem(`a: &a ${nest(half, '1')}\nb: ${nest(half, '*a')}\n`);
    expect(p).toEqual({ line: 2, message: `with its aliases expanded, mappings and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)` });
  });
});
