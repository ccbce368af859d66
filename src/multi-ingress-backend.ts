import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuditMemo, auditAtSynth, runAudit, UnlinkabilityReportFile } from './audit/audit';
import { AuditSubject } from './audit/observe';
import { UnlinkabilityReport } from './audit/unlinkability-report';
import { CallingOptions, checkCalling } from './calling';
import { ChartSource, resolveIngressServicesChart, resolveWebappChart, resolveWireServerChart } from './charts';
import { WireDomain } from './domain';
import { DomainIngress, IngressReleaseOptions, checkEdgeProxyScope, checkIngressValues, tlsSecretValues } from './domain-ingress';
import { serviceLbWarning } from './edge/load-balancer';
import { DomainEdge, resolveEdges } from './edge/model';
import { EdgeOptions } from './edge/options';
import { Problems, quote } from './errors';
import { sizeWarnings } from './limits';
import { addNamespaces } from './namespaces';
import { ReleaseFormat } from './release/release-format';
import { ExpectedSecret, ReleaseSpec } from './release/release-spec';
import { markManaged, reportAtSynth } from './report';
import { isDnsSubdomain, resolveNamespace } from './settings';
import { SamlContact, SamlContactType, SsoOptions } from './sso';
import { IngressTls } from './tls';
import { buildTopology } from './topology';
import { cleanBase, composeValues, describeEdits, overriddenByOverlay } from './values/compose';
import { findDomainMentions, getPath } from './values/merge';
import { INGRESS_BASE_RULES, certificateName, ingressServicesPlan } from './values/nginx-ingress-services';
import { webappPlan } from './values/webapp';
import { wireServerPlan } from './values/wire-server';

/** Properties of a multi-ingress Wire deployment. */
export interface MultiIngressBackendProps extends IngressReleaseOptions {
  /**
   * The default domain: the one wire-server was first deployed with
   * (`external_env_domain`). Its ingress release is the non-additional one.
   */
  readonly defaultDomain: string;

  /**
   * The additional domains, each served by its own ingress release. May be
   * empty (a deployment prepared for more domains later) and long.
   *
   * @default []
   */
  readonly additionalDomains?: string[];

  /**
   * Short ingress names for additional domains, keyed by domain, e.g.
   * `{ 'red.example.com': 'red' }` gives the release
   * `nginx-ingress-services-red`. At most 27 characters each (release
   * names are at most 50: the k3s / RKE2 helm-controller names its Job
   * `helm-install-<release>`, a label value of at most 63).
   *
   * @default - derived from each domain (dots as hyphens, shortened with a
   * hash when longer than 27 characters)
   */
  readonly ingressNames?: { [domain: string]: string };

  /**
   * wire-server chart repository and version (at least 5.14.0).
   *
   * @default - `WireCharts.REPOSITORY`, version `WireCharts.WIRE_SERVER_VERSION`
   */
  readonly wireServerChart?: ChartSource;

  /**
   * webapp chart repository and version.
   *
   * @default - `WireCharts.WEBAPP_REPOSITORY`, version `WireCharts.WEBAPP_VERSION`
   */
  readonly webappChart?: ChartSource;

  /**
   * The operator's existing wire-server values (e.g. their production
   * `values.yaml`, parsed), merged under the multi-ingress settings. Keys that
   * conflict with multi-ingress (`s3DownloadEndpoint`, `cloudFront`,
   * `conversationCodeURI`, single-domain spar settings) and any `secrets`
   * are removed, each reported as a warning at synth time.
   *
   * @default {}
   */
  readonly wireServerValues?: { [key: string]: any };

  /**
   * The operator's existing webapp values, merged under the multi-ingress
   * settings. They must not name any of the domains: one webapp release
   * serves them all, so a real domain there would link them.
   *
   * @default {}
   */
  readonly webappValues?: { [key: string]: any };

  /**
   * Secret (in the namespace the release format reads secrets from) whose
   * key `secrets.yaml` holds wire-server's secret values (the `secrets.yaml`
   * of wire-server-deploy).
   *
   * @default 'wire-server-secrets'
   */
  readonly wireServerSecretName?: string;

