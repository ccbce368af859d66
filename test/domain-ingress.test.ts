import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Artefacts, DomainIngress, EdgeProxy, IngressTls, MultiIngressBackend } from '../src';
import { captureWarnings, errorOf } from './util';

function standalone(props: ConstructorParameters<typeof DomainIngress>[2]) {
  const chart = Testing.chart();
  const ingress = new DomainIngress(chart, 'red', props);
  const output = captureWarnings();
  try {
    const objects = Testing.synth(chart);
    return { ingress, objects, values: parse(objects.find((o) => o.kind === 'HelmChart').spec.valuesContent), printed: output.lines() };
  } finally {
    output.restore();
  }
}

test('an additional domain on its own: its release, its host names, a derived ingress name', () => {
  const { ingress, objects, values } = standalone({ domain: 'Red.Example.COM.' });
  // own certificates (the default): the HelmChartConfig re-applies the values after the secret values
  expect(objects.map((o) => o.kind)).toEqual(['HelmChart', 'HelmChartConfig']);
  expect(ingress.domain.name).toBe('red.example.com');
  expect(ingress.ingressName).toBe('red-example-com');
  expect(objects[0].metadata.name).toBe('nginx-ingress-services-red-example-com');
  expect(values.ingressName).toBe('red-example-com');
  expect(values.config.isAdditionalIngress).toBe(true);
  expect(values.config.dns).toEqual({
    base: 'red.example.com',
    https: 'nginz-https.red.example.com',
    ssl: 'nginz-ssl.red.example.com',
    webapp: 'webapp.red.example.com',
    fakeS3: 'assets.red.example.com',
    teamSettings: 'teams.red.example.com',
    accountPages: 'account.red.example.com',
  });
});

test('the default domain keeps ingressName "" and the release name nginx-ingress-services', () => {
  expect(() => standalone({ domain: 'green.example.org', isDefaultDomain: true, ingressName: 'green' })).toThrow(
    'ingress name "green" for the default domain "green.example.org" is not allowed',
  );
  const { ingress, objects, values } = standalone({ domain: 'green.example.org', isDefaultDomain: true });
  expect(ingress.releaseName).toBe('nginx-ingress-services');
  expect(objects[0].metadata.name).toBe('nginx-ingress-services');
  expect(values.ingressName).toBe('');
  expect(values.config.isAdditionalIngress).toBe(false);
});

test('a chosen short name, as in the guide', () => {
  const { objects, values } = standalone({ domain: 'red.example.com', ingressName: 'red' });
  expect(objects[0].metadata.name).toBe('nginx-ingress-services-red');
  expect(values.ingressName).toBe('red');
});

test('on its own it reports its warnings and its Secret at synth', () => {
  const { ingress, printed } = standalone({
    domain: 'red.example.com',
    ingressServicesValues: { ingressName: 'old', secrets: { tlsWildcardKey: 'x' } },
  });
  expect(ingress.warnings).toHaveLength(2);
  const text = printed.join('\n');
  expect(text).toContain('"secrets"');
  expect(text).toContain('"ingressName"');
  expect(text).toContain('nginx-ingress-services-red-example-com-tls with key tls-values.yaml');
});

test('inside a MultiIngressBackend the backend reports once for all domains', () => {
  const chart = Testing.chart();
  new MultiIngressBackend(chart, 'backend', { defaultDomain: 'green.example.org', additionalDomains: ['red.example.com'] });
  const output = captureWarnings();
  try {
    Testing.synth(chart);
    const secretsLists = output.lines().filter((l) => l.includes('create these'));
    expect(secretsLists).toHaveLength(1);
    expect(secretsLists[0]).toContain('create these 3 Secrets before the releases install');
  } finally {
    output.restore();
  }
});

test('cert-manager names the issuer after the ingress name', () => {
  const { ingress, values } = standalone({
    domain: 'red.example.com',
    ingressName: 'red',
    tls: IngressTls.certManager({ certmasterEmail: 'acme@red.example.com', issuerName: 'le-prod', staging: true }),
  });
  expect(ingress.issuerName).toBe('le-prod-red');
  expect(values.tls.issuer).toEqual({ name: 'le-prod', kind: 'Issuer' });
  expect(values.certManager).toEqual({ certmasterEmail: 'acme@red.example.com', inTestMode: true });
});

