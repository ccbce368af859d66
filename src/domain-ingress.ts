import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ComputedFile } from './artefacts';
import { ChartSource, resolveIngressServicesChart } from './charts';
import { WireDomain } from './domain';
import { renderCertbotScript, renderZoneSnippet } from './edge/dns';
import { EdgeProxy } from './edge/edge-proxy';
import { renderHaproxyConfig, vpsTarget } from './edge/haproxy';
import { addIngressLoadBalancer, serviceLbWarning } from './edge/load-balancer';
import { DomainEdge, checkEntryAddresses, entryPointNames } from './edge/model';
import { DomainEntryPointOptions, EntryPointSettings, resolveEntryPointSettings } from './edge/options';
import { Problems, quote } from './errors';
import { addNamespaces } from './namespaces';
import { ReleaseFormat } from './release/release-format';
import { ExpectedSecret, ReleaseSpec, SecretValuesReference } from './release/release-spec';
import { isManaged, reportAtSynth } from './report';
import { isDnsLabel, isDnsSubdomain, resolveNamespace } from './settings';
import { IngressTls, TlsMode } from './tls';
import { DomainEntry, MAX_RELEASE_NAME, domainEntry } from './topology';
import { cleanBase, composeValues, describeEdits, overriddenByOverlay } from './values/compose';
import { getPath } from './values/merge';
import { certificateName, ingressServicesPlan, issuerName } from './values/nginx-ingress-services';

/** Settings shared by every domain's ingress release. */
export interface IngressReleaseOptions {
  /**
   * Namespace every release is installed into: the wire-server namespace
   * (the ingresses route to fixed Service names such as `nginz`).
   *
   * @default 'wire'
   */
  readonly namespace?: string;

  /**
   * nginx-ingress-services chart repository and version (at least 5.14.0).
   *
   * @default - `WireCharts.REPOSITORY`, version `WireCharts.INGRESS_SERVICES_VERSION`
   */
  readonly ingressServicesChart?: ChartSource;

  /**
   * How each domain's ingress gets its certificate.
   *
   * @default IngressTls.ownCertificate()
   */
  readonly tls?: IngressTls;

  /**
   * Route `teams.<domain>` to team-settings (the default domain's release
   * creates the `team-settings-http` Service; team-settings itself has no
   * dependable multi-domain support yet).
   *
   * @default true
   */
  readonly teamSettings?: boolean;

  /**
   * Route `account.<domain>` to account-pages (galley's guest links and
   * password resets point there).
   *
   * @default true
   */
  readonly accountPages?: boolean;

  /**
   * The operator's existing nginx-ingress-services values, applied to every
   * domain's release under the multi-ingress settings. Keys multi-ingress
   * sets per domain (`ingressName`, `config.dns`, TLS mode, ...) and any
   * `secrets` are removed and reported.
   *
   * @default {}
   */
  readonly ingressServicesValues?: { [key: string]: any };

  /**
   * How the releases are deployed.
   *
   * @default ReleaseFormat.helmChart()
   */
  readonly releaseFormat?: ReleaseFormat;

  /**
   * Emit a `Namespace` object for every namespace the emitted objects live
   * in (the load balancer Services' `wire`, the edge proxies' namespace, the
   * release objects' own namespace when it is not one the engine runs in),
   * first in each file, so that `kubectl apply` or a Flux Kustomization (which
   * dry-runs every object before applying any) finds it in the same apply.
   * Each is annotated so that Flux and Argo CD never prune it. Namespaces
   * every cluster has (`kube-system`, `default`, ...), the engine's own
   * (`flux-system`, the Argo CD namespace) and Namespaces the app already
   * has are left out. Turn it off when you manage the namespaces yourself.
   *
   * @default true
   */
  readonly emitNamespaces?: boolean;
}

/** Properties of one domain's ingress. */
export interface DomainIngressProps extends IngressReleaseOptions {
  /** The DNS domain, e.g. `red.example.com` (normalised and validated). */
  readonly domain: string;

  /**
   * Whether this is the deployment's default domain. Its release is the one
   * non-additional release (it creates the shared `webapp-http`, `s3-http`,
   * ... Services), keeps `ingressName: ""` and the release name
   * `nginx-ingress-services`.
   *
   * @default false
   */
  readonly isDefaultDomain?: boolean;

