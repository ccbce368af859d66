import { ChartSource, ResolvedChart, resolveIngressServicesChart, resolveWebappChart, resolveWireServerChart, WireCharts } from '../src/charts';
import { IngressTls, IssuerKind, TlsMode } from '../src/tls';

type Resolver = (source?: ChartSource) => ResolvedChart;

const ALL: [string, Resolver][] = [
  ['wire-server', resolveWireServerChart],
  ['nginx-ingress-services', resolveIngressServicesChart],
  ['webapp', resolveWebappChart],
];
/** The charts that need at least WireCharts.MINIMUM_VERSION. */
const WITH_MINIMUM = ALL.slice(0, 2);

describe('chart defaults', () => {
  test('wire-server', () => {
    expect(resolveWireServerChart()).toEqual({ chart: 'wire-server', repository: WireCharts.REPOSITORY, version: WireCharts.WIRE_SERVER_VERSION });
  });

  test('nginx-ingress-services', () => {
    expect(resolveIngressServicesChart({})).toEqual({
      chart: 'nginx-ingress-services',
      repository: WireCharts.REPOSITORY,
      version: WireCharts.INGRESS_SERVICES_VERSION,
    });
  });

  test('webapp', () => {
    expect(resolveWebappChart()).toEqual({ chart: 'webapp', repository: WireCharts.WEBAPP_REPOSITORY, version: WireCharts.WEBAPP_VERSION });
  });
});

describe('chart versions', () => {
  test.each(ALL)('%s uses the version override and keeps the default repository', (_chart, resolve) => {
    const defaults = resolve();
    const resolved = resolve({ version: '5.32.1' });
    expect(resolved.version).toBe('5.32.1');
    expect(resolved.repository).toBe(defaults.repository);
  });

  const tooOld = ['5.13.9', '4.99.0', '5.14.0-pre.1'];
  test.each(WITH_MINIMUM.flatMap(([chart, resolve]) => tooOld.map((version) => [chart, version, resolve] as const)))(
    '%s rejects %j as older than the minimum',
    (chart, version, resolve) => {
      expect(() => resolve({ version })).toThrow(`${chart} chart version ${JSON.stringify(version)}`);
      expect(() => resolve({ version })).toThrow(WireCharts.MINIMUM_VERSION);
    },
  );

  test('the minimum is 5.14.0', () => {
    expect(WireCharts.MINIMUM_VERSION).toBe('5.14.0');
  });

  test.each(WITH_MINIMUM.flatMap(([chart, resolve]) => ['5.14.0', '5.32.1'].map((version) => [chart, version, resolve] as const)))(
    '%s accepts %j',
    (_chart, version, resolve) => {
      expect(resolve({ version }).version).toBe(version);
    },
  );

  test('webapp has no minimum version', () => {
    expect(resolveWebappChart({ version: '0.1.0' }).version).toBe('0.1.0');
  });

  test.each(ALL.flatMap(([chart, resolve]) => ['latest', '^5.32.0', ''].map((version) => [chart, version, resolve] as const)))(
    '%s rejects the malformed version %j',
    (chart, version, resolve) => {
      expect(() => resolve({ version })).toThrow(`${chart} chart version ${JSON.stringify(version)} is not valid`);
    },
  );
});

describe('chart repositories', () => {
  test.each(ALL)('%s accepts http(s):// and oci:// repositories', (_chart, resolve) => {
    for (const repository of ['https://charts.example.com/wire', 'http://charts.example.com', 'oci://registry.example.com/wire']) {
      expect(resolve({ repository }).repository).toBe(repository);
    }
  });

  test.each(ALL.flatMap(([chart, resolve]) => ['ftp://x', 'not a url'].map((repository) => [chart, repository, resolve] as const)))(
    '%s rejects the repository %j',
    (chart, repository, resolve) => {
      expect(() => resolve({ repository })).toThrow(`${chart} chart repository ${JSON.stringify(repository)} is not valid`);
    },
  );

  test.each(ALL)('%s drops a trailing slash from the repository', (_chart, resolve) => {
    expect(resolve({ repository: 'https://charts.example.com/wire/' }).repository).toBe('https://charts.example.com/wire');
  });
});

describe('IngressTls.certManager', () => {
  test.each(['', 'nobody', 'a@b'])('rejects the certmasterEmail %j', (certmasterEmail) => {
    expect(() => IngressTls.certManager({ certmasterEmail })).toThrow(`certmasterEmail ${JSON.stringify(certmasterEmail)} is not valid`);
  });

  test('accepts a per-domain address with the {domain} placeholder', () => {
    const tls = IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' });
    expect(tls.mode).toBe(TlsMode.CERT_MANAGER);
    expect(tls.emailFor('red.example.com')).toBe('hostmaster@red.example.com');
    expect(tls.emailFor('blue.example.org')).toBe('hostmaster@blue.example.org');
    expect(tls.sharesEmailAcrossDomains).toBe(false);
  });

  test('a fixed address is shared by every domain', () => {
    const tls = IngressTls.certManager({ certmasterEmail: 'ops@example.com' });
    expect(tls.emailFor('red.example.com')).toBe('ops@example.com');
    expect(tls.emailFor('blue.example.org')).toBe('ops@example.com');
    expect(tls.sharesEmailAcrossDomains).toBe(true);
  });

  test('defaults', () => {
    const tls = IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' });
    expect(tls.issuerName).toBe('letsencrypt-http01');
    expect(tls.issuerKind).toBe(IssuerKind.ISSUER);
    expect(tls.staging).toBe(false);
  });

  test('options are kept', () => {
    const tls = IngressTls.certManager({
      certmasterEmail: 'hostmaster@{domain}',
      issuerName: 'letsencrypt-staging',
      issuerKind: IssuerKind.CLUSTER_ISSUER,
      staging: true,
    });
    expect(tls).toMatchObject({ issuerName: 'letsencrypt-staging', issuerKind: IssuerKind.CLUSTER_ISSUER, staging: true });
  });

  test('rejects an invalid issuerName', () => {
    expect(() => IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}', issuerName: 'Bad_Name' })).toThrow(
      `issuerName ${JSON.stringify('Bad_Name')} is not valid`,
    );
  });
});

test('IngressTls.ownCertificate', () => {
  const tls = IngressTls.ownCertificate();
  expect(tls.mode).toBe(TlsMode.OWN_CERTIFICATE);
  expect(tls.sharesEmailAcrossDomains).toBe(false);
});

test('every {domain} placeholder in the ACME e-mail is accepted and replaced', () => {
  const tls = IngressTls.certManager({ certmasterEmail: 'hostmaster+{domain}@{domain}' });
  expect(tls.emailFor('red.example.com')).toBe('hostmaster+red.example.com@red.example.com');
});

test('issuerName leaves room for the suffixes the chart appends', () => {
  // 253 - "-" - the longest ingress name (27: its release nginx-ingress-services-<name> is at most 50) - "-account-key"
  const limit = 253 - 1 - (50 - 'nginx-ingress-services-'.length) - '-account-key'.length;
  expect(() => IngressTls.certManager({ certmasterEmail: 'a@{domain}', issuerName: 'i'.repeat(limit) })).not.toThrow();
  expect(() => IngressTls.certManager({ certmasterEmail: 'a@{domain}', issuerName: 'i'.repeat(limit + 1) })).toThrow(`at most ${limit} characters`);
});
