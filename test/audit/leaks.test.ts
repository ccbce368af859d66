/**
 * Injected leaks, each in its own test: the synthesis fails with a message
 * that names both domains and the artefact, before anything is written.
 */
import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ArtefactFile, FindingSeverity, IngressTls, MultiIngressBackend, SamlContactType } from '../../src';
import { errorOf } from '../util';
import { GUIDE, fails, ingressOf, passes } from './helpers';

/** A LoadBalancer Service as an edge construct would add it for one domain. */
function loadBalancer(scope: Construct, name: string, address: string, annotations: { [key: string]: string } = {}): ApiObject {
  return new ApiObject(scope, `lb-${name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'wire', annotations },
    spec: { type: 'LoadBalancer', loadBalancerIP: address, ports: [{ port: 443 }] },
  });
}

test("base values that put one domain's host into every ingress release", () => {
  const { message, report } = fails({ ...GUIDE, ingressServicesValues: { service: { s3: { serviceName: 'minio.red.example.com' } } } });
  expect(message).toContain(
    "blue.example.net's release nginx-ingress-services-blue values at service.s3.serviceName names red.example.com (\"minio.red.example.com\")",
  );
  expect(message).toContain("green.example.org's release nginx-ingress-services values at service.s3.serviceName names red.example.com");
  expect(message).toContain('Remove "minio.red.example.com" from the base values');
  // red's own release may name red
  expect(report.errors.map((f) => f.domains)).toEqual(
    expect.arrayContaining([
      ['blue.example.net', 'red.example.com'],
      ['green.example.org', 'red.example.com'],
    ]),
  );
  expect(report.errors).toHaveLength(2);
  expect(report.errors.every((f) => f.check === 'foreign-domain' && f.path === 'service.s3.serviceName')).toBe(true);
});

test('one ACME e-mail for all domains', () => {
  const { message, report } = fails({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }) });
  expect(message).toContain('blue.example.net, green.example.org and red.example.com show the same e-mail address "ops@example.org"');
  expect(message).toContain('cert-manager Issuer wire/letsencrypt-http01-blue ACME account at certManager.certmasterEmail');
  expect(message).toContain('acknowledgedFindings: ["shared-email:ops@example.org"]');
  expect(report.errors.map((f) => f.id)).toEqual(['shared-email:ops@example.org']);
});

test('an ACME e-mail at another domain', () => {
  const { message } = fails({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@green.example.org' }) });
  expect(message).toContain('red.example.com uses the e-mail address "hostmaster@green.example.org" at green.example.org');
  expect(message).toContain('cert-manager Issuer wire/letsencrypt-http01-red ACME account at certManager.certmasterEmail');
  expect(message).toContain('blue.example.net uses the e-mail address "hostmaster@green.example.org" at green.example.org');
});

test('two domains sharing an address (Services in their DomainIngresses)', () => {
  const { message, report } = fails(GUIDE, (backend) => {
    loadBalancer(ingressOf(backend, 'red.example.com'), 'edge-red', '203.0.113.7');
    loadBalancer(ingressOf(backend, 'blue.example.net'), 'edge-blue', '203.0.113.7');
    loadBalancer(ingressOf(backend, 'green.example.org'), 'edge-green', '203.0.113.8');
  });
  expect(message).toContain(
    'blue.example.net and red.example.com show the same address "203.0.113.7" ' +
      '(blue.example.net: Service wire/edge-blue at spec.loadBalancerIP; red.example.com: Service wire/edge-red at spec.loadBalancerIP)',
  );
  expect(report.errors.map((f) => f.id)).toEqual(['shared-address:203.0.113.7']);
});

test('two domains sharing an address, from constructs named after the domains and from DNS records in edge files', () => {
  // objects and files as a per-domain edge construct outside the DomainIngress would add them
  const { report } = fails(GUIDE, (backend) => {
    const edge = new Construct(backend, 'Edge');
    for (const [domain, address] of [
      ['red.example.com', '198.51.100.4'],
      ['blue.example.net', '198.51.100.5'],
    ]) {
      const scope = new Construct(edge, domain);
      loadBalancer(scope, `lb-${domain.split('.')[0]}`, address, { 'external-dns.alpha.kubernetes.io/hostname': `*.${domain}` });
      new ArtefactFile(scope, 'zone', { path: `edge/${domain}/records.zone`, content: `nginz-https.${domain}. 300 IN A 192.0.2.99\n` });
    }
  });
  expect(report.errors.map((f) => f.id)).toEqual(['shared-address:192.0.2.99']);
  expect(report.errors[0].domains).toEqual(['blue.example.net', 'red.example.com']);
  expect(report.errors[0].artefact).toBe('blue.example.net: file edge/blue.example.net/records.zone at line 1; red.example.com: file edge/red.example.com/records.zone at line 1');
  const red = report.observationsOf('red.example.com');
  expect(red).toContainEqual({ domain: 'red.example.com', artefact: 'Service wire/lb-red', kind: 'address', value: '198.51.100.4', path: 'spec.loadBalancerIP' });
  expect(red).toContainEqual(expect.objectContaining({ artefact: 'Service wire/lb-red', kind: 'host', value: '*.red.example.com' }));
});

test('an external-dns annotation that names another domain', () => {
  const { message } = fails(GUIDE, (backend) => {
    loadBalancer(ingressOf(backend, 'red.example.com'), 'edge-red', '203.0.113.7', {
      'external-dns.alpha.kubernetes.io/hostname': '*.red.example.com,*.blue.example.net',
    });
  });
  expect(message).toContain(
    "red.example.com's Service wire/edge-red at metadata.annotations[\"external-dns.alpha.kubernetes.io/hostname\"] names blue.example.net",
  );
});

test('a certificate covering two domains: one own-certificate Secret for every domain', () => {
  const { message, report } = fails({ ...GUIDE, tls: IngressTls.ownCertificate({ secretName: 'wire-tls' }) });
  expect(message).toContain('blue.example.net, green.example.org and red.example.com show the same certificate "secret/kube-system/wire-tls"');
  expect(message).toContain('TLS values Secret read by release nginx-ingress-services-blue');
  expect(report.errors.map((f) => f.id)).toEqual(['shared-certificate:secret/kube-system/wire-tls']);
  // per-domain names are fine
  expect(passes({ ...GUIDE, tls: IngressTls.ownCertificate({ secretName: 'tls-{domain}' }) }).report.passed).toBe(true);
});

test('a certificate covering two domains: a cert-manager Certificate with both host names', () => {
  const { message } = fails(GUIDE, (backend) => {
    new ApiObject(ingressOf(backend, 'red.example.com'), 'edge-cert', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'edge-red', namespace: 'wire' },
      spec: { secretName: 'edge-red-tls', dnsNames: ['nginz-https.red.example.com', 'nginz-https.blue.example.net'], issuerRef: { name: 'le-red' } },
    });
  });
  expect(message).toContain("red.example.com's Certificate wire/edge-red at spec.dnsNames[1] names blue.example.net");
});

test('federation enabled (the chart refuses it): a clear error before any object is created', () => {
  const chart = Testing.chart();
  const message = errorOf(() => new MultiIngressBackend(chart, 'backend', { ...GUIDE, wireServerValues: { tags: { federation: true } } }));
  expect(message).toContain(
    'wire-server values set "tags.federation" to true, but federation and multi-ingress cannot be configured together: ' +
      'the additional domains "red.example.com" and "blue.example.net" are served besides the default "green.example.org"',
  );
  expect(Testing.synth(chart)).toEqual([]);

  const ingress = errorOf(() => new MultiIngressBackend(Testing.chart(), 'backend', { ...GUIDE, ingressServicesValues: { federator: { enabled: true } } }));
  expect(ingress).toContain('federator.enabled: true, but "red.example.com" (release "nginx-ingress-services-red") is an additional domain');
});

test('SAML contacts that name a domain are shown on every other domain', () => {
  const { message } = fails({ ...GUIDE, sso: { contacts: [{ type: SamlContactType.SUPPORT, email: 'email:admin@green.example.org' }] } });
  expect(message).toContain(
    "red.example.com's SAML settings served on nginz-https.red.example.com (release wire-server values) " +
      'at spar.config.domainConfigs["nginz-https.red.example.com"].contacts[0].email names green.example.org',
  );
});

test('a calling endpoint under one of the domains', () => {
  const { message, report } = fails({ ...GUIDE, calling: { turnUris: ['turn:turn.green.example.org:3478'], sftUrl: 'https://sft.calling.example:443' } });
  expect(message).toContain(
    'calling endpoints name green.example.org (brig.turnStatic.v2[0]: "turn:turn.green.example.org:3478"), ' +
      "and every domain's clients get them, including red.example.com and blue.example.net",
  );
  expect(report.errors.map((f) => f.id)).toEqual(['calling-names-domain:green.example.org']);
});

test('a backend (federation) domain that is one of the served domains', () => {
  const { message, report } = fails({ ...GUIDE, wireServerValues: { brig: { config: { optSettings: { setFederationDomain: 'red.example.com' } } } } });
  expect(message).toContain(
    'the backend (federation) domain names red.example.com (brig.config.optSettings.setFederationDomain: "red.example.com"): ' +
      'the API of green.example.org and blue.example.net shows it in /api-version and in qualified IDs',
  );
  expect(report.errors.map((f) => f.id)).toEqual(['backend-domain-names-domain:red.example.com']);
  expect(report.finding('structural:backend-domain')?.value).toBe('red.example.com');
});

test('an edge file that names another domain', () => {
  const { message } = fails(GUIDE, (backend) => {
    new ArtefactFile(backend, 'haproxy-red', {
      path: 'edge/red.example.com/haproxy.cfg',
      content: ['frontend fe', '  acl valid_host hdr_end(host) -i .red.example.com', '  acl other hdr_end(host) -i .blue.example.net', ''].join('\n'),
    });
  });
  expect(message).toContain("red.example.com's file edge/red.example.com/haproxy.cfg at line 3 names blue.example.net");
});

test('every finding of a failed synthesis is in the report, as an error', () => {
  const { report } = fails({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }) });
  expect(report.passed).toBe(false);
  expect(report.findings.filter((f) => f.severity === FindingSeverity.ERROR)).toEqual(report.errors);
});

test('what per-domain constructs add is read generically: DNSEndpoint, Ingress, TLS Secret, Issuer, Service status', () => {
  const addEdge = (backend: MultiIngressBackend, domain: string, address: string, extraHost?: string) => {
    const scope = ingressOf(backend, domain);
    new ApiObject(scope, 'dns', {
      apiVersion: 'externaldns.k8s.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: `edge-${domain}`, namespace: 'wire' },
      spec: { endpoints: [{ dnsName: `*.${domain}`, recordType: 'A', targets: [address] }] },
    });
    new ApiObject(scope, 'ing', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `edge-${domain}`, namespace: 'wire' },
      spec: { rules: [{ host: `edge.${domain}` }, ...(extraHost ? [{ host: extraHost }] : [])], tls: [{ hosts: [`edge.${domain}`], secretName: `edge-${domain}-tls` }] },
    });
    new ApiObject(scope, 'tls', { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: `edge-${domain}-tls`, namespace: 'wire' } });
    new ApiObject(scope, 'issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: `edge-${domain}` },
      spec: { acme: { email: `hostmaster@${domain}` } },
    });
    new ApiObject(scope, 'svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `edge-${domain}`, namespace: 'wire', annotations: { 'metallb.universe.tf/loadBalancerIPs': address } },
      spec: { type: 'LoadBalancer', externalIPs: [address] },
      status: { loadBalancer: { ingress: [{ ip: address, hostname: `lb.${domain}` }] } },
    });
  };
  const honest = passes(GUIDE, (backend) => {
    addEdge(backend, 'red.example.com', '203.0.113.1');
    addEdge(backend, 'blue.example.net', '203.0.113.2');
  }).report;
  const red = honest.observationsOf('red.example.com').filter((o) => o.kind !== 'text');
  const values = (artefact: string) => red.filter((o) => o.artefact === artefact).map((o) => `${o.path}: ${o.kind} ${o.value}`);
  expect(values('DNSEndpoint wire/edge-red.example.com')).toEqual([
    'spec.endpoints[0].dnsName: host *.red.example.com',
    'spec.endpoints[0].targets[0]: address 203.0.113.1',
  ]);
  expect(values('Ingress wire/edge-red.example.com')).toEqual([
    'spec.rules[0].host: host edge.red.example.com',
    'spec.tls[0].hosts[0]: host edge.red.example.com',
    'spec.tls[0].secretName: certificate secret/wire/edge-red.example.com-tls',
  ]);
  expect(values('Secret wire/edge-red.example.com-tls')).toEqual(['metadata.name: certificate secret/wire/edge-red.example.com-tls']);
  expect(values('ClusterIssuer edge-red.example.com')).toEqual([
    'metadata.name: issuer clusterissuer/edge-red.example.com',
    'spec.acme.email: email hostmaster@red.example.com',
  ]);
  expect(values('Service wire/edge-red.example.com')).toEqual([
    'metadata.annotations["metallb.universe.tf/loadBalancerIPs"]: address 203.0.113.1',
    'spec.externalIPs[0]: address 203.0.113.1',
    'status.loadBalancer.ingress[0].hostname: host lb.red.example.com',
    'status.loadBalancer.ingress[0].ip: address 203.0.113.1',
  ]);

  const { message } = fails(GUIDE, (backend) => {
    addEdge(backend, 'red.example.com', '203.0.113.1', 'edge.blue.example.net');
    addEdge(backend, 'blue.example.net', '203.0.113.1');
  });
  expect(message).toContain("red.example.com's Ingress wire/edge-red.example.com at spec.rules[1].host names blue.example.net");
  expect(message).toContain('blue.example.net and red.example.com show the same address "203.0.113.1"');
});

test('a leak into many domains lists the first 20 error findings and counts the rest', () => {
  const additionalDomains = Array.from({ length: 24 }, (_, i) => `example-d${i}.net`);
  const { message, report } = fails({ defaultDomain: 'green.example.org', additionalDomains, ingressServicesValues: { note: 'see example-d0.net' } });
  expect(report.errors).toHaveLength(24);
  expect(message.split('\n').filter((l) => l.includes('unlinkability audit:'))).toHaveLength(21);
  expect(message).toContain('... and 4 more error finding(s) (see audit() of the MultiIngressBackend)');
});