  /**
   * Short name of an additional domain's ingress, e.g. `red`: the chart names
   * the Ingress `nginx-ingress-<name>` and the release is
   * `nginx-ingress-services-<name>`. At most 27 characters (release names
   * are at most 50: the k3s / RKE2 helm-controller names its Job
   * `helm-install-<release>`, a label value of at most 63).
   *
   * @default - the domain with dots as hyphens, shortened with a hash when
   * longer than 27 characters
   */
  readonly ingressName?: string;

  /**
   * Releases (by release name) this domain's release is installed after:
   * Flux `dependsOn`, an Argo CD sync wave, the order of `deploy.sh`.
   *
   * @default - none (`MultiIngressBackend` sets `wire-server` and `webapp`)
   */
  readonly releaseDependsOn?: string[];

  /**
   * The domain's public entry points: a load balancer Service at its own
   * address, its edge proxy's `haproxy.cfg`, `certbot.sh` and DNS records
   * (written by `WireApp` below `edge/<domain>/`), and the in-cluster edge
   * proxy when `edgeProxyScope` is given.
   *
   * @default - no entry points
   */
  readonly entryPoint?: DomainEntryPointOptions;
}

/** The key in the TLS values Secret of a domain (own-certificate mode). */
export const TLS_VALUES_KEY = 'tls-values.yaml';

/**
 * Everything that belongs to one domain: its nginx-ingress-services release
 * (its host names only, its own certificate and issuer).
 */
export class DomainIngress extends Construct {
  /** The domain. */
  public readonly domain: WireDomain;
  /** `ingressName` of the release (`""` for the default domain). */
  public readonly ingressName: string;
  /** Helm release name. */
  public readonly releaseName: string;
  /** Whether this is the default domain's (non-additional) release. */
  public readonly isDefaultDomain: boolean;
  /** Namespace the release is installed into. */
  public readonly namespace: string;
  /** The cert-manager issuer the chart creates for this domain, if cert-manager is used. */
  public readonly issuerName?: string;
  /** The cert-manager Certificate the chart creates for this domain, if cert-manager is used. */
  public readonly certificateName?: string;
  /** The release's final Helm values (no secret material). */
  public readonly values: { [key: string]: any };
  /** The objects that deploy the release. */
  public readonly releaseObjects: ApiObject[];
  /** Secrets the operator must create for this domain. */
  public readonly expectedSecrets: ExpectedSecret[];
  /** What was changed in the operator's base values, and why. */
  public readonly warnings: string[];
  /** The domain's own public address (with `entryPoint`). */
  public readonly entryAddress?: string;
  /** The load balancer Service at the domain's address (with `entryPoint`, unless disabled). */
  public readonly loadBalancerService?: ApiObject;
  /** The in-cluster edge proxy (with `entryPoint.edgeProxyScope`). */
  public readonly edgeProxy?: EdgeProxy;

  /** The domain's entry point, with its settings checked (with `entryPoint`). */
  private readonly vps?: DomainEdge;

