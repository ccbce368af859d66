import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ArtefactFile } from '../artefacts';
import { DomainIngress, TLS_VALUES_KEY } from '../domain-ingress';
import { listeningAddressesOf } from './haproxy-config';
import { observeIngressChart } from './ingress-chart';
import { DomainObserver, ObservationCollector, ServiceTarget, Upstream } from './observer';
import { asAddress, couldNameDomain } from './text';
import { Observation, ObservationKind } from './types';
import { ExpectedSecret } from '../release/release-spec';
import { Values, forEachString, getPath, isPlainObject } from '../values/merge';
import { renderedYaml, toYaml } from '../values/yaml';

/** A value found in the emitted output, with where it was found. */
export interface Located {
  readonly artefact: string;
  readonly path: string;
  readonly value: string;
}

/** What every domain shares by design, read from the emitted values. */
export interface SharedFacts {
  /** TURN and SFT endpoints handed to every client. */
  readonly calling: readonly Located[];
  /** brig's e-mail links and sender. */
  readonly brig: readonly Located[];
  /** The backend (federation) domain every domain's API shows. */
  readonly backendDomain: readonly Located[];
  /** spar's SCIM base URI, when SSO is configured. */
  readonly sso?: Located;
  /** Domains whose ingress routes team-settings. */
  readonly teamSettings: readonly string[];
  /** Domains whose ingress routes account-pages. */
  readonly accountPages: readonly string[];
  /** The TLS values Secrets (`namespace/name`) of domains whose certificates the operator provides. */
  readonly ownCertificates: ReadonlyArray<{ readonly domain: string; readonly secret: string }>;
  /** Domains whose certificate cert-manager issues (the chart's Certificate: TLS on, `tls.useCertManager`). */
  readonly certManager: readonly string[];
}

/** What the audit reads: the deployment's constructs, as emitted. */
export interface AuditSubject {
  /** The construct whose subtree is audited (the MultiIngressBackend). */
  readonly scope: IConstruct;
  /** Every domain name, the default first. */
  readonly domains: readonly string[];
  /** One ingress per domain. */
  readonly ingresses: readonly DomainIngress[];
  /** The wire-server values as handed to the release format. */
  readonly wireServerValues: Values;
  /** Objects of the releases every domain shares by design (wire-server, webapp). */
  readonly sharedObjects: readonly ApiObject[];
  /** Values of the releases every domain shares by design: files that render them are not per-domain. */
  readonly sharedValues: readonly Values[];
  /** Files that are not audited (the audit's own report). */
  readonly isOwnFile: (file: ArtefactFile) => boolean;
}

/** An emitted object or file, with the domain it belongs to. */
interface Attributed {
  /** The domain whose public observes it, if the audit can tell. */
  readonly domain?: string;
  /** Whether it is part of the audited deployment (the MultiIngressBackend's subtree). */
  readonly inScope: boolean;
}

/** The emitted objects and files the audit reads, rendered once. */
export interface Emitted {
  /** Kubernetes objects of the deployment or of a domain (not the shared releases'), with their JSON. */
  readonly objects: ReadonlyArray<Attributed & { readonly construct: IConstruct; readonly json: any }>;
  /** Files of the deployment or of a domain (not the audit's own), with their content (rendered each time it is read). */
  readonly files: ReadonlyArray<Attributed & { readonly file: ArtefactFile; readonly content: string }>;
}

/**
 * Render what the audit reads, each with the domain it belongs to:
 *
 * - a construct belongs to a domain when it is in the domain's
 *   `DomainIngress` or its in-cluster edge proxy, or under a construct whose
 *   id is the domain (anywhere in the app: per-domain constructs in another
 *   chart are found too);
 * - a file belongs to the domain one of its path segments names
 *   (`edge/<domain>/...`, `dns/<domain>.zone`), else to its construct's;
 * - objects and files of the deployment that belong to no domain are kept, to
 *   be reported as not audited; those outside it are not the audit's.
 */
