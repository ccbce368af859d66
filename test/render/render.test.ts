/**
 * Every release of every format rendered with Wire's real charts and a real
 * helm (`helm template`), fed the way each format's engine feeds helm (see
 * ./engines.ts), with an operator's site values under the library's and
 * dummy secret values made here (openssl for the certificates). Assertions
 * are on the rendered manifests.
 *
 * The charts are read from ../shared/charts beside the project, or from the
 * folder named by WIRE_CHARTS_DIR; helm from PATH or the npm package (see
 * ../e2e/tools.ts). Without them the suite is skipped with the reason
 * outside CI, and fails under CI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { apiServerProblems, domainsNamed } from './checks';
import { EngineRelease, FormatName, engineReleases, parseManifests } from './engines';
import { wireServerSecretValues, wireServerSiteValues } from './site';
import { ExpectedSecret, IngressTls, MultiIngressBackendProps, ReleaseFormat, SamlContactType, WireDomain } from '../../src';
import { nginzDeeplinkBytes } from '../../src/limits';
import { deepMerge } from '../../src/values/merge';
import { describeIf, describeWithTools, run, tempDir } from '../e2e/tools';
import { Emitted, GUIDE, domains, synth } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const CHARTS_DIR = process.env.WIRE_CHARTS_DIR ? path.resolve(process.env.WIRE_CHARTS_DIR) : path.resolve(ROOT, '..', 'shared', 'charts');
const CHART_NAMES = ['wire-server', 'webapp', 'nginx-ingress-services'];
const NAMESPACE = 'wire';
const FORMAT_NAMES: FormatName[] = ['helmchart', 'flux', 'argocd', 'values'];
const SECRETS_REPO = 'https://git.example.org/ops/wire-secrets.git';
/** helm runs at once (each is one process, mostly CPU). */
const CONCURRENCY = Math.max(2, Math.min(4, os.cpus().length));

function formatOf(name: FormatName): ReleaseFormat {
  switch (name) {
    case 'helmchart':
      return ReleaseFormat.helmChart();
    case 'flux':
      return ReleaseFormat.flux();
    case 'argocd':
      return ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: SECRETS_REPO } });
    case 'values':
      return ReleaseFormat.valuesFiles();
  }
}

/** The packaged chart of each name in the charts folder (`<name>-<version>.tgz`). */
function findCharts(): { files: { [chart: string]: string }; missing: string[] } {
  const listing = fs.existsSync(CHARTS_DIR) ? fs.readdirSync(CHARTS_DIR).sort() : [];
  const files: { [chart: string]: string } = {};
  for (const chart of CHART_NAMES) {
    const file = listing.find((f) => new RegExp(`^${chart}-\\d[^/]*\\.tgz$`).test(f));
    if (file) files[chart] = path.join(CHARTS_DIR, file);
  }
  return { files, missing: CHART_NAMES.filter((c) => files[c] === undefined) };
}

/** The longest domain the library accepts, found by asking it (so the test follows its limit). */
function longestAcceptedDomain(): string {
  const make = (length: number) => {
    // labels of 63 characters (the DNS limit), the last one shorter, ending in a TLD
    const tld = '.example';
    let name = '';
    let label = 0;
    while (name.length + tld.length < length) {
      const room = length - tld.length - name.length - (name === '' ? 0 : 1);
      const size = Math.min(63, room);
      name += (name === '' ? '' : '.') + String.fromCharCode(97 + (label++ % 26)).repeat(size);
    }
    return name + tld;
  };
  for (let length = 253; length > 0; length--) {
    const candidate = make(length);
    if (candidate.length !== length) continue;
    try {
      WireDomain.parse(candidate);
      return candidate;
    } catch {
      // too long for the library: one shorter
    }
  }
  throw new Error('the library accepts no domain at all');
}

/** Run `fn` on every item with at most `limit` at once; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

/** A rendered release: helm's output for one release of one format. */
interface Rendered {
  readonly releaseName: string;
  readonly chart: string;
  readonly objects: any[];
  readonly text: string;
}

/** A deployment to render, and what the operator's secret values files hold. */
interface Case {
  readonly name: string;
  readonly props: MultiIngressBackendProps;
  /** Extra keys in wire-server's secret values file (a deliberate collision with the library's keys). */
  readonly wireServerSecretExtra?: { [key: string]: any };
  /** Extra keys in each domain's TLS values file. */
  readonly tlsSecretExtra?: { [key: string]: any };
}

const SSO_CONTACTS = [{ type: SamlContactType.SUPPORT, company: 'Site', email: 'email:support@site.internal' }];
const CERT_MANAGER = IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' });
const FORTY = domains(40);
const LONGEST = longestAcceptedDomain();
const LONGEST_NAME = 'the longest domain the library accepts';

