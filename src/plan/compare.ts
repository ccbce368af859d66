/**
 * Comparing two syntheses semantically: releases by name, values by path,
 * objects by kind/namespace/name, files by path; and the dangers a change
 * holds for a running deployment.
 */
import { ReleaseRecord, mountedSecretsOf, releasesOf, valuesOf } from './releases';
import { restartsFor } from './restarts';
import { Snapshot } from './snapshot';
import { getPath, isPlainObject } from '../values/merge';
import { chartCertificateName, chartIssuerName } from '../values/nginx-ingress-services';

/** How a release, a domain, an object or a file changes. */
export enum PlanChange {
  /** Only in the new synthesis. */
  ADDED = 'added',
  /** Only in the earlier output. */
  REMOVED = 'removed',
  /** In both, different. */
  CHANGED = 'changed',
  /** In both, the same. */
  UNCHANGED = 'unchanged',
}

/** What happens to one Helm release. */
export interface PlannedRelease {
  /** Helm release name. */
  readonly name: string;
  /** Chart name. */
  readonly chart: string;
  /** Added, removed, changed or unchanged. */
  readonly change: PlanChange;
  /** Chart version after the change (before it, for a removed release). */
  readonly version: string;
  /**
   * Chart version before the change, when it differs.
   *
   * @default - the version does not change
   */
  readonly previousVersion?: string;
  /** Release format after the change (before it, for a removed release): helmchart, flux, argocd or values. */
  readonly format: string;
  /** Dotted Helm value paths that change (a map key with dots is written as it is), sorted. */
  readonly paths: string[];
  /** Other changes: chart version, repository, namespaces, format, secret values, fields of the deploying object. */
  readonly details: string[];
  /** The Wire services whose pods restart (from the value paths and the chart version). */
  readonly restarts: string[];
}

/** Secret values the deployment reads. */
export interface PlannedSecrets {
  /** Secrets (or secret values files) the operator must create before applying. */
  readonly create: string[];
  /** Secrets (or files) no longer read after the change. */
  readonly unused: string[];
}

/** What happens to one domain. */
export interface PlannedDomain {
  /** The domain. */
  readonly domain: string;
  /** Added, removed or changed (a renamed release, its DNS, its entry points, its TLS). */
  readonly change: PlanChange;
  /**
   * Its ingress release after the change.
   *
   * @default - the domain is removed
   */
  readonly release?: string;
  /**
   * Its ingress release before the change, when it differs.
   *
   * @default - the same release
   */
  readonly previousRelease?: string;
  /** DNS records to add (lines of its `dns.zone`). */
  readonly dnsAdd: string[];
  /** DNS records to remove. */
  readonly dnsRemove: string[];
  /** Certificates cert-manager will issue. */
  readonly certificates: string[];
  /** Entry points added (load balancer, edge proxy). */
  readonly entryPointsAdded: string[];
  /** Entry points removed. */
  readonly entryPointsRemoved: string[];
}

/** A change that breaks a running deployment unless the operator prepares it. */
export interface PlanDanger {
  /** `<kind>:<subject>`, e.g. `release-renamed:red.example.com`; stable across versions. */
  readonly id: string;
  /** The kind: one of `Plan.DANGER_KINDS`. */
  readonly kind: string;
  /** What breaks and what to do. */
  readonly message: string;
  /** Whether it was accepted (`allow`). */
  readonly allowed: boolean;
}

/** Objects or files that change. */
export interface PlannedItems {
  /** Only in the new synthesis. */
  readonly added: string[];
  /** Only in the earlier output. */
  readonly removed: string[];
  /** In both, different. */
  readonly changed: string[];
}

/** The plan: what applying the new synthesis over the earlier output changes. */
export interface PlanResult {
  /** Whether anything changes (an object or a file). */
  readonly changes: boolean;
  /** Every release of either synthesis, by name. */
  readonly releases: PlannedRelease[];
  /** Secrets to create and no longer read. */
  readonly secrets: PlannedSecrets;
  /** Every domain something happens to, by name. */
  readonly domains: PlannedDomain[];
  /** The dangers, by id. */
  readonly dangers: PlanDanger[];
  /** Kubernetes objects, as `Kind namespace/name`. */
  readonly objects: PlannedItems;
  /** Files that are not manifests, by path. */
  readonly files: PlannedItems;
}

