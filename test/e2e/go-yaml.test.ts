/**
 * What Go's YAML readers make of the library's output and of the operator's
 * values files: helm (`toJson .Values` of a tiny chart made here) for values,
 * kubectl (`annotate --local -o json`, which needs no cluster) for manifests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';
import fc from 'fast-check';
import { describeWithTools, run } from './tools';
import { MultiIngressBackend, ReleaseFormat, WireApp } from '../../src';
import { main } from '../../src/cli/main';
import { YamlProblem, readHelmYaml } from '../../src/values/helm-yaml';
import { toYamlDocuments } from '../../src/values/yaml';
import { valueTrees } from '../arbitraries';
import { captureWarnings, GUIDE, tempDir } from '../util';

const SECRETS_REPO = 'https://git.example.org/ops/wire-secrets.git';
const FORMATS = ['helmchart', 'flux', 'argocd', 'values'] as const;
type Format = (typeof FORMATS)[number];

/**
 * A chart whose only template prints the values helm read, as JSON (base64 in
 * a comment: helm parses what templates render, and JSON may hold U+0085, a
 * line break to YAML 1.1).
 */
function probeChart(dir: string): string {
  const chart = path.join(dir, 'probe-chart');
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(chart, 'templates', 'values.yaml'), '# {{ toJson .Values | b64enc }}\n');
  return chart;
}

/** The values helm reads from a values file. */
async function helmReads(helm: string, chart: string, valuesFile: string): Promise<any> {
  const r = await run(helm, ['template', 'probe', chart, '--values', valuesFile], { timeoutMs: 60_000 });
  if (r.code !== 0) {
    const at = /line (\d+)/.exec(r.stderr);
    const excerpt = at ? `\nline ${at[1]}: ${JSON.stringify(fs.readFileSync(valuesFile, 'utf8').split('\n')[Number(at[1]) - 1]?.slice(0, 300))}` : '';
    throw new Error(`helm could not read ${valuesFile}: ${r.stderr}${excerpt}`);
  }
  const line = r.stdout.split('\n').find((l) => l.startsWith('# ') && !l.startsWith('# Source:'));
  if (!line) throw new Error(`helm printed no values:\n${r.stdout}`);
  return JSON.parse(Buffer.from(line.slice(2), 'base64').toString('utf8'));
}

