import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { publishedNames } from './dns';
import { loadKplus } from './kplus';
import { DomainEdge } from './model';
import { ResolvedLoadBalancer } from './options';

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
 * @param select adds the pod selector to the Service
 */
export function addLoadBalancerService(
  scope: Construct,
  id: string,
  edge: DomainEdge,
  options: { name: string; namespace?: string; ports: readonly LoadBalancerPort[]; select: (service: kplus.Service) => void },
): kplus.Service {
  const lb = edge.settings.loadBalancer;
  const plus = loadKplus();
  const service = new plus.Service(scope, id, {
    metadata: {
      name: options.name,
      namespace: options.namespace,
      annotations: loadBalancerAnnotations(edge, lb),
    },
    type: plus.ServiceType.LOAD_BALANCER,
    ports: options.ports.map((p) => ({ name: p.name, port: p.port, targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port })),
    loadBalancerSourceRanges: lb.sourceRanges.length > 0 ? [...lb.sourceRanges] : undefined,
  });
  options.select(service);
  // cdk8s-plus has no setting for these. Its KubeService applies JSON patches
  // to the props in their TypeScript spelling (`loadBalancerIp`, `targetPort:
  // { value }`) before renaming them to the Kubernetes fields; the tests read
  // the emitted Service, so a change there cannot go unnoticed.
  const api = ApiObject.of(service);
  options.ports.forEach((p, i) => {
    if (typeof p.targetPort === 'string') {
      api.addJsonPatch(JsonPatch.add(`/spec/ports/${i}/targetPort`, { value: p.targetPort }));
    }
  });
  api.addJsonPatch(
    JsonPatch.remove('/spec/externalIPs'), // an empty list
    JsonPatch.add('/spec/externalTrafficPolicy', 'Local'),
    JsonPatch.add('/spec/ipFamilyPolicy', 'SingleStack'),
    JsonPatch.add('/spec/ipFamilies', [edge.address.family === 6 ? 'IPv6' : 'IPv4']),
  );
  if (lb.setLoadBalancerIp) {
    api.addJsonPatch(JsonPatch.add('/spec/loadBalancerIp', edge.address.text));
  }
  return service;
}

/**
 * The load balancer of one domain in front of the ingress controller's pods
 * (ports 80 and 443 to the controller's `http` and `https` ports).
 */
export function addIngressLoadBalancer(scope: Construct, id: string, edge: DomainEdge): kplus.Service {
  const lb = edge.settings.loadBalancer;
  return addLoadBalancerService(scope, id, edge, {
    name: edge.loadBalancerName,
    namespace: lb.namespace,
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ],
    select: (service) => {
      for (const [key, value] of Object.entries(lb.selector)) {
        service.selectLabel(key, value);
      }
    },
  });
}
