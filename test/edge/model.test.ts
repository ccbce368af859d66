import { LoadBalancerImplementation } from '../../src/edge/load-balancer-implementation';
import { resolveEdges } from '../../src/edge/model';
import { EdgeOptions, HAPROXY_IMAGE, INGRESS_NGINX_SELECTOR, resolveEntryPointSettings } from '../../src/edge/options';
import { buildTopology } from '../../src/topology';
import { errorOf } from '../util';

describe('entry addresses of a deployment', () => {
  const topology = buildTopology('green.example.org', ['red.example.com', 'blue.example.net'], undefined);
  const ADDRESSES = { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' };
  const options = (o: Partial<EdgeOptions> = {}): EdgeOptions => ({ addresses: ADDRESSES, backendAddress: '192.0.2.1', ...o });

  test('maps each domain to its address and the backend', () => {
    const edges = resolveEdges(options(), topology, 'wire');
    expect([...edges.keys()]).toEqual(['green.example.org', 'red.example.com', 'blue.example.net']);
    expect(edges.get('blue.example.net')!.address).toEqual({ text: '2001:db8::30', family: 6 });
    expect(edges.get('red.example.com')!.backend).toEqual({ text: '192.0.2.1', family: 4 });
    expect(edges.get('green.example.org')!.loadBalancerName).toBe('wire-entry');
    expect(edges.get('red.example.com')!.edgeProxyName).toBe('wire-edge-red-example-com');
  });

  test('keys are normalised like domains; two spellings of one domain are refused', () => {
    const { 'blue.example.net': blue, ...others } = ADDRESSES;
    const edges = resolveEdges(options({ addresses: { ...others, 'BLUE.example.net.': blue } }), topology, 'wire');
    expect(edges.get('blue.example.net')!.address.text).toBe('2001:db8::30');
    const message = errorOf(() => resolveEdges(options({ addresses: { ...ADDRESSES, 'BLUE.example.net.': blue } }), topology, 'wire'));
    expect(message).toContain('entryPoints.addresses has two entries for "blue.example.net" (one of them written as "BLUE.example.net.")');
  });

  test('two domains with one address are refused, naming both domains and the address', () => {
    const message = errorOf(() =>
      resolveEdges(options({ addresses: { ...ADDRESSES, 'blue.example.net': '198.51.100.20' } }), topology, 'wire'),
    );
    expect(message).toContain('domains "red.example.com" and "blue.example.net" have the same entry address "198.51.100.20"');
  });

  test('two spellings of one IPv6 address are one address', () => {
    const message = errorOf(() =>
      resolveEdges(options({ addresses: { ...ADDRESSES, 'red.example.com': '2001:DB8:0:0::30' } }), topology, 'wire'),
    );
    expect(message).toContain('domains "red.example.com" and "blue.example.net" have the same entry address "2001:db8::30"');
  });

  test("an entry address equal to the backend's is refused, naming the domain and the address", () => {
    const message = errorOf(() => resolveEdges(options({ backendAddress: '198.51.100.20' }), topology, 'wire'));
    expect(message).toContain('entry address "198.51.100.20" of "red.example.com" is the backend\'s address (backendAddress)');
  });

  test('a domain without an address, an unknown domain and a bad address are reported together', () => {
    const message = errorOf(() =>
      resolveEdges(
        options({ addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '203.0.113.300', 'yellow.example.com': '203.0.113.40' } }),
        topology,
        'wire',
      ),
    );
    expect(message).toContain('3 problems');
    expect(message).toContain('entryPoints.addresses has an entry for "yellow.example.com", which is not one of the domains');
    expect(message).toContain('entry address of "red.example.com" "203.0.113.300" is not valid');
    expect(message).toContain('entryPoints.addresses has no address for "blue.example.net"');
  });

  test('an empty address map is one problem, not one per domain', () => {
    const message = errorOf(() => resolveEdges(options({ addresses: {} }), topology, 'wire'));
    expect(message).toBe('Invalid entry points: entryPoints.addresses gives no address for any of the 3 domain(s): each needs its own entry address');
  });

  test('a bad backend address is refused', () => {
    expect(errorOf(() => resolveEdges(options({ backendAddress: 'backend.example.com' }), topology, 'wire'))).toContain(
      'backendAddress "backend.example.com" is not valid',
    );
  });
});

