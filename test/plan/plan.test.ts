/**
 * `plan` and the guard of `synth`, scenario by scenario, on the guide's
 * deployment (three domains with entry points and edge proxies) and on 200
 * domains. Every expected value is derived from the rules (release names
 * from the naming rule, value paths from the multi-ingress maps, restarts
 * from the table in src/plan/restarts.ts), not copied from output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main';
import { RESTART_TABLE } from '../../src/plan/restarts';
import { domains as manyDomains, filesBelow, tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const GUIDE_CONFIG = parse(fs.readFileSync(path.join(ROOT, 'examples', 'guide-three-domains', 'multi-ingress.yaml'), 'utf8'));
const MANY = manyDomains(200);
const MANY_CONFIG = { defaultDomain: MANY[0], additionalDomains: MANY.slice(1) };

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const code = main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  } finally {
    warn.mockRestore();
  }
}

/** Every file below `dir` with its bytes. */
function tree(dir: string): { [file: string]: string } {
  return Object.fromEntries(filesBelow(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

function writeJson(dir: string, name: string, config: any): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

/** The earlier output of `config`, synthesized once per base and copied for each scenario. */
const earlier = new Map<any, string>();
function scenarioDir(base: any): { dir: string; out: string } {
  if (!earlier.has(base)) {
    const dir = tempDir('plan-base-');
    const synth = run('synth', '--config', writeJson(dir, 'base.json', base), '--out', path.join(dir, 'out'), '--quiet');
    expect(synth).toMatchObject({ code: 0, err: '' });
    earlier.set(base, path.join(dir, 'out'));
  }
  const dir = tempDir('plan-');
  fs.cpSync(earlier.get(base)!, path.join(dir, 'out'), { recursive: true });
  return { dir, out: path.join(dir, 'out') };
}

/** Plan `changed` against the earlier output of `base`: the JSON plan, the text, the exit code. */
function plan(base: any, changed: any, ...flags: string[]) {
  const { dir, out } = scenarioDir(base);
  const config = writeJson(dir, 'changed.json', changed);
  const before = tree(dir);
  const json = run('plan', '--config', config, '--against', out, '--json', ...flags);
  expect(json.err).toBe('');
  const text = run('plan', '--config', config, '--against', out, ...flags);
  expect(text.code).toBe(json.code);
  expect(tree(dir)).toEqual(before); // plan writes nothing
  const result = JSON.parse(json.out);
  return { dir, out, config, code: json.code, text: text.out, result, release: (name: string) => result.releases.find((r: any) => r.name === name) };
}

const ingressRelease = (ingressName: string) => (ingressName === '' ? 'nginx-ingress-services' : `nginx-ingress-services-${ingressName}`);
const derived = (domain: string) => ingressRelease(domain.replace(/\./g, '-'));
const hostNames = (d: string) => ['nginz-https', 'nginz-ssl', 'webapp', 'assets', 'teams', 'account'].map((h) => `${h}.${d}`);
const wireServerServices = RESTART_TABLE.filter((r) => r.chart === 'wire-server').map((r) => r.service);
/** The wire-server value paths that name each domain (src/values/wire-server.ts). */
const domainPaths = (d: string) => [
  `galley.config.settings.multiIngress.nginz-https.${d}`,
  `cargohold.config.aws.multiIngress.nginz-https.${d}`,
  'cannon.nginx_conf.additional_external_env_domains',
  'nginz.nginx_conf.additional_external_env_domains',
  `nginz.nginx_conf.multi_ingress_deeplink.${d}`,
].sort();
/** Release name of each guide domain. */
const GUIDE_RELEASES: { [domain: string]: string } = {
  'green.example.org': 'nginx-ingress-services',
  'red.example.com': ingressRelease(GUIDE_CONFIG.ingressNames['red.example.com']),
  'blue.example.net': ingressRelease(GUIDE_CONFIG.ingressNames['blue.example.net']),
};
const MANY_RELEASES = [ingressRelease(''), ...MANY.slice(1).map(derived)];

/** Synthesize `config` over the scenario's output: refused without `allow`, accepted with it, then nothing left to plan. */
function refusedThenAllowed(s: { out: string; config: string }, dangerIds: string[], allow: string[] = dangerIds) {
  const previous = tree(s.out);
  const refused = run('synth', '--config', s.config, '--out', s.out, '--quiet');
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/^cdk8s-wire-multi-ingress: refused, nothing was written/);
  for (const id of dangerIds) expect(refused.err).toContain(`  ${id}: `);
  expect(tree(s.out)).toEqual(previous);
  if (allow.length > 1) {
    // allowing some is not allowing all
    expect(run('synth', '--config', s.config, '--out', s.out, '--quiet', ...allow.slice(1).flatMap((a) => ['--allow', a])).code).toBe(1);
    expect(tree(s.out)).toEqual(previous);
  }
  const accepted = run('synth', '--config', s.config, '--out', s.out, '--quiet', ...allow.flatMap((a) => ['--allow', a]));
  expect(accepted).toMatchObject({ code: 0, err: '' });
  expect(tree(s.out)).not.toEqual(previous);
  expect(run('plan', '--config', s.config, '--against', s.out).code).toBe(0);
}

describe.each([
  ['the guide', GUIDE_CONFIG, GUIDE_RELEASES['red.example.com'], 'red.example.com'],
  ['200 domains', MANY_CONFIG, derived(MANY[7]), MANY[7]],
])('plan on %s', (_, base: any, someRelease: string, someDomain: string) => {
  const isGuide = base === GUIDE_CONFIG;
  const releaseNames = isGuide ? Object.values(GUIDE_RELEASES) : MANY_RELEASES;
  const domainsOf = isGuide ? Object.keys(GUIDE_RELEASES) : MANY;

  test('nothing changed: exit 0, and synth writes the same bytes', () => {
    const s = plan(base, base);
    expect(s.code).toBe(0);
    expect(s.text).toBe(`no changes: ${releaseNames.length + 2} releases as deployed\n`);
    expect(s.result).toMatchObject({ changes: false, dangers: [], domains: [], secrets: { create: [], unused: [] } });
    expect(s.result.releases.every((r: any) => r.change === 'unchanged')).toBe(true);
    const previous = tree(s.out);
    expect(run('synth', '--config', s.config, '--out', s.out, '--quiet').code).toBe(0);
    expect(tree(s.out)).toEqual(previous);
  });

  test('one domain added: its release, the wire-server paths that name it, the restarts, its Secret, DNS and entry points; exit 3', () => {
    const added = 'purple.example.info';
    const changed = { ...base, additionalDomains: [...base.additionalDomains, added] };
    if (isGuide) changed.entryPoints = { ...base.entryPoints, addresses: { ...base.entryPoints.addresses, [added]: '203.0.113.40' } };
    const s = plan(base, changed);
    expect(s.code).toBe(3);
    expect(s.result.dangers).toEqual([]);
    expect(s.release(derived(added))).toMatchObject({ change: 'added', chart: 'nginx-ingress-services' });
    expect(s.release('wire-server')).toMatchObject({ change: 'changed', paths: domainPaths(added), restarts: ['galley', 'cargohold', 'nginz', 'cannon'] });
    expect(s.result.releases.filter((r: any) => r.change === 'unchanged').map((r: any) => r.name)).toEqual([...releaseNames, 'webapp'].sort());
    const secrets = [`Secret kube-system/${derived(added)}-tls key tls-values.yaml`];
    const edgeProxies = isGuide && base.entryPoints.edgeProxies === true;
    if (edgeProxies) secrets.push(`Secret ${base.entryPoints.edgeProxyNamespace ?? 'wire-edge'}/wire-edge-${added.replace(/\./g, '-')}-tls`);
    expect(s.result.secrets).toEqual({ create: secrets, unused: [] });
    const domain = s.result.domains.find((d: any) => d.domain === added);
    expect(s.result.domains.map((d: any) => d.domain)).toEqual([added]);
    expect(domain).toMatchObject({ change: 'added', release: derived(added), dnsRemove: [], certificates: [], entryPointsRemoved: [] });
    if (isGuide) {
      expect(domain.dnsAdd).toEqual(hostNames(added).map((h) => `${h}. 3600 IN A 203.0.113.40`));
      const entryPoints = [`load balancer Service wire/wire-entry-${added.replace(/\./g, '-')} at 203.0.113.40`, `HAProxy edge proxy edge/${added}/haproxy.cfg`];
      if (edgeProxies) entryPoints.push(`in-cluster edge proxy Service wire-edge/wire-edge-${added.replace(/\./g, '-')} at 203.0.113.40`);
      expect(domain.entryPointsAdded).toEqual(entryPoints.sort());
    } else {
      expect(domain).toMatchObject({ dnsAdd: [], entryPointsAdded: [] });
    }
    expect(s.text).toContain(`  + ${derived(added)} (nginx-ingress-services 5.32.0)\n`);
    expect(s.text).toContain('  ~ wire-server (wire-server 5.32.0): 5 value paths; restarts galley, cargohold, nginz, cannon\n');
    expect(s.text.split('\n').length).toBeLessThanOrEqual(isGuide ? 20 : 16);
    const synth = run('synth', '--config', s.config, '--out', s.out, '--quiet');
    expect(synth.code).toBe(0);
  });

  test('one domain removed: its release and Secret go; with an entry point it is a danger', () => {
    const removed = someDomain;
    const changed: any = { ...base, additionalDomains: base.additionalDomains.filter((d: string) => d !== removed) };
    if (isGuide) {
      const { [removed]: _gone, ...addresses } = base.entryPoints.addresses;
      const { [removed]: _name, ...ingressNames } = base.ingressNames;
      changed.entryPoints = { ...base.entryPoints, addresses };
      changed.ingressNames = ingressNames;
    }
    const s = plan(base, changed);
    expect(s.release(someRelease)).toMatchObject({ change: 'removed' });
    expect(s.release('wire-server')).toMatchObject({ change: 'changed', paths: domainPaths(removed) });
    expect(s.result.secrets.unused).toContain(`Secret kube-system/${someRelease}-tls key tls-values.yaml`);
    expect(s.result.domains.find((d: any) => d.domain === removed)).toMatchObject({ change: 'removed' });
    if (isGuide) {
      const id = `domain-removed-with-entry-point:${removed}`;
      expect(s.result.dangers.map((d: any) => d.id)).toEqual([id]);
      expect(s.code).toBe(1);
      expect(s.text.split('\n')[1]).toMatch(new RegExp(`^DANGER ${id} \\(not allowed; accept it with --allow ${id}\\): ${removed} is removed while it still has an entry point`));
      refusedThenAllowed(s, [id]);
    } else {
      expect(s.result.dangers).toEqual([]);
      expect(s.code).toBe(3);
    }
  });

  test('an ingress name renamed: the release is removed and installed again, a danger', () => {
    const changed = { ...base, ingressNames: { ...(base.ingressNames ?? {}), [someDomain]: 'crimson' } };
    const s = plan(base, changed);
    const id = `release-renamed:${someDomain}`;
    expect(s.result.dangers.map((d: any) => d.id)).toEqual([id]);
    expect(s.result.dangers[0].message).toContain(`the release of ${someDomain} is renamed from ${someRelease} to nginx-ingress-services-crimson`);
    expect(s.release(someRelease).change).toBe('removed');
    expect(s.release('nginx-ingress-services-crimson').change).toBe('added');
    expect(s.result.domains.find((d: any) => d.domain === someDomain)).toMatchObject({ change: 'changed', release: 'nginx-ingress-services-crimson', previousRelease: someRelease });
    expect(s.code).toBe(1);
    expect(run('plan', '--config', s.config, '--against', s.out, '--allow', id).code).toBe(3);
    refusedThenAllowed(s, [id]);
  });

  test('the default domain swapped: a danger', () => {
    const oldDefault = base.defaultDomain;
    const others = base.additionalDomains.filter((d: string) => d !== someDomain);
    const changed: any = { ...base, defaultDomain: someDomain, additionalDomains: [oldDefault, ...others] };
    if (isGuide) {
      const { [someDomain]: _n, ...ingressNames } = base.ingressNames;
      changed.ingressNames = { ...ingressNames, [oldDefault]: 'green' };
    }
    const s = plan(base, changed);
    const ids = s.result.dangers.map((d: any) => d.id);
    expect(ids).toContain(`default-domain-changed:${oldDefault}`);
    expect(ids).toEqual(expect.arrayContaining([`release-renamed:${oldDefault}`, `release-renamed:${someDomain}`]));
    expect(s.code).toBe(1);
    refusedThenAllowed(s, ids, ['default-domain-changed', 'release-renamed']);
  });

  test('chart version up: every wire-server service restarts, no danger; down: a danger', () => {
    const up = plan(base, { ...base, wireServerChart: { version: '5.33.0' } });
    expect(up.code).toBe(3);
    expect(up.result.dangers).toEqual([]);
    expect(up.release('wire-server')).toMatchObject({ change: 'changed', version: '5.33.0', previousVersion: '5.32.0', paths: [], restarts: wireServerServices });
    expect(up.text).toContain('  ~ wire-server (wire-server 5.32.0 -> 5.33.0)');
    const down = plan(base, { ...base, wireServerChart: { version: '5.31.0' } });
    expect(down.result.dangers.map((d: any) => d.id)).toEqual(['chart-version-down:wire-server']);
    expect(down.code).toBe(1);
    // a pre-release is below its release
    const pre = plan(base, { ...base, wireServerChart: { version: '5.32.0-rc.1' } });
    expect(pre.result.dangers.map((d: any) => d.id)).toEqual(['chart-version-down:wire-server']);
    refusedThenAllowed(down, ['chart-version-down:wire-server']);
  });

  test('TLS mode changed: a danger for every live domain, the certificates cert-manager issues, the Secrets no longer read', () => {
    const s = plan(base, { ...base, tls: { mode: 'cert-manager', certmasterEmail: 'hostmaster@{domain}' } });
    const ids = domainsOf.map((d) => `tls-mode-changed:${d}`).sort();
    expect(s.result.dangers.map((d: any) => d.id)).toEqual(ids);
    expect(s.code).toBe(1);
    const some = s.result.domains.find((d: any) => d.domain === someDomain);
    expect(some.certificates).toEqual([`Certificate wire/${someDomain.replace(/\./g, '-')}-csr for the host names of ${someDomain} from Issuer wire/letsencrypt-http01-${someRelease.slice('nginx-ingress-services-'.length)}`]);
    expect(s.result.secrets.unused).toEqual(expect.arrayContaining(releaseNames.map((r) => `Secret kube-system/${r}-tls key tls-values.yaml`)));
    expect(s.release(someRelease).restarts).toEqual([]); // an ingress release restarts no Wire service
    refusedThenAllowed(s, ids, ['tls-mode-changed']);
  });

  test('format changed: every release would have two owners, a danger each', () => {
    const s = plan(base, { ...base, format: { type: 'flux' } });
    const ids = ['wire-server', 'webapp', ...releaseNames].map((r) => `format-changed:${r}`).sort();
    expect(s.result.dangers.map((d: any) => d.id)).toEqual(ids);
    expect(s.release('webapp')).toMatchObject({ change: 'changed', format: 'flux', paths: [] });
    expect(s.result.secrets.create).toContain('Secret flux-system/wire-server-secrets key secrets.yaml');
    expect(s.code).toBe(1);
    refusedThenAllowed(s, ids, ['format-changed']);
  });

  test('namespace changed: a danger each', () => {
    const s = plan(base, { ...base, namespace: 'wire-next' });
    expect(s.result.dangers.map((d: any) => d.id)).toEqual(['wire-server', 'webapp', ...releaseNames].map((r) => `namespace-changed:${r}`).sort());
    expect(s.code).toBe(1);
  });

  test('SSO enabled: spar restarts, no danger', () => {
    const s = plan(base, { ...base, sso: { contacts: [{ type: 'ContactSupport', company: 'Example', email: 'email:support@example.org' }] } });
    expect(s.result.dangers).toEqual([]);
    expect(s.code).toBe(3);
    // spar's settings appear as one new subtree; the webapp shows its SSO login
    expect(s.release('wire-server')).toMatchObject({ change: 'changed', paths: ['spar'], restarts: ['spar'] });
    expect(s.release('webapp')).toMatchObject({ change: 'changed', paths: ['envVars.FEATURE_ENABLE_SSO'], restarts: ['webapp'] });
    expect(s.result.releases.filter((r: any) => r.change !== 'unchanged' && r.chart === 'nginx-ingress-services')).toEqual([]);
  });
});

describe('plan: usage and bad input', () => {
  test('--against a folder that is not an earlier output: exit 2', () => {
    const dir = tempDir('plan-');
    const config = writeJson(dir, 'c.json', MANY_CONFIG);
    const r = run('plan', '--config', config, '--against', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`"${dir}" is not valid as the earlier output: it has no .cdk8s-wire-multi-ingress file`);
    expect(run('plan', '--config', config).code).toBe(2);
    expect(run('plan', '--config', config, '--against', dir, '--allow', 'no-such-danger').err).toContain('--allow no-such-danger is not a danger');
  });

  test('an invalid config: exit 1, as validate', () => {
    const { dir, out } = scenarioDir(MANY_CONFIG);
    const config = writeJson(dir, 'bad.json', { defaultDomain: 'green..example.org' });
    const r = run('plan', '--config', config, '--against', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('invalid input');
  });

  test.each([
    ['not UTF-8', (m: Buffer) => Buffer.concat([m, Buffer.from([0xff, 0xfe, 0x0a])]), 'it is not UTF-8 text, as synth writes it'],
    ['a document that is text', (m: Buffer) => Buffer.concat([m, Buffer.from('---\njust text\n')]), /document \d+ \(line (\d+)\) is a string: expected a Kubernetes object/],
    ['a document that is a list', (m: Buffer) => Buffer.concat([m, Buffer.from('---\n- a\n- b\n')]), /document \d+ \(line (\d+)\) is a list: expected a Kubernetes object/],
    ['an object without a kind', (m: Buffer) => Buffer.concat([m, Buffer.from('---\napiVersion: v1\nmetadata:\n  name: x\n')]), /document \d+ \(line (\d+)\) has no kind: expected a Kubernetes object/],
    ['text that is not YAML', (m: Buffer) => Buffer.concat([m, Buffer.from('---\nkind: [\n  - {{{\n')]), /line (\d+): Flow map in block collection/],
  ])('an earlier output whose manifests are damaged (%s): plan and the guard of synth refuse it, naming the file and where, and write nothing', (_, damage, expected) => {
    // the guard trusts what it reads: a damaged manifest must never read as fewer objects (fewer dangers)
    const { dir, out } = scenarioDir(GUIDE_CONFIG);
    const manifest = path.join(out, 'wire.k8s.yaml');
    const intact = fs.readFileSync(manifest);
    fs.writeFileSync(manifest, damage(intact));
    const lines = intact.toString('utf8').split('\n').length;
    const config = writeJson(dir, 'c.json', GUIDE_CONFIG);
    const before = tree(dir);
    for (const command of ['plan', 'synth']) {
      const r = run(command, '--config', config, command === 'plan' ? '--against' : '--out', out, '--quiet');
      expect({ command, code: r.code }).toEqual({ command, code: 2 });
      expect(r.err).toContain(`"${manifest}" is not valid as the earlier output: `);
      expect(r.err).toContain('restore the folder (from version control or a backup) to compare with it, or move it away to synth without the comparison');
      const at = typeof expected === 'string' ? (expect(r.err).toContain(expected), undefined) : expected.exec(r.err);
      // the line named is the damaged part's: after the intact manifests
      if (at !== undefined) expect({ found: at !== null, line: Number(at?.[1]) >= lines }).toEqual({ found: true, line: true });
      expect(tree(dir)).toEqual(before);
    }
  });

  test('the first synth into a new folder compares nothing', () => {
    const dir = tempDir('plan-');
    const config = writeJson(dir, 'c.json', { ...GUIDE_CONFIG, namespace: 'elsewhere' });
    expect(run('synth', '--config', config, '--out', path.join(dir, 'new'), '--quiet').code).toBe(0);
  });
});