export function emitted(subject: AuditSubject): Emitted {
  const names = new Set(subject.domains);
  const shared = new Set<IConstruct>(subject.sharedObjects);
  const owner = new Map<IConstruct, string>();
  for (const di of subject.ingresses) {
    for (const root of [di, ...(di.edgeProxy ? [di.edgeProxy] : [])]) {
      for (const c of root.node.findAll()) {
        owner.set(c, di.domain.name);
      }
    }
  }
  const ownerOf = (c: IConstruct): string | undefined => {
    for (let s: IConstruct | undefined = c; s !== undefined; s = s.node.scope) {
      const known = owner.get(s);
      if (known !== undefined) {
        return known;
      }
      if (names.has(s.node.id)) {
        return s.node.id;
      }
    }
    return undefined;
  };
  // by ancestry, not by path strings (a construct's path is built anew each time it is read)
  const inScope = (c: IConstruct): boolean => {
    for (let s: IConstruct | undefined = c; s !== undefined; s = s.node.scope) {
      if (s === subject.scope) return true;
    }
    return false;
  };

  const all = subject.scope.node.root.node.findAll();
  const objects = all
    .filter(ApiObject.isApiObject)
    .filter((obj) => !shared.has(obj))
    .map((obj) => ({ construct: obj, domain: ownerOf(obj), inScope: inScope(obj) }))
    .filter((o) => o.domain !== undefined || o.inScope)
    .map((o) => ({ ...o, json: o.construct.toJson() }));
  const files = all
    .filter(ArtefactFile.isArtefactFile)
    .filter((file) => !subject.isOwnFile(file))
    .map((file) => ({ file, domain: fileDomain(file.path, names) ?? ownerOf(file), inScope: inScope(file) }))
    .filter((f) => f.domain !== undefined || f.inScope)
    // read when it is read: a computed file's text is not held (see ComputedFile)
    .map((f) => ({
      ...f,
      get content() {
        return f.file.render();
      },
    }));
  return { objects, files };
}

/** Everything collected from the emitted output. */
export interface Collected {
  readonly observations: Observation[];
  readonly shared: SharedFacts;
  /** Objects and files of the deployment that belong to no domain the audit can tell. */
  readonly unattributed: Located[];
  /** Addresses the domains' proxies forward to. */
  readonly upstreams: Upstream[];
  /** The pods the domains' load balancers send their traffic to. */
  readonly serviceTargets: ServiceTarget[];
}

const WIRE_SERVER = 'release wire-server values';

/**
 * Collect what the public of each domain observes, from what is emitted:
 *
 * - its ingress release's values as handed to the release format, and what
 *   the chart renders from them (Ingress hosts and CSP, TLS Secret,
 *   cert-manager Certificate and Issuer with its ACME e-mail);
 * - the Secrets the operator creates for it (its certificates);
 * - its entries in the shared wire-server release (deeplink document, guest
 *   link, asset endpoint, SAML settings);
 * - every Kubernetes object that belongs to it (see `emitted`: its
 *   `DomainIngress`, its edge proxy, constructs named after it): scanned as
 *   text, and addresses, host names, certificates and issuers read from
 *   Services, Ingresses, external-dns annotations and `DNSEndpoint`s,
 *   cert-manager objects and TLS Secrets;
 * - every file that belongs to it (`edge/<domain>/...`): scanned line by
 *   line, with addresses from DNS records and `bind`/`listen` lines.
 *
 * What renders release values (a HelmChart's `valuesContent`, a values
 * file) is observed once, as those values.
 *
 * With `keepText: false` the text observations stream through: only those
 * that name another domain are kept (see `ObservationCollector`), which is
 * all the checks need.
 */
