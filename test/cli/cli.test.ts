import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { BAD_CONFIGS } from './corpus';
import { DomainIngress, IngressTls, LoadBalancerImplementation, MultiIngressBackend, ReleaseFormat, WireApp, WireDomain } from '../../src';
import { EXAMPLE_CONFIG } from '../../src/cli/example';
import { HELP, main } from '../../src/cli/main';
import { MARKER, stagingPathFor, writeAtomically } from '../../src/cli/output';
import { findTool } from '../e2e/tools';
import { GUIDE, errorOf, tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');

/** Every file below `dir`, relative, with its content. */
function tree(dir: string): { [file: string]: string } {
  if (!fs.existsSync(dir)) return {};
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  return Object.fromEntries(files.map((f) => [f.split(path.sep).join('/'), fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** Run the command line in this process; what it printed and its exit code. */
function run(...argv: string[]): { code: number; out: string; err: string; warned: string } {
  let out = '';
  let err = '';
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const code = main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err, warned: warn.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    warn.mockRestore();
  }
}

function writeConfig(dir: string, text: string, name = 'multi-ingress.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('bad configuration files: the exact error, exit code 1, nothing written', () => {
  test('the corpus has at least 40 entries with distinct names', () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_CONFIGS.map((c) => c.name)).size).toBe(BAD_CONFIGS.length);
  });

  test.each(BAD_CONFIGS.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const dir = tempDir('cli-');
    const file = path.join(dir, c.json ? 'multi-ingress.json' : 'multi-ingress.yaml');
    fs.writeFileSync(file, c.content);
    for (const [name, text] of Object.entries(c.extra ?? {})) fs.writeFileSync(path.join(dir, name), text);
    const before = tree(dir);
    const out = path.join(dir, 'out');
    const result = run('synth', '--config', file, '--out', out, ...(c.flags ?? []));
    const expected = c.expected.map((line) => `  ${line.split('{file}').join(file).split('{dir}').join(dir)}`);
    expect(result.err).toBe(['cdk8s-wire-multi-ingress: invalid input, nothing was written:', ...expected, ''].join('\n'));
    expect(result.code).toBe(1);
    expect(tree(dir)).toEqual(before); // no output, no staging folder left behind
    // validate reports the same and writes nothing either
    const validated = run('validate', '--config', file, ...(c.flags ?? []));
    expect(validated.code).toBe(1);
    expect(validated.err).toBe(result.err);
    expect(tree(dir)).toEqual(before);
  });

  test('a failed run leaves the previous output untouched', () => {
    const dir = tempDir('cli-');
    const good = writeConfig(dir, EXAMPLE_CONFIG, 'good.yaml');
    const bad = writeConfig(dir, 'defaultDomain: green..example.org\n', 'bad.yaml');
    const out = path.join(dir, 'out');
    expect(run('synth', '--config', good, '--out', out).code).toBe(0);
    const previous = tree(out);
    expect(Object.keys(previous)).toEqual(expect.arrayContaining([MARKER, 'wire.k8s.yaml', 'edge/red.example.com/haproxy.cfg']));
    expect(run('synth', '--config', bad, '--out', out).code).toBe(1);
    expect(tree(out)).toEqual(previous);
    expect(fs.readdirSync(dir).sort()).toEqual(['bad.yaml', 'good.yaml', 'out']);
  });
});