const CASES: Case[] = [
  { name: "the guide's three domains, own certificates", props: GUIDE },
  { name: "the guide's three domains, cert-manager", props: { ...GUIDE, tls: CERT_MANAGER } },
  { name: 'one domain', props: { defaultDomain: 'solo.example.org' } },
  { name: '40 domains', props: { defaultDomain: FORTY[0], additionalDomains: FORTY.slice(1), tls: CERT_MANAGER } },
  { name: "the guide's three domains with SSO", props: { ...GUIDE, sso: { contacts: SSO_CONTACTS } } },
  { name: 'IDN domains', props: { defaultDomain: 'grün.example.org', additionalDomains: ['bücher.example.com', 'straße.example.net'] } },
  // the longest domain the library accepts (found by asking it, so this follows its limit)
  // (nginz's ConfigMap key nginz-https.<domain>-deeplink.json must stay within 253 characters: issue 10 item 12)
  { name: LONGEST_NAME, props: { defaultDomain: 'short.example.org', additionalDomains: [LONGEST], ingressNames: { [LONGEST]: 'longest' } } },
  {
    name: "secret values that collide with the library's keys",
    props: GUIDE,
    wireServerSecretExtra: { nginz: { nginx_conf: { deeplink: { title: 'title from the secret values file' } } } },
    tlsSecretExtra: { config: { renderCSPInIngress: false } },
  },
];

/** Self-signed certificates (EC, fast) for each domain's host names, made once per case. */
async function certificates(openssl: string, dir: string, hostsByDomain: Map<string, string[]>): Promise<Map<string, { cert: string; key: string }>> {
  const out = new Map<string, { cert: string; key: string }>();
  const entries = [...hostsByDomain.entries()].map(([domain, hosts], i) => ({ domain, hosts, i }));
  await mapLimit(entries, CONCURRENCY, async ({ domain, hosts, i }) => {
    const cn = hosts[0].length <= 64 ? hosts[0] : 'long host names';
    const r = await run(
      openssl,
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${cn}`,
        '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`, '-keyout', `${i}.key`, '-out', `${i}.crt`],
      { cwd: dir },
    );
    if (r.code !== 0) throw new Error(`openssl failed for ${domain}: ${r.stderr}`);
    out.set(domain, { cert: fs.readFileSync(path.join(dir, `${i}.crt`), 'utf8'), key: fs.readFileSync(path.join(dir, `${i}.key`), 'utf8') });
  });
  return out;
}

const charts = findCharts();

