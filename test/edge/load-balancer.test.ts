import { Testing } from 'cdk8s';
import { edgeOf } from './fixtures';
import { addIngressLoadBalancer } from '../../src/edge/load-balancer';
import { EntryPointSettings } from '../../src/edge/options';

/** The emitted load balancer Service of one domain. */
function service(domain: string, address: string, settings: EntryPointSettings = {}): any {
  const chart = Testing.chart();
  addIngressLoadBalancer(chart, 'lb', edgeOf(domain, address, settings));
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe("a domain's load balancer Service", () => {
  test("sits in front of the ingress controller's pods at the domain's own address", () => {
    const svc = service('red.example.com', '198.51.100.20');
    expect(svc).toMatchObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'wire-entry-red-example-com', namespace: 'wire' } });
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      loadBalancerIP: '198.51.100.20',
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 'https' },
      ],
      selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    });
    expect(svc.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '198.51.100.20' });
  });

  test('an IPv6 address gets an IPv6 Service', () => {
    const svc = service('blue.example.net', '2001:DB8::30');
    expect(svc.spec.ipFamilies).toEqual(['IPv6']);
    expect(svc.spec.loadBalancerIP).toBe('2001:db8::30');
    expect(svc.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('2001:db8::30');
  });

  test('selector, namespace, address annotations, extra annotations and source ranges from the options', () => {
    const svc = service('red.example.com', '198.51.100.20', {
      loadBalancer: {
        namespace: 'ingress-nginx',
        selector: { 'app.kubernetes.io/instance': 'ingress-nginx-controller' },
        setLoadBalancerIp: false,
        addressAnnotations: ['metallb.universe.tf/loadBalancerIPs', 'kube-vip.io/loadbalancerIPs'],
        annotations: { 'metallb.io/address-pool': 'public' },
        sourceRanges: ['192.0.2.0/24', '2001:db8::/32'],
      },
    });
    expect(svc.metadata.namespace).toBe('ingress-nginx');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/instance': 'ingress-nginx-controller' });
    expect(svc.spec).not.toHaveProperty('loadBalancerIP');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['192.0.2.0/24', '2001:db8::/32']);
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/address-pool': 'public',
      'metallb.universe.tf/loadBalancerIPs': '198.51.100.20',
      'kube-vip.io/loadbalancerIPs': '198.51.100.20',
    });
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