  public constructor(scope: Construct, id: string, props: DomainIngressProps) {
    super(scope, id);
    const entry: DomainEntry = domainEntry(WireDomain.parse(props.domain, 'domain'), props.isDefaultDomain ?? false, props.ingressName);
    const namespace = resolveNamespace(props.namespace);
    const edge = props.entryPoint === undefined ? undefined : resolveDomainEdge(scope, entry, props.entryPoint, namespace);
    const chart = resolveIngressServicesChart(props.ingressServicesChart);
    const tls = props.tls ?? IngressTls.ownCertificate();
    const plan = ingressServicesPlan(entry, { tls, teamSettings: props.teamSettings, accountPages: props.accountPages });
    const base = cleanBase(plan, props.ingressServicesValues);
    checkIngressValues(base.values, entry);

    this.domain = entry.domain;
    this.ingressName = entry.ingressName;
    this.releaseName = entry.releaseName;
    this.isDefaultDomain = entry.isDefault;
    this.namespace = namespace;
    this.issuerName = issuerName(tls, entry);
    this.certificateName = certificateName(tls, entry);
    this.values = composeValues(plan, base.values);
    this.warnings = describeEdits(plan.chart, [...base.edits, ...overriddenByOverlay(plan, base.values)]);

    const format = props.releaseFormat ?? ReleaseFormat.helmChart();
    const dependsOn = props.releaseDependsOn;
    if (dependsOn !== undefined && (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string' && isDnsLabel(d) && d.length <= MAX_RELEASE_NAME))) {
      throw new Error(`releaseDependsOn ${quote(dependsOn)} is not valid: expected a list of Helm release names such as ["wire-server", "webapp"]`);
    }
    const spec: ReleaseSpec = {
      releaseName: entry.releaseName,
      ...chart,
      targetNamespace: namespace,
      values: this.values,
      secretValues: tlsSecretValues(tls, entry),
      dependsOn: props.releaseDependsOn,
    };
    const problems = format.problems([spec]);
    if (problems.length > 0) {
      throw new Error(`Invalid ingress for ${quote(entry.domain.name)}: ${problems.join('; ')}`);
    }
    const rendered = format.render(this, 'Release', spec);
    this.releaseObjects = rendered.objects;
    const expectedSecrets = [...rendered.expectedSecrets];

    if (edge) {
      const dir = `edge/${edge.domain.name}`;
      this.entryAddress = edge.address.text;
      this.vps = edge;
      // computed when read: at thousands of domains their texts would be held from here to the end
      new ComputedFile(this, 'HaproxyConfig', { path: `${dir}/haproxy.cfg` }, () => this.haproxyConfig!);
      new ComputedFile(this, 'DnsRecords', { path: `${dir}/dns.zone` }, () => this.dnsRecords!);
      new ComputedFile(this, 'CertbotScript', { path: `${dir}/certbot.sh`, executable: true }, () => this.certbotScript!);
      if (edge.settings.loadBalancer.enabled) {
        this.loadBalancerService = addIngressLoadBalancer(this, 'LoadBalancer', edge);
      }
      const edgeScope = props.entryPoint!.edgeProxyScope;
      if (edgeScope) {
        this.edgeProxy = new EdgeProxy(edgeScope, edge.domain.name, {
          domain: edge.domain.name,
          name: edge.edgeProxyName,
          address: edge.address.text,
          backendAddress: edge.backend.text,
          haproxy: props.entryPoint!.haproxy,
          loadBalancer: props.entryPoint!.loadBalancer,
          dns: props.entryPoint!.dns,
        });
        expectedSecrets.push(this.edgeProxy.expectedSecret);
      }
    }
    this.expectedSecrets = expectedSecrets;
    if (!isManaged(scope)) {
      if (props.emitNamespaces ?? true) {
        addNamespaces(this.edgeProxy ? [this, this.edgeProxy] : [this], format.engineNamespaces());
      }
      // a MultiIngressBackend says it once for all its domains
      const serviceLb = serviceLbWarning(format.name, this.loadBalancerService === undefined ? 0 : 1);
      if (serviceLb !== undefined) {
        this.warnings.push(serviceLb);
      }
      reportAtSynth(this, this.warnings, () => this.expectedSecrets);
    }
  }

  /** The `haproxy.cfg` of the domain's VPS (with `entryPoint`). */
  public get haproxyConfig(): string | undefined {
    return this.vps === undefined ? undefined : renderHaproxyConfig(this.vps, vpsTarget(this.vps));
  }

  /** The domain's DNS records as zone-file lines (with `entryPoint`). */
  public get dnsRecords(): string | undefined {
    return this.vps === undefined ? undefined : renderZoneSnippet(this.vps);
  }

  /** The script that gets the certificate of the domain's VPS (with `entryPoint`). */
  public get certbotScript(): string | undefined {
    return this.vps === undefined ? undefined : renderCertbotScript(this.vps);
  }
}

/**
 * The entry points of one domain, checked before anything is created.
 *
 * @param scope the parent of the DomainIngress (the edge proxies must not share its chart with the load balancers)
 */
export function resolveDomainEdge(scope: Construct, entry: DomainEntry, options: DomainEntryPointOptions, namespace: string): DomainEdge {
  if (options === null || typeof options !== 'object') {
    throw new Error(`entryPoint ${quote(options)} is not valid: expected { address, backendAddress }`);
  }
  const problems = new Problems();
  // shared annotations are checked against every domain by MultiIngressBackend; one domain may name itself
  const settings = problems.capture(() => resolveEntryPointSettings(options, namespace, new Set()));
  const addresses = problems.capture(() => checkEntryAddresses(entry.domain.name, options.address, options.backendAddress));
  const edge = settings && addresses ? { domain: entry.domain, ...addresses, settings, ...entryPointNames(entry) } : undefined;
  if (edge) {
    problems.capture(() => checkEdgeProxyScope(scope, options, [edge]));
  }
  problems.throwIfAny(`Invalid entry point of ${quote(entry.domain.name)}`);
  return edge!;
}

/**
 * Where the in-cluster edge proxies go: a construct in a Chart, without an
 * edge proxy for these domains yet, and not together with the per-domain load
 * balancers: both would claim each domain's entry address, and a domain has
 * one entry point (where its DNS records point).
 */
export function checkEdgeProxyScope(scope: Construct, settings: EntryPointSettings, edges: readonly DomainEdge[]): void {
  const edgeScope = settings.edgeProxyScope;
  if (edgeScope === undefined) {
    return;
  }
  let edgeChart: Chart | undefined;
  try {
    edgeChart = Construct.isConstruct(edgeScope) ? Chart.of(edgeScope) : undefined;
  } catch {
    edgeChart = undefined;
  }
  if (edgeChart === undefined) {
    throw new Error('edgeProxyScope is not valid: expected a construct inside a Chart, e.g. the Chart of the edge cluster');
  }
  const taken = edges.map((e) => e.domain.name).filter((d) => edgeScope.node.tryFindChild(d) !== undefined);
  if (taken.length > 0) {
    throw new Error(
      `edgeProxyScope ${quote(edgeScope.node.path)} already has an edge proxy for ${taken.map(quote).join(', ')}: one edge proxy per domain`,
    );
  }
  const both = edges.filter((e) => e.settings.loadBalancer.enabled);
  if (both.length > 0) {
    const first = both[0];
    const others = both.length - 1;
    const sameChart = edgeChart === Chart.of(scope) ? ', in the same chart' : '';
    throw new Error(
      `two entry points claim the address ${quote(first.address.text)} of ${quote(first.domain.name)}: the load balancer Service ` +
        `${quote(`${first.settings.loadBalancer.namespace}/${first.loadBalancerName}`)} and the in-cluster edge proxy Service ` +
        `${quote(`${edgeChart.namespace ?? 'default'}/${first.edgeProxyName}`)} (edgeProxyScope ${quote(edgeScope.node.path)}${sameChart})` +
        `${others > 0 ? `, and likewise for ${others} other domain(s)` : ''}. A domain has one entry point, where its DNS records point: ` +
        'set loadBalancer.enabled to false to serve the domains through the edge proxies, or leave edgeProxyScope out (edgeProxies in the configuration file) to serve them through the load balancers',
    );
  }
}

/** The TLS values Secret of one domain (own-certificate mode only). */
export function tlsSecretValues(tls: IngressTls, entry: DomainEntry): SecretValuesReference[] {
  if (tls.mode !== TlsMode.OWN_CERTIFICATE) {
    return [];
  }
  const secretName = tls.secretNameFor(entry.domain.name, entry.releaseName)!;
  if (!isDnsSubdomain(secretName)) {
    throw new Error(
      `own-certificate TLS: secretName ${quote(tls.secretName)} gives ${quote(secretName)} for ${quote(entry.domain.name)}, ` +
        'which is not a valid Kubernetes Secret name (at most 253 lower-case letters, digits, "-" and ".")',
    );
  }
  return [
    {
      secretName,
      key: TLS_VALUES_KEY,
      description:
        'a values file with secrets.tlsWildcardCert and secrets.tlsWildcardKey (PEM): a certificate for the host names of ' +
        `${entry.domain.name} (nginz-https, nginz-ssl, webapp, assets, teams, account) and no other domain, and its key`,
    },
  ];
}

/**
 * Settings of the operator's ingress values that the chart refuses together
 * with multi-ingress.
 */
export function checkIngressValues(ingressValues: { [key: string]: any }, entry: DomainEntry): void {
  const ingressClass = getPath(ingressValues, ['config', 'ingressClass']);
  if (ingressClass !== undefined && !(typeof ingressClass === 'string' && ingressClass.includes('nginx'))) {
    throw new Error(
      `nginx-ingress-services values set config.ingressClass ${quote(ingressClass)}: multi-ingress renders each domain's CSP ` +
        'in its Ingress, which only works with an ingress-nginx controller (a class whose name contains "nginx")',
    );
  }
  if (!entry.isDefault && getPath(ingressValues, ['federator', 'enabled']) === true) {
    throw new Error(
      `nginx-ingress-services values set federator.enabled: true, but ${quote(entry.domain.name)} (release ${quote(entry.releaseName)}) is an additional domain: ` +
        'federation and multi-ingress cannot be configured together (the chart refuses it); remove federator.enabled',
    );
  }
}