describeIf(
  charts.missing.length === 0,
  `needs Wire's packaged charts ${charts.missing.join(', ')} in ${CHARTS_DIR} (set WIRE_CHARTS_DIR to the folder that holds them)`,
  "every format rendered with Wire's real charts",
  () => {
    describeWithTools(['helm', 'openssl'], 'helm template of every release', (tools) => {
      describe.each(CASES)('$name', (c) => {
        const rendered = new Map<FormatName, Rendered[]>();
        const emittedBy = new Map<FormatName, Emitted>();
        let served: string[] = [];
        let releaseDomain = new Map<string, string>();

        beforeAll(async () => {
          const dir = tempDir('render-');
          const site = wireServerSiteValues(WireDomain.parse(c.props.defaultDomain).name);
          const props: MultiIngressBackendProps = { ...c.props, wireServerValues: site };
          for (const f of FORMAT_NAMES) emittedBy.set(f, synth({ ...props, releaseFormat: formatOf(f) }));
          const backend = emittedBy.get('helmchart')!.backend;
          served = backend.domains.map((d) => d.name);
          releaseDomain = new Map(backend.domainIngresses.map((i) => [i.releaseName, i.domain.name]));
          const certs = await certificates(tools.openssl, dir, new Map(backend.domains.map((d) => [d.name, d.hostNames])));
          let dummies = 0;
          const wireSecrets = stringify(deepMerge(wireServerSecretValues((what) => `dummy ${what} ${++dummies}`), c.wireServerSecretExtra ?? {}));
          const secretContent = (s: ExpectedSecret): string => {
            if (s.releaseName === 'wire-server') return wireSecrets;
            const domain = releaseDomain.get(s.releaseName);
            if (domain === undefined) throw new Error(`no secret values known for release ${s.releaseName}`);
            const { cert, key } = certs.get(domain)!;
            return stringify(deepMerge({ secrets: { tlsWildcardCert: cert, tlsWildcardKey: key } }, c.tlsSecretExtra ?? {}));
          };
          const jobs: Array<{ format: FormatName; release: EngineRelease; index: number }> = [];
          for (const f of FORMAT_NAMES) {
            engineReleases(f, emittedBy.get(f)!, secretContent).forEach((release, index) => jobs.push({ format: f, release, index }));
          }
          const results = await mapLimit(jobs, CONCURRENCY, async ({ format, release, index }) => {
            const files = release.layers.map((layer, i) => {
              const file = path.join(dir, `${format}-${index}-${i}.yaml`);
              fs.writeFileSync(file, layer.content);
              return file;
            });
            // helm's test hooks are not installed by any engine (only `helm test` creates them)
            const args = ['template', release.releaseName, charts.files[release.chart], '--namespace', release.namespace, '--skip-tests', ...files.flatMap((f) => ['--values', f])];
            const r = await run(tools.helm, args, { timeoutMs: 120_000 });
            if (r.code !== 0) {
              throw new Error(`${format}: helm template ${release.releaseName} (${release.layers.map((l) => l.source).join(', ')}) failed: ${r.stderr}`);
            }
            const objects = parseManifests(r.stdout);
            return { format, rendered: { releaseName: release.releaseName, chart: release.chart, objects, text: r.stdout } };
          });
          for (const f of FORMAT_NAMES) rendered.set(f, results.filter((r) => r.format === f).map((r) => r.rendered));
        }, 600_000);

        const releasesOf = (f: FormatName) => rendered.get(f)!;
        const one = (f: FormatName, name: string) => releasesOf(f).find((r) => r.releaseName === name)!;
        const find = (r: Rendered, kind: string, name?: string) =>
          r.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

        test.each(FORMAT_NAMES)('%s: every release renders, wire-server and webapp first, one ingress release per domain', (f) => {
          const names = releasesOf(f).map((r) => r.releaseName);
          expect(names.slice(0, 2).sort()).toEqual(['webapp', 'wire-server']);
          expect(names.slice(2).map((n) => releaseDomain.get(n))).toEqual(served);
          for (const r of releasesOf(f)) expect(r.objects.length).toBeGreaterThan(0);
        });

        test.each(FORMAT_NAMES)("%s: each domain's Ingress hosts, CSP, TLS Secret, Certificate and Issuer are its own and name no other domain", (f) => {
          const cm = (c.props.tls ?? IngressTls.ownCertificate()).mode === CERT_MANAGER.mode;
          for (const r of releasesOf(f).filter((x) => x.chart === 'nginx-ingress-services')) {
            const domain = releaseDomain.get(r.releaseName)!;
            const hosts = WireDomain.parse(domain).hostNames;
            const ingresses = find(r, 'Ingress');
            const ruleHosts = ingresses.flatMap((i) => i.spec.rules.map((x: any) => x.host));
            const tlsHosts = ingresses.flatMap((i) => i.spec.tls.flatMap((t: any) => t.hosts));
            expect([...new Set(ruleHosts)].sort()).toEqual([...hosts].sort());
            expect([...new Set(tlsHosts)].sort()).toEqual([...hosts].sort());
            // every rendered object of the release names this domain only
            for (const o of r.objects) {
              const named = domainsNamed(JSON.stringify(o), served);
              expect({ object: `${o.kind}/${o.metadata.name}`, named: named.filter((d) => d !== domain) }).toEqual({ object: `${o.kind}/${o.metadata.name}`, named: [] });
            }
            if (c.tlsSecretExtra === undefined) {
              const csp = ingresses.map((i) => i.metadata.annotations?.['nginx.ingress.kubernetes.io/configuration-snippet'] ?? '').filter((s: string) => s.includes('content-security-policy'));
              expect(csp.length).toBeGreaterThan(0);
              for (const s of csp) expect(domainsNamed(s, served)).toEqual([domain]);
            }
            const secretNames = [...new Set(ingresses.flatMap((i) => i.spec.tls.map((t: any) => t.secretName)))];
            expect(secretNames).toHaveLength(1);
            if (cm) {
              const certs = find(r, 'Certificate');
              expect(certs).toHaveLength(1);
              expect(certs[0].spec.secretName).toBe(secretNames[0]);
              expect([...certs[0].spec.dnsNames].sort()).toEqual([...hosts].sort());
              const issuers = find(r, certs[0].spec.issuerRef.kind, certs[0].spec.issuerRef.name);
              expect(issuers).toHaveLength(1);
              expect(issuers[0].spec.acme.email).toBe(`hostmaster@${domain}`);
              expect(find(r, 'Secret')).toEqual([]);
            } else {
              const secrets = find(r, 'Secret', secretNames[0]);
              expect(secrets).toHaveLength(1);
              expect(secrets[0].type).toBe('kubernetes.io/tls');
              expect(find(r, 'Certificate')).toEqual([]);
            }
          }
        });

        test.each(FORMAT_NAMES)('%s: galley, cargohold, nginz (one deeplink document per domain) and spar (with SSO) carry every domain', (f) => {
          const ws = one(f, 'wire-server');
          const config = (name: string, key: string) => parse(find(ws, 'ConfigMap', name)[0].data[key]);
          const byHost = (map: { [host: string]: string }) => Object.entries(map).map(([host, v]) => [host, domainsNamed(v, served)]);
          const expected = served.map((d) => [`nginz-https.${d}`, [d]]);
          expect(byHost(config('galley', 'galley.yaml').settings.multiIngress).sort()).toEqual(expected.sort());
          expect(byHost(config('cargohold', 'cargohold.yaml').aws.multiIngress).sort()).toEqual(expected.sort());
          const deeplink = find(ws, 'ConfigMap', 'nginz-deeplink')[0].data;
          expect(Object.keys(deeplink).sort()).toEqual(served.flatMap((d) => [`nginz-https.${d}-deeplink.html`, `nginz-https.${d}-deeplink.json`]).sort());
          for (const d of served) {
            expect(domainsNamed(deeplink[`nginz-https.${d}-deeplink.json`], served)).toEqual([d]);
            expect(JSON.parse(deeplink[`nginz-https.${d}-deeplink.json`]).endpoints.backendURL).toBe(`https://nginz-https.${d}`);
          }
          // the size the library reckons for this ConfigMap (its limit is 1 MiB: src/limits.ts) is the size helm renders
          const bytes = Object.values(deeplink).reduce((n: number, v) => n + Buffer.byteLength(String(v)), 0);
          expect(bytes).toBe(nginzDeeplinkBytes(emittedBy.get(f)!.backend.wireServerValues.nginz.nginx_conf));
          if (c.props.sso) {
            const spar = config('spar', 'spar.yaml');
            expect(Object.keys(spar.saml.spDomainConfigs).sort()).toEqual(served.map((d) => `nginz-https.${d}`).sort());
            for (const [host, v] of Object.entries(spar.saml.spDomainConfigs)) expect(domainsNamed(JSON.stringify(v), served)).toEqual([host.slice('nginz-https.'.length)]);
          }
        });

        test.each(FORMAT_NAMES)('%s: no two releases render the same object, and the API server accepts every name, label and key', (f) => {
          const owner = new Map<string, string>();
          const clashes: string[] = [];
          const problems: string[] = [];
          for (const r of releasesOf(f)) {
            for (const o of r.objects) {
              const id = `${o.kind}/${o.metadata.namespace ?? NAMESPACE}/${o.metadata.name}`;
              if (owner.has(id) && owner.get(id) !== r.releaseName) clashes.push(`${id}: ${owner.get(id)} and ${r.releaseName}`);
              owner.set(id, r.releaseName);
              problems.push(...apiServerProblems(o).map((p) => `${r.releaseName}: ${p}`));
            }
          }
          expect(clashes).toEqual([]);
          expect(problems).toEqual([]);
        });

        test('every format renders the same manifests for the same input', () => {
          const canonical = (f: FormatName) =>
            releasesOf(f).map((r) => ({ release: r.releaseName, objects: r.objects.map((o) => JSON.stringify(o)).sort() }));
          const reference = canonical('helmchart');
          for (const f of FORMAT_NAMES.slice(1)) {
            const other = canonical(f);
            expect(other.map((r) => r.release)).toEqual(reference.map((r) => r.release));
            for (const [i, r] of other.entries()) {
              const differing = r.objects.filter((o) => !reference[i].objects.includes(o)).map((o) => JSON.parse(o)).map((o) => `${o.kind}/${o.metadata.name}`);
              expect({ format: f, release: r.release, differing }).toEqual({ format: f, release: r.release, differing: [] });
            }
          }
          if (c.wireServerSecretExtra) {
            // the library's value wins in every format
            const deeplink = find(one('helmchart', 'wire-server'), 'ConfigMap', 'nginz-deeplink')[0].data;
            expect(deeplink[`nginz-https.${served[0]}-deeplink.json`]).not.toContain('title from the secret values file');
          }
          if (c.tlsSecretExtra) {
            const ingress = find(releasesOf('helmchart').find((r) => r.chart === 'nginx-ingress-services')!, 'Ingress');
            expect(ingress.some((i) => (i.metadata.annotations?.['nginx.ingress.kubernetes.io/configuration-snippet'] ?? '').includes('content-security-policy'))).toBe(true);
          }
        });
      });
    });
  },
);