  /**
   * Single sign-on: spar gets `domainConfigs` for every domain and
   * `scimBaseUri`.
   *
   * @default - no SSO settings
   */
  readonly sso?: SsoOptions;

  /**
   * The calling infrastructure (TURN servers and SFT), one for every domain:
   * written to brig's values and reported by the unlinkability audit as
   * shared by all domains.
   *
   * @default - not set by multi-ingress (your wire-server values decide)
   */
  readonly calling?: CallingOptions;

  /**
   * Ids of unlinkability audit findings you accept. An error finding fails
   * the synthesis unless its id is listed here; an acknowledged finding stays
   * in the report, marked as acknowledged, and an id that matches no finding
   * is reported as a stale acknowledgement.
   *
   * @default [] (every error finding fails the synthesis)
   */
  readonly acknowledgedFindings?: string[];

  /**
   * Each domain's own public entry point: a load balancer Service per domain
   * in front of the ingress controller, and for an HAProxy edge proxy per
   * domain its `haproxy.cfg`, `certbot.sh` and DNS records (written by
   * `WireApp` below `edge/<domain>/`), plus in-cluster edge proxies when
   * `edgeProxyScope` is given. Addresses are checked: valid, one per domain,
   * none shared, none equal to the backend's.
   *
   * @default - no entry points
   */
  readonly entryPoints?: EdgeOptions;
}

/** The releases every ingress release is installed after (they create the Services it routes to). */
const INGRESS_DEPENDS_ON = ['wire-server', 'webapp'];

/** The kinds of the objects that are releases (HelmChart, Flux, Argo CD), as opposed to their sources and configs. */
const RELEASE_KINDS = ['HelmChart', 'HelmRelease', 'Application'];

/** The key in the wire-server secrets Secret. */
export const WIRE_SERVER_SECRETS_KEY = 'secrets.yaml';

/**
 * A complete multi-ingress Wire deployment from one list of domains:
 * the wire-server and webapp releases configured for every domain, and one
 * `DomainIngress` (nginx-ingress-services release) per domain.
 *
 * Settings are validated when the construct is created, before anything is
 * synthesized; problems are reported together, each naming the bad value.
 * When the app is synthesized, the unlinkability audit checks what is emitted
 * (see `audit()`): an error finding that is not acknowledged fails the
 * synthesis before anything is written, and the report is written as
 * `audit/unlinkability.md` and `audit/unlinkability.json` (by `WireApp`).
 */
export class MultiIngressBackend extends Construct {
  /** Every domain, the default first, then the additional ones in the given order. */
  public readonly domains: WireDomain[];
  /** The default domain. */
  public readonly defaultDomain: WireDomain;
  /** One ingress per domain, in the order of `domains`. */
  public readonly domainIngresses: DomainIngress[];
  /** Final wire-server values (no secret material). */
  public readonly wireServerValues: { [key: string]: any };
  /** Final webapp values. */
  public readonly webappValues: { [key: string]: any };
  /** The objects that deploy wire-server and webapp (the ingresses have their own). */
  public readonly releaseObjects: ApiObject[];
  /** Secrets the operator must create before the releases install. */
  public readonly expectedSecrets: ExpectedSecret[];
  /** What was changed in the operator's base values, and other warnings; also printed at synth time. */
  public readonly warnings: string[];
  private readonly acknowledgedFindings: string[];
  private readonly auditMemo: AuditMemo = {};

