import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DomainIngress, IngressTls, MultiIngressBackend } from '../src';
import { captureWarnings, errorOf } from './util';

function standalone(props: ConstructorParameters<typeof DomainIngress>[2]) {
  const chart = Testing.chart();
  const ingress = new DomainIngress(chart, 'red', props);
  const output = captureWarnings();
  try {
    const objects = Testing.synth(chart);
    return { ingress, objects, values: parse(objects[0].spec.valuesContent), printed: output.lines() };
  } finally {
    output.restore();
  }
}

test('an additional domain on its own: its release, its host names, a derived ingress name', () => {
  const { ingress, objects, values } = standalone({ domain: 'Red.Example.COM.' });
  expect(objects).toHaveLength(1);
  expect(objects[0].kind).toBe('HelmChart');
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
    expect(secretsLists[0]).toContain('create these 3 Secret(s)');
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