/** The danger kinds, stable ids, with what breaks and what to do. */
export const DANGERS = {
  DEFAULT_DOMAIN: 'default-domain-changed',
  RENAMED: 'release-renamed',
  REMOVED_LIVE: 'domain-removed-with-entry-point',
  VERSION_DOWN: 'chart-version-down',
  TLS_MODE: 'tls-mode-changed',
  NAMESPACE: 'namespace-changed',
  FORMAT: 'format-changed',
} as const;

export const DANGER_KINDS: readonly string[] = Object.values(DANGERS);

const INGRESS_CHART = 'nginx-ingress-services';
const DEFAULT_INGRESS_RELEASE = 'nginx-ingress-services';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The dotted paths at which `a` and `b` differ: a whole added or removed subtree is one path; a list that differs is one path. */
export function diffPaths(a: unknown, b: unknown, prefix = '', out: string[] = []): string[] {
  if (a === b) return out;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of Object.keys(a)) diffPaths(a[k], k in b ? b[k] : undefined, prefix === '' ? k : `${prefix}.${k}`, out);
    for (const k of Object.keys(b)) if (!(k in a)) out.push(prefix === '' ? k : `${prefix}.${k}`);
    return out;
  }
  if (!deepEqual(a, b)) out.push(prefix === '' ? '(all values)' : prefix);
  return out;
}

/** Compare two chart versions (semantic versions, a pre-release below its release); NaN when either is not one. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v.trim());
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return NaN;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return Math.sign(d);
  }
  if (x[4] === undefined || y[4] === undefined) return x[4] === y[4] ? 0 : x[4] === undefined ? 1 : -1;
  const pa = x[4].split('.');
  const pb = y[4].split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    const d = na && nb ? Number(pa[i]) - Number(pb[i]) : na ? -1 : nb ? 1 : pa[i] < pb[i] ? -1 : pa[i] > pb[i] ? 1 : 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** One side of the comparison, with what is read from it lazily. */
class Side {
  public readonly releases: Map<string, ReleaseRecord>;
  private readonly domains = new Map<string, { domain?: string; additional: boolean }>();

  public constructor(public readonly snapshot: Snapshot) {
    this.releases = releasesOf(snapshot);
  }

  /** The domain of an ingress release (its `config.dns.base`), parsed on first use. */
  public ingress(name: string): { domain?: string; additional: boolean } | undefined {
    const r = this.releases.get(name);
    if (!r || r.chart !== INGRESS_CHART) return undefined;
    let d = this.domains.get(name);
    if (!d) {
      const v = valuesOf(r);
      const base = getPath(v, ['config', 'dns', 'base']);
      d = { domain: typeof base === 'string' ? base : undefined, additional: getPath(v, ['config', 'isAdditionalIngress']) === true };
      this.domains.set(name, d);
    }
    return d;
  }

  /** The default domain: that of the one non-additional ingress release. */
  public defaultDomain(): string | undefined {
    const named = this.ingress(DEFAULT_INGRESS_RELEASE);
    if (named && !named.additional) return named.domain;
    for (const [name, r] of this.releases) {
      if (r.chart !== INGRESS_CHART) continue;
      const d = this.ingress(name);
      if (d && !d.additional) return d.domain;
    }
    return undefined;
  }

  public secrets(): Set<string> {
    const all = new Set<string>();
    for (const r of this.releases.values()) for (const s of r.secrets) all.add(s);
    for (const s of mountedSecretsOf(this.snapshot)) all.add(s);
    return all;
  }

  /** TLS of a domain's release: cert-manager or own-certificate. */
  public tlsMode(release: string): string {
    const r = this.releases.get(release);
    return r && getPath(valuesOf(r), ['tls', 'useCertManager']) === true ? 'cert-manager' : 'own-certificate';
  }
}

