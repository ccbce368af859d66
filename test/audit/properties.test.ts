/**
 * Property-based tests: for random sets of 1 to 200 valid domains (mixed
 * TLDs, nested sub-domains, labels up to 63 characters), the honest output
 * has no error finding, and nothing a domain shows names another domain.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { FindingSeverity, IngressTls, MultiIngressBackend, MultiIngressBackendProps, SamlContactType, WireDomain } from '../../src';
import { captureWarnings } from '../util';

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
const TLDS = ['com', 'net', 'org', 'de', 'io', 'example', 'co.uk', 'com.au', 'nl', 'app', 'xyz', 'museum'];

const label = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...CHARS), minLength, maxLength }).filter((l) => LABEL.test(l) && !l.startsWith('xn--'));
/** Mostly short labels, some long ones up to 63 characters. */
const anyLabel = fc.oneof({ arbitrary: label(1, 12), weight: 5 }, { arbitrary: label(40, 63), weight: 1 });
const domain = fc.tuple(fc.array(anyLabel, { minLength: 1, maxLength: 3 }), fc.constantFrom(...TLDS)).map(([labels, tld]) => [...labels, tld].join('.'));

/**
 * 1 to 200 distinct domains; some are sub-domains of earlier ones (nested).
 * Mostly small sets, with a share of large ones. Honest domains are
 * registered apart: two share their label above the TLD (their registrable
 * domain: every TLD here is a public suffix) only when one contains the
 * other, so nesting makes chains, never siblings such as a.example.com beside
 * b.example.com (the registrable-domain error).
 */
const domainSets = fc
  .oneof({ arbitrary: fc.integer({ min: 1, max: 30 }), weight: 3 }, { arbitrary: fc.integer({ min: 31, max: 200 }), weight: 1 })
  .chain((n) => fc.array(fc.tuple(domain, fc.boolean(), fc.nat(), anyLabel), { minLength: n, maxLength: n }))
  .map((steps) => {
    const out: string[] = [];
    const slugs = new Set<string>();
    const registered = new Set<string>();
    const parents = new Set<string>();
    for (const [fresh, nest, pick, sub] of steps) {
      const parent = nest && out.length > 0 ? out[pick % out.length] : undefined;
      const name = parent !== undefined ? `${sub}.${parent}` : fresh;
      const registrable = TLDS.map((t) => `.${t}`).filter((t) => fresh.endsWith(t)).sort((a, b) => b.length - a.length)[0];
      const key = fresh.slice(0, -registrable.length).split('.').pop() + registrable;
      // skip names that are too long, repeated, or that would share a derived ingress name or a registrable domain
      const slug = name.replace(/\./g, '-');
      if (slugs.has(slug) || !parses(name)) continue;
      if (parent === undefined ? registered.has(key) : parents.has(parent)) continue;
      slugs.add(slug);
      if (parent === undefined) registered.add(key);
      else parents.add(parent);
      out.push(name);
    }
    return out;
  })
  .filter((names) => names.length > 0);

function parses(name: string): boolean {
  try {
    return WireDomain.parse(name).name === name;
  } catch {
    return false;
  }
}

/** Honest options: per-domain e-mails and certificates, calling and contacts that name no domain. */
const options = fc.record({
  certManager: fc.boolean(),
  calling: fc.boolean(),
  sso: fc.boolean(),
});

function propsFor(names: string[], o: { certManager: boolean; calling: boolean; sso: boolean }): MultiIngressBackendProps {
  return {
    defaultDomain: names[0],
    additionalDomains: names.slice(1),
    tls: o.certManager ? IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}', issuerKind: undefined }) : IngressTls.ownCertificate(),
    ingressServicesValues: { service: { useFakeS3: true, s3: { serviceName: 'minio-external' } } },
    ...(o.calling ? { calling: { turnUris: ['turn:turn.calling.invalid:3478'], sftUrl: 'https://sft.calling.invalid' } } : {}),
    ...(o.sso ? { sso: { contacts: [{ type: SamlContactType.SUPPORT, email: 'email:support@contact.invalid' }] } } : {}),
  };
}

/**
 * The domain that owns a host-like token: the longest domain that it is or
 * ends in on a label boundary (written independently of the library's matcher).
 */
function ownerOf(token: string, names: ReadonlySet<string>): string | undefined {
  for (let rest = token; ; rest = rest.slice(rest.indexOf('.') + 1)) {
    if (names.has(rest)) {
      return rest;
    }
    if (!rest.includes('.')) {
      return undefined;
    }
  }
}

/** Other domains a string names, seen from `self`. */
function othersNamed(text: string, self: string, names: ReadonlySet<string>): string[] {
  const tokens = text.toLowerCase().match(/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/g) ?? [];
  return tokens.map((t) => ownerOf(t, names)).filter((d): d is string => d !== undefined && d !== self);
}

/** Examples always checked: one domain, and 200. */
const examples: Array<[string[], { certManager: boolean; calling: boolean; sso: boolean }]> = [
  [['green.example.org'], { certManager: false, calling: false, sso: false }],
  [Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `d${i}-example.com` : `s${i}.d${i - 1}-example.com`)), { certManager: true, calling: true, sso: true }],
];

test('honest output has no error finding, and every domain observes only itself', () => {
  fc.assert(
    fc.property(domainSets, options, (names, o) => {
      const chart = new Chart(Testing.app(), 'wire');
      const backend = new MultiIngressBackend(chart, 'backend', propsFor(names, o));
      const report = backend.audit();
      expect(report.findings.filter((f) => f.severity === FindingSeverity.ERROR)).toEqual([]);
      expect(report.passed).toBe(true);
      expect(new Set(report.observations.map((x) => x.domain))).toEqual(new Set(names));
      const set = new Set(names);
      const leaks = report.observations.filter((x) => othersNamed(x.value, x.domain, set).length > 0);
      expect(leaks).toEqual([]);
    }),
    { numRuns: 25, examples },
  );
});

test("every domain's emitted ingress release names no other domain, and the synthesis passes the audit", () => {
  fc.assert(
    fc.property(domainSets, options, (names, o) => {
      const chart = new Chart(Testing.app(), 'wire');
      const backend = new MultiIngressBackend(chart, 'backend', propsFor(names, o));
      const output = captureWarnings();
      let objects: any[];
      try {
        objects = Testing.synth(chart);
      } finally {
        output.restore();
      }
      const set = new Set(names);
      const byRelease = new Map(backend.domainIngresses.map((d) => [d.releaseName, d.domain.name]));
      const ingresses = objects.filter((x) => x.kind === 'HelmChart' && byRelease.has(x.metadata.name));
      expect(ingresses).toHaveLength(names.length);
      for (const x of ingresses) {
        const self = byRelease.get(x.metadata.name)!;
        expect(othersNamed(JSON.stringify(parse(x.spec.valuesContent)), self, set)).toEqual([]);
        expect(othersNamed(JSON.stringify(x.metadata), self, set)).toEqual([]);
      }
    }),
    { numRuns: 25, examples },
  );
});
