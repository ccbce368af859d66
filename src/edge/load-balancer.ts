import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { publishedNames } from './dns';
import { DomainEdge } from './model';
import { ResolvedLoadBalancer } from './options';
import { RenderedObject } from '../artefacts';

/** One port of a load balancer Service. */
export interface LoadBalancerPort {
  readonly name: string;
  readonly port: number;
  /** Container port the traffic goes to: a number, or the container's port name. */
  readonly targetPort: number | string;
}

/** The annotations of a domain's load balancer Service (pure). */
export function loadBalancerAnnotations(edge: DomainEdge, lb: ResolvedLoadBalancer): { [key: string]: string } {
  const annotations: { [key: string]: string } = { ...lb.annotations };
  for (const key of lb.addressAnnotations) {
    annotations[key] = edge.address.text;
  }
  if (lb.externalDns) {
    annotations['external-dns.alpha.kubernetes.io/hostname'] = publishedNames(edge).join(',');
    annotations['external-dns.alpha.kubernetes.io/ttl'] = String(edge.settings.dns.ttl);
  }
  return annotations;
}

/**
 * A `LoadBalancer` Service at one domain's own address: ports as given,
 * `externalTrafficPolicy: Local` (clients keep their source address, and
 * only nodes with a selected pod answer), one IP family (the address's), the
 * address requested by `spec.loadBalancerIP` and/or annotations.
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
  const lb = edge.settings.loadBalancer;
  const annotations = loadBalancerAnnotations(edge, lb);
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
      externalTrafficPolicy: 'Local',
      ipFamilies: [edge.address.family === 6 ? 'IPv6' : 'IPv4'],
      ipFamilyPolicy: 'SingleStack',
      loadBalancerIP: lb.setLoadBalancerIp ? edge.address.text : undefined,
      loadBalancerSourceRanges: lb.sourceRanges.length > 0 ? [...lb.sourceRanges] : undefined,
      ports: options.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
      selector: { ...options.selector },
      type: 'LoadBalancer',
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