describe('entry point settings', () => {
  const names = new Set(['red.example.com', 'blue.example.net']);

  test('defaults', () => {
    expect(resolveEntryPointSettings({}, 'wire', names)).toEqual({
      loadBalancer: {
        enabled: true,
        namespace: 'wire',
        selector: INGRESS_NGINX_SELECTOR,
        implementation: LoadBalancerImplementation.metallb(),
        setLoadBalancerIp: false,
        addressAnnotations: ['metallb.io/loadBalancerIPs'],
        annotations: {},
        sourceRanges: [],
        externalDns: false,
      },
      haproxy: {
        certificateDirectory: '/etc/haproxy/certs',
        caFile: '/etc/ssl/certs/ca-certificates.crt',
        httpRedirect: true,
        certbotPort: 8888,
        acmeEmail: 'hostmaster@{domain}',
        image: HAPROXY_IMAGE,
        replicas: 2,
      },
      dns: { ttl: 3600, wildcard: false },
    });
  });

  test("the default selector is the ingress-nginx controller's (as Wire's chart deploys it)", () => {
    expect(INGRESS_NGINX_SELECTOR).toEqual({ 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
  });

  test('the image is pinned', () => {
    expect(HAPROXY_IMAGE).toMatch(/^haproxy:\d+\.\d+\.\d+$/);
    expect(resolveEntryPointSettings({ haproxy: { image: `registry.example.com:5000/haproxy@sha256:${'a'.repeat(64)}` } }, 'wire', names).haproxy.image).toContain(
      '@sha256:',
    );
  });

  test.each([
    [{ loadBalancer: { namespace: 'Ingress_Nginx' } }, 'loadBalancer.namespace "Ingress_Nginx" is not valid'],
    [{ loadBalancer: { selector: {} } }, 'loadBalancer.selector {} is not valid'],
    [{ loadBalancer: { selector: { 'app.kubernetes.io/name': 'has space' } } }, 'loadBalancer.selector "app.kubernetes.io/name": "has space" is not valid'],
    [{ loadBalancer: { implementation: LoadBalancerImplementation.annotations(['not a key']) } }, 'loadBalancer.implementation annotation "not a key" is not valid'],
    [{ loadBalancer: { implementation: LoadBalancerImplementation.annotations([]) } }, 'expected at least one annotation key that gets the address'],
    [{ loadBalancer: { implementation: 'metallb' as any } }, 'loadBalancer.implementation "metallb" is not valid: expected a LoadBalancerImplementation'],
    [{ loadBalancer: { setLoadBalancerIp: true } as any }, 'loadBalancer.setLoadBalancerIp is no longer an option: choose how the address is requested with loadBalancer.implementation'],
    [{ loadBalancer: { addressAnnotations: ['x/y'] } as any }, 'loadBalancer.addressAnnotations is no longer an option'],
    [{ loadBalancer: { annotations: { 'x/y': 1 as any } } }, 'loadBalancer.annotations "x/y": 1 is not valid'],
    [{ loadBalancer: { sourceRanges: ['10.0.0.0/33'] } }, 'loadBalancer.sourceRanges entry "10.0.0.0/33" is not valid'],
    [{ loadBalancer: { sourceRanges: ['10.0.0.1'] } }, 'loadBalancer.sourceRanges entry "10.0.0.1" is not valid'],
    [{ loadBalancer: { enabled: 'yes' as any } }, 'loadBalancer.enabled "yes" is not valid: expected true or false'],
    [{ haproxy: { certificateDirectory: 'certs' } }, 'haproxy.certificateDirectory "certs" is not valid: expected an absolute path'],
    [{ haproxy: { caFile: '/etc/ssl/my ca.pem' } }, 'haproxy.caFile "/etc/ssl/my ca.pem" is not valid'],
    [{ haproxy: { certbotPort: 80 } }, 'haproxy.certbotPort 80 is not valid'],
    [{ haproxy: { certbotPort: 8888.5 } }, 'haproxy.certbotPort 8888.5 is not valid'],
    [{ haproxy: { acmeEmail: 'hostmaster' } }, 'haproxy.acmeEmail "hostmaster" is not valid'],
    [{ haproxy: { acmeEmail: 'x@{domain};id>/tmp/pwned;:' } }, 'haproxy.acmeEmail "x@{domain};id>/tmp/pwned;:" is not valid (the part after "@" must be a domain'],
    [{ haproxy: { acmeEmail: 'x$(id)@example.com' } }, 'haproxy.acmeEmail "x$(id)@example.com" is not valid (the part before "@" must be'],
    [{ haproxy: { acmeEmail: 'a b@example.com' } }, 'haproxy.acmeEmail "a b@example.com" is not valid'],
    [{ haproxy: { acmeEmail: 'x@example.com\nid' } }, 'haproxy.acmeEmail "x@example.com\\nid" is not valid'],
    [{ haproxy: { acmeEmail: 'x@example.com`id`' } }, 'is not valid (the part after "@" must be a domain'],
    [{ haproxy: { image: 'haproxy' } }, 'haproxy.image "haproxy" is not valid: expected a pinned version'],
    [{ haproxy: { image: 'haproxy:latest' } }, 'haproxy.image "haproxy:latest" is not valid: expected a pinned version instead of "latest"'],
    [{ haproxy: { image: 'registry.example.com:5000/haproxy' } }, 'expected a pinned version'],
    [{ haproxy: { replicas: 0 } }, 'haproxy.replicas 0 is not valid'],
    [{ dns: { ttl: -1 } }, 'dns.ttl -1 is not valid'],
    [{ dns: { ttl: 2 ** 31 } }, 'dns.ttl 2147483648 is not valid'],
  ])('%j is refused', (settings, expected) => {
    expect(errorOf(() => resolveEntryPointSettings(settings, 'wire', names))).toContain(expected);
  });

  test("annotations shared by every domain's Service must not name a domain", () => {
    const message = errorOf(() => resolveEntryPointSettings({ loadBalancer: { annotations: { 'example.com/note': 'see red.example.com' } } }, 'wire', names));
    expect(message).toContain('loadBalancer.annotations mention "red.example.com" at "example.com/note"');
  });

  test('every problem is reported together', () => {
    const message = errorOf(() => resolveEntryPointSettings({ haproxy: { certbotPort: 1, replicas: 0 }, dns: { ttl: 1.5 } }, 'wire', names));
    expect(message).toContain('3 problems');
  });

  test('a trailing slash of the certificate directory is dropped', () => {
    expect(resolveEntryPointSettings({ haproxy: { certificateDirectory: '/srv/certs/' } }, 'wire', names).haproxy.certificateDirectory).toBe('/srv/certs');
  });
});
