import { FindingSeverity, Observation, ObservationKind } from '../../src';
import { AuditInput, runChecks } from '../../src/audit/checks';
import { SharedFacts, fileDomain } from '../../src/audit/observe';

const NOTHING_SHARED: SharedFacts = {
  calling: [],
  brig: [],
  backendDomain: [],
  teamSettings: [],
  accountPages: [],
  ownCertificates: [],
  certManager: [],
};

function input(domains: string[], observations: Observation[], acknowledged: string[] = []): AuditInput {
  return { domains, observations, shared: NOTHING_SHARED, unattributed: [], acknowledged };
}

function obs(domain: string, value: string, kind: ObservationKind = ObservationKind.TEXT, artefact: string = 'release x values', path?: string): Observation {
  return { domain, artefact, kind, value, ...(path === undefined ? {} : { path }) };
}

const errors = (i: AuditInput) => runChecks(i).filter((f) => f.severity === FindingSeverity.ERROR);

describe('another domain named', () => {
  test('nested domains: a host belongs to the longest domain it ends in', () => {
    const domains = ['example.com', 'red.example.com'];
    expect(errors(input(domains, [obs('red.example.com', 'https://nginz-https.red.example.com'), obs('example.com', 'https://*.example.com')]))).toEqual([]);
    const found = errors(input(domains, [obs('example.com', 'assets.red.example.com', ObservationKind.TEXT, 'release x values', 'a.b')]));
    expect(found.map((f) => [f.check, f.domains])).toEqual([['foreign-domain', ['example.com', 'red.example.com']]]);
    expect(found[0].message).toBe('example.com\'s release x values at a.b names red.example.com ("assets.red.example.com")');
  });

  test('whole labels only, in any case', () => {
    const domains = ['red.example.com', 'blue.example.net'];
    const clean = [obs('red.example.com', 'ablue.example.net'), obs('red.example.com', 'blue.example.network'), obs('red.example.com', 'blue-example-net')];
    expect(errors(input(domains, clean))).toEqual([]);
    expect(errors(input(domains, [obs('red.example.com', 'see WEBAPP.Blue.Example.NET now')]))).toHaveLength(1);
  });

  test('ids are stable and tell artefacts and paths apart', () => {
    const domains = ['red.example.com', 'blue.example.net'];
    const a = runChecks(input(domains, [obs('red.example.com', 'blue.example.net', ObservationKind.TEXT, 'file a', 'line 1')]))[0].id;
    expect(a).toMatch(/^foreign-domain:red\.example\.com:blue\.example\.net:[0-9a-f]{8}$/);
    expect(runChecks(input(domains, [obs('red.example.com', 'x.blue.example.net', ObservationKind.TEXT, 'file a', 'line 1')]))[0].id).toBe(a);
    expect(runChecks(input(domains, [obs('red.example.com', 'blue.example.net', ObservationKind.TEXT, 'file a', 'line 2')]))[0].id).not.toBe(a);
  });
});

describe('identifiers shared between domains', () => {
  test('one finding per shared value, listing every domain; the same value within one domain is fine', () => {
    const domains = ['a.example', 'b.example', 'c.example'];
    const found = errors(
      input(domains, [
        obs('a.example', '192.0.2.1', ObservationKind.ADDRESS, 'Service s/a'),
        obs('a.example', '192.0.2.1', ObservationKind.ADDRESS, 'file edge/a.example/zone'),
        obs('c.example', '192.0.2.1', ObservationKind.ADDRESS, 'Service s/c'),
        obs('b.example', '192.0.2.2', ObservationKind.ADDRESS, 'Service s/b'),
        obs('b.example', '192.0.2.1', ObservationKind.TEXT, 'Service s/b'),
      ]),
    );
    expect(found.map((f) => [f.id, f.domains])).toEqual([['shared-address:192.0.2.1', ['a.example', 'c.example']]]);
  });

  test.each([
    [ObservationKind.EMAIL, 'ops@example.org', 'shared-email'],
    [ObservationKind.CERTIFICATE, 'secret/kube-system/tls', 'shared-certificate'],
    [ObservationKind.ISSUER, 'clusterissuer/letsencrypt', 'shared-issuer'],
    [ObservationKind.HOST, 'edge.shared.invalid', 'shared-host'],
  ])('%s', (kind, value, check) => {
    const found = errors(input(['a.example', 'b.example'], [obs('a.example', value, kind), obs('b.example', value, kind)]));
    expect(found.map((f) => f.id)).toEqual([`${check}:${value}`]);
  });
});

test('acknowledged findings are marked; an acknowledgement without a finding is a stale warning', () => {
  const domains = ['a.example', 'b.example'];
  const observations = [obs('a.example', 'x@y.example', ObservationKind.EMAIL), obs('b.example', 'x@y.example', ObservationKind.EMAIL)];
  const findings = runChecks(input(domains, observations, ['shared-email:x@y.example', 'shared-email:old@y.example']));
  expect(findings.find((f) => f.id === 'shared-email:x@y.example')?.acknowledged).toBe(true);
  expect(findings.find((f) => f.id === 'stale-acknowledgement:shared-email:old@y.example')?.severity).toBe(FindingSeverity.WARNING);
});

