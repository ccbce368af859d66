/**
 * The properties of design.md ("Properties that hold for any number of
 * domains"), checked with fast-check on random sets of 1 to 500 valid domains:
 * mixed TLDs, nested sub-domains, labels up to 63 characters, written with
 * upper case and trailing dots as operators write them.
 */
import fc from 'fast-check';
import { checkContract } from './contract';
import { Emitted, synth } from './util';
import { IngressTls, ReleaseFormat, WireDomain } from '../src';

const label = fc
  .tuple(fc.stringMatching(/^[a-z0-9]$/), fc.stringMatching(/^[a-z0-9-]{0,61}$/), fc.stringMatching(/^[a-z0-9]$/))
  .map(([a, mid, z]) => (mid.length === 0 ? a : `${a}${mid}${z}`))
  .filter((l) => !/^xn--/.test(l) && l.length <= 63);
const tld = fc.constantFrom('com', 'net', 'org', 'de', 'io', 'example', 'co.uk', 'xn--p1ai');

/**
 * A set of distinct valid domains (normalised), some nested in others.
 * Domains an operator serves apart are registered apart: two domains share
 * their last label above the TLD (their registrable domain, as every TLD here
 * is a public suffix) only when one contains the other, so nesting makes
 * chains (example.com, red.example.com, x.red.example.com), not siblings
 * (a.example.com beside b.example.com is the audit's registrable-domain error).
 */
const domainSet = (max: number) =>
  fc
    .array(fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld, fc.nat(), fc.boolean()), { minLength: 1, maxLength: max, size: 'max' })
    .map((parts) => {
      const out: string[] = [];
      const registered = new Set<string>();
      const parents = new Set<string>();
      for (const [labels, top, pick, nest] of parts) {
        // nest under an earlier domain (that has no sub-domain yet) now and then: example.com next to red.example.com
        const parent = nest && out.length > 0 ? out[pick % out.length] : undefined;
        if (parent !== undefined && parents.has(parent)) continue;
        const d = `${labels.join('.')}.${parent ?? top}`;
        const registrable = `${labels[labels.length - 1]}.${top}`;
        if (d.length > WireDomain.MAX_LENGTH || out.includes(d) || (parent === undefined && registered.has(registrable))) continue;
        if (parent !== undefined) parents.add(parent);
        registered.add(registrable);
        out.push(d);
      }
      return out;
    })
    .filter((ds) => ds.length > 0);

/** How an operator might write a domain: upper case, a trailing dot. */
function asWritten(d: string, i: number): string {
  return i % 3 === 1 ? d.toUpperCase() : i % 3 === 2 ? `${d}.` : d;
}

function emit(all: string[]): Emitted {
  const [def, ...additional] = all;
  return synth({ defaultDomain: asWritten(def, 0), additionalDomains: additional.map((d, i) => asWritten(d, i + 1)) });
}

const K8S_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

describe('for any set of 1 to 500 domains', () => {
  test('every domain appears exactly once in every per-domain map and list, and no release names another domain', () => {
    fc.assert(
      fc.property(domainSet(500), (all) => {
        checkContract(emit(all), all[0], all.slice(1));
      }),
      { numRuns: 12 },
    );
  });

  test('names are valid Kubernetes and Helm release names, and unique', () => {
    fc.assert(
      fc.property(domainSet(300), (all) => {
        const { objects } = emit(all);
        // unique per kind (a HelmChartConfig carries the name of its HelmChart)
        const names = objects.map((o) => o.metadata.name as string);
        const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
        expect(new Set(ids).size).toBe(ids.length);
        for (const name of names) {
          expect(name).toMatch(K8S_NAME);
          expect(name.length).toBeLessThanOrEqual(53);
        }
      }),
      { numRuns: 12 },
    );
  });

  test('two runs give identical bytes, in every format', () => {
    const formats = [() => ReleaseFormat.helmChart(), () => ReleaseFormat.flux(), () => ReleaseFormat.valuesFiles()];
    fc.assert(
      fc.property(domainSet(200), fc.nat(formats.length - 1), (all, f) => {
        const [def, ...additional] = all;
        const run = () => synth({ defaultDomain: def, additionalDomains: additional, releaseFormat: formats[f]() });
        const a = run();
        const b = run();
        expect(b.yaml).toBe(a.yaml);
        expect(b.files).toEqual(a.files);
      }),
      { numRuns: 10 },
    );
  });

  test('no private key or password is written, whatever the base values carry', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `pw-${s}`);
    fc.assert(
      fc.property(domainSet(50), secret, fc.boolean(), (all, password, certManager) => {
        const [def, ...additional] = all;
        const emitted = synth({
          defaultDomain: def,
          additionalDomains: additional,
          tls: certManager ? IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }) : IngressTls.ownCertificate(),
          wireServerValues: { brig: { secrets: { smtpPassword: password } }, galley: { secrets: { awsSecretKey: password } } },
          ingressServicesValues: { secrets: { tlsWildcardKey: password } },
        });
        const text = [emitted.yaml, ...Object.values(emitted.files)].join('\n');
        expect(text).not.toContain(password);
        expect(text).not.toMatch(/PRIVATE KEY/);
      }),
      { numRuns: 15 },
    );
  });
});