/** Sorted, distinct. */
function sorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

function releaseObjectFields(o: any): any {
  if (!isPlainObject(o)) return o;
  const spec = isPlainObject(o.spec) ? { ...o.spec } : o.spec;
  if (isPlainObject(spec)) {
    delete spec.valuesContent;
    delete spec.values;
    if (isPlainObject(spec.source)) spec.source = { ...spec.source, helm: { ...spec.source.helm, valuesObject: undefined } };
    if (Array.isArray(spec.sources)) {
      spec.sources = spec.sources.map((s: any) => (isPlainObject(s?.helm) ? { ...s, helm: { ...s.helm, valuesObject: undefined } } : s));
    }
  }
  return { ...o, spec };
}


/** Lines of a DNS zone snippet that are records, whitespace normalised. */
function zoneRecords(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split('\n')
    .map((l) => l.replace(/;.*$/, '').trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '');
}

const ENTRY_SERVICE = /^(wire-entry|wire-edge)(?:-(.+))?$/;

/** The entry points of a side, by domain. */
function entryPointsOf(side: Side, keys: Iterable<string>, files: Iterable<string>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  const add = (domain: string | undefined, what: string) => {
    if (domain === undefined) return;
    const list = by.get(domain) ?? [];
    list.push(what);
    by.set(domain, list);
  };
  for (const key of keys) {
    const o = side.snapshot.objects.get(key);
    if (!o || o.data?.kind !== 'Service' || o.data?.spec?.type !== 'LoadBalancer') continue;
    const m = ENTRY_SERVICE.exec(String(o.data.metadata?.name ?? ''));
    if (!m) continue;
    const release = m[2] === undefined ? DEFAULT_INGRESS_RELEASE : `${DEFAULT_INGRESS_RELEASE}-${m[2]}`;
    const what = m[1] === 'wire-entry' ? 'load balancer' : 'in-cluster edge proxy';
    const address = o.data.spec.loadBalancerIP ?? o.data.metadata?.annotations?.['metallb.io/loadBalancerIPs'] ?? 'no fixed address';
    add(side.ingress(release)?.domain, `${what} ${o.key} at ${address}`);
  }
  for (const f of files) {
    const m = /^edge\/([^/]+)\/haproxy\.cfg$/.exec(f);
    if (m && side.snapshot.files.has(f)) add(m[1], `HAProxy edge proxy ${f}`);
  }
  return by;
}

/** A danger is allowed by its id or its kind. */
function isAllowed(allow: readonly string[], id: string, kind: string): boolean {
  return allow.includes(id) || allow.includes(kind);
}