/** The objects kubectl reads from a manifest file (without a cluster). */
async function kubectlReads(kubectl: string, file: string): Promise<any[]> {
  const r = await run(kubectl, ['annotate', '--local', '--filename', file, '--output', 'json', 'probe-'], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl could not read ${file}: ${r.stderr}`);
  // one JSON object per document, each ending in a "}" of its own line
  return r.stdout.split(/^}$/m).filter((part) => part.trim() !== '').map((part) => JSON.parse(part + '}'));
}

/**
 * The values of the release `name` as helm gets them, for the output of one
 * format in `outdir`: a values file as helm reads it; for manifests, what
 * kubectl reads from them is what the engine (k3s's helm-controller, Flux,
 * Argo CD) has, and the HelmChart's `valuesContent` is then read by helm.
 */
async function emittedValues(tools: { [tool: string]: string }, chart: string, outdir: string, format: Format, name: string): Promise<any> {
  const file = path.join(outdir, `read-${format}-${name}.yaml`);
  if (format === 'values') {
    const valuesFile = name === 'wire-server' ? 'values/wire-server/values.yaml' : `values/${name}/values.yaml`;
    return helmReads(tools.helm, chart, path.join(outdir, valuesFile));
  }
  const objects = await kubectlReads(tools.kubectl, path.join(outdir, 'wire.k8s.yaml'));
  const release = objects.find((o) =>
    format === 'helmchart' ? o.kind === 'HelmChart' && o.metadata.name === name
      : format === 'flux' ? o.kind === 'HelmRelease' && o.spec.releaseName === name
        : o.kind === 'Application' && (o.spec.source ?? o.spec.sources[0]).helm.releaseName === name);
  if (!release) throw new Error(`no release ${name} in the ${format} output`);
  if (format === 'helmchart') {
    fs.writeFileSync(file, release.spec.valuesContent);
    return helmReads(tools.helm, chart, file);
  }
  // Flux and Argo CD hand these values to helm as data (JSON), not as YAML text
  return format === 'flux' ? release.spec.values : (release.spec.source ?? release.spec.sources[0]).helm.valuesObject;
}

/** Values as JSON says them: -0 is 0 (Flux and Argo CD objects are JSON; to a chart's templates -0 and 0 are equal). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

/** Operators' values files as they write them: YAML 1.1 scalars, tags, anchors and merge keys, Unicode, long keys. */
const OPERATOR_FILES: { [name: string]: string } = {
  'scalars-and-tags.yaml': [
    'probeEnabled: yes', 'probeDisabled: off', 'probeShort: y', 'probeShortNo: n', 'probeOn: On', 'probeOctal: 010', 'probeOctal2: 0o17',
    'probeHex: 0x_1F', 'probeUnder: 1_000', 'probeBinary: 0b101', 'probeNegBinary: -0b11', 'probeSexagesimal: 1:20', 'probeFloat: 1.5e3',
    'probeDotFloat: .5', 'probeTooBig: 1e400', 'probeBig: 9007199254740993', 'probeHuge: 99999999999999999999', 'probeLeadingZero: 08',
    'probeDate: 2001-12-14', 'probeDateTime: 2001-12-14T21:59:43.10-05:00', 'probeTilde: ~', 'probeEmpty:', 'probeQuoted: "yes"', 'probeMinusZero: -0.0', 'probeBang: ! 10', 'probeBangYes: ! yes',
    'yes: a key that is true', 'off: a key that is false', '010: a key that is eight', '1.5: a float key', '1234567.0: a float32 key', '0x10: a hex key',
    'probeTagged:', '  ts: !!timestamp 2001-12-14', '  set: !!set {alpha, beta}', '  omap: !!omap [{p: 1}, {q: 2}]', '  pairs: !!pairs [{p: 1}]',
    '  binary: !!binary aGVsbG8gd29ybGQ=', '  float: !!float 1', '  int: !!int "10"', '  str: !!str 010', '  bool: !!bool "on"', '  local: !foo bar', '  seq: !!seq [1, 2]', '',
  ].join('\n'),
  'anchors-and-merges.yaml': [
    'probeDefaults: &defaults', '  replicas: 2', '  resources: {limits: {cpu: 1, memory: 1Gi}}', '  enabled: on',
    'probeA:', '  <<: *defaults', '  name: a',
    'probeB:', '  replicas: 5', '  <<: *defaults',
    'probeC:', '  <<: [*defaults, {replicas: 9, extra: true}]',
    'probeList: [*defaults, *defaults]',
    ...Array.from({ length: 150 }, (_, i) => `probeService${i}: {<<: *defaults, name: s${i}}`), '',
  ].join('\n'),
  'unicode-and-long-keys.yaml': [
    'probeEmoji: "😀 and \\U0001F600"', 'probeContact: "Zoë 👩‍💻"', 'probeKey😀: x', 'probeLong:', `  ? ${'k'.repeat(1030)}`, '  : 1',
    'probeUmlauts:', `  "${'ü'.repeat(171)}": x`, '__proto__: {kept: true}', 'probeProto: {__proto__: [1], constructor: c}',
    'probeControl: "\\x01\\t\\u0085\\u2028"', 'probeMultiline: |', '  line 😀', '  two', '',
  ].join('\n'),
};

describeWithTools(['helm', 'kubectl'], "Go's readers (helm, kubectl) read what the operator meant", (tools) => {
  const dir = tempDir('go-yaml-');
  const chart = probeChart(dir);

  test.each(Object.keys(OPERATOR_FILES))('%s: helm reads the same values from the operator\'s file and from every format\'s output', async (name) => {
    const work = path.join(dir, name.replace(/\.yaml$/, ''));
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, name), OPERATOR_FILES[name]);
    const original = await helmReads(tools.helm, chart, path.join(work, name));
    expect(Object.keys(original).length).toBeGreaterThan(5);
    for (const format of FORMATS) {
      const config = path.join(work, `${format}.yaml`);
      const formatLines = format === 'argocd' ? `format:\n  type: argocd\n  secretValuesRepository:\n    repoURL: ${SECRETS_REPO}\n` : `format:\n  type: ${format}\n`;
      fs.writeFileSync(config, `defaultDomain: green.example.org\nadditionalDomains:\n  - red.example.com\nwireServerValuesFile: ${name}\n${formatLines}`);
      const outdir = path.join(work, `out-${format}`);
      let err = '';
      const warned = captureWarnings();
      try {
        expect({ code: main(['synth', '--config', config, '--out', outdir], () => undefined, (s) => (err += s)), err }).toEqual({ code: 0, err: '' });
      } finally {
        warned.restore();
      }
      const emitted = await emittedValues(tools, chart, outdir, format, 'wire-server');
      // every key of the operator's file means the same to helm in the emitted values
      const read = Object.fromEntries(Object.keys(original).map((k) => [k, emitted[k]]));
      expect({ format, values: asJson(read) }).toEqual({ format, values: asJson(original) });
    }
  }, 120_000);

  test('the reader of the command line reads each file as helm does', async () => {
    for (const [name, text] of Object.entries(OPERATOR_FILES)) {
      const file = path.join(dir, `direct-${name}`);
      fs.writeFileSync(file, text);
      const helm = await helmReads(tools.helm, chart, file);
      expect({ name, data: asJson(readHelmYaml(text).data) }).toEqual({ name, data: asJson(helm) });
    }
  }, 60_000);

  /** Values files helm refuses (with the line its reader names, when it names one). */
  const REFUSED = [
    'a: "\\ud83d"\n',
    'a: 1\n"\\ud83d": x\n',
    'a:\n  "x\\udc00y": {b: 1}\n',
    'a: "\\ud83d\\ude00"\n',
    'a: .inf\n',
    'a: 1\n[1, 2]: x\n',
    'a: &x [*x]\n',
    'x: 1\n~: x\n',
  ];

  test.each(REFUSED)('what helm refuses, the reader of the command line refuses, on the line helm names: %j', async (text) => {
    const file = path.join(dir, 'refused.yaml');
    fs.writeFileSync(file, text);
    const helm = await helmReads(tools.helm, chart, file).then(() => 'read', (e: Error) => /yaml: line (\d+):/.exec(e.message)?.[1] ?? 'refused');
    let ours = 'read';
    try {
      readHelmYaml(text);
    } catch (e) {
      ours = e instanceof YamlProblem ? (helm === 'refused' ? 'refused' : String(e.line)) : `crashed: ${(e as Error).message}`;
    }
    expect(ours).toBe(helm);
    expect(helm).not.toBe('read');
  });
});

/** Text that YAML 1.1 and Go's reader treat specially, as keys and as values. */
const SPECIAL = [
  '', 'y', 'Y', 'n', 'N', 'yes', 'No', 'on', 'On', 'OFF', 'true', 'False', 'null', 'Null', 'NULL', '~', '010', '0o17', '0x1F', '0b101', '-0b11', '1_000',
  '1:20', '190:20:30', '1e3', '.5', '+.5', '08', '.inf', '-.Inf', '.NaN', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '<<', '=', '-', '- x', '? k', ': x',
  '#c', 'a #b', 'a: b', 'k:', '&a', '*a', '!t', '!!str', '%d', '@', '`', '"', "'", '[x]', '{x}', '|', '>', ' lead', 'trail ', 'a\nb', 'a\n', '\t', '\r\n',
  '\u0085', '\u2028', '\u2029', '\ufeff', '\u00a0', 'Müller', '😀', 'a😀b', '👩‍💻', '\u{10ffff}', '__proto__', 'constructor', 'toString', '\\', '\\u0041',
  'k'.repeat(1030), 'ü'.repeat(171), '😀'.repeat(300),
  // written plain now, as cdk8s writes them
  '15m0s', '5.32.0', '203.0.113.10', 'https://x.example.com/y', 'a b', "it's", '"q" x', 'x: y', 'yEs', 'e', '0x', '1e400', '9223372036854775808',
  // where the writer leaves cdk8s' bytes for Go (src/values/yaml.ts)
  '0O17', '0X1F', '0B101', '0b-1', '0b+1', '+_1', '-_1', '0_x1F', '1e1_0', '1e_5', '.5e1_0', '1.5E+1_0', '\x7f', '\x80\x9f', '\ufffe', '\uffff',
  ' \n', '  \n', '\n \n', '\tx\ny', '\n\tx', `${'x'.repeat(40)}\n \n\x01`, `${'x'.repeat(40)}\n\n\x01 y\n\n z`, 'a\u0085\nb', '\ufeffk',
];
const control = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 4 });
const text = fc.oneof(fc.constantFrom(...SPECIAL), fc.string(), fc.string({ unit: 'grapheme' }), control, fc.string({ unit: fc.constantFrom('a', ':', ' ', '#', '\n', '😀', 'ü', '"', '\\', '\u0000') }));
const json = valueTrees(text);