export function collect(subject: AuditSubject, output: Emitted = emitted(subject), options: { readonly keepText?: boolean } = {}): Collected {
  const collector = new ObservationCollector(new Set(subject.domains), options.keepText ?? true);
  const unattributed: Located[] = [];

  // the output in three parts, as it is listed: the ingresses, every Kubernetes object, every file written next
  // to the manifests; read one domain after the other (what an observer keeps to drop repeats goes with it)
  const releaseValues = new Map<IConstruct, Values>();
  for (const di of subject.ingresses) {
    di.releaseObjects.forEach((obj) => releaseValues.set(obj, di.values));
  }
  const valuesOf = new Map(subject.ingresses.map((di) => [di.domain.name, di.values]));
  const sharedRenderings = subject.sharedValues.map(isRenderingOf);
  // (a file that renders a release's values, e.g. the values-files format's, was observed as those values)
  const isValuesFile = (content: string, domain: string | undefined) => {
    const own = domain === undefined ? undefined : valuesOf.get(domain);
    return (own !== undefined && isRenderingOf(own)(content)) || sharedRenderings.some((isRendering) => isRendering(content));
  };
  // (the order the domains are read in does not matter: the collector lists everything by place)
  const byDomain = new Map<string, { ingresses: number[]; objects: number[]; files: number[] }>();
  const of = (domain: string) => {
    let parts = byDomain.get(domain);
    if (parts === undefined) {
      parts = { ingresses: [], objects: [], files: [] };
      byDomain.set(domain, parts);
    }
    return parts;
  };
  subject.ingresses.forEach((di, i) => of(di.domain.name).ingresses.push(i));
  output.objects.forEach(({ construct: obj, json, domain }, i) => {
    if (domain === undefined) unattributed.push({ artefact: objectName(json), path: obj.node.path, value: '' });
    else of(domain).objects.push(i);
  });
  output.files.forEach((entry, i) => {
    // a domain's file is read with the domain's other files (its text is rendered once)
    if (entry.domain !== undefined) of(entry.domain).files.push(i);
    else if (!isValuesFile(entry.content, undefined)) unattributed.push({ artefact: `file ${entry.file.path}`, path: entry.file.node.path, value: '' });
  });

  for (const [domain, parts] of byDomain) {
    const o = collector.observer(domain);
    for (const i of parts.ingresses) {
      collector.at(0, i);
      const di = subject.ingresses[i];
      const artefact = `release ${di.releaseName} values`;
      o.tree(artefact, di.values, { emails: true });
      observeIngressChart(o, di.values, di.releaseName, di.namespace);
      // the Secrets the operator creates for this domain hold its certificates (ingress and edge proxy)
      for (const s of di.expectedSecrets) {
        // a Secret (HelmChart, Flux), or a values file the operator provides (values files, Argo CD's repository)
        const what = s.file === undefined ? 'Secret' : 'file';
        const secretArtefact = s.key === TLS_VALUES_KEY ? `TLS values ${what} read by release ${s.releaseName}` : `${what} for ${s.releaseName}`;
        const where = s.file === undefined ? `secret/${providedAt(s)}` : `file/${providedAt(s)}`;
        o.add(secretArtefact, ObservationKind.CERTIFICATE, where, s.key);
      }
      observeWireServerEntries(o, subject.wireServerValues, di.isDefaultDomain);
    }
    // the domain's Kubernetes objects
    for (const i of parts.objects) {
      collector.at(1, i);
      const { construct: obj, json } = output.objects[i];
      const values = releaseValues.get(obj);
      observeApiObject(o, json, values === undefined ? undefined : isRenderingOf(values));
      const target = loadBalancerTarget(json);
      if (target !== undefined) {
        collector.serviceTarget({ domain, artefact: objectName(json), target });
      }
    }
    // the domain's files
    for (const i of parts.files) {
      collector.at(2, i);
      const { file, content } = output.files[i];
      if (!isValuesFile(content, domain)) observeFile(o, file.path, content);
    }
  }

  return {
    observations: collector.observations(),
    shared: sharedFacts(subject),
    unattributed,
    upstreams: collector.upstreams(),
    serviceTargets: collector.serviceTargets(),
  };
}

