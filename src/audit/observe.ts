import { ApiObject, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ArtefactFile } from '../artefacts';
import { DomainIngress, TLS_VALUES_KEY } from '../domain-ingress';
import { observeIngressChart } from './ingress-chart';
import { DomainObserver, ObservationCollector } from './observer';
import { asAddress } from './text';
import { Observation, ObservationKind } from './types';
import { Values, forEachString, getPath, isPlainObject } from '../values/merge';
import { toYaml } from '../values/yaml';

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

/** The emitted objects and files the audit reads, rendered once. */
export interface Emitted {
  /** Every Kubernetes object in the audited scope, except the shared releases', with its JSON. */
  readonly objects: ReadonlyArray<{ readonly construct: IConstruct; readonly json: any }>;
  /** Every file of the app (except the audit's own), with its content. */
  readonly files: ReadonlyArray<{ readonly file: ArtefactFile; readonly content: string }>;
}

/** Render what the audit reads: the objects of the audited scope and the files of the app. */
export function emitted(subject: AuditSubject): Emitted {
  const shared = new Set<IConstruct>(subject.sharedObjects);
  return {
    objects: subject.scope.node
      .findAll()
      .filter(ApiObject.isApiObject)
      .filter((obj) => !shared.has(obj))
      .map((obj) => ({ construct: obj, json: obj.toJson() })),
    files: subject.scope.node.root.node
      .findAll()
      .filter(ArtefactFile.isArtefactFile)
      .filter((file) => !subject.isOwnFile(file))
      .map((file) => ({ file, content: file.render() })),
  };
}

/** Everything collected from the emitted output. */
export interface Collected {
  readonly observations: Observation[];
  readonly shared: SharedFacts;
  /** Objects and files of the deployment that belong to no domain the audit can tell. */
  readonly unattributed: Located[];
}

const WIRE_SERVER = 'release wire-server values';

/**
 * Collect what the public of each domain observes, from what is emitted:
 *
 * - its ingress release's values as handed to the release format, and what
 *   the chart renders from them (Ingress hosts and CSP, TLS Secret,
 *   cert-manager Certificate and Issuer with its ACME e-mail);
 * - the TLS values Secret its release reads (own certificates);
 * - its entries in the shared wire-server release (deeplink document, guest
 *   link, asset endpoint, SAML settings);
 * - every Kubernetes object in its `DomainIngress`, or under a construct
 *   whose id is the domain, anywhere in the deployment: scanned as text, and
 *   addresses, host names, certificates and issuers read from Services,
 *   Ingresses, external-dns annotations and `DNSEndpoint`s, cert-manager
 *   objects and TLS Secrets;
 * - every `ArtefactFile` in the app whose path has a segment `<domain>` or
 *   `<domain>.<ext>` (e.g. `edge/red.example.com/haproxy.cfg`), or that sits
 *   in the domain's constructs: scanned line by line, with addresses from DNS
 *   records and `bind`/`listen` lines.
 */