/** Compare the earlier output with the new synthesis. */
export function compareSnapshots(previous: Snapshot, next: Snapshot, allow: readonly string[] = []): PlanResult {
  const before = new Side(previous);
  const after = new Side(next);

  // objects by kind/namespace/name, files by path
  const objects = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const [key, o] of next.objects) {
    const old = previous.objects.get(key);
    if (!old) objects.added.push(key);
    else if (old !== o && !(old.text !== undefined && old.text === o.text) && !deepEqual(old.data, o.data)) objects.changed.push(key);
  }
  for (const key of previous.objects.keys()) if (!next.objects.has(key)) objects.removed.push(key);
  const files = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const [p, text] of next.files) {
    const old = previous.files.get(p);
    if (old === undefined) files.added.push(p);
    else if (old !== text) files.changed.push(p);
  }
  for (const p of previous.files.keys()) if (!next.files.has(p)) files.removed.push(p);
  const changedObjects = new Set([...objects.added, ...objects.removed, ...objects.changed]);

  // releases by name
  const releases: PlannedRelease[] = [];
  const names = sorted([...before.releases.keys(), ...after.releases.keys()]);
  const dangers: Array<{ id: string; kind: string; message: string }> = [];
  for (const name of names) {
    const a = before.releases.get(name);
    const b = after.releases.get(name);
    if (!a || !b) {
      const r = (b ?? a)!;
      const change = b ? PlanChange.ADDED : PlanChange.REMOVED;
      releases.push({ name, chart: r.chart, change, version: r.version, format: r.format, paths: [], details: [], restarts: [] });
      continue;
    }
    const details: string[] = [];
    if (a.chart !== b.chart) details.push(`chart ${a.chart} -> ${b.chart}`);
    if (a.version !== b.version) details.push(`version ${a.version} -> ${b.version}`);
    if (a.repository !== b.repository) details.push(`repository ${a.repository} -> ${b.repository}`);
    if (a.format !== b.format) {
      details.push(`format ${a.format} -> ${b.format}`);
      dangers.push({
        id: `${DANGERS.FORMAT}:${name}`,
        kind: DANGERS.FORMAT,
        message:
          `release ${name} moves from the ${a.format} format to ${b.format}: both engines would own the same Helm release (one may uninstall it while the other installs it). ` +
          `Hand it over first: remove the ${a.format} object without uninstalling the release (e.g. suspend or orphan it), then apply the new one`,
      });
    }
    if (a.targetNamespace !== b.targetNamespace || (a.format === b.format && a.objectNamespace !== b.objectNamespace)) {
      const what =
        a.targetNamespace !== b.targetNamespace ? `namespace ${a.targetNamespace} -> ${b.targetNamespace}` : `namespace of its ${a.format} object ${a.objectNamespace} -> ${b.objectNamespace}`;
      details.push(what);
      dangers.push({
        id: `${DANGERS.NAMESPACE}:${name}`,
        kind: DANGERS.NAMESPACE,
        message:
          `release ${name} changes ${what}: Helm installs a second release there and the old one is uninstalled or left running, with its data, Services and certificates. ` +
          'Keep the namespace, or migrate the release yourself (uninstall in the old namespace, move the Secrets, install in the new one) during a maintenance window',
      });
    }
    const order = compareVersions(b.version, a.version);
    if (order < 0) {
      dangers.push({
        id: `${DANGERS.VERSION_DOWN}:${name}`,
        kind: DANGERS.VERSION_DOWN,
        message:
          `release ${name} goes down from chart ${a.chart} ${a.version}, which the deployment runs, to ${b.version}: a downgrade is not tested by Wire and database migrations do not run backwards. ` +
          `Keep ${a.version} or later, or restore a backup taken before ${a.version}`,
      });
    }
    const secretsA = a.secrets.join('\n');
    const secretsB = b.secrets.join('\n');
    if (secretsA !== secretsB) details.push('secret values it reads');
    const paths = a.valuesSource === b.valuesSource ? [] : diffPaths(valuesOf(a), valuesOf(b));
    for (const k of sorted([a.objectKey, b.objectKey].filter((key): key is string => key !== undefined && changedObjects.has(key)))) {
      const oa = previous.objects.get(k);
      const ob = next.objects.get(k);
      if (oa && ob) {
        for (const p of diffPaths(releaseObjectFields(oa.data), releaseObjectFields(ob.data))) {
          if (!['spec.version', 'spec.chart.spec.version', 'spec.targetNamespace', 'metadata.namespace'].includes(p) && !/targetRevision$/.test(p)) details.push(`${k}: ${p}`);
        }
      }
    }
    const changed = paths.length > 0 || details.length > 0;
    const restarts = a.version !== b.version ? restartsFor(b.chart, paths, true) : restartsFor(b.chart, paths);
    releases.push({
      name,
      chart: b.chart,
      change: changed ? PlanChange.CHANGED : PlanChange.UNCHANGED,
      version: b.version,
      previousVersion: a.version !== b.version ? a.version : undefined,
      format: b.format,
      paths: sorted(paths),
      details: sorted(details),
      restarts: changed ? restarts : [],
    });
  }

  // the default domain
  const defaultBefore = before.defaultDomain();
  const defaultAfter = after.defaultDomain();
  if (defaultBefore !== undefined && defaultAfter !== undefined && defaultBefore !== defaultAfter) {
    dangers.push({
      id: `${DANGERS.DEFAULT_DOMAIN}:${defaultBefore}`,
      kind: DANGERS.DEFAULT_DOMAIN,
      message:
        `the default domain changes from ${defaultBefore} to ${defaultAfter}: it is wire-server's own domain (every user and conversation ID is qualified with it), ` +
        `so existing clients and their data break. Keep ${defaultBefore} as defaultDomain and add ${defaultAfter} as an additional domain`,
    });
  }

  // domains: those of ingress releases that are added, removed or changed, and of changed entry points and DNS files
  const ingressNames = releases.filter((r) => r.chart === INGRESS_CHART && r.change !== PlanChange.UNCHANGED).map((r) => r.name);
  const domainBefore = new Map<string, string>(); // domain -> release
  const domainAfter = new Map<string, string>();
  for (const name of ingressNames) {
    const da = before.ingress(name)?.domain;
    const db = after.ingress(name)?.domain;
    if (da !== undefined) domainBefore.set(da, name);
    if (db !== undefined) domainAfter.set(db, name);
  }
  const entryKeys = [...changedObjects].filter((k) => k.startsWith('Service '));
  const entryFiles = [...files.added, ...files.removed, ...files.changed].filter((f) => f.startsWith('edge/'));
  const entryBefore = entryPointsOf(before, entryKeys, entryFiles);
  const entryAfter = entryPointsOf(after, entryKeys, entryFiles);
  const touched = new Set<string>([...domainBefore.keys(), ...domainAfter.keys(), ...entryBefore.keys(), ...entryAfter.keys()]);
  for (const f of entryFiles) {
    const m = /^edge\/([^/]+)\//.exec(f);
    if (m) touched.add(m[1]);
  }
  // a domain seen on one side only among the changed releases may still be served by an unchanged release
  const releaseOf = (side: Side, found: Map<string, string>, domain: string): string | undefined => {
    if (found.has(domain)) return found.get(domain);
    // a domain of a changed release is on both sides only among the changed releases (an unchanged release serves the same domain on both)
    if (domainBefore.has(domain) || domainAfter.has(domain)) return undefined;
    return [...side.releases.keys()].find((n) => !ingressNames.includes(n) && side.ingress(n)?.domain === domain);
  };
  const domains: PlannedDomain[] = [];
  for (const domain of sorted(touched)) {
    const ra = releaseOf(before, domainBefore, domain);
    const rb = releaseOf(after, domainAfter, domain);
    const dnsA = zoneRecords(previous.files.get(`edge/${domain}/dns.zone`));
    const dnsB = zoneRecords(next.files.get(`edge/${domain}/dns.zone`));
    const epA = entryBefore.get(domain) ?? [];
    const epB = entryAfter.get(domain) ?? [];
    const certificates: string[] = [];
    const change = ra === undefined ? PlanChange.ADDED : rb === undefined ? PlanChange.REMOVED : PlanChange.CHANGED;
    if (rb !== undefined) {
      const tlsA = ra === undefined ? undefined : before.tlsMode(ra);
      const tlsB = after.tlsMode(rb);
      if (tlsB === 'cert-manager' && (ra !== rb || tlsA !== tlsB)) {
        const r = after.releases.get(rb)!;
        const v = valuesOf(r);
        const https = getPath(v, ['config', 'dns', 'https']);
        const issuer = getPath(v, ['tls', 'issuer', 'name']);
        const kind = getPath(v, ['tls', 'issuer', 'kind']) === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer';
        const ingressName = typeof getPath(v, ['ingressName']) === 'string' ? (getPath(v, ['ingressName']) as string) : '';
        const zone = typeof https === 'string' ? https.split('.').slice(1).join('.') : domain;
        const from = typeof issuer === 'string' ? ` from ${kind} ${kind === 'Issuer' ? `${r.targetNamespace}/` : ''}${chartIssuerName(issuer, ingressName)}` : '';
        certificates.push(`Certificate ${r.targetNamespace}/${chartCertificateName(zone)} for the host names of ${domain}${from}`);
      }
      if (ra !== undefined && tlsA !== tlsB) {
        dangers.push({
          id: `${DANGERS.TLS_MODE}:${domain}`,
          kind: DANGERS.TLS_MODE,
          message:
            `TLS of the live domain ${domain} changes from ${tlsA} to ${tlsB}: its ingresses switch to ${tlsB === 'cert-manager' ? 'a certificate cert-manager has yet to issue (minutes of certificate errors, and Let\'s Encrypt rate limits)' : 'a certificate from a Secret that must exist first'}. ` +
            (tlsB === 'cert-manager'
              ? 'Make sure cert-manager and its issuer work and the DNS points at the domain, then apply in a quiet hour'
              : 'Create the certificate Secret listed under secrets before applying'),
        });
      }
    }
    if (ra !== undefined && rb !== undefined && ra !== rb) {
      dangers.push({
        id: `${DANGERS.RENAMED}:${domain}`,
        kind: DANGERS.RENAMED,
        message:
          `the release of ${domain} is renamed from ${ra} to ${rb}: Helm uninstalls ${ra} and installs ${rb}, so the domain is down in between, gets a new certificate (Let's Encrypt rate limits) and new Secret names. ` +
          `Keep the old name with ingressNames (e.g. ${domain}: ${ra.replace(/^nginx-ingress-services-?/, '') || '""'}), or plan the downtime`,
      });
    }
    if (rb === undefined && ra !== undefined && (epA.length > 0 || dnsA.length > 0)) {
      dangers.push({
        id: `${DANGERS.REMOVED_LIVE}:${domain}`,
        kind: DANGERS.REMOVED_LIVE,
        message:
          `${domain} is removed while it still has an entry point (${[...sorted(epA), ...(dnsA.length > 0 ? [`${dnsA.length} DNS record(s)`] : [])].join(', ')}): ` +
          "its users' clients get connection errors and its address and host names point at nothing. " +
          'Tell its users, remove its DNS records and wait for their TTL, then remove the domain',
      });
    }
    const plannedDomain: PlannedDomain = {
      domain,
      change,
      release: rb,
      previousRelease: ra !== undefined && ra !== rb ? ra : undefined,
      dnsAdd: dnsB.filter((l) => !dnsA.includes(l)),
      dnsRemove: dnsA.filter((l) => !dnsB.includes(l)),
      certificates,
      entryPointsAdded: sorted(epB.filter((e) => !epA.includes(e))),
      entryPointsRemoved: sorted(epA.filter((e) => !epB.includes(e))),
    };
    const anything =
      change !== PlanChange.CHANGED ||
      plannedDomain.previousRelease !== undefined ||
      [plannedDomain.dnsAdd, plannedDomain.dnsRemove, certificates].some((l) => l.length > 0) ||
      [plannedDomain.entryPointsAdded, plannedDomain.entryPointsRemoved].some((l) => l.length > 0) ||
      releases.some((r) => r.name === rb && r.change === PlanChange.CHANGED);
    if (anything) domains.push(plannedDomain);
  }

  // secrets
  const secretsBefore = before.secrets();
  const secretsAfter = after.secrets();
  const secrets = {
    create: sorted([...secretsAfter].filter((s) => !secretsBefore.has(s))),
    unused: sorted([...secretsBefore].filter((s) => !secretsAfter.has(s))),
  };

  const dangerList = dangers
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .filter((d, i, all) => i === 0 || all[i - 1].id !== d.id)
    .map((d) => ({ ...d, allowed: isAllowed(allow, d.id, d.kind) }));
  return {
    changes: changedObjects.size > 0 || files.added.length + files.removed.length + files.changed.length > 0,
    releases,
    secrets,
    domains,
    dangers: dangerList,
    objects: { added: objects.added.sort(), removed: objects.removed.sort(), changed: objects.changed.sort() },
    files: { added: files.added.sort(), removed: files.removed.sort(), changed: files.changed.sort() },
  };
}
