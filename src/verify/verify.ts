/**
 * `verify`: probe a live deployment from outside, per domain, and report
 * every link between domains that an observer can see: DNS answers, TLS
 * certificates, HTTP answers and headers. Ids are the audit's where they
 * mean the same (`shared-address:<ip>`, `shared-email:<mailbox>`,
 * `shared-certificate:<...>`, `foreign-domain:<domain>:<other>:<hash>`).
 */
import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { Endpoint, HttpResult, TlsResult, addressesOf, certificateNames, pool, request, resolver, tlsHandshake, zoneOf } from './probe';
import { DomainTarget, VerifyTarget } from './target';
import { abbreviate, byCodeUnit, listed, shortHash } from '../audit/text';
import { quote } from '../errors';
import { domainsNamedIn } from '../values/merge';

/** One thing `verify` found. */
export interface VerifyFinding {
  /** Stable id: the same from run to run for the same link. */
  readonly id: string;
  /** The check: `dns`, `tls`, `http`, or the audit's (`shared-address`, `foreign-domain`, ...). */
  readonly check: string;
  /** `error` (a link or a broken expectation: exit code 1) or `info` (something not checked). */
  readonly severity: 'error' | 'info';
  /** The domains concerned, the one whose answer it is first. */
  readonly domains: string[];
  /** What was probed, e.g. `DNS A/AAAA of nginz-https.red.example.com`. */
  readonly probe: string;
  /** The evidence: what was answered. */
  readonly evidence: string;
  /** What was found, naming the domains. */
  readonly message: string;
}

/** How `verify` probes. */
export interface VerifyOptions {
  /** Where to connect instead of the DNS answer: `<host-or-domain>:<port>` (port 443 or 80) to an endpoint. */
  readonly connect: ReadonlyMap<string, Endpoint>;
  /** DNS servers (`ip[:port]`); none: the system's. */
  readonly dnsServers: readonly string[];
  /** PEM of the CAs that are trusted instead of the system's. */
  readonly ca?: string;
  /** Timeout of each probe. */
  readonly timeoutMs: number;
  /** Domains probed at once. */
  readonly concurrency: number;
  /** Told how many domains are done. */
  readonly progress?: (done: number, total: number) => void;
}

/** What `verify` did and found. */
export interface VerifyResult {
  readonly domains: string[];
  /** How many probes of each kind ran. */
  readonly probes: { dns: number; tls: number; http: number };
  /** Sorted by id. */
  readonly findings: VerifyFinding[];
  /** No error finding. */
  readonly passed: boolean;
}

/** A host used as an unknown Host header: `.invalid` is reserved (RFC 2606), no deployment serves it. */
export const UNKNOWN_HOST = 'verify-unknown-host.invalid';

interface Seen {
  addresses: Map<string, string[]>; // host -> addresses
  zone?: { ns: string[]; soa?: { nsname: string; hostmaster: string } };
  certs: Array<{ host: string; cert: NonNullable<TlsResult['cert']> }>;
}