test('federation cannot be enabled on an additional domain', () => {
  expect(() => standalone({ domain: 'red.example.com', ingressServicesValues: { federator: { enabled: true } } })).toThrow(
    /"red.example.com" \(release "nginx-ingress-services-red-example-com"\) is an additional domain: federation and multi-ingress cannot be configured together/,
  );
  expect(() => standalone({ domain: 'green.example.org', isDefaultDomain: true, ingressServicesValues: { federator: { enabled: true } } })).not.toThrow();
});

test('bad input names the value', () => {
  expect(() => standalone({ domain: 'https://red.example.com' })).toThrow('domain "https://red.example.com" is not a valid DNS name: it has a scheme');
  expect(() => standalone({ domain: 'red.example.com', ingressName: 'Red' })).toThrow('ingress name "Red" for "red.example.com" is not valid');
  expect(() => standalone({ domain: 'red.example.com', ingressServicesChart: { version: '5.0.0' } })).toThrow('too old for multi-ingress');
});

test('releaseDependsOn must be release names', () => {
  const chart = Testing.chart();
  expect(errorOf(() => new DomainIngress(chart, 'red', { domain: 'red.example.com', releaseDependsOn: ['Wire Server'] }))).toBe(
    'releaseDependsOn ["Wire Server"] is not valid: expected a list of Helm release names such as ["wire-server", "webapp"]',
  );
  expect(Testing.synth(chart)).toEqual([]);
});