describe('bad API calls: the exact error', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['props that are not an object', () => new MultiIngressBackend(Testing.chart(), 'b', null as any), 'MultiIngressBackend props null are not valid: expected an object with at least defaultDomain'],
    [
      'additionalDomains as a string',
      () => new MultiIngressBackend(Testing.chart(), 'b', { defaultDomain: 'green.example.org', additionalDomains: 'red.example.com' as any }),
      'Invalid multi-ingress configuration: additionalDomains "red.example.com" is not valid: expected a list of domains',
    ],
    ['Flux retries not whole', () => ReleaseFormat.flux({ retries: 1.5 }), 'Flux retries 1.5 is not valid: expected a whole number from 0 to 100'],
    [
      'an empty ACME e-mail',
      () => IngressTls.certManager({ certmasterEmail: '' }),
      'cert-manager TLS: certmasterEmail "" is not valid (it has no "@"): expected an e-mail address such as "hostmaster@{domain}" (Let\'s Encrypt requires it; "{domain}" is replaced by each domain)',
    ],
    ['an empty domain', () => WireDomain.parse(''), 'domain "" is not a valid DNS name: it is empty; expected a name such as "red.example.com"'],
    [
      'a standalone ingress with a bad name',
      () => new DomainIngress(Testing.chart(), 'd', { domain: 'red.example.com', ingressName: '-red' }),
      'ingress name "-red" for "red.example.com" is not valid: expected 1-27 lower-case letters, digits and hyphens, starting and ending with a letter or digit (it becomes the release name "nginx-ingress-services-<name>", at most 50 characters in every release format: the k3s / RKE2 helm-controller runs each release as a Job named "helm-install-<release name>", a label value of at most 63 characters)',
    ],
  ];
  test.each(cases)('%s', (_, call, message) => {
    expect(errorOf(call)).toBe(message);
  });
});

describe('usage errors: exit code 2', () => {
  test.each([
    [[], 'a command is needed: synth, validate, plan, verify or init'],
    [['deploy'], 'unknown command deploy: expected synth, validate, plan, verify or init'],
    [['synth', '--out', 'x'], 'synth needs --config FILE'],
    [['synth', '--config', 'x.yaml'], 'synth needs --out DIR'],
    [['synth', '--config'], '--config needs a value'],
    [['validate', '--config', 'x.yaml', '--verbose'], 'unknown option --verbose'],
    [['synth', '--config', 'x.yaml', '--out', 'o', '--format', 'kustomize'], '--format kustomize is not known: expected one of helmchart, flux, argocd, values'],
    [['validate', '--config', 'x.yaml', '--out', 'o'], 'validate writes nothing: drop --out'],
    // an option the command would ignore
    [['validate', '--config', 'x.yaml', '--allow', 'format-changed'], 'validate does not take --allow (it would be ignored): it is an option of synth and plan'],
    [['validate', '--config', 'x.yaml', '--against', 'old'], 'validate does not take --against (it would be ignored): it is an option of plan'],
    [['validate', '--config', 'x.yaml', '--json'], 'validate does not take --json (it would be ignored): it is an option of plan and verify'],
    [['init', '--json'], 'init does not take --json (it would be ignored): it is an option of plan and verify'],
    [['init', '--format', 'flux'], 'init does not take --format (it would be ignored): it is an option of synth, plan and validate'],
    [['synth', '--config', 'x.yaml', '--out', 'o', '--against', 'old'], 'synth does not take --against (it would be ignored): it is an option of plan'],
    [['synth', '--config', 'x.yaml', '--out', 'o', '--json'], 'synth does not take --json (it would be ignored): it is an option of plan and verify'],
    [['plan', '--config', 'x.yaml', '--against', 'old', '--force'], 'plan does not take --force (it would be ignored): it is an option of init'],
  ])('%j', (argv, message) => {
    const result = run(...argv);
    expect(result.err).toBe(`cdk8s-wire-multi-ingress: ${message}\nRun cdk8s-wire-multi-ingress --help for the options.\n`);
    expect(result.code).toBe(2);
  });

  test('an output folder that is not ours is refused and left as it is', () => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, EXAMPLE_CONFIG);
    const out = path.join(dir, 'mine');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    const result = run('synth', '--config', config, '--out', out);
    expect(result.code).toBe(2);
    expect(result.err).toContain('the folder is not empty and was not written by cdk8s-wire-multi-ingress');
    expect(tree(out)).toEqual({ 'notes.txt': 'keep me' });
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    expect(run('synth', '--config', config, '--out', file).err).toContain('it is a file; expected a folder');
    expect(run('synth', '--config', config, '--out', '.').err).toContain('it contains the current folder');
  });
});

