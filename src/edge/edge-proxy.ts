import { createHash } from 'crypto';
import { ApiObject, Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { RenderedObject } from '../artefacts';
import { WireDomain } from '../domain';
import { Problems, quote } from '../errors';
import { ExpectedSecret } from '../release/release-spec';
import { isDnsLabel, namespaceProblem } from '../settings';
import { deriveIngressName } from '../topology';
import {
  CONTAINER_CONFIG_DIR,
  CONTAINER_HTTPS_PORT,
  CONTAINER_HTTP_PORT,
  CONTAINER_PID_FILE,
  CONTAINER_RUN_DIR,
  CONTAINER_TLS_DIR,
  certificateReloadScript,
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
/** Pod Security "restricted": no capability (the ports are unprivileged), no privilege escalation, not root, read-only. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsGroup: HAPROXY_UID,
  runAsNonRoot: true,
  runAsUser: HAPROXY_UID,
};

/**
 * One domain's HAProxy edge proxy as Kubernetes objects, for an edge that
 * runs in a cluster other than the backend's: a `ConfigMap` with the same
 * configuration as the VPS's (on unprivileged ports 8443 and 8080), a
 * `Deployment` of the official `haproxy` image, a `LoadBalancer` Service at
 * the domain's own address (443 and 80 to those ports) and, with more than
 * one replica, a `PodDisruptionBudget` (one replica may be down) and a
 * spread of the replicas over nodes.
 *
 * The pods meet the Pod Security "restricted" profile: the image's user
 * (uid 99), no capabilities, no privilege escalation, the runtime's default
 * seccomp profile, a read-only root file system. HAProxy has a readiness and
 * a liveness probe on its HTTPS port.
 *
 * The certificate comes from a Secret the operator creates in the proxy's
 * namespace (see `expectedSecret`): keys `tls.crt` (chain) and `tls.key` for
 * the domain's six host names, and `ca.crt`, the CAs of the backend's
 * certificate. It is never written into the output. A container beside
 * HAProxy watches the mounted Secret and reloads HAProxy (SIGUSR2 to its
 * master) when the certificate changes, so a renewed certificate is served
 * without a restart, within 10 seconds of the kubelet updating the files.
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
  /** The proxy's ConfigMap (`haproxy.cfg`). */
  public readonly configMap: ApiObject;
  /** The proxy's Deployment. */
  public readonly deployment: ApiObject;
  /** The proxy's LoadBalancer Service. */
  public readonly service: ApiObject;
  /** The proxy's PodDisruptionBudget (with more than one replica). */
  public readonly podDisruptionBudget?: ApiObject;

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
    const chartNamespace = Chart.of(this).namespace;
    const namespaceIssue = chartNamespace === undefined ? undefined : namespaceProblem("the edge proxy chart's namespace", chartNamespace);
    if (namespaceIssue !== undefined) {
      problems.add(namespaceIssue);
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
        'assets, teams, account) and no other domain; key ca.crt (required: HAProxy verifies the backend with it and does not start ' +
        "without it): the CA certificates that signed the backend's certificate (for a Let's Encrypt backend, its root ISRG Root X1). " +
        'A renewed certificate is picked up by the running proxy',
    };

    // plain ApiObjects with the fields cdk8s-plus-28's ConfigMap and Deployment wrote before, under the
    // same construct ids (`<id>/Resource`): through cdk8s-plus they cost more than a third of a synth
    const hp = edge.settings.haproxy;
    const httpRedirect = hp.httpRedirect;
    const configMapName = `${this.name}-haproxy`;
    this.configMap = new RenderedObject(new Construct(this, 'Config'), 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName },
      data: { 'haproxy.cfg': this.haproxyConfig },
      immutable: false,
    });
    const deploymentScope = new Construct(this, 'Deployment');
    // the label cdk8s-plus selected the pods with
    const podLabels = { 'cdk8s.io/metadata.addr': Names.toLabelValue(deploymentScope) };
    this.deployment = new RenderedObject(deploymentScope, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.name },
      spec: {
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        replicas: hp.replicas,
        selector: { matchLabels: podLabels },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: {
            // a new configuration rolls the pods
            annotations: { 'checksum/haproxy.cfg': createHash('sha256').update(this.haproxyConfig).digest('hex') },
            labels: podLabels,
          },
          spec: {
            automountServiceAccountToken: false,
            containers: [
              {
                // the image's entrypoint runs `haproxy -W -db <args>`: a master that reloads on SIGUSR2
                args: ['-f', `${CONTAINER_CONFIG_DIR}/haproxy.cfg`, '-p', CONTAINER_PID_FILE],
                image: hp.image,
                imagePullPolicy: 'IfNotPresent', // the tag is pinned
                // a worker that stops accepting connections is restarted
                livenessProbe: { failureThreshold: 3, initialDelaySeconds: 10, periodSeconds: 20, tcpSocket: { port: CONTAINER_HTTPS_PORT } },
                name: 'haproxy',
                ports: [
                  { containerPort: CONTAINER_HTTPS_PORT, name: 'https' },
                  ...(httpRedirect ? [{ containerPort: CONTAINER_HTTP_PORT, name: 'http' }] : []),
                ],
                readinessProbe: { failureThreshold: 3, periodSeconds: 10, tcpSocket: { port: CONTAINER_HTTPS_PORT } },
                resources: { limits: { cpu: '1000m', memory: '256Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { mountPath: CONTAINER_CONFIG_DIR, name: 'config', readOnly: true },
                  { mountPath: CONTAINER_RUN_DIR, name: 'run' },
                  { mountPath: CONTAINER_TLS_DIR, name: 'tls', readOnly: true },
                ],
              },
              {
                // a renewed certificate reaches HAProxy: see certificateReloadScript
                command: ['/bin/sh', '-c', certificateReloadScript()],
                image: hp.image,
                imagePullPolicy: 'IfNotPresent',
                name: 'reload-certificate',
                resources: { limits: { cpu: '100m', memory: '32Mi' }, requests: { cpu: '10m', memory: '16Mi' } },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { mountPath: CONTAINER_RUN_DIR, name: 'run', readOnly: true },
                  { mountPath: CONTAINER_TLS_DIR, name: 'tls', readOnly: true },
                ],
              },
            ],
            dnsPolicy: 'ClusterFirst',
            hostNetwork: false,
            restartPolicy: 'Always',
            securityContext: {
              fsGroup: HAPROXY_UID,
              fsGroupChangePolicy: 'Always',
              runAsGroup: HAPROXY_UID,
              runAsNonRoot: true,
              runAsUser: HAPROXY_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            setHostnameAsFQDN: false,
            // the reloader signals the HAProxy master of its own pod
            shareProcessNamespace: true,
            terminationGracePeriodSeconds: 30,
            // replicas on different nodes where there are several (the Service sends traffic only to nodes with a pod)
            topologySpreadConstraints:
              hp.replicas > 1
                ? [{ labelSelector: { matchLabels: podLabels }, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }]
                : undefined,
            volumes: [
              { configMap: { name: configMapName }, name: 'config' },
              { emptyDir: { medium: 'Memory', sizeLimit: '1Mi' }, name: 'run' },
              {
                name: 'tls',
                secret: {
                  defaultMode: 0o440,
                  // HAProxy reads the key from "<certificate>.key" beside the certificate
                  items: [
                    { key: 'ca.crt', path: 'ca.crt' },
                    { key: 'tls.crt', path: 'edge.pem' },
                    { key: 'tls.key', path: 'edge.pem.key' },
                  ],
                  secretName,
                },
              },
            ],
          },
        },
      },
    });

    // voluntary disruptions (node drains) leave at least one replica serving
    this.podDisruptionBudget =
      hp.replicas > 1
        ? new RenderedObject(this, 'DisruptionBudget', {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: this.name },
          spec: { maxUnavailable: 1, selector: { matchLabels: podLabels } },
        })
        : undefined;

    this.service = addLoadBalancerService(this, 'Service', edge, {
      name: this.name,
      ports: [
        ...(httpRedirect ? [{ name: 'http', port: 80, targetPort: 'http' }] : []),
        { name: 'https', port: 443, targetPort: 'https' },
      ],
      selector: podLabels,
    });
  }
}