  public constructor(scope: Construct, id: string, props: MultiIngressBackendProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      throw new Error(`MultiIngressBackend props ${quote(props)} are not valid: expected an object with at least defaultDomain`);
    }
    // --- every problem reported together, before anything is created
    const problems = new Problems();
    const parsed = problems.capture(() => buildTopology(props.defaultDomain, props.additionalDomains, props.ingressNames));
    const namespace = problems.capture(() => resolveNamespace(props.namespace));
    const wireServerChart = problems.capture(() => resolveWireServerChart(props.wireServerChart));
    const webappChart = problems.capture(() => resolveWebappChart(props.webappChart));
    const ingressChart = problems.capture(() => resolveIngressServicesChart(props.ingressServicesChart));
    const secretName = props.wireServerSecretName ?? 'wire-server-secrets';
    if (!isDnsSubdomain(secretName)) {
      problems.add(`wireServerSecretName ${quote(secretName)} is not valid: expected a Kubernetes Secret name`);
    }
    const sso = props.sso === undefined ? undefined : problems.capture(() => checkSso(props.sso!));
    const calling = props.calling === undefined ? undefined : problems.capture(() => checkCalling(props.calling!));
    const acknowledged = props.acknowledgedFindings ?? [];
    if (!Array.isArray(acknowledged) || acknowledged.some((a) => typeof a !== 'string' || a.trim() === '')) {
      problems.add(`acknowledgedFindings ${quote(acknowledged)} is not valid: expected a list of finding ids from the unlinkability report`);
    }
    const tls = props.tls ?? IngressTls.ownCertificate();
    if (!parsed) {
      problems.throwIfAny('Invalid multi-ingress configuration');
    }
    const topology = parsed!;

    const wireServer = wireServerPlan(topology, sso, calling);
    const webapp = webappPlan(sso !== undefined);
    const wireServerBase = problems.capture(() => cleanBase(wireServer, props.wireServerValues, wireServer.overlay));
    const webappBase = problems.capture(() => cleanBase(webapp, props.webappValues, webapp.overlay));
    const ingressBase = problems.capture(() => cleanBase(INGRESS_BASE_RULES, props.ingressServicesValues));

    if (topology.additional.length > 0) {
      if (wireServerBase && getPath(wireServerBase.values, ['tags', 'federation']) === true) {
        problems.add(
          'wire-server values set "tags.federation" to true, but federation and multi-ingress cannot be configured together: ' +
            `${describeAdditional(topology.additional.map((e) => quote(e.domain.name)))} besides the default ${quote(topology.defaultDomain.domain.name)} ` +
            '(the chart refuses federator.enabled on an additional ingress); disable federation or serve one domain',
        );
      }
    }
    if (ingressBase) {
      // the checks of an additional release include those of the default one;
      // ingress values that name a domain are left to the unlinkability audit,
      // which names each domain whose release would show it
      const first = topology.additional[0] ?? topology.defaultDomain;
      problems.capture(() => checkIngressValues(ingressBase.values, first));
    }
    let edges: Map<string, DomainEdge> | undefined;
    if (props.entryPoints !== undefined) {
      edges = problems.capture(() => resolveEdges(props.entryPoints!, topology, namespace ?? 'wire'));
      if (edges) {
        problems.capture(() => checkEdgeProxyScope(this, props.entryPoints!, [...edges!.values()]));
      }
    }
    const certificates = new Map<string, string>();
    for (const entry of topology.all) {
      const name = certificateName(tls, entry);
      const clash = name === undefined ? undefined : certificates.get(name);
      if (clash !== undefined) {
        problems.add(
          `domains ${quote(clash)} and ${quote(entry.domain.name)} would both get the cert-manager Certificate ${quote(name)} ` +
            '(the chart names it after the domain with dots as hyphens), and all releases share one namespace; ' +
            'serve one of them with an own certificate or drop it',
        );
      } else if (name !== undefined) {
        certificates.set(name, entry.domain.name);
      }
    }
    const webappValues = webappBase ? composeValues(webapp, webappBase.values) : undefined;
    if (webappValues) {
      for (const m of findDomainMentions(webappValues, topology.names)) {
        problems.add(
          `webapp values mention ${quote(m.domain)} at ${quote(m.path)} (${quote(m.value)}): one webapp serves every domain, ` +
            'so a real domain there links them; use "[[hostname]]" instead',
        );
      }
    }
    problems.throwIfAny('Invalid multi-ingress configuration');