describeWithTools(['helm', 'kubectl'], "random values through every format, read back by Go's readers", (tools) => {
  const dir = tempDir('go-yaml-random-');
  const chart = probeChart(dir);
  let round = 0;

  test('helm reads back exactly the values given, from every format', async () => {
    await fc.assert(
      // one helm (and kubectl) call per format reads a batch of 40 random values
      fc.asyncProperty(fc.array(json.value, { minLength: 40, maxLength: 40 }), async (batch) => {
        const base: { [key: string]: unknown } = Object.fromEntries(batch.map((v, i) => [`probe${i}`, v]));
        for (const format of FORMATS) {
          const outdir = path.join(dir, `round${round++}-${format}`);
          const releaseFormat = {
            helmchart: () => ReleaseFormat.helmChart(),
            flux: () => ReleaseFormat.flux(),
            argocd: () => ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: SECRETS_REPO } }),
            values: () => ReleaseFormat.valuesFiles(),
          }[format]();
          const app = new WireApp({ outdir });
          new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, webappValues: base, releaseFormat });
          const warned = captureWarnings();
          try {
            app.synth();
          } finally {
            warned.restore();
          }
          const emitted = await emittedValues(tools, chart, outdir, format, 'webapp');
          const read = Object.fromEntries(Object.keys(base).map((k) => [k, emitted[k]]));
          expect({ format, values: asJson(read) }).toEqual({ format, values: asJson(base) });
        }
      }),
      // CI replays one fixed set of random values (a CI run must not depend on luck); elsewhere each
      // run draws new ones. A failure once seen only with two jest processes at once (a key
      // "\u0000" read back as "\\") did not replay from its seed: see the closing note of issue 11.
      { numRuns: 8, ...(process.env.CI ? { seed: 20261201 } : {}) },
    );
  }, 300_000);
});