export function collect(subject: AuditSubject, output: Emitted = emitted(subject)): Collected {
  const names = new Set(subject.domains);
  const collector = new ObservationCollector();
  const observers = new Map<string, DomainObserver>(subject.domains.map((d) => [d, collector.observer(d)]));
  const unattributed: Located[] = [];

  // constructs that belong to a domain: its DomainIngress subtree
  const owner = new Map<IConstruct, string>();
  for (const di of subject.ingresses) {
    for (const c of di.node.findAll()) {
      owner.set(c, di.domain.name);
    }
  }
  const ownerOf = (c: IConstruct): string | undefined => {
    const direct = owner.get(c);
    if (direct !== undefined) {
      return direct;
    }
    // a construct whose id is the domain, between `c` and the audited scope
    for (let s: IConstruct | undefined = c; s !== undefined && s !== subject.scope; s = s.node.scope) {
      if (names.has(s.node.id)) {
        return s.node.id;
      }
    }
    return undefined;
  };
  const inScope = (c: IConstruct): boolean => c.node.path === subject.scope.node.path || c.node.path.startsWith(`${subject.scope.node.path}/`);

  for (const di of subject.ingresses) {
    const o = observers.get(di.domain.name)!;
    const artefact = `release ${di.releaseName} values`;
    o.tree(artefact, di.values, { emails: true });
    observeIngressChart(o, di.values, di.releaseName, di.namespace);
    for (const s of di.expectedSecrets.filter((e) => e.key === TLS_VALUES_KEY)) {
      o.add(`TLS values Secret read by release ${s.releaseName}`, ObservationKind.CERTIFICATE, `secret/${s.namespace}/${s.name}`, s.key);
    }
    observeWireServerEntries(o, subject.wireServerValues, di.isDefaultDomain);
  }

  // every Kubernetes object of the deployment
  const releaseValues = new Map<IConstruct, Values>();
  for (const di of subject.ingresses) {
    di.releaseObjects.forEach((obj) => releaseValues.set(obj, di.values));
  }
  for (const { construct: obj, json } of output.objects) {
    const domain = ownerOf(obj);
    if (domain === undefined) {
      unattributed.push({ artefact: objectName(json), path: obj.node.path, value: '' });
      continue;
    }
    const values = releaseValues.get(obj);
    observeApiObject(observers.get(domain)!, json, values === undefined ? undefined : isRenderingOf(values));
  }

  // every file written next to the manifests
  // (a file that renders a release's values, e.g. the values-files format's, was observed as those values)
  const valuesOf = new Map(subject.ingresses.map((di) => [di.domain.name, di.values]));
  const sharedRenderings = subject.sharedValues.map(isRenderingOf);
  for (const { file, content } of output.files) {
    const domain = fileDomain(file.path, names) ?? (inScope(file) ? ownerOf(file) : undefined);
    const own = domain === undefined ? undefined : valuesOf.get(domain);
    if ((own !== undefined && isRenderingOf(own)(content)) || sharedRenderings.some((isRendering) => isRendering(content))) {
      continue;
    }
    if (domain === undefined) {
      if (inScope(file)) {
        unattributed.push({ artefact: `file ${file.path}`, path: file.node.path, value: '' });
      }
      continue;
    }
    observeFile(observers.get(domain)!, file.path, content);
  }

  return {
    observations: collector.observations(),
    shared: sharedFacts(subject),
    unattributed,
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
const renderings = new WeakMap<Values, { texts: Set<string>; canonical: string }>();

/** A test for the values of a release as its release format renders them (observed as values instead). */
function isRenderingOf(values: Values): (node: unknown) => boolean {
  let known = renderings.get(values);
  if (known === undefined) {
    known = { texts: new Set([toYaml(values), Yaml.stringify(values), JSON.stringify(values)]), canonical: canonicalJson(values) };
    renderings.set(values, known);
  }
  const { texts, canonical } = known;
  const size = Object.keys(values).length;
  return (node) =>
    (typeof node === 'string' && texts.has(node)) || (isPlainObject(node) && Object.keys(node).length === size && canonicalJson(node) === canonical);
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
/** Listening addresses of proxies: HAProxy `bind <address>:<port>`, nginx `listen <address>:<port>`. */
const LISTEN = /^\s*(?:bind|listen)\s+(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):\d+/i;

/** A file written next to the manifests, line by line. */
function observeFile(o: DomainObserver, path: string, content: string): void {
  const artefact = `file ${path}`;
  content
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      const where = `line ${i + 1}`;
      o.text(artefact, line, where, { emails: true });
      const record = RECORD.exec(line);
      if (record) {
        const target = record[3].replace(/\.$/, '').toLowerCase();
        const address = asAddress(target);
        if (record[2].toUpperCase() === 'CNAME') {
          o.add(artefact, ObservationKind.HOST, target, where);
        } else if (address !== undefined) {
          o.add(artefact, ObservationKind.ADDRESS, address, where);
        }
      }
      const listen = LISTEN.exec(line);
      const address = listen ? asAddress(listen[1]) : undefined;
      if (address !== undefined) {
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
        .map((s) => ({ domain: di.domain.name, secret: `${s.namespace}/${s.name}` })),
    );
  return { calling, brig, backendDomain, sso, teamSettings: routes('teamSettings'), accountPages: routes('accountPages'), ownCertificates };
}