/** Probe the deployment and compare what it shows with what the configuration describes. */
export async function verify(target: VerifyTarget, options: VerifyOptions): Promise<VerifyResult> {
  const names = new Set(target.domains.map((d) => d.domain));
  const entryOwner = new Map<string, string>();
  for (const d of target.domains) if (d.entryAddress !== undefined) entryOwner.set(d.entryAddress, d.domain);
  const findings = new Map<string, VerifyFinding>();
  const add = (f: VerifyFinding) => {
    if (!findings.has(f.id)) findings.set(f.id, f);
  };
  const probes = { dns: 0, tls: 0, http: 0 };
  const r = resolver(options.dnsServers, options.timeoutMs);
  const seen = new Map<string, Seen>();

  /** Names of other domains (and of nothing served) a text shows, as foreign-domain findings. */
  const scan = (self: string, text: string, probe: string, where: string) => {
    for (const m of domainsNamedIn(text, names)) {
      if (m.domain === self) continue;
      add({
        id: `foreign-domain:${self}:${m.domain}:${shortHash(probe, where)}`,
        check: 'foreign-domain',
        severity: 'error',
        domains: [self, m.domain],
        probe,
        evidence: `${where}: ${quote(abbreviate(text))}`,
        message: `${self}'s ${probe} names ${m.domain} (${where}: ${quote(abbreviate(m.token))})`,
      });
    }
  };

  const endpointOf = (d: DomainTarget, host: string, port: number, s: Seen): Endpoint | undefined => {
    const pinned = options.connect.get(`${host}:${port}`) ?? options.connect.get(`${d.domain}:${port}`);
    if (pinned) return pinned;
    const resolved = s.addresses.get(host)?.[0];
    return resolved === undefined ? undefined : { ip: resolved, port };
  };

  async function dnsOf(d: DomainTarget, s: Seen): Promise<void> {
    for (const host of d.hosts) {
      probes.dns++;
      const { addresses, error } = await addressesOf(r, host);
      s.addresses.set(host, addresses);
      const probe = `DNS A/AAAA of ${host}`;
      if (error !== undefined) {
        add({ id: `dns-unresolved:${host}`, check: 'dns', severity: 'error', domains: [d.domain], probe, evidence: error, message: `${host} does not resolve (${error})` });
        continue;
      }
      for (const a of addresses) {
        const owner = entryOwner.get(a);
        if (owner !== undefined && owner !== d.domain) {
          add({
            id: `shared-address:${a}`,
            check: 'shared-address',
            severity: 'error',
            domains: [d.domain, owner],
            probe,
            evidence: `${host} -> ${addresses.join(', ')}`,
            message: `${host} resolves to ${a}, the entry address of ${owner}: whoever resolves both sees one service`,
          });
        } else if (a === target.backendAddress) {
          add({ id: `dns-backend-address:${host}`, check: 'dns', severity: 'error', domains: [d.domain], probe, evidence: `${host} -> ${addresses.join(', ')}`, message: `${host} resolves to the backend's own address ${a}, which every domain shares` });
        } else if (d.entryAddress !== undefined && a !== d.entryAddress) {
          add({ id: `dns-wrong-address:${host}`, check: 'dns', severity: 'error', domains: [d.domain], probe, evidence: `${host} -> ${addresses.join(', ')}`, message: `${host} resolves to ${a}, not to the entry address of ${d.domain} (${d.entryAddress})` });
        }
      }
    }
    probes.dns += 2;
    const zone = await zoneOf(r, d.domain);
    if (zone.error !== undefined || zone.soa === undefined || zone.ns.length === 0) {
      add({ id: `dns-no-zone:${d.domain}`, check: 'dns', severity: 'error', domains: [d.domain], probe: `DNS NS/SOA of ${d.domain}`, evidence: zone.error ?? 'no answer', message: `the zone ${d.domain} answers no NS or SOA (${zone.error ?? 'no answer'}): its nameservers and contact cannot be compared` });
    }
    s.zone = { ns: zone.ns, ...(zone.soa ? { soa: { nsname: zone.soa.nsname.toLowerCase(), hostmaster: zone.soa.hostmaster.toLowerCase() } } : {}) };
    for (const ns of zone.ns) scan(d.domain, ns, `DNS NS of ${d.domain}`, 'NS');
    if (zone.soa) scan(d.domain, `${zone.soa.nsname} ${zone.soa.hostmaster}`, `DNS SOA of ${d.domain}`, 'SOA');
  }

  async function tlsOf(d: DomainTarget, s: Seen): Promise<void> {
    for (const host of d.hosts) {
      const to = endpointOf(d, host, 443, s);
      if (!to) continue; // unresolved: reported by DNS
      probes.tls++;
      const t = await tlsHandshake(to, host, options.ca, options.timeoutMs);
      const probe = `TLS certificate of ${host}`;
      if (!t.cert) {
        add({ id: `unreachable:${host}:443`, check: 'tls', severity: 'error', domains: [d.domain], probe, evidence: `${to.ip}:${to.port}: ${t.error}`, message: `no TLS handshake with ${host} at ${to.ip}:${to.port} (${t.error})` });
        continue;
      }
      s.certs.push({ host, cert: t.cert });
      const certNames = certificateNames(t.cert);
      if (t.nameMismatch) {
        add({ id: `tls-name:${host}`, check: 'tls', severity: 'error', domains: [d.domain], probe, evidence: `names: ${certNames.join(', ')}`, message: `the certificate ${host} presents is not valid for it (${t.nameMismatch})` });
      }
      if (t.untrusted) {
        add({ id: `tls-untrusted:${host}`, check: 'tls', severity: 'error', domains: [d.domain], probe, evidence: t.untrusted, message: `the certificate chain of ${host} does not verify (${t.untrusted})` });
      }
      for (const n of certNames) {
        scan(d.domain, n, probe, 'subjectAltName/CN');
        const own = n === d.domain || n.endsWith(`.${d.domain}`);
        if (!own && domainsNamedIn(n, names).length === 0) {
          add({ id: `tls-outside-name:${d.domain}:${n}`, check: 'tls', severity: 'error', domains: [d.domain], probe, evidence: `names: ${certNames.join(', ')}`, message: `the certificate of ${host} also carries ${n}, a name outside ${d.domain}` });
        }
      }
    }
    // another domain's SNI at this domain's address must not get that domain's certificate
    const own = endpointOf(d, d.hosts[0], 443, s);
    if (!own) return;
    for (const other of target.domains) {
      if (other.domain === d.domain) continue;
      probes.tls++;
      const t = await tlsHandshake(own, other.hosts[0], options.ca, options.timeoutMs);
      const shown = t.cert ? certificateNames(t.cert) : [];
      if (shown.some((n) => domainsNamedIn(n, names).some((m) => m.domain === other.domain))) {
        add({
          id: `foreign-sni:${d.domain}:${other.domain}`,
          check: 'tls',
          severity: 'error',
          domains: [d.domain, other.domain],
          probe: `TLS at ${d.domain}'s address ${own.ip}:${own.port} with SNI ${other.hosts[0]}`,
          evidence: `names: ${shown.join(', ')}`,
          message: `${d.domain}'s address answers the SNI ${other.hosts[0]} with a certificate for ${other.domain}: active probing links them`,
        });
      }
    }
  }

  /** Headers and body of an answer to an own request: no other domain, no proxy chain, a bare Server. */
  const checkAnswer = (d: DomainTarget, res: HttpResult, probe: string) => {
    for (const [name, value] of res.headers) {
      scan(d.domain, value, probe, `header ${name}`);
      if (name === 'via') {
        add({ id: `via-header:${d.domain}`, check: 'http', severity: 'error', domains: [d.domain], probe, evidence: `via: ${abbreviate(value)}`, message: `${d.domain}'s ${probe} carries a Via header (${quote(abbreviate(value))}): it shows the proxies behind the domain` });
      }
      if (name === 'server' && !/^[A-Za-z][A-Za-z0-9_-]*(\/[0-9][0-9A-Za-z.-]*)?$/.test(value)) {
        add({ id: `server-header:${d.domain}`, check: 'http', severity: 'error', domains: [d.domain], probe, evidence: `server: ${abbreviate(value)}`, message: `${d.domain}'s ${probe} has a Server header beyond a product name and version (${quote(abbreviate(value))})` });
      }
    }
    scan(d.domain, res.body, probe, 'body');
  };

  async function httpOf(d: DomainTarget, s: Seen): Promise<void> {
    const api = d.hosts[0];
    const to = endpointOf(d, api, 443, s);
    const foreignOrigin = target.domains.find((o) => o.domain !== d.domain);
    if (to) {
      probes.http++;
      const probe = `HTTPS GET https://${api}/deeplink.json`;
      const res = await request('https', to, {
        host: api,
        path: '/deeplink.json',
        headers: foreignOrigin ? { origin: `https://webapp.${foreignOrigin.domain}` } : {},
        ca: options.ca,
        timeoutMs: options.timeoutMs,
      });
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = undefined;
      }
      if (res.status !== 200 || !isDeepStrictEqual(parsed, d.deeplink)) {
        const evidence = res.error ?? `status ${res.status}, body ${quote(abbreviate(res.body))}`;
        add({ id: `deeplink:${d.domain}`, check: 'http', severity: 'error', domains: [d.domain], probe, evidence, message: `https://${api}/deeplink.json is not the document synthesized for ${d.domain} (${evidence})` });
      }
      checkAnswer(d, res, probe);
      // another domain's Host, and an unknown one, through this domain's own TLS connection
      for (const other of [...target.domains.filter((o) => o.domain !== d.domain).map((o) => o.hosts[0]), UNKNOWN_HOST]) {
        probes.http++;
        const foreign = await request('https', to, { sni: api, host: other, path: '/deeplink.json', ca: options.ca, timeoutMs: options.timeoutMs });
        if (foreign.status !== undefined && foreign.status >= 200 && foreign.status < 300) {
          const otherDomain = target.domains.find((o) => o.hosts[0] === other)?.domain;
          add({
            id: otherDomain ? `foreign-host:${d.domain}:${otherDomain}` : `unknown-host:${d.domain}`,
            check: 'http',
            severity: 'error',
            domains: otherDomain ? [d.domain, otherDomain] : [d.domain],
            probe: `HTTPS GET /deeplink.json at ${d.domain}'s address with SNI ${api} and Host ${other}`,
            evidence: `status ${foreign.status}, body ${quote(abbreviate(foreign.body))}`,
            message: `${d.domain}'s entry point answers ${foreign.status} for the Host ${other}${otherDomain ? `, a host of ${otherDomain}` : ''} (expected 403)`,
          });
        }
      }
    }
    // the webapp's served page and configuration
    const webapp = d.hosts.find((h) => h.startsWith('webapp.'));
    const webappAt = webapp === undefined ? undefined : endpointOf(d, webapp, 443, s);
    if (webapp !== undefined && webappAt) {
      for (const p of ['/', '/config.js']) {
        probes.http++;
        const probe = `HTTPS GET https://${webapp}${p}`;
        checkAnswer(d, await request('https', webappAt, { host: webapp, path: p, ca: options.ca, timeoutMs: options.timeoutMs }), probe);
      }
    }
    if (!target.httpRedirect) return;
    for (const host of [api, ...(webapp === undefined ? [] : [webapp])]) {
      const plain = endpointOf(d, host, 80, s);
      if (!plain) continue;
      probes.http++;
      const probe = `HTTP GET http://${host}/deeplink.json`;
      const res = await request('http', plain, { host, path: '/deeplink.json', timeoutMs: options.timeoutMs });
      const location = res.headers.find(([n]) => n === 'location')?.[1];
      const expected = `https://${host}/deeplink.json`;
      if (res.status === undefined || res.status < 300 || res.status > 308 || location !== expected) {
        const evidence = res.error ?? `status ${res.status}${location === undefined ? '' : `, location ${quote(location)}`}`;
        add({ id: `http-redirect:${host}`, check: 'http', severity: 'error', domains: [d.domain], probe, evidence, message: `port 80 of ${host} does not redirect to ${expected} (${evidence})` });
      }
      checkAnswer(d, res, probe);
    }
  }

  await pool(
    options.concurrency,
    target.domains.map((d) => async () => {
      const s: Seen = { addresses: new Map(), certs: [] };
      seen.set(d.domain, s);
      await dnsOf(d, s);
      await tlsOf(d, s);
      await httpOf(d, s);
    }),
    (done) => options.progress?.(done, target.domains.length),
  );

  // across domains: what several of them show
  const shared = (key: (s: Seen) => string[], make: (value: string, domains: string[]) => VerifyFinding) => {
    const byValue = new Map<string, Set<string>>();
    for (const [domain, s] of seen) for (const v of new Set(key(s))) byValue.set(v, (byValue.get(v) ?? new Set()).add(domain));
    for (const [value, domains] of [...byValue].sort(([a], [b]) => byCodeUnit(a, b))) {
      if (domains.size > 1) add(make(value, [...domains].sort(byCodeUnit)));
    }
  };
  shared(
    (s) => [...s.addresses.values()].flat(),
    (a, domains) => ({ id: `shared-address:${a}`, check: 'shared-address', severity: 'error', domains, probe: 'DNS A/AAAA', evidence: `${listed(domains)} -> ${a}`, message: `host names of ${listed(domains)} resolve to the same address ${a}` }),
  );
  shared(
    (s) => [...(s.zone?.ns ?? []), ...(s.zone?.soa ? [s.zone.soa.nsname.replace(/\.$/, '')] : [])],
    (ns, domains) => ({ id: `shared-nameserver:${ns}`, check: 'shared-nameserver', severity: 'error', domains, probe: 'DNS NS/SOA', evidence: `${listed(domains)}: ${ns}`, message: `the zones of ${listed(domains)} have the same nameserver ${ns}: whoever looks up their NS or SOA sees one operator` }),
  );
  shared(
    (s) => (s.zone?.soa ? [mailbox(s.zone.soa.hostmaster)] : []),
    (m, domains) => ({ id: `shared-email:${m}`, check: 'shared-email', severity: 'error', domains, probe: 'DNS SOA contact', evidence: `${listed(domains)}: ${m}`, message: `the zones of ${listed(domains)} have the same SOA contact ${m}` }),
  );
  const fingerprint = (c: Seen['certs'][number]) => c.cert.fingerprint256;
  shared(
    (s) => s.certs.map(fingerprint),
    (fp, domains) => ({ id: `shared-certificate:${fp}`, check: 'shared-certificate', severity: 'error', domains, probe: 'TLS certificates', evidence: `${listed(domains)}: SHA-256 ${fp}`, message: `${listed(domains)} present the same certificate (SHA-256 ${fp})` }),
  );
  shared(
    (s) => s.certs.map((c) => (c.cert.pubkey ? createHash('sha256').update(c.cert.pubkey).digest('hex') : '')).filter((k) => k !== ''),
    (key, domains) => ({ id: `shared-key:${key}`, check: 'shared-certificate', severity: 'error', domains, probe: 'TLS certificates', evidence: `${listed(domains)}: public key SHA-256 ${key}`, message: `the certificates of ${listed(domains)} share one key (public key SHA-256 ${key})` }),
  );
  shared(
    (s) => s.certs.map((c) => `${c.cert.serialNumber}`),
    (serial, domains) => ({ id: `shared-serial:${serial}`, check: 'shared-certificate', severity: 'error', domains, probe: 'TLS certificates', evidence: `${listed(domains)}: serial ${serial}`, message: `the certificates of ${listed(domains)} have the same serial number ${serial}` }),
  );
  if (target.domains.some((d) => d.entryAddress === undefined)) {
    add({
      id: 'not-checked:entry-address',
      check: 'not-checked',
      severity: 'info',
      domains: target.domains.filter((d) => d.entryAddress === undefined).map((d) => d.domain),
      probe: 'the configuration',
      evidence: 'entryPoints.addresses',
      message: 'the configuration gives no entry address for some domains: their DNS answers are compared with the other domains\' only',
    });
  }
  const sorted = [...findings.values()].sort((a, b) => byCodeUnit(a.id, b.id));
  return { domains: target.domains.map((d) => d.domain), probes, findings: sorted, passed: !sorted.some((f) => f.severity === 'error') };
}

/** An SOA RNAME as an e-mail address: its first unescaped dot is the `@`. */
export function mailbox(rname: string): string {
  const name = rname.replace(/\.$/, '');
  const at = name.search(/(?<!\\)\./);
  return at === -1 ? name : `${name.slice(0, at).replace(/\\\./g, '.')}@${name.slice(at + 1)}`;
}