describe('synth, validate and init', () => {
  test.each(['helmchart', 'flux', 'values'])('synth gives the same bytes as the API, format %s', (format) => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, EXAMPLE_CONFIG.replace('type: helmchart', `type: ${format}`));
    const cliOut = path.join(dir, 'cli');
    const result = run('synth', '--config', config, '--out', cliOut);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);

    const apiOut = path.join(dir, 'api');
    const app = new WireApp({ outdir: apiOut });
    const releaseFormat = { helmchart: ReleaseFormat.helmChart(), flux: ReleaseFormat.flux(), values: ReleaseFormat.valuesFiles() }[format]!;
    const wire = new Chart(app, 'wire');
    new MultiIngressBackend(wire, 'backend', {
      ...GUIDE,
      namespace: 'wire',
      tls: IngressTls.ownCertificate(),
      entryPoints: {
        addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' },
        backendAddress: '192.0.2.1',
        loadBalancer: { implementation: LoadBalancerImplementation.metallb() },
      },
      teamSettings: true,
      accountPages: true,
      releaseFormat,
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    app.synth();
    warn.mockRestore();
    const { [MARKER]: marker, ...cliFiles } = tree(cliOut);
    expect(marker).toContain('cdk8s-wire-multi-ingress');
    expect(cliFiles).toEqual(tree(apiOut));
    expect(Object.keys(cliFiles).length).toBeGreaterThan(0);
  });

  test('--format overrides the type of the file; two runs give identical bytes', () => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, 'defaultDomain: green.example.org\nadditionalDomains: [red.example.com]\n');
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    expect(run('synth', '--config', config, '--out', a, '--format', 'values', '--quiet').code).toBe(0);
    expect(run('synth', '--config', config, '--out', b, '--format=values', '--quiet').code).toBe(0);
    expect(Object.keys(tree(a))).toContain('deploy.sh');
    expect(tree(a)).toEqual(tree(b));
  });

  test('format options that are not plain values are read from their names (HelmChart failurePolicy)', () => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, 'defaultDomain: green.example.org\nformat: { type: helmchart, failurePolicy: retry, backOffLimit: 5 }\n');
    const out = path.join(dir, 'out');
    expect(run('synth', '--config', config, '--out', out, '--quiet').code).toBe(0);
    const objects = parseAllDocuments(tree(out)['wire.k8s.yaml']).map((d) => d.toJSON());
    expect(objects.filter((o) => o.kind === 'HelmChart').map((o) => [o.spec.failurePolicy, o.spec.backOffLimit])).toEqual([
      ['retry', 5],
      ['retry', 5],
      ['retry', 5],
    ]);
  });

  test('Flux driftDetection is read from its mode', () => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, 'defaultDomain: green.example.org\nformat: { type: flux, driftDetection: warn }\n');
    const out = path.join(dir, 'out');
    expect(run('synth', '--config', config, '--out', out, '--quiet').code).toBe(0);
    const objects = parseAllDocuments(tree(out)['wire.k8s.yaml']).map((d) => d.toJSON());
    expect(objects.filter((o) => o.kind === 'HelmRelease').map((o) => o.spec.driftDetection)).toEqual(Array(3).fill({ mode: 'warn' }));
  });

  test('the synth replaces its earlier output as a whole', () => {
    const dir = tempDir('cli-');
    const out = path.join(dir, 'out');
    const values = writeConfig(dir, 'defaultDomain: green.example.org\nformat: { type: values }\n', 'values.yaml');
    const helm = writeConfig(dir, 'defaultDomain: green.example.org\n', 'helm.yaml');
    expect(run('synth', '--config', values, '--out', out).code).toBe(0);
    expect(Object.keys(tree(out))).toContain('deploy.sh');
    // another format takes the releases over: refused unless allowed (two engines would own them)
    const refused = run('synth', '--config', helm, '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('  format-changed:wire-server: release wire-server moves from the values format to helmchart');
    expect(Object.keys(tree(out))).toContain('deploy.sh');
    expect(run('synth', '--config', helm, '--out', out, '--allow', 'format-changed').code).toBe(0);
    expect(Object.keys(tree(out))).toEqual([MARKER, 'audit/unlinkability.json', 'audit/unlinkability.md', 'wire.k8s.yaml']);
  });

  test('validate checks everything and writes nothing', () => {
    const dir = tempDir('cli-');
    const config = writeConfig(dir, EXAMPLE_CONFIG);
    const result = run('validate', '--config', config);
    expect(result).toMatchObject({ code: 0, err: '', out: `cdk8s-wire-multi-ingress: ${config} is valid\n` });
    expect(result.warned).toContain('create these 4 Secrets before the releases install'); // wire-server, 3 TLS values
    expect(fs.readdirSync(dir)).toEqual(['multi-ingress.yaml']);
  });

  test('a JSON configuration keeps whole surrogate pairs and escaped backslashes before "u" as they are', () => {
    const dir = tempDir('cli-');
    // in the JSON text, \ud83d\ude00 is one character, and \\ud83d a backslash and the letters ud83d (no escape)
    const config = writeConfig(dir, '{"defaultDomain": "green.example.org", "format": {"type": "values"}, "webappValues": {"a": "\\ud83d\\ude00", "b": "\\\\ud83d", "\\ud83d\\ude00": 1}}\n', 'multi-ingress.json');
    const out = path.join(dir, 'out');
    expect(run('synth', '--config', config, '--out', out, '--quiet')).toMatchObject({ code: 0, err: '' });
    const values = tree(out)['values/webapp/values.yaml'];
    expect(values).toMatch(/^a: \u{1F600}$/mu);
    expect(values).toMatch(/^b: \\ud83d$/m);
    expect(values).toMatch(/^"?\u{1F600}"?: 1$/mu);
  });

  test('values files are read relative to the config file', () => {
    const dir = tempDir('cli-');
    fs.mkdirSync(path.join(dir, 'values'));
    fs.writeFileSync(path.join(dir, 'values', 'webapp.yaml'), 'replicaCount: 7\n');
    const config = writeConfig(dir, 'defaultDomain: green.example.org\nwebappValuesFile: values/webapp.yaml\nformat: { type: values }\n');
    const out = path.join(dir, 'out');
    expect(run('synth', '--config', config, '--out', out, '--quiet').code).toBe(0);
    expect(tree(out)['values/webapp/values.yaml']).toMatch(/^replicaCount: 7$/m);
  });

  test('init writes the example of the repository, and refuses to overwrite without --force', () => {
    const dir = tempDir('cli-');
    const file = path.join(dir, 'multi-ingress.yaml');
    expect(run('init', '--config', file).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'examples', 'guide-three-domains', 'multi-ingress.yaml'), 'utf8'));
    const again = run('init', '--config', file);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`${file} exists: use --force to overwrite it`);
    expect(run('init', '--config', file, '--force').code).toBe(0);
    expect(run('init', '--config', '-').out).toBe(EXAMPLE_CONFIG);
    expect(run('validate', '--config', file).code).toBe(0);
  });

  test("the guide's example is coherent: one entry point per domain, the address asked for once, and k3s's ServiceLB said", () => {
    const dir = tempDir('cli-');
    const out = path.join(dir, 'out');
    const result = run('synth', '--config', writeConfig(dir, EXAMPLE_CONFIG), '--out', out);
    expect(result.code).toBe(0);
    expect(result.warned).toContain('Run k3s with --disable servicelb and install MetalLB');
    const services = parseAllDocuments(tree(out)['wire.k8s.yaml']).map((d) => d.toJSON()).filter((o) => o.kind === 'Service');
    expect(services.map((s) => [s.metadata.name, s.metadata.annotations, s.spec.loadBalancerIP])).toEqual([
      ['wire-entry', { 'metallb.io/loadBalancerIPs': '203.0.113.10' }, undefined],
      ['wire-entry-red', { 'metallb.io/loadBalancerIPs': '198.51.100.20' }, undefined],
      ['wire-entry-blue', { 'metallb.io/loadBalancerIPs': '2001:db8::30' }, undefined],
    ]);
    expect(Object.keys(tree(out))).not.toContain('edge.k8s.yaml');
  });

  test('the example with edge proxies as well as load balancers is refused, naming both Services and the address', () => {
    const dir = tempDir('cli-');
    const both = EXAMPLE_CONFIG.replace('  # edgeProxies: false', '  edgeProxies: true');
    expect(both).not.toBe(EXAMPLE_CONFIG);
    const result = run('synth', '--config', writeConfig(dir, both), '--out', path.join(dir, 'out'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'two entry points claim the address "203.0.113.10" of "green.example.org": the load balancer Service "wire/wire-entry" and the in-cluster edge proxy Service "wire-edge/wire-edge"',
    );
    // with the load balancers off, the edge proxies are the entry points
    const edgeOnly = both.replace('    implementation: metallb', '    enabled: false\n    implementation: metallb');
    const out = path.join(dir, 'edge-only');
    expect(run('synth', '--config', writeConfig(dir, edgeOnly, 'edge-only.yaml'), '--out', out).code).toBe(0);
    expect(Object.keys(tree(out))).toContain('edge.k8s.yaml');
  });

  test.each([
    ['kube-vip', 'kube-vip.io/loadbalancerIPs'],
    ['metallb-legacy', 'metallb.universe.tf/loadBalancerIPs'],
    ['{ annotations: [lb.example.com/address] }', 'lb.example.com/address'],
  ])('loadBalancer.implementation %s: the Services ask for their address by %s only', (implementation, key) => {
    const dir = tempDir('cli-');
    const out = path.join(dir, 'out');
    const config = EXAMPLE_CONFIG.replace('    implementation: metallb', `    implementation: ${implementation}`);
    expect(run('synth', '--config', writeConfig(dir, config), '--out', out).code).toBe(0);
    const services = parseAllDocuments(tree(out)['wire.k8s.yaml']).map((d) => d.toJSON()).filter((o) => o.kind === 'Service');
    expect(services).toHaveLength(3);
    for (const s of services) {
      expect(Object.keys(s.metadata.annotations)).toEqual([key]);
      expect(s.spec.loadBalancerIP).toBeUndefined();
    }
    const cloud = EXAMPLE_CONFIG.replace('    implementation: metallb', '    implementation: spec-load-balancer-ip');
    const cloudOut = path.join(dir, 'cloud');
    expect(run('synth', '--config', writeConfig(dir, cloud, 'cloud.yaml'), '--out', cloudOut).code).toBe(0);
    const cloudServices = parseAllDocuments(tree(cloudOut)['wire.k8s.yaml']).map((d) => d.toJSON()).filter((o) => o.kind === 'Service');
    expect(cloudServices.map((s) => [s.metadata.annotations, s.spec.loadBalancerIP])).toEqual([
      [undefined, '203.0.113.10'],
      [undefined, '198.51.100.20'],
      [undefined, '2001:db8::30'],
    ]);
  });

  test('an unknown implementation, and the removed setLoadBalancerIp, are refused by the schema', () => {
    const dir = tempDir('cli-');
    const bad = run('validate', '--config', writeConfig(dir, EXAMPLE_CONFIG.replace('    implementation: metallb', '    implementation: metalb')));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('entryPoints.loadBalancer.implementation');
    const removed = run('validate', '--config', writeConfig(dir, EXAMPLE_CONFIG.replace('    implementation: metallb', '    setLoadBalancerIp: true'), 'removed.yaml'));
    expect(removed.code).toBe(1);
    expect(removed.err).toContain('setLoadBalancerIp');
  });

  test('--quiet prints nothing for a valid deployment without warnings; without it, every Secret is listed after writing', () => {
    const dir = tempDir('cli-');
    // the example without its load balancers, whose warning about k3s's ServiceLB is tested above
    const withoutLoadBalancers = EXAMPLE_CONFIG.replace('    implementation: metallb', '    enabled: false\n    implementation: metallb');
    expect(withoutLoadBalancers).not.toBe(EXAMPLE_CONFIG);
    const config = writeConfig(dir, withoutLoadBalancers);
    const quiet = run('synth', '--config', config, '--out', path.join(dir, 'quiet'), '--quiet');
    expect(quiet).toMatchObject({ code: 0, out: '', err: '' });
    expect(quiet.warned).toBe('');
    const loud = run('synth', '--config', config, '--out', path.join(dir, 'loud'));
    expect(loud.out).toMatch(/wrote \d+ files to /);
    expect(loud.warned).toContain('create these 4 Secrets before the releases install');
    expect(loud.warned).not.toContain('more');
  });

  test("the README's example: a schema problem and a construct problem are reported in one run", () => {
    const dir = tempDir('cli-');
    const file = path.join(dir, 'multi-ingress.yaml');
    fs.writeFileSync(
      file,
      'defaultDomain: green.example.org\nadditionalDomains:\n  - blue.example.net\n  - purple.example.com\n  - red..example.com\ningressNames:\n  blue.example.net: blue\ntls:\n  mode: letsencrypt\n',
    );
    const result = run('validate', '--config', file);
    expect(result.code).toBe(1);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const shown = /```\n  cdk8s-wire-multi-ingress: invalid input, nothing was written:\n([\s\S]*?)\n  ```/.exec(readme)![1];
    const expected = shown.split('\n').map((l) => l.replace(/^ {4}multi-ingress\.yaml/, `  ${file}`));
    expect(result.err).toBe(['cdk8s-wire-multi-ingress: invalid input, nothing was written:', ...expected, ''].join('\n'));
  });

  test('a value the schema refuses inside a list: the rest is checked without that list, and no problem names a wrong line', () => {
    const dir = tempDir('cli-');
    const file = path.join(dir, 'multi-ingress.yaml');
    fs.writeFileSync(file, 'defaultDomain: "bad..domain"\nadditionalDomains: [red.example.com, 7, "x..y"]\n');
    const result = run('validate', '--config', file);
    expect(result.err.split('\n').slice(1, -1)).toEqual([
      `  ${file}:1: defaultDomain: default domain "bad..domain" is not a valid DNS name: empty label (two dots in a row, or a leading dot)`,
      `  ${file}:2: additionalDomains[1]: expected a string, got the number 7`,
    ]);
  });

  test('a misspelt key inside an object gets "did you mean", and not also "missing"', () => {
    const dir = tempDir('cli-');
    const file = path.join(dir, 'multi-ingress.yaml');
    fs.writeFileSync(file, 'defaultDomain: green.example.org\ntls:\n  mode: cert-manager\n  certmasterEmial: hostmaster@{domain}\n');
    const result = run('validate', '--config', file);
    expect(result.err.split('\n').slice(1, -1)).toEqual([
      `  ${file}:4: tls.certmasterEmial: unknown key (did you mean "certmasterEmail"?) (tls mode "cert-manager"): expected one of mode, certmasterEmail, issuerKind, issuerName, staging`,
    ]);
  });

  test('a configuration file that does not exist, or is a folder, is named in plain words', () => {
    const dir = tempDir('cli-');
    const missing = run('validate', '--config', path.join(dir, 'nope.yaml'));
    expect(missing).toMatchObject({ code: 1, err: `cdk8s-wire-multi-ingress: invalid input, nothing was written:\n  ${path.join(dir, 'nope.yaml')}: cannot read the configuration file: no such file\n` });
    const folder = run('validate', '--config', dir);
    expect(folder.err).toContain(`${dir}: cannot read the configuration file: it is a folder; expected a file`);
    expect(folder.err).not.toMatch(/E[A-Z]{3,}/);
  });

  test('a read never runs without end: a configuration over 64 MiB is refused before it is read, a device read up to the limit; a values file must be a regular file', () => {
    const dir = tempDir('cli-');
    // a sparse file: its size says it all, nothing of it is read
    const huge = path.join(dir, 'huge.yaml');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 65 * 1024 * 1024);
    expect(run('validate', '--config', huge).err).toContain(`${huge}: cannot read the configuration file: it holds more than 64 MiB, far more than any deployment needs`);
    // a device without end (read up to the limit, then refused)
    expect(run('validate', '--config', '/dev/zero').err).toContain('/dev/zero: cannot read the configuration file: it holds more than 64 MiB');
    // a values file that is a device: refused without opening it (a named pipe would block the open)
    const config = writeConfig(dir, 'defaultDomain: green.example.org\nwebappValuesFile: /dev/null\n');
    const device = run('validate', '--config', config, '--allow-outside-files');
    expect(device.err).toContain(`${config}:2: webappValuesFile: cannot read "/dev/null" (it is a named pipe, a device or a socket, not a regular file)`);
  });

  test('a configuration from a pipe is read (process substitution, /dev/stdin)', () => {
    const bin = path.join(ROOT, 'lib', 'cli', 'main.js');
    const bash = findTool('bash');
    if (!fs.existsSync(bin) || bash === undefined) {
      throw new Error(`${bin} or bash is missing: the build compiles the first before the tests (npx projen compile)`);
    }
    // a shell's pipe and process substitution are real pipes (a child's stdin from Node is a socket, which cannot be opened)
    const script = 'printf \'defaultDomain: green.example.org\\n\' | "$0" "$1" validate --config /dev/stdin --quiet && "$0" "$1" validate --config <(printf \'defaultDomain: green.example.org\\n\') --quiet';
    const r = spawnSync(bash, ['-c', script, process.execPath, bin], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test("init's file points editors at the schema the installed package ships, and its commands run with npx", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const first = EXAMPLE_CONFIG.split('\n')[0];
    const match = /^# yaml-language-server: \$schema=\.\/node_modules\/([^/]+)\/(.+)$/.exec(first);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(pkg.name);
    // the file exists in the package (package.json "files" is not set, so everything not in .npmignore ships)
    expect(fs.existsSync(path.join(ROOT, match![2]))).toBe(true);
    expect(fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n')).not.toContain(`/${match![2].split('/')[0]}/`);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, match![2]), 'utf8'));
    expect(schema.$id).toBe(`https://unpkg.com/${pkg.name}/${match![2]}`);
    const commands = EXAMPLE_CONFIG.split('\n').filter((l) => l.includes(`${pkg.name} `) && /\b(validate|synth)\b/.test(l));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(new RegExp(`npx ${pkg.name} (validate|synth) `));
  });

  test('--help documents every flag and command', () => {
    const result = run('--help');
    expect(result.code).toBe(0);
    for (const word of ['synth', 'validate', 'init', '--config', '--out', '--format', '--force', '--quiet', '--help', '--version', 'Exit codes']) {
      expect(result.out).toContain(word);
    }
    expect(result.out).toBe(HELP.replace('<package>', ROOT));
  });
});

describe('atomic output', () => {
  test('a failure while writing removes the new folder and keeps the old one', () => {
    const dir = tempDir('cli-');
    const target = path.join(dir, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, MARKER), 'x');
    fs.writeFileSync(path.join(target, 'old.yaml'), 'old');
    const staging = stagingPathFor(target);
    expect(() =>
      writeAtomically(target, staging, (d) => {
        fs.writeFileSync(path.join(d, 'half.yaml'), 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(tree(target)).toEqual({ [MARKER]: 'x', 'old.yaml': 'old' });
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });
});

describe('the JSON Schema of the configuration', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'multi-ingress.schema.json'), 'utf8'));
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
  const propsOf = (fqn: string): string[] => {
    const type = assembly.types[`cdk8s-wire-multi-ingress.${fqn}`];
    return [...(type.properties ?? []).map((p: any) => p.name), ...(type.interfaces ?? []).flatMap((i: string) => propsOf(i.split('.').pop()!))];
  };

  test('covers every option of MultiIngressBackend, and nothing else', () => {
    const props = propsOf('MultiIngressBackendProps').filter((p) => p !== 'releaseFormat');
    const keys = Object.keys(schema.properties).filter((k) => !k.endsWith('ValuesFile') && k !== 'format');
    expect(keys.sort()).toEqual(props.sort());
  });

  test('covers every option of the entry points (edgeProxyScope is the command line\'s edgeProxies)', () => {
    const entry = schema.properties.entryPoints.properties;
    const props = propsOf('EdgeOptions').filter((p) => p !== 'edgeProxyScope');
    expect(Object.keys(entry).filter((k) => !k.startsWith('edgeProx')).sort()).toEqual(props.sort());
    for (const [key, fqn] of [['loadBalancer', 'LoadBalancerOptions'], ['haproxy', 'HaproxyOptions'], ['dns', 'DnsOptions']]) {
      expect(Object.keys(entry[key].properties).sort()).toEqual(propsOf(fqn).sort());
    }
  });

  test('covers every option of each release format and of cert-manager TLS', () => {
    const formatKeys = Object.keys(schema.properties.format.properties);
    for (const fqn of ['HelmChartFormatOptions', 'FluxFormatOptions', 'ArgoCdFormatOptions', 'ValuesFilesFormatOptions']) {
      for (const p of propsOf(fqn)) expect({ fqn, p, known: formatKeys.includes(p) }).toEqual({ fqn, p, known: true });
    }
    const tlsKeys = Object.keys(schema.properties.tls.properties);
    for (const p of propsOf('CertManagerTlsOptions')) expect(tlsKeys).toContain(p);
  });
});