    // --- the model is valid: compute the releases, then ask the format whether it can deploy them
    const format = props.releaseFormat ?? ReleaseFormat.helmChart();
    const wireServerValues = composeValues(wireServer, wireServerBase!.values);
    const wireServerSpec: ReleaseSpec = {
      releaseName: 'wire-server',
      ...wireServerChart!,
      targetNamespace: namespace!,
      values: wireServerValues,
      secretValues: [
        {
          secretName,
          key: WIRE_SERVER_SECRETS_KEY,
          description: "wire-server's secret values (the secrets.yaml of wire-server-deploy: zauth keys, database and SMTP passwords, ...)",
        },
      ],
    };
    const webappSpec: ReleaseSpec = {
      releaseName: 'webapp',
      ...webappChart!,
      targetNamespace: namespace!,
      values: webappValues!,
      secretValues: [],
    };
    // every ingress release, so that a refusal names each release it concerns; formats check charts and secret values, not values
    const ingressSpecs: ReleaseSpec[] = topology.all.map((entry) => ({
      releaseName: entry.releaseName,
      ...ingressChart!,
      targetNamespace: namespace!,
      values: {},
      secretValues: problems.capture(() => tlsSecretValues(tls, entry)) ?? [],
      dependsOn: INGRESS_DEPENDS_ON,
    }));
    format.problems([wireServerSpec, webappSpec, ...ingressSpecs]).forEach((p) => problems.add(p));
    problems.throwIfAny('Invalid multi-ingress configuration');

    // --- everything is valid: build the output
    this.domains = topology.all.map((e) => e.domain);
    this.defaultDomain = topology.defaultDomain.domain;
    this.wireServerValues = wireServerValues;
    this.webappValues = webappValues!;
    // the keys every domain's release sets alike (the per-domain ones are owned, released above)
    const ingressOverlay = ingressServicesPlan(topology.defaultDomain, { tls, teamSettings: props.teamSettings, accountPages: props.accountPages });
    const loadBalancers = edges ? [...edges.values()].filter((e) => e.settings.loadBalancer.enabled).length : 0;
    const serviceLb = serviceLbWarning(format.name, loadBalancers);
    this.warnings = [
      ...describeEdits(wireServer.chart, [...wireServerBase!.edits, ...overriddenByOverlay(wireServer, wireServerBase!.values)]),
      ...describeEdits(webapp.chart, [...webappBase!.edits, ...overriddenByOverlay(webapp, webappBase!.values)]),
      ...describeEdits(INGRESS_BASE_RULES.chart, [...ingressBase!.edits, ...overriddenByOverlay(ingressOverlay, ingressBase!.values)]),
      ...(serviceLb === undefined ? [] : [serviceLb]),
    ];
    this.acknowledgedFindings = [...acknowledged];

    const wireServerRelease = format.render(this, 'WireServer', wireServerSpec);
    const webappRelease = format.render(this, 'Webapp', webappSpec);
    this.releaseObjects = [...wireServerRelease.objects, ...webappRelease.objects];
    // wire-server's values grow with every domain: what Kubernetes would refuse of them
    const releaseObject = wireServerRelease.objects.find((o) => RELEASE_KINDS.includes(o.kind));
    this.warnings.push(...sizeWarnings(wireServerValues, releaseObject && `${releaseObject.kind} ${[releaseObject.metadata.namespace, releaseObject.name].filter((x) => x).join('/')}`));