/** A domain's entries in the wire-server values: what nginz and the services serve on its host names. */
function observeWireServerEntries(o: DomainObserver, ws: Values, isDefault: boolean): void {
  const zHost = `nginz-https.${o.domain}`;
  const entries: Array<[string, string[]]> = [
    [
      `deeplink document https://${zHost}/deeplink.json`,
      isDefault ? ['nginz', 'nginx_conf', 'deeplink'] : ['nginz', 'nginx_conf', 'multi_ingress_deeplink', o.domain],
    ],
    [`guest link settings served on ${zHost}`, ['galley', 'config', 'settings', 'multiIngress', zHost]],
    [`asset download endpoint served on ${zHost}`, ['cargohold', 'config', 'aws', 'multiIngress', zHost]],
    [`SAML settings served on ${zHost}`, ['spar', 'config', 'domainConfigs', zHost]],
  ];
  for (const [artefact, path] of entries) {
    const node = getPath(ws, path);
    if (node !== undefined) {
      o.tree(`${artefact} (${WIRE_SERVER})`, node, { emails: false }, keyPath(path));
    }
  }
}

/** `a.b["c.d"]` */
function keyPath(path: readonly string[]): string {
  return path.map((k, i) => (/^[A-Za-z0-9_-]+$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/** `Kind namespace/name` */
function objectName(json: any): string {
  const ns = json?.metadata?.namespace;
  return `${json?.kind ?? 'object'} ${ns ? `${ns}/` : ''}${json?.metadata?.name ?? ''}`;
}

/** Renderings of release values, computed once per values object (the audit runs several times per synthesis). */
const renderings = new WeakMap<Values, (node: unknown) => boolean>();

/** The pods a `LoadBalancer` Service selects (its namespace and selector), if it is one. */
function loadBalancerTarget(json: any): string | undefined {
  const selector = json?.spec?.selector;
  if (json?.kind !== 'Service' || json?.spec?.type !== 'LoadBalancer' || !isPlainObject(selector) || Object.keys(selector).length === 0) {
    return undefined;
  }
  return `${json?.metadata?.namespace ?? ''} ${canonicalJson(selector)}`;
}

/** A test for the values of a release as its release format renders them (observed as values instead). */
function isRenderingOf(values: Values): (node: unknown) => boolean {
  let known = renderings.get(values);
  if (known === undefined) {
    // the library's formats render values with toYaml (HelmChart, values files) or as objects (Flux,
    // Argo CD); a rendering of another format is scanned as text, which observes the same values again.
    // Each form is computed only when something of its size or shape turns up.
    let yaml = renderedYaml(values);
    let json: string | undefined;
    let canonical: string | undefined;
    const size = Object.keys(values).length;
    known = (node) => {
      if (typeof node === 'string') {
        yaml ??= toYaml(values);
        if (node.length === yaml.length && node === yaml) return true;
        json ??= JSON.stringify(values);
        return node.length === json.length && node === json;
      }
      if (isPlainObject(node) && Object.keys(node).length === size) {
        canonical ??= canonicalJson(values);
        return canonicalJson(node) === canonical;
      }
      return false;
    };
    renderings.set(values, known);
  }
  return known;
}

function canonicalJson(node: unknown): string {
  if (Array.isArray(node)) {
    return `[${node.map(canonicalJson).join(',')}]`;
  }
  if (isPlainObject(node)) {
    return `{${Object.keys(node)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(node[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(node) ?? 'null';
}

const CERT_MANAGER = /^cert-manager\.io\//;
const EXTERNAL_DNS_HOSTNAME = /(^|\/)hostname$/;
const EXTERNAL_DNS_TARGET = /(^|\/)target$/;
const LOAD_BALANCER_IPS = /loadbalancerips?$/i;

/** A Kubernetes object: its strings as text, and the identifiers a client sees. */
function observeApiObject(o: DomainObserver, json: any, skip?: (node: unknown) => boolean): void {
  const artefact = objectName(json);
  const { apiVersion: _apiVersion, ...body } = json ?? {};
  o.tree(artefact, body, { emails: true, skip });
  const ns: string = json?.metadata?.namespace ?? '';
  const kind: string = json?.kind ?? '';
  const apiVersion: string = json?.apiVersion ?? '';
  const spec = isPlainObject(json?.spec) ? json.spec : {};
  const strings = (node: unknown): string[] => (Array.isArray(node) ? node.filter((s): s is string => typeof s === 'string') : typeof node === 'string' ? [node] : []);
  const hostOrAddress = (value: string, path: string): void => {
    const address = asAddress(value);
    if (address !== undefined) {
      o.add(artefact, ObservationKind.ADDRESS, address, path);
    } else if (value.trim() !== '') {
      o.add(artefact, ObservationKind.HOST, value.trim().toLowerCase().replace(/\.$/, ''), path);
    }
  };

  // annotations of external-dns and load balancer implementations (MetalLB, kube-vip, ...)
  const annotations = isPlainObject(json?.metadata?.annotations) ? json.metadata.annotations : {};
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string') continue;
    const path = `metadata.annotations[${JSON.stringify(key)}]`;
    if (key.startsWith('external-dns.') && EXTERNAL_DNS_HOSTNAME.test(key)) {
      value.split(',').forEach((v) => hostOrAddress(v, path));
    } else if ((key.startsWith('external-dns.') && EXTERNAL_DNS_TARGET.test(key)) || LOAD_BALANCER_IPS.test(key)) {
      value.split(',').forEach((v) => hostOrAddress(v, path));
    } else if (value.trim() !== '' && value.split(',').every((v) => asAddress(v) !== undefined)) {
      // an annotation that holds only addresses, e.g. the address annotation of a load balancer of your own
      // (LoadBalancerImplementation.annotations): whatever reads it, it is an address of this domain
      value.split(',').forEach((v) => hostOrAddress(v, path));
    }
  }

  if (kind === 'Service') {
    strings(spec.loadBalancerIP).forEach((v) => hostOrAddress(v, 'spec.loadBalancerIP'));
    strings(spec.externalIPs).forEach((v, i) => hostOrAddress(v, `spec.externalIPs[${i}]`));
    strings(spec.externalName).forEach((v) => hostOrAddress(v, 'spec.externalName'));
    const ingress = json?.status?.loadBalancer?.ingress;
    (Array.isArray(ingress) ? ingress : []).forEach((e: any, i: number) => {
      strings(e?.ip).forEach((v) => hostOrAddress(v, `status.loadBalancer.ingress[${i}].ip`));
      strings(e?.hostname).forEach((v) => hostOrAddress(v, `status.loadBalancer.ingress[${i}].hostname`));
    });
  } else if (kind === 'DNSEndpoint') {
    (Array.isArray(spec.endpoints) ? spec.endpoints : []).forEach((e: any, i: number) => {
      strings(e?.dnsName).forEach((v) => hostOrAddress(v, `spec.endpoints[${i}].dnsName`));
      strings(e?.targets).forEach((v, j) => hostOrAddress(v, `spec.endpoints[${i}].targets[${j}]`));
    });
  } else if (kind === 'Ingress') {
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: any, i: number) => strings(r?.host).forEach((v) => hostOrAddress(v, `spec.rules[${i}].host`)));
    (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: any, i: number) => {
      strings(t?.hosts).forEach((v, j) => hostOrAddress(v, `spec.tls[${i}].hosts[${j}]`));
      strings(t?.secretName).forEach((v) => o.add(artefact, ObservationKind.CERTIFICATE, `secret/${ns}/${v}`, `spec.tls[${i}].secretName`));
    });
  } else if (kind === 'Secret' && json?.type === 'kubernetes.io/tls') {
    o.add(artefact, ObservationKind.CERTIFICATE, `secret/${ns}/${json?.metadata?.name}`, 'metadata.name');
  } else if (CERT_MANAGER.test(apiVersion) && kind === 'Certificate') {
    o.add(artefact, ObservationKind.CERTIFICATE, `certificate/${ns}/${json?.metadata?.name}`, 'metadata.name');
    strings(spec.dnsNames).forEach((v, i) => hostOrAddress(v, `spec.dnsNames[${i}]`));
    strings(spec.ipAddresses).forEach((v, i) => hostOrAddress(v, `spec.ipAddresses[${i}]`));
    strings(spec.secretName).forEach((v) => o.add(artefact, ObservationKind.CERTIFICATE, `secret/${ns}/${v}`, 'spec.secretName'));
    const ref = spec.issuerRef;
    if (typeof ref?.name === 'string') {
      o.add(artefact, ObservationKind.ISSUER, ref.kind === 'ClusterIssuer' ? `clusterissuer/${ref.name}` : `issuer/${ns}/${ref.name}`, 'spec.issuerRef');
    }
  } else if (CERT_MANAGER.test(apiVersion) && (kind === 'Issuer' || kind === 'ClusterIssuer')) {
    const name = json?.metadata?.name;
    o.add(artefact, ObservationKind.ISSUER, kind === 'ClusterIssuer' ? `clusterissuer/${name}` : `issuer/${ns}/${name}`, 'metadata.name');
  }
}

/** DNS resource records `<name> [ttl] [IN] A|AAAA|CNAME <target>` in a zone file. */
const RECORD = /^(\S+)\s+(?:\d+\s+)?(?:IN\s+)?(?:\d+\s+)?(A|AAAA|CNAME)\s+(\S+)\s*(?:;.*)?$/i;
/** Listening addresses of nginx: `listen <address>:<port>` (HAProxy configurations are parsed instead). */
const LISTEN = /^\s*listen\s+(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):\d+/i;

/**
 * A file written next to the manifests, line by line; an HAProxy
 * configuration also by its sections and directives, for the specific
 * addresses its frontends listen on (a wildcard `bind [::]:443` is no address
 * of the domain).
 */
/** How the lines of a file are scanned. */
const FILE_TEXT = { emails: true };

function observeFile(o: DomainObserver, path: string, content: string): void {
  const artefact = `file ${path}`;
  const binds = listeningAddressesOf(content);
  const haproxy = binds !== undefined;
  for (const bind of binds ?? []) {
    o.add(artefact, ObservationKind.ADDRESS, bind.address, bind.where);
  }
  content
    .split('\n')
    .forEach((raw, i) => {
      // most lines could name no domain (see couldNameDomain: trimming a line takes nothing away that could)
      // and hold no record or listening address: nothing to observe
      const could = couldNameDomain(raw);
      const line = raw.trim();
      const record = RECORD.exec(line);
      const listen = haproxy ? null : LISTEN.exec(line);
      if (!could && record === null && listen === null) {
        return;
      }
      const where = `line ${i + 1}`;
      if (could) o.text(artefact, line, where, FILE_TEXT);
      if (record) {
        const target = record[3].replace(/\.$/, '').toLowerCase();
        const address = asAddress(target);
        if (record[2].toUpperCase() === 'CNAME') {
          o.add(artefact, ObservationKind.HOST, target, where);
        } else if (address !== undefined) {
          o.add(artefact, ObservationKind.ADDRESS, address, where);
        }
      }
      const address = listen ? asAddress(listen[1]) : undefined;
      // a wildcard (`bind [::]:443`, `listen 0.0.0.0:80`) listens everywhere: it is no domain's address
      if (address !== undefined && !/^[0.:]+$/.test(address)) {
        o.add(artefact, ObservationKind.ADDRESS, address, where);
      }
    });
}

/**
 * The domain a file belongs to by its path: a segment that is the domain, or
 * the domain plus one extension (`dns/red.example.com.zone`).
 */
export function fileDomain(path: string, names: ReadonlySet<string>): string | undefined {
  const segments = path.split('/');
  for (const segment of segments) {
    if (names.has(segment)) {
      return segment;
    }
  }
  for (const segment of segments) {
    const stem = segment.replace(/\.[^.]*$/, '');
    if (stem !== segment && names.has(stem)) {
      return stem;
    }
  }
  return undefined;
}

/** What every domain shares by design, from the wire-server values and the ingress releases. */
function sharedFacts(subject: AuditSubject): SharedFacts {
  const ws = subject.wireServerValues;
  const at = (path: string[]): Located[] => {
    const found: Located[] = [];
    const base = path.join('.');
    forEachString(getPath(ws, path), (value, sub) => found.push({ artefact: WIRE_SERVER, path: sub === '' || sub.startsWith('[') ? `${base}${sub}` : `${base}.${sub}`, value }));
    return found;
  };
  const calling = [
    ...at(['brig', 'turnStatic', 'v1']),
    ...at(['brig', 'turnStatic', 'v2']),
    ...(getPath(ws, ['brig', 'turn', 'serversSource']) === 'dns' ? at(['brig', 'turn', 'baseDomain']) : []),
    ...at(['brig', 'config', 'optSettings', 'setSftStaticUrl']),
    ...at(['brig', 'config', 'sft', 'sftBaseDomain']),
  ];
  const brig = [...at(['brig', 'config', 'externalUrls']), ...at(['brig', 'config', 'emailSMS'])];
  const backendDomain = [
    ...at(['brig', 'config', 'optSettings', 'setFederationDomain']),
    ...at(['galley', 'config', 'settings', 'federationDomain']),
    ...at(['cargohold', 'config', 'settings', 'federationDomain']),
    ...at(['background-worker', 'config', 'federationDomain']),
  ];
  const scim = getPath(ws, ['spar', 'config', 'scimBaseUri']);
  const sso =
    getPath(ws, ['spar', 'config', 'domainConfigs']) === undefined
      ? undefined
      : { artefact: WIRE_SERVER, path: 'spar.config.scimBaseUri', value: typeof scim === 'string' ? scim : '' };
  const routes = (key: string) => subject.ingresses.filter((di) => getPath(di.values, [key, 'enabled']) === true).map((di) => di.domain.name);
  const ownCertificates = subject.ingresses
    .filter((di) => getPath(di.values, ['tls', 'useCertManager']) !== true)
    .flatMap((di) =>
      di.expectedSecrets
        .filter((s) => s.key === TLS_VALUES_KEY)
        .map((s) => ({ domain: di.domain.name, secret: providedAt(s) })),
    );
  const certManager = subject.ingresses
    .filter((di) => getPath(di.values, ['tls', 'enabled']) !== false && getPath(di.values, ['tls', 'useCertManager']) === true)
    .map((di) => di.domain.name);
  return { calling, brig, backendDomain, sso, teamSettings: routes('teamSettings'), accountPages: routes('accountPages'), ownCertificates, certManager };
}

/**
 * Where the operator provides an expected secret: `<namespace>/<name>` of a
 * Secret (HelmChart, Flux), or the values file (`deploy.sh`'s
 * `secrets/<name>/<key>`, or `<repository>/<path>` of Argo CD's secrets
 * repository), which has no Secret name or namespace.
 */
function providedAt(s: ExpectedSecret): string {
  if (s.file === undefined) {
    return `${s.namespace}/${s.name}`;
  }
  return s.repository === undefined ? s.file : `${s.repository}/${s.file}`;
}
