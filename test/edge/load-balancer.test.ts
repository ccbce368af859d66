import { Chart, Testing } from 'cdk8s';
import { edgeOf } from './fixtures';
import { EdgeProxy, LoadBalancerImplementation } from '../../src';
import { addIngressLoadBalancer } from '../../src/edge/load-balancer';
import { EntryPointSettings } from '../../src/edge/options';
import { errorOf } from '../util';

/** The emitted load balancer Service of one domain. */
function service(domain: string, address: string, settings: EntryPointSettings = {}): any {
  const chart = Testing.chart();
  addIngressLoadBalancer(chart, 'lb', edgeOf(domain, address, settings));
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

/** The emitted Service of an in-cluster edge proxy. */
function edgeProxyService(address: string, settings: EntryPointSettings = {}): any {
  const chart = new Chart(Testing.app(), 'edge', { namespace: 'wire-edge' });
  new EdgeProxy(chart, 'red', { domain: 'red.example.com', address, backendAddress: '192.0.2.1', loadBalancer: settings.loadBalancer });
  const services = Testing.synth(chart).filter((o) => o.kind === 'Service');
  expect(services).toHaveLength(1);
  return services[0];
}

/** Where each implementation reads a Service's address (from its source code, see the README). */
const READS: Array<[string, () => LoadBalancerImplementation, string]> = [
  // MetalLB controller/service.go: AnnotationLoadBalancerIPs, since 0.14.9
  ['MetalLB 0.14.9 or later', () => LoadBalancerImplementation.metallb(), 'metallb.io/loadBalancerIPs'],
  // MetalLB controller/service.go: DeprecatedAnnotationLoadBalancerIPs
  ['MetalLB before 0.14.9', () => LoadBalancerImplementation.metallbLegacy(), 'metallb.universe.tf/loadBalancerIPs'],
  // kube-vip: LoadbalancerIPAnnotation, read before spec.loadBalancerIP
  ['kube-vip', () => LoadBalancerImplementation.kubeVip(), 'kube-vip.io/loadbalancerIPs'],
  ['a cloud provider', () => LoadBalancerImplementation.specLoadBalancerIp(), 'spec.loadBalancerIP'],
  ['an implementation of ones own', () => LoadBalancerImplementation.annotations(['lb.example.com/address']), 'lb.example.com/address'],
];
const ADDRESS_KEYS = ['metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs', 'kube-vip.io/loadbalancerIPs', 'lb.example.com/address'];

/** Every way a Service asks for an address, with the address it asks for. */
function addressRequests(svc: any): string[] {
  const annotations = svc.metadata.annotations ?? {};
  return [
    ...(svc.spec.loadBalancerIP === undefined ? [] : [`spec.loadBalancerIP=${svc.spec.loadBalancerIP}`]),
    ...ADDRESS_KEYS.filter((k) => k in annotations).map((k) => `${k}=${annotations[k]}`),
  ];
}

/** MetalLB's getDesiredLbIPs: an address annotation (either prefix) and spec.loadBalancerIP together get no address. */
function metallbRefuses(svc: any): boolean {
  const annotations = svc.metadata.annotations ?? {};
  const annotation = annotations['metallb.io/loadBalancerIPs'] ?? annotations['metallb.universe.tf/loadBalancerIPs'] ?? '';
  return annotation !== '' && (svc.spec.loadBalancerIP ?? '') !== '';
}

describe("a domain's load balancer Service", () => {
  test("sits in front of the ingress controller's pods at the domain's own address, asked for once, as MetalLB 0.14.9+ reads it", () => {
    const svc = service('red.example.com', '198.51.100.20');
    expect(svc).toMatchObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'wire-entry-red-example-com', namespace: 'wire' } });
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 'https' },
      ],
      selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    });
    expect(svc.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '198.51.100.20' });
    expect(metallbRefuses(svc)).toBe(false);
  });

  test('an IPv6 address gets an IPv6 Service', () => {
    const svc = service('blue.example.net', '2001:DB8::30');
    expect(svc.spec.ipFamilies).toEqual(['IPv6']);
    expect(addressRequests(svc)).toEqual(['metallb.io/loadBalancerIPs=2001:db8::30']);
  });

  describe.each(READS)('with %s', (_name, implementation, reads) => {
    test(`the load balancer and the edge proxy Service ask for the address exactly once, by ${reads}`, () => {
      const settings = { loadBalancer: { implementation: implementation() } };
      for (const svc of [service('red.example.com', '198.51.100.20', settings), edgeProxyService('198.51.100.20', settings)]) {
        expect(addressRequests(svc)).toEqual([`${reads}=198.51.100.20`]);
        expect(metallbRefuses(svc)).toBe(false);
      }
    });
  });

  test('selector, namespace, extra annotations and source ranges from the options', () => {
    const svc = service('red.example.com', '198.51.100.20', {
      loadBalancer: {
        namespace: 'ingress-nginx',
        selector: { 'app.kubernetes.io/instance': 'ingress-nginx-controller' },
        implementation: LoadBalancerImplementation.kubeVip(),
        annotations: { 'kube-vip.io/loadbalancerHostname': 'edge-red' },
        sourceRanges: ['192.0.2.0/24', '2001:db8::/32'],
      },
    });
    expect(svc.metadata.namespace).toBe('ingress-nginx');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/instance': 'ingress-nginx-controller' });
    expect(svc.spec).not.toHaveProperty('loadBalancerIP');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['192.0.2.0/24', '2001:db8::/32']);
    expect(svc.metadata.annotations).toEqual({ 'kube-vip.io/loadbalancerHostname': 'edge-red', 'kube-vip.io/loadbalancerIPs': '198.51.100.20' });
  });

  test.each([
    ['metallb.io/loadBalancerIPs', LoadBalancerImplementation.metallb(), 'MetalLB 0.14.9 or later'],
    ['metallb.universe.tf/loadBalancerIPs', LoadBalancerImplementation.metallb(), 'MetalLB 0.14.9 or later'],
    ['metallb.io/loadBalancerIPs', LoadBalancerImplementation.specLoadBalancerIp(), 'spec.loadBalancerIP'],
    ['kube-vip.io/loadbalancerIPs', LoadBalancerImplementation.kubeVip(), 'kube-vip'],
    ['lb.example.com/address', LoadBalancerImplementation.annotations(['lb.example.com/address']), 'the annotation(s) "lb.example.com/address"'],
    ['example.com/loadBalancerIP', LoadBalancerImplementation.metallb(), 'MetalLB 0.14.9 or later'],
  ])('shared annotations that also request an address (%s) are refused', (key, implementation, described) => {
    const message = errorOf(() => service('red.example.com', '198.51.100.20', { loadBalancer: { implementation, annotations: { [key]: '198.51.100.99' } } }));
    expect(message).toContain(`loadBalancer.annotations set ${JSON.stringify(key)}, which requests a load balancer address`);
    expect(message).toContain(`requested by loadBalancer.implementation (${described}), once`);
  });

  test('external-dns publishes exactly the host names of its domain, with the TTL of the DNS options', () => {
    const svc = service('red.example.com', '198.51.100.20', { loadBalancer: { externalDns: true }, dns: { ttl: 600, wildcard: true } });
    expect(svc.metadata.annotations['external-dns.alpha.kubernetes.io/hostname'].split(',')).toEqual([
      'nginz-https.red.example.com',
      'nginz-ssl.red.example.com',
      'webapp.red.example.com',
      'assets.red.example.com',
      'teams.red.example.com',
      'account.red.example.com',
      '*.red.example.com',
    ]);
    expect(svc.metadata.annotations['external-dns.alpha.kubernetes.io/ttl']).toBe('600');
  });
});
