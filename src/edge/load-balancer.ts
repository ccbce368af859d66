import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { quote } from '../errors';
import { publishedNames } from './dns';
import { DomainEdge } from './model';
import { RenderedObject } from '../artefacts';

/** One port of a load balancer Service. */
export interface LoadBalancerPort {
  readonly name: string;
  readonly port: number;
  /** Container port the traffic goes to: a number, or the container's port name. */
  readonly targetPort: number | string;
}

/** What makes a Service one domain's load balancer at its own address (plain data, Kubernetes spelling). */
export interface LoadBalancerServiceFields {
  /** `metadata.annotations`: the shared ones, the address annotation of the implementation (if it reads one), external-dns. */
  readonly annotations: { [key: string]: string };
  /**
   * Fields of `spec`: `type: LoadBalancer`, `externalTrafficPolicy: Local`,
   * one IP family (the address's), `loadBalancerIP` only when the
   * implementation reads it, `loadBalancerSourceRanges` when given.
   */
  readonly spec: {
    readonly type: 'LoadBalancer';
    readonly externalTrafficPolicy: 'Local';
    readonly ipFamilyPolicy: 'SingleStack';
    readonly ipFamilies: ['IPv4' | 'IPv6'];
    readonly loadBalancerIP?: string;
    readonly loadBalancerSourceRanges?: string[];
  };
}

/**
 * The annotations and spec fields of a domain's `LoadBalancer` Service (pure),
 * for the per-domain load balancer and the in-cluster edge proxy's Service
 * alike. The address is requested in exactly one way, the one the chosen
 * `LoadBalancerImplementation` reads: an annotation, or `spec.loadBalancerIP`.
 */
export function loadBalancerServiceFields(edge: DomainEdge): LoadBalancerServiceFields {
  const lb = edge.settings.loadBalancer;
  const annotations: { [key: string]: string } = { ...lb.annotations };
  for (const key of lb.addressAnnotations) {
    annotations[key] = edge.address.text;
  }
  if (lb.externalDns) {
    annotations['external-dns.alpha.kubernetes.io/hostname'] = publishedNames(edge).join(',');
    annotations['external-dns.alpha.kubernetes.io/ttl'] = String(edge.settings.dns.ttl);
  }
  return {
    annotations,
    spec: {
      type: 'LoadBalancer',
      // clients keep their source address, and only nodes with a selected pod answer
      externalTrafficPolicy: 'Local',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: [edge.address.family === 6 ? 'IPv6' : 'IPv4'],
      ...(lb.setLoadBalancerIp ? { loadBalancerIP: edge.address.text } : {}),
      ...(lb.sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...lb.sourceRanges] } : {}),
    },
  };
}

/** The entry addresses claimed so far in each app, by the Service that claims them. */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Record that a Service of the app claims a domain's entry address; refuse a
 * second one (an edge proxy and a load balancer for one domain, two
 * standalone constructs given one address): a domain has one entry point.
 */
export function claimEntryAddress(scope: Construct, edge: DomainEdge, who: string): void {
  const root = scope.node.root;
  let byAddress = claims.get(root);
  if (byAddress === undefined) {
    byAddress = new Map();
    claims.set(root, byAddress);
  }
  const earlier = byAddress.get(edge.address.text);
  if (earlier !== undefined) {
    throw new Error(
      `two entry points claim the address ${quote(edge.address.text)}: ${earlier} and ${who} (of ${quote(edge.domain.name)}); ` +
        'each address belongs to one entry point of one domain, where its DNS records point: give one of them another address, or leave it out',
    );
  }
  byAddress.set(edge.address.text, `${who} (of ${quote(edge.domain.name)})`);
}

/**
 * A `LoadBalancer` Service at one domain's own address, with the fields of
 * `loadBalancerServiceFields` and the given ports.
 *
 * The Service is a plain ApiObject (the fields cdk8s-plus-28's `Service`
 * wrote before, in the same order): three objects per domain through
 * cdk8s-plus cost more than a third of a synth with edge proxies.
 */
export function addLoadBalancerService(
  scope: Construct,
  id: string,
  edge: DomainEdge,
  options: { name: string; namespace?: string; ports: readonly LoadBalancerPort[]; selector: { readonly [key: string]: string } },
): ApiObject {
  const fields = loadBalancerServiceFields(edge);
  claimEntryAddress(scope, edge, `Service ${options.namespace ?? Chart.of(scope).namespace ?? 'default'}/${options.name}`);
  const annotations = fields.annotations;
  // construct ids as cdk8s-plus made them (`<id>/Resource`), so that paths and labels stay the same
  return new RenderedObject(new Construct(scope, id), 'Resource', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      annotations: Object.keys(annotations).length === 0 ? undefined : annotations,
    },
    spec: {
      ...fields.spec,
      ports: options.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
      selector: { ...options.selector },
    },
  });
}

/**
 * The load balancer of one domain in front of the ingress controller's pods
 * (ports 80 and 443 to the controller's `http` and `https` ports).
 */
export function addIngressLoadBalancer(scope: Construct, id: string, edge: DomainEdge): ApiObject {
  const lb = edge.settings.loadBalancer;
  return addLoadBalancerService(scope, id, edge, {
    name: edge.loadBalancerName,
    namespace: lb.namespace,
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ],
    selector: lb.selector,
  });
}

/**
 * The warning for load balancers per domain on k3s / RKE2 (the HelmChart
 * format): k3s's built-in ServiceLB (klipper-lb) takes a LoadBalancer
 * Service's ports on the host ports of the nodes, so a second Service that
 * wants 80 and 443 stays Pending without an address.
 *
 * @param formatName the release format's `name`
 * @param services how many load balancer Services the deployment has
 */
export function serviceLbWarning(formatName: string, services: number): string | undefined {
  if (formatName !== 'helmchart' || services === 0) {
    return undefined;
  }
  return (
    `the HelmChart format (k3s / RKE2) is used with ${services} load balancer Service(s), one per domain, each wanting ports 80 and 443: ` +
    "k3s's built-in ServiceLB (klipper-lb; on RKE2 with --enable-servicelb) binds a Service's ports on the nodes' host ports, " +
    'so only one LoadBalancer Service (the ingress controller\'s own counts) gets 80 and 443 and the others stay Pending without an address. ' +
    'Run k3s with --disable servicelb and install MetalLB (or kube-vip), or serve the domains through edge proxies (loadBalancer.enabled: false)'
  );
}
