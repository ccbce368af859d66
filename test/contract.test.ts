/**
 * The contract of wire-charts.md, checked on what is emitted for 1, 3 and 50
 * domains, and for hundreds of domains written the way operators write them.
 */
import { domainToASCII } from 'url';
import { checkContract } from './contract';
import { domains, ingressReleases, synth } from './util';

describe.each([
  ['1 domain', 0],
  ['3 domains', 2],
  ['50 domains', 49],
])('wire-charts.md contract for %s', (_label, extra) => {
  const all = domains(extra + 1);
  const [def, ...additional] = all;
  const emitted = synth({ defaultDomain: def, additionalDomains: additional });

  test('every rule holds on the emitted values', () => {
    checkContract(emitted, def, additional);
  });

  test('releases: wire-server, webapp and one ingress per domain, nothing else', () => {
    const releases = ['wire-server', 'webapp', ...ingressReleases(emitted).map((r) => r.name)].sort();
    const named = (kind: string) => emitted.objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    expect(named('HelmChart')).toEqual(releases);
    expect(named('HelmChart')).toHaveLength(all.length + 2);
    // and, for each release with secret values (own certificates: all but webapp), the HelmChartConfig that re-applies its values after them
    expect(named('HelmChartConfig')).toEqual(releases.filter((r) => r !== 'webapp'));
    expect(emitted.objects).toHaveLength(2 * all.length + 3);
  });
});

test("the guide's three domains with its short ingress names", () => {
  const emitted = synth({
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com', 'blue.example.net'],
    ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
  });
  checkContract(emitted, 'green.example.org', ['red.example.com', 'blue.example.net']);
  expect(ingressReleases(emitted).map((r) => r.name)).toEqual([
    'nginx-ingress-services',
    'nginx-ingress-services-red',
    'nginx-ingress-services-blue',
  ]);
});

test('hundreds of domains as operators write them: upper case, trailing dots, IDN, long labels', () => {
  // each under its own registrable domain (siblings under one are the audit's registrable-domain error)
  const long = (i: number) => `${'l'.repeat(60)}${String(i).padStart(3, '0')}.${'k'.repeat(60)}${String(i).padStart(3, '0')}.example`;
  const raw = Array.from({ length: 300 }, (_, i) => {
    switch (i % 4) {
      case 0: return `  Team${i}.Example${i}.COM. `;
      case 1: return `bücher${i}.münchen${i}.de`;
      case 2: return long(i);
      default: return `svc-${i}.corp${i}.net.`;
    }
  });
  const normalised = raw.map((r) => domainToASCII(r.trim().replace(/\.$/, '').toLowerCase()));
  const emitted = synth({ defaultDomain: 'Green.Example.ORG.', additionalDomains: raw });
  checkContract(emitted, 'green.example.org', normalised);
  expect(normalised.filter((d) => d.includes('xn--')).length).toBe(75);
});