test('nested domains are a warning: the name shows the parent', () => {
  const found = runChecks(input(['example.com', 'a.b.example.com', 'b.example.com'], [])).filter((f) => f.check === 'nested-domains');
  expect(found.map((f) => f.id).sort()).toEqual([
    'nested-domains:b.example.com:a.b.example.com',
    'nested-domains:example.com:a.b.example.com',
    'nested-domains:example.com:b.example.com',
  ]);
  expect(found.every((f) => f.severity === FindingSeverity.WARNING)).toBe(true);
});

test('files belong to the domain a path segment names', () => {
  const names = new Set(['example.com', 'red.example.com', 'example.com.au']);
  expect(fileDomain('edge/red.example.com/haproxy.cfg', names)).toBe('red.example.com');
  expect(fileDomain('dns/red.example.com.zone', names)).toBe('red.example.com');
  expect(fileDomain('dns/example.com.au', names)).toBe('example.com.au');
  expect(fileDomain('edge/blue.example.net/haproxy.cfg', names)).toBeUndefined();
  expect(fileDomain('audit/unlinkability.md', names)).toBeUndefined();
});

describe('registrable domains (Public Suffix List)', () => {
  const registrable = (domains: string[]) => runChecks(input(domains, [])).filter((f) => f.check === 'registrable-domain');

  test('two domains under one registrable domain are linked: an error naming both and the registrable domain', () => {
    const found = registrable(['b.example.com', 'a.example.com', 'blue.example.net']);
    expect(found.map((f) => [f.id, f.severity, f.domains, f.value])).toEqual([
      ['registrable-domain:example.com:a.example.com:b.example.com', FindingSeverity.ERROR, ['a.example.com', 'b.example.com'], 'example.com'],
    ]);
    expect(found[0].message).toBe('a.example.com and b.example.com are both under the registrable domain example.com (Public Suffix List)');
  });

  test('multi-label public suffixes: example.co.uk is registrable, co.uk is not', () => {
    // a.co.uk and b.co.uk are registered apart; x.example.co.uk and y.example.co.uk are not
    expect(registrable(['a.co.uk', 'b.co.uk'])).toEqual([]);
    expect(registrable(['x.example.co.uk', 'y.example.co.uk']).map((f) => f.id)).toEqual(['registrable-domain:example.co.uk:x.example.co.uk:y.example.co.uk']);
    // the same labels under other suffixes are different registrations
    expect(registrable(['x.example.com', 'y.example.co.uk', 'z.example.com.au'])).toEqual([]);
  });

  test('private suffixes belong to their registrants: a.github.io and b.github.io are apart', () => {
    expect(registrable(['a.github.io', 'b.github.io'])).toEqual([]);
    expect(registrable(['x.a.github.io', 'y.a.github.io']).map((f) => f.value)).toEqual(['a.github.io']);
  });

  test('the nested case stays the nested-domains warning; siblings under a served parent are linked to each other', () => {
    const all = runChecks(input(['example.com', 'a.example.com', 'b.a.example.com'], []));
    expect(all.filter((f) => f.check === 'registrable-domain')).toEqual([]);
    expect(all.filter((f) => f.check === 'nested-domains')).toHaveLength(3);
    expect(registrable(['example.com', 'a.example.com', 'b.example.com']).map((f) => f.id)).toEqual(['registrable-domain:example.com:a.example.com:b.example.com']);
  });

  test('one finding per pair, with ids that do not change when a domain is added; acknowledgeable', () => {
    const two = registrable(['a.example.com', 'b.example.com']).map((f) => f.id);
    const three = registrable(['a.example.com', 'b.example.com', 'c.example.com']).map((f) => f.id);
    expect(three).toHaveLength(3);
    expect(three).toEqual(expect.arrayContaining(two));
    const acknowledged = runChecks(input(['a.example.com', 'b.example.com'], [], two));
    expect(acknowledged.filter((f) => f.severity === FindingSeverity.ERROR && !f.acknowledged)).toEqual([]);
  });
});

describe('certificate transparency timing', () => {
  const ct = (certManager: string[]) =>
    runChecks({ ...input(['a.example', 'b.example', 'c.example'], []), shared: { ...NOTHING_SHARED, certManager } }).filter(
      (f) => f.id === 'structural:certificate-transparency',
    );

  test('two or more domains with cert-manager: a structural warning with the mitigation', () => {
    const [f] = ct(['c.example', 'a.example']);
    expect(f).toMatchObject({ severity: FindingSeverity.WARNING, domains: ['a.example', 'c.example'] });
    expect(f.message).toContain('cert-manager issues the certificates of 2 domains');
    expect(f.reason).toContain('cannot be set per domain');
    expect(f.mitigation).toContain('on different days');
  });

  test('one domain, or none, with cert-manager: nothing to time together', () => {
    expect(ct(['a.example'])).toEqual([]);
    expect(ct([])).toEqual([]);
  });
});