describe('the compiled command line', () => {
  const bin = path.join(ROOT, 'lib', 'cli', 'main.js');
  test('runs as a process with the documented exit codes', () => {
    if (!fs.existsSync(bin)) {
      throw new Error(`${bin} is missing: the build compiles it before the tests (npx projen compile)`);
    }
    const dir = tempDir('cli-');
    const config = writeConfig(dir, EXAMPLE_CONFIG);
    const node = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(node('synth', '--config', config, '--out', path.join(dir, 'out'), '--quiet').status).toBe(0);
    expect(node('validate', '--config', path.join(dir, 'missing.yaml')).status).toBe(1);
    expect(node('frobnicate').status).toBe(2);
  });
});

test('the shipped schema is a valid JSON Schema (the command line skips this check at start)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv');
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'multi-ingress.schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: true, strictRequired: false }); // a required key inside if/then is declared at the top
  expect(ajv.validateSchema(schema)).toBe(true);
  expect(() => ajv.compile(schema)).not.toThrow();
});

describe('files the configuration reads', () => {
  const GUIDE_YAML = 'defaultDomain: green.example.org\nadditionalDomains:\n  - red.example.com\n  - blue.example.net\n';

  test('a symbolic link inside the folder that leads outside it is refused', () => {
    const outside = tempDir('cli-outside-');
    fs.writeFileSync(path.join(outside, 'webapp.yaml'), 'replicaCount: 2\n');
    const dir = tempDir('cli-');
    fs.symlinkSync(path.join(outside, 'webapp.yaml'), path.join(dir, 'webapp.yaml'));
    const config = writeConfig(dir, `${GUIDE_YAML}webappValuesFile: webapp.yaml\n`);
    const result = run('validate', '--config', config);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`webappValuesFile: "webapp.yaml" is outside the folder of ${config} (symbolic links followed)`);
  });

  test('with --allow-outside-files a file elsewhere is read; a link within the folder always is', () => {
    const outside = tempDir('cli-outside-');
    fs.writeFileSync(path.join(outside, 'webapp.yaml'), 'replicaCount: 7\n');
    const dir = tempDir('cli-');
    fs.mkdirSync(path.join(dir, 'values'));
    fs.writeFileSync(path.join(dir, 'values', 'ingress.yaml'), 'replicaCount: 3\n');
    fs.symlinkSync(path.join(dir, 'values', 'ingress.yaml'), path.join(dir, 'ingress.yaml'));
    const config = writeConfig(dir, `${GUIDE_YAML}webappValuesFile: ${path.join(outside, 'webapp.yaml')}\ningressServicesValuesFile: ingress.yaml\n`);
    expect(run('validate', '--config', config).code).toBe(1);
    const out = path.join(dir, 'out');
    const result = run('synth', '--config', config, '--out', out, '--allow-outside-files', '--format', 'values');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'values', 'webapp', 'values.yaml'), 'utf8')).toContain('replicaCount: 7');
  });
});
