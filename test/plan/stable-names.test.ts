/**
 * Stable names as a promise: the release and ingress names of a fixed domain
 * set, written by hand from the naming rule (test/plan/fixtures/stable-names.json),
 * are what the library emits, in every release format, whatever other
 * domains are added, removed or reordered. A change of the naming code fails
 * this test; it needs a documented migration, not an edit of the fixture.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ReleaseFormat } from '../../src';
import { ingressReleases, synth } from '../util';

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'stable-names.json'), 'utf8'));
const EXPECTED: Array<{ domain: string; ingressName: string; release: string }> = FIXTURE.expected;

const props = (additionalDomains: string[]) => ({
  defaultDomain: FIXTURE.defaultDomain as string,
  additionalDomains,
  ingressNames: additionalDomains.includes('chosen.example.ch') ? FIXTURE.ingressNames : undefined,
});

test('the fixture covers each case of the rule: default, dots, case and trailing dot, IDN, 27 characters, hashed, hyphen dropped before the hash, chosen', () => {
  expect(EXPECTED).toHaveLength(FIXTURE.additionalDomains.length + 1);
  const hashed = EXPECTED.filter((e) => /-[0-9a-f]{8}$/.test(e.ingressName)).map((e) => e.ingressName.length);
  // 18 characters, or 17 when the 18th is a hyphen, then the hash: at most 27 (release names within 50 characters)
  expect(hashed.sort()).toEqual([26, 27, 27]);
  expect(EXPECTED.some((e) => e.ingressName.length === 27 && !/-[0-9a-f]{8}$/.test(e.ingressName))).toBe(true);
});

test('the emitted names are the fixture: construct, HelmChart objects, ingress values, TLS Secrets', () => {
  const emitted = synth(props(FIXTURE.additionalDomains));
  const names = emitted.backend.domainIngresses.map((d) => ({ domain: d.domain.name, ingressName: d.ingressName, release: d.releaseName }));
  expect(names).toEqual(EXPECTED);
  const releases = ingressReleases(emitted);
  expect(releases.map((r) => ({ domain: r.values.config.dns.base, ingressName: r.values.ingressName ?? '', release: r.name }))).toEqual(EXPECTED);
  const secrets = emitted.backend.expectedSecrets.filter((s) => s.key === 'tls-values.yaml').map((s) => s.name);
  expect(secrets).toEqual(EXPECTED.map((e) => `${e.release}-tls`));
});

test('adding, removing and reordering the other domains renames no release', () => {
  const byDomain = new Map(EXPECTED.map((e) => [e.domain, e.release]));
  const lists = [
    [...FIXTURE.additionalDomains].reverse(),
    FIXTURE.additionalDomains.filter((_: string, i: number) => i % 2 === 0),
    ['zzz.example.se', ...FIXTURE.additionalDomains.slice(3), 'aaa.example.fi'],
  ];
  for (const list of lists) {
    const emitted = synth(props(list));
    for (const d of emitted.backend.domainIngresses) {
      if (byDomain.has(d.domain.name)) expect([d.domain.name, d.releaseName]).toEqual([d.domain.name, byDomain.get(d.domain.name)]);
    }
  }
});

test.each([
  ['flux', ReleaseFormat.flux(), (o: any) => (o.kind === 'HelmRelease' && o.spec.chart.spec.chart === 'nginx-ingress-services' ? o.spec.releaseName : undefined)],
  [
    'argocd',
    ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: 'https://git.example.org/ops/secrets.git', path: 'wire' } }),
    (o: any) => (o.kind === 'Application' && (o.spec.sources?.[0] ?? o.spec.source).chart === 'nginx-ingress-services' ? (o.spec.sources?.[0] ?? o.spec.source).helm.releaseName : undefined),
  ],
])('the %s format installs the same release names', (_, releaseFormat, nameOf) => {
  const emitted = synth({ ...props(FIXTURE.additionalDomains), releaseFormat });
  expect(emitted.objects.map(nameOf).filter((n) => n !== undefined)).toEqual(EXPECTED.map((e) => e.release));
});

test('the values-files format names its files and deploy.sh releases the same way', () => {
  const emitted = synth({ ...props(FIXTURE.additionalDomains), releaseFormat: ReleaseFormat.valuesFiles() });
  const installed = [...emitted.files['deploy.sh'].matchAll(/^helm upgrade --install (\S+) nginx-ingress-services /gm)].map((m) => m[1]);
  expect(installed).toEqual(EXPECTED.map((e) => e.release));
});
