import { createHash } from 'crypto';
import { Chart, Duration, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { loadKplus } from './kplus';
import { WireDomain } from '../domain';
import { Problems, quote } from '../errors';
import { ExpectedSecret } from '../release/release-spec';
import { isDnsLabel } from '../settings';
import { deriveIngressName } from '../topology';
import {
  CONTAINER_CONFIG_DIR,
  CONTAINER_HTTPS_PORT,
  CONTAINER_HTTP_PORT,
  CONTAINER_TLS_DIR,
  containerTarget,
  renderHaproxyConfig,
} from './haproxy';
import { addLoadBalancerService } from './load-balancer';
import { checkEntryAddresses, DomainEdge } from './model';
import { DnsOptions, HaproxyOptions, LoadBalancerOptions, resolveEntryPointSettings } from './options';

/** Properties of one domain's in-cluster edge proxy. */
export interface EdgeProxyProps {
  /** The domain, e.g. `red.example.com`. */
  readonly domain: string;

  /** The domain's own public address (IPv4 or IPv6): the address of the proxy's load balancer. */
  readonly address: string;

  /** The backend's public address the proxy forwards to on port 443. */
  readonly backendAddress: string;

  /**
   * Name of the Deployment, Service and ConfigMap (`<name>-haproxy`), and
   * prefix of the TLS Secret (`<name>-tls`).
   *
   * @default - `wire-edge-<domain with dots as hyphens>`, shortened with a
   * hash when long
   */
  readonly name?: string;

  /**
   * HAProxy settings (`image`, `replicas`, `httpRedirect` apply here).
   *
   * @default - the defaults of `HaproxyOptions`
   */
  readonly haproxy?: HaproxyOptions;

  /**
   * How the proxy's Service requests its address (`implementation`,
   * `annotations`, `sourceRanges`, `externalDns`).
   *
   * @default - the defaults of `LoadBalancerOptions`
   */
  readonly loadBalancer?: LoadBalancerOptions;

  /**
   * DNS settings (for the external-dns annotations).
   *
   * @default - the defaults of `DnsOptions`
   */
  readonly dns?: DnsOptions;
}

/** Longest name: `<name>-haproxy` and `<name>-tls` stay within 63 characters. */
const MAX_NAME = 55;
/** The user and group of the official HAProxy image. */
const HAPROXY_UID = 99;

/**
 * One domain's HAProxy edge proxy as Kubernetes objects, for an edge that
 * runs in a cluster other than the backend's: a `ConfigMap` with the same
 * configuration as the VPS's (on unprivileged ports), a `Deployment` of the
 * official `haproxy` image and a `LoadBalancer` Service at the domain's own
 * address.
 *
 * The certificate comes from a Secret the operator creates in the proxy's
 * namespace (see `expectedSecret`): keys `tls.crt` (chain) and `tls.key` for
 * the domain's six host names, and `ca.crt`, the CAs of the backend's
 * certificate. It is never written into the output.
 */
export class EdgeProxy extends Construct {
  /** The domain. */
  public readonly domain: WireDomain;
  /** Name of the Deployment and Service. */
  public readonly name: string;
  /** The HAProxy configuration in the ConfigMap. */
  public readonly haproxyConfig: string;
  /** The Secret the operator must create in the proxy's namespace. */
  public readonly expectedSecret: ExpectedSecret;
  /** The proxy's Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The proxy's LoadBalancer Service. */
  public readonly service: kplus.Service;

  public constructor(scope: Construct, id: string, props: EdgeProxyProps) {
    super(scope, id);
    const problems = new Problems();
    const domain = problems.capture(() => WireDomain.parse(props.domain, 'edge proxy domain'));
    const name = props.name ?? (domain ? `wire-edge-${deriveIngressName(domain.name)}` : undefined);
    if (name !== undefined && !(isDnsLabel(name) && /^[a-z]/.test(name) && name.length <= MAX_NAME)) {
      problems.add(
        `edge proxy name ${quote(name)} is not valid: expected 1-${MAX_NAME} lower-case letters, digits and "-", starting with a letter (it names a Service)`,
      );
    }
    const settings = problems.capture(() => resolveEntryPointSettings(props, 'default', new Set()));
    const addresses = problems.capture(() => checkEntryAddresses(domain?.name ?? String(props.domain), props.address, props.backendAddress));
    problems.throwIfAny('Invalid edge proxy');
    this.domain = domain!;
    this.name = name!;
    const edge: DomainEdge = { domain: domain!, ...addresses!, settings: settings!, loadBalancerName: name!, edgeProxyName: name! };
    this.haproxyConfig = renderHaproxyConfig(edge, containerTarget(edge));
    const secretName = `${this.name}-tls`;
    this.expectedSecret = {
      namespace: Chart.of(this).namespace ?? 'default',
      name: secretName,
      key: 'tls.crt',
      releaseName: this.name,
      description:
        `keys tls.crt and tls.key: certificate chain and key for the host names of ${this.domain.name} (nginz-https, nginz-ssl, webapp, ` +
        "assets, teams, account) and no other domain; key ca.crt: the CAs that signed the backend's certificate",
    };

    const plus = loadKplus();
    const configMap = new plus.ConfigMap(this, 'Config', {
      metadata: { name: `${this.name}-haproxy` },
      data: { 'haproxy.cfg': this.haproxyConfig },
    });
    const hp = edge.settings.haproxy;
    const httpRedirect = hp.httpRedirect;
    this.deployment = new plus.Deployment(this, 'Deployment', {
      metadata: { name: this.name },
      replicas: hp.replicas,
      podMetadata: {
        // a new configuration rolls the pods
        annotations: { 'checksum/haproxy.cfg': createHash('sha256').update(this.haproxyConfig).digest('hex') },
      },
      securityContext: { user: HAPROXY_UID, group: HAPROXY_UID, fsGroup: HAPROXY_UID, ensureNonRoot: true },
      automountServiceAccountToken: false,
    });
    const container = this.deployment.addContainer({
      name: 'haproxy',
      image: hp.image,
      imagePullPolicy: plus.ImagePullPolicy.IF_NOT_PRESENT, // the tag is pinned
      // the image's entrypoint runs `haproxy -W -db <args>`
      args: ['-f', `${CONTAINER_CONFIG_DIR}/haproxy.cfg`],
      ports: [
        { name: 'https', number: CONTAINER_HTTPS_PORT },
        ...(httpRedirect ? [{ name: 'http', number: CONTAINER_HTTP_PORT }] : []),
      ],
      securityContext: { user: HAPROXY_UID, group: HAPROXY_UID, ensureNonRoot: true, readOnlyRootFilesystem: true },
      resources: {
        cpu: { request: plus.Cpu.millis(100), limit: plus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
      readiness: plus.Probe.fromTcpSocket({ port: CONTAINER_HTTPS_PORT, periodSeconds: Duration.seconds(10) }),
    });
    container.mount(CONTAINER_CONFIG_DIR, plus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, { name: 'config' }), { readOnly: true });
    const secret = plus.Secret.fromSecretName(this, 'Tls', secretName);
    container.mount(
      CONTAINER_TLS_DIR,
      plus.Volume.fromSecret(this, 'TlsVolume', secret, {
        name: 'tls',
        defaultMode: 0o440,
        // HAProxy reads the key from "<certificate>.key" beside the certificate
        items: { 'tls.crt': { path: 'edge.pem' }, 'tls.key': { path: 'edge.pem.key' }, 'ca.crt': { path: 'ca.crt' } },
      }),
      { readOnly: true },
    );

    this.service = addLoadBalancerService(this, 'Service', edge, {
      name: this.name,
      ports: [
        ...(httpRedirect ? [{ name: 'http', port: 80, targetPort: 'http' }] : []),
        { name: 'https', port: 443, targetPort: 'https' },
      ],
      select: (service) => service.select(this.deployment),
    });
  }
}