describe('entry point of one domain', () => {
  const ENTRY = { address: '198.51.100.20', backendAddress: '192.0.2.1' };
  /** Synthesize without printing the Secrets report. */
  const quietSynth = (chart: Chart) => {
    const output = captureWarnings();
    try {
      return Testing.synth(chart);
    } finally {
      output.restore();
    }
  };

  test('without entryPoint there is no load balancer and no edge artefact', () => {
    const { ingress, objects } = standalone({ domain: 'red.example.com' });
    // own certificates (the default): the HelmChartConfig re-applies the values after the secret values
    expect(objects.map((o) => o.kind)).toEqual(['HelmChart', 'HelmChartConfig']);
    expect(ingress.entryAddress).toBeUndefined();
    expect(Artefacts.of(ingress)).toEqual([]);
  });

  test('a load balancer at its address, and haproxy.cfg, dns.zone and certbot.sh below edge/<domain>/', () => {
    const { ingress, objects } = standalone({ domain: 'red.example.com', ingressName: 'red', entryPoint: ENTRY });
    const svc = objects.find((o) => o.kind === 'Service');
    expect(svc.metadata).toMatchObject({ name: 'wire-entry-red', namespace: 'wire' });
    expect(svc.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('198.51.100.20');
    expect(ingress.loadBalancerService).toBeDefined();
    expect(ingress.entryAddress).toBe('198.51.100.20');
    expect(Artefacts.of(ingress).map((a) => [a.path, a.executable])).toEqual([
      ['edge/red.example.com/certbot.sh', true],
      ['edge/red.example.com/dns.zone', false],
      ['edge/red.example.com/haproxy.cfg', false],
    ]);
    const byPath = Object.fromEntries(Artefacts.of(ingress).map((a) => [a.path, a.render()]));
    expect(byPath['edge/red.example.com/haproxy.cfg']).toBe(ingress.haproxyConfig);
    expect(byPath['edge/red.example.com/dns.zone']).toBe(ingress.dnsRecords);
    expect(byPath['edge/red.example.com/certbot.sh']).toBe(ingress.certbotScript);
    expect(ingress.haproxyConfig).toContain('server backend 192.0.2.1:443 ');
  });

  test('the load balancer follows the release namespace unless told otherwise, and can be switched off', () => {
    const moved = standalone({ domain: 'red.example.com', namespace: 'wire-prod', entryPoint: ENTRY });
    expect(moved.objects.find((o) => o.kind === 'Service').metadata.namespace).toBe('wire-prod');
    const off = standalone({ domain: 'red.example.com', entryPoint: { ...ENTRY, loadBalancer: { enabled: false } } });
    expect(off.objects.map((o) => o.kind)).toEqual(['HelmChart', 'HelmChartConfig']);
    expect(off.ingress.haproxyConfig).toBeDefined();
  });

  test("on its own with the HelmChart format, its load balancer warns about k3s's ServiceLB", () => {
    const { ingress, printed } = standalone({ domain: 'red.example.com', entryPoint: ENTRY });
    expect(ingress.warnings.filter((w) => w.includes('--disable servicelb'))).toHaveLength(1);
    expect(printed.filter((line) => line.includes('warning:') && line.includes('ServiceLB'))).toHaveLength(1);
    const off = standalone({ domain: 'red.example.com', entryPoint: { ...ENTRY, loadBalancer: { enabled: false } } });
    expect(off.ingress.warnings.filter((w) => w.includes('ServiceLB'))).toEqual([]);
  });

  test('the in-cluster edge proxy goes into the scope given, and its Secret is expected', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'wire');
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    const ingress = new DomainIngress(chart, 'red', {
      domain: 'red.example.com',
      ingressName: 'red',
      entryPoint: { ...ENTRY, loadBalancer: { enabled: false }, edgeProxyScope: edge },
    });
    expect(ingress.edgeProxy!.name).toBe('wire-edge-red');
    // the edge chart's namespace comes first, in the same file
    const edgeObjects = quietSynth(edge);
    expect(edgeObjects[0]).toEqual(expect.objectContaining({ kind: 'Namespace', metadata: expect.objectContaining({ name: 'wire-edge' }) }));
    expect(edgeObjects.slice(1).map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']); // 2 replicas by default
    expect(ingress.expectedSecrets.map((s) => `${s.namespace}/${s.name}`)).toEqual(['kube-system/nginx-ingress-services-red-tls', 'wire-edge/wire-edge-red-tls']);
  });

  test('an edge proxy and a load balancer would claim the same address (in one chart or two): refused before anything is created', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'wire', { namespace: 'wire' });
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    for (const scope of [chart, edge]) {
      const message = errorOf(() => new DomainIngress(chart, `red-${scope.node.id}`, { domain: 'red.example.com', entryPoint: { ...ENTRY, edgeProxyScope: scope } }));
      expect(message).toContain(
        `two entry points claim the address "${ENTRY.address}" of "red.example.com": the load balancer Service "wire/wire-entry-red-example-com" ` +
          `and the in-cluster edge proxy Service "${scope.namespace}/wire-edge-red-example-com"`,
      );
      expect(message).toContain('set loadBalancer.enabled to false');
    }
    expect(Testing.synth(chart)).toEqual([]);
    expect(Testing.synth(edge)).toEqual([]);
    // without load balancers, one chart is fine
    new DomainIngress(chart, 'blue', { domain: 'blue.example.net', entryPoint: { ...ENTRY, loadBalancer: { enabled: false }, edgeProxyScope: chart } });
    const objects = quietSynth(chart);
    // the edge proxy's namespace (not kube-system, where the HelmChart goes) is created first
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: objects.find((o) => o.kind === 'Deployment').metadata.namespace } });
    expect(objects.slice(1).map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HelmChart', 'HelmChartConfig', 'PodDisruptionBudget', 'Service']);
  });

  test('bad entry points are refused with the domain and the address named, before anything is created', () => {
    const chart = Testing.chart();
    const message = errorOf(() => new DomainIngress(chart, 'red', { domain: 'red.example.com', entryPoint: { address: '192.0.2.1', backendAddress: '192.0.2.1' } }));
    expect(message).toBe(
      'Invalid entry point of "red.example.com": entry address "192.0.2.1" of "red.example.com" is the backend\'s address (backendAddress): ' +
        'expected an address of its own, so that the backend stays hidden behind it',
    );
    expect(errorOf(() => new DomainIngress(chart, 'r2', { domain: 'red.example.com', entryPoint: { address: '198.51.100.300', backendAddress: '192.0.2.1', dns: { ttl: -5 } } }))).toMatch(
      /2 problems[\s\S]*dns.ttl -5[\s\S]*entry address of "red.example.com" "198.51.100.300" is not valid/,
    );
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('two entry points at one address', () => {
  test('a standalone edge proxy at the address of a domain\'s load balancer is refused, naming both Services and the address', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'wire', { namespace: 'wire' });
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    new DomainIngress(chart, 'red', { domain: 'red.example.com', ingressName: 'red', entryPoint: { address: '198.51.100.20', backendAddress: '192.0.2.1' } });
    const message = errorOf(() => new EdgeProxy(edge, 'blue', { domain: 'blue.example.net', address: '198.51.100.20', backendAddress: '192.0.2.1' }));
    expect(message).toBe(
      'two entry points claim the address "198.51.100.20": Service wire/wire-entry-red (of "red.example.com") and ' +
        'Service wire-edge/wire-edge-blue-example-net (of "blue.example.net"); each address belongs to one entry point of one domain, ' +
        'where its DNS records point: give one of them another address, or leave it out',
    );
    // another address is fine
    new EdgeProxy(edge, 'blue2', { domain: 'blue.example.net', address: '2001:db8::30', backendAddress: '192.0.2.1' });
  });
});