    markManaged(this);
    this.domainIngresses = topology.all.map(
      (entry) =>
        new DomainIngress(this, entry.domain.name, {
          domain: entry.domain.name,
          isDefaultDomain: entry.isDefault,
          ingressName: entry.isDefault ? undefined : entry.ingressName,
          namespace,
          ingressServicesChart: ingressChart,
          tls,
          teamSettings: props.teamSettings,
          accountPages: props.accountPages,
          ingressServicesValues: ingressBase!.values,
          releaseFormat: format,
          releaseDependsOn: INGRESS_DEPENDS_ON,
          entryPoint: edges && {
            address: edges.get(entry.domain.name)!.address.text,
            backendAddress: props.entryPoints!.backendAddress,
            loadBalancer: props.entryPoints!.loadBalancer,
            haproxy: props.entryPoints!.haproxy,
            dns: props.entryPoints!.dns,
            edgeProxyScope: props.entryPoints!.edgeProxyScope,
          },
        }),
    );
    if (props.emitNamespaces ?? true) {
      addNamespaces([this, ...this.domainIngresses.flatMap((d) => (d.edgeProxy ? [d.edgeProxy] : []))], format.engineNamespaces());
    }
    this.expectedSecrets = [
      ...wireServerRelease.expectedSecrets,
      ...webappRelease.expectedSecrets,
      ...this.domainIngresses.flatMap((d) => d.expectedSecrets),
    ];
    reportAtSynth(this, this.warnings, () => this.expectedSecrets, () => this.audit().passed);
    auditAtSynth(this, () => this.audit());
  }

  /**
   * Run the unlinkability audit over what this deployment emits: for every
   * domain, what its public can observe (release values, what the charts
   * render from them, its entries in the shared wire-server release, the
   * Kubernetes objects and files that belong to it), checked for other
   * domains' names and for identifiers shared between domains, plus the links
   * Wire cannot avoid today. The synthesis runs it too.
   *
   * The report is a snapshot: while what the deployment emits is unchanged,
   * the same report object is returned.
   */
  public audit(): UnlinkabilityReport {
    return runAudit(this._auditSubject(), this.defaultDomain.name,
      this.acknowledgedFindings,
      this.auditMemo,
    );
  }

  /**
   * What the audit reads of this deployment (tests compare its streaming
   * bookkeeping with every observation of the same subject).
   *
   * @internal
   */
  public _auditSubject(): AuditSubject {
    return {
      scope: this,
      domains: this.domains.map((d) => d.name),
      ingresses: this.domainIngresses,
      wireServerValues: this.wireServerValues,
      sharedObjects: this.releaseObjects,
      sharedValues: [this.wireServerValues, this.webappValues],
      isOwnFile: (file) => UnlinkabilityReportFile.isReportFile(file),
    };
  }
}

/** `the additional domain "a"`, `the additional domains "a", "b" and 3 more` */
function describeAdditional(quoted: readonly string[]): string {
  if (quoted.length === 1) {
    return `the additional domain ${quoted[0]} is served`;
  }
  const shown = quoted.length > 3 ? `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more` : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `the additional domains ${shown} are served`;
}

/**
 * One SAML contact as spar reads it (saml2-web-sso's `ContactPerson`): a
 * known type, texts, and an e-mail that is a URI (`email:ops@example.com`);
 * spar does not start with a bare address there.
 */
function checkContact(c: SamlContact, n: number): void {
  const what = `SAML contact ${n}`;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    throw new Error(`${what} ${quote(c)} is not valid: expected a contact such as { type: "ContactSupport", email: "email:support@example.com" }`);
  }
  const types = Object.values(SamlContactType) as string[];
  if (!types.includes(c.type)) {
    throw new Error(`type ${quote(c.type)} of ${what} is not valid: expected one of ${types.map((t) => `"${t}"`).join(', ')}`);
  }
  for (const key of ['company', 'givenName', 'surname', 'phone', 'email'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') {
      throw new Error(`${key} ${quote(c[key])} of ${what} is not valid: expected a text`);
    }
  }
  if (c.email !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(c.email)) {
    const bare = /^[^\s@:]+@[^\s@:]+$/.test(c.email) ? ' (spar reads a URI there, not a bare address)' : '';
    throw new Error(`e-mail ${quote(c.email)} of ${what} is not valid: expected a URI such as "email:support@example.com"${bare}`);
  }
}

function checkSso(sso: SsoOptions): SsoOptions {
  if (!Array.isArray(sso.contacts)) {
    throw new Error(`sso.contacts ${quote(sso.contacts)} is not valid: expected a list of SAML contacts (may be empty)`);
  }
  sso.contacts.forEach((c, i) => checkContact(c, i + 1));
  if (sso.scimBaseUri !== undefined && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(sso.scimBaseUri)) {
    throw new Error(`sso.scimBaseUri ${quote(sso.scimBaseUri)} is not valid: expected an https:// URL such as "https://nginz-https.example.com/scim/v2"`);
  }
  return sso;
}