/**
 * One string of each class where the manifest writer leaves cdk8s' bytes
 * (src/values/yaml.ts): kubectl misreads or refuses what a plain cdk8s App
 * writes for it, and reads what WireApp writes.
 */
const GO_CLASSES: Array<[string, string]> = [
  ['1: a number to Go (0o)', '0o17'],
  ['1: a number to Go (0X)', '0X1F'],
  ['1: a number to Go (0b and a sign)', '0b-1'],
  ['1: a number to Go (underscore after the sign)', '+_1'],
  ['1: a number to Go (underscore in the exponent)', '1e1_0'],
  ['1: a number to Go (a point first, underscore in the exponent)', '.5e1_0'],
  ['2: the merge key', '<<'],
  ['3: a character Go refuses unescaped (DEL)', 'a\x7fb'],
  ['3: a character Go refuses unescaped (U+FFFE)', '\ufffe'],
  ['4: a line break to Go (NEL)', 'a\u0085b'],
  ['4: a line break to Go (LS)', 'a\u2028b'],
  ['5: a block of blanks', ' \n'],
  ['5: a block whose first line starts with a tab', '\tx\ny'],
  ['6: a folded line starting with a space before a break', `${'x'.repeat(40)}\n \n\x01`],
  ['7: a byte order mark first in the document', '\ufeffk'],
];

describeWithTools(['kubectl'], "the manifest writer's deviations from cdk8s' bytes: kubectl misreads cdk8s' bytes and reads ours", (tools) => {
  const dir = tempDir('go-yaml-classes-');

  /** What kubectl reads from `text` (the value of the top key `s` and the spec), or its error. */
  async function kubectlProbe(name: string, yaml: string, s: string): Promise<unknown> {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, yaml);
    try {
      const [o] = await kubectlReads(tools.kubectl, file);
      return { first: o[s], spec: o.spec };
    } catch (e) {
      return `refused: ${(e as Error).message.split('\n')[0]}`;
    }
  }

  test.each(GO_CLASSES)('class %s', async (_, s) => {
    // the string first in the document (class 7), as a key and as a value, alone and in a list
    const object = { [s]: 'first', apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', metadata: { name: 'probe' }, spec: { v: s, l: [s], k: { [s]: 'x' } } };
    const expected = { first: 'first', spec: object.spec };
    const name = Buffer.from(s).toString('hex').slice(0, 40);
    expect(await kubectlProbe(`${name}-ours`, toYamlDocuments([object]), s)).toEqual(expected);
    expect(await kubectlProbe(`${name}-cdk8s`, Yaml.stringify(object), s)).not.toEqual(expected);
  }, 60_000);
});
