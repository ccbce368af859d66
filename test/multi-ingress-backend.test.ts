import * as fs from 'fs';
import * as os from 'os';
import { join, sep } from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ArtefactFile,
  EdgeOptions,
  IngressTls,
  IssuerKind,
  MultiIngressBackend,
  MultiIngressBackendProps,
  ReleaseFormat,
  SamlContact,
  SamlContactType,
  WireApp,
  WireCharts,
} from '../src';
import { GUIDE, captureWarnings, domains, errorOf, ingressReleases, release, synth, valuesOf } from './util';
import { describeSecrets } from '../src/report';

/** A fake PEM key for leak tests (not a real key). */
const FAKE_KEY = ['-----BEGIN PRIVATE KEY-----', 'bm90IGEga2V5', '-----END PRIVATE KEY-----'].join('\n');

/** Construct in a fresh chart and return the error message (or fail). */
function refusedWith(props: MultiIngressBackendProps): string {
  const chart = Testing.chart();
  try {
    new MultiIngressBackend(chart, 'backend', props);
  } catch (e) {
    // nothing was added to the chart: no partial output
    expect(Testing.synth(chart)).toEqual([]);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('snapshots of the emitted manifests', () => {
  test('1 domain (no additional domains yet)', () => {
    expect(synth({ defaultDomain: 'green.example.org' }).yaml).toMatchSnapshot();
  });
  test("the guide's 3 domains", () => {
    expect(synth(GUIDE).yaml).toMatchSnapshot();
  });
  test('12 domains', () => {
    const [def, ...rest] = domains(12);
    expect(synth({ defaultDomain: def, additionalDomains: rest }).yaml).toMatchSnapshot();
  });
});

test('the same input gives the same bytes', () => {
  const props: MultiIngressBackendProps = { ...GUIDE, additionalDomains: [...GUIDE.additionalDomains!, ...domains(40)] };
  expect(synth(props).yaml).toBe(synth(props).yaml);
});

test('works with only defaultDomain and additionalDomains, with documented defaults', () => {
  const emitted = synth({ defaultDomain: 'green.example.org', additionalDomains: ['red.example.com'] });
  const ws = release(emitted, 'wire-server');
  expect(ws.apiVersion).toBe('helm.cattle.io/v1');
  expect(ws.metadata.namespace).toBe('kube-system');
  expect(ws.spec).toMatchObject({
    chart: 'wire-server',
    repo: WireCharts.REPOSITORY,
    version: WireCharts.WIRE_SERVER_VERSION,
    targetNamespace: 'wire',
  });
  expect(release(emitted, 'webapp').spec).toMatchObject({ repo: WireCharts.WEBAPP_REPOSITORY, version: WireCharts.WEBAPP_VERSION });
  expect(release(emitted, 'nginx-ingress-services-red-example-com').spec.version).toBe(WireCharts.INGRESS_SERVICES_VERSION);
  expect(WireCharts.WIRE_SERVER_VERSION).toBe('5.32.0');
  expect(WireCharts.WEBAPP_VERSION).toBe('0.8.0-pre.2699');
});

describe('chart versions and repositories', () => {
  test('overrides are used', () => {
    const emitted = synth({
      ...GUIDE,
      namespace: 'wire-prod',
      wireServerChart: { version: '5.30.1', repository: 'https://charts.internal.example/wire/' },
      ingressServicesChart: { version: '5.31.0' },
      webappChart: { version: '0.8.0-pre.2700' },
    });
    expect(release(emitted, 'wire-server').spec).toMatchObject({ version: '5.30.1', repo: 'https://charts.internal.example/wire' });
    for (const r of ingressReleases(emitted)) {
      expect(r.object.spec.version).toBe('5.31.0');
      expect(r.object.spec.targetNamespace).toBe('wire-prod');
    }
    expect(release(emitted, 'webapp').spec.version).toBe('0.8.0-pre.2700');
  });

  test.each([
    ['wireServerChart', 'wire-server'],
    ['ingressServicesChart', 'nginx-ingress-services'],
  ])('%s below 5.14.0 is refused with the reason', (prop, chart) => {
    const message = refusedWith({ ...GUIDE, [prop]: { version: '5.13.0' } });
    expect(message).toContain(`${chart} chart version "5.13.0" is too old for multi-ingress`);
    expect(message).toContain('5.14.0');
    expect(message).toContain('per-domain deeplinks');
  });
});

describe("the operator's base values", () => {
  // an operator's single-domain production values, written for this test
  const production = {
    tags: { federation: false },
    brig: { config: { externalUrls: { nginz: 'https://nginz-https.green.example.org' } } },
    galley: { config: { settings: { conversationCodeURI: 'https://account.green.example.org/conversation-join/', federationDomain: 'green.example.org' } } },
    cargohold: { config: { aws: { s3Bucket: 'assets', s3DownloadEndpoint: 'https://assets.green.example.org', cloudFront: { domain: 'cdn.example.org' } } } },
    nginz: { nginx_conf: { env: 'prod', external_env_domain: 'old.example.org', deeplink: { title: 'Old' } } },
    spar: { config: { appUri: 'https://nginz-https.green.example.org', ssoUri: 'https://nginz-https.green.example.org/sso', contacts: [] } },
  };

  test('are kept where they do not conflict, and the conflicting keys are removed and reported at synth', () => {
    // a backend (federation) domain that is one of the served domains is an audit error an existing
    // installation cannot fix (it cannot be changed): accepted here, as such an operator would
    const emitted = synth({ ...GUIDE, wireServerValues: production, acknowledgedFindings: ['backend-domain-names-domain:green.example.org'] });
    const ws = valuesOf(emitted, 'wire-server');
    expect(ws.brig.config.externalUrls.nginz).toBe('https://nginz-https.green.example.org');
    expect(ws.galley.config.settings.federationDomain).toBe('green.example.org');
    expect(ws.cargohold.config.aws.s3Bucket).toBe('assets');
    expect(ws.nginz.nginx_conf.env).toBe('prod');
    expect(ws.galley.config.settings.conversationCodeURI).toBeNull();
    expect(ws.cargohold.config.aws.s3DownloadEndpoint).toBeNull();
    expect(ws.cargohold.config.aws.cloudFront).toBeNull();
    expect(ws.nginz.nginx_conf.external_env_domain).toBe('green.example.org');
    expect(ws.nginz.nginx_conf.deeplink.title).toBe('Production green.example.org');
    // without SSO, spar's single-domain settings are the operator's business
    expect(ws.spar.config.appUri).toBe('https://nginz-https.green.example.org');

    const removed = [
      'galley.config.settings.conversationCodeURI',
      'cargohold.config.aws.s3DownloadEndpoint',
      'cargohold.config.aws.cloudFront',
      'nginz.nginx_conf.external_env_domain',
      'nginz.nginx_conf.deeplink',
    ];
    expect(emitted.backend.warnings).toHaveLength(removed.length);
    for (const path of removed) {
      const warning = emitted.backend.warnings.find((w) => w.includes(`"${path}"`));
      expect(warning).toBeDefined();
      expect(emitted.printed.some((line) => line.includes('warning:') && line.includes(`"${path}"`))).toBe(true);
    }
    expect(emitted.backend.warnings.find((w) => w.includes('s3DownloadEndpoint'))).toContain('cargohold exits at start-up');
  });

  test('a warning names the removed key and the kind of its value, never the value (it may be a secret)', () => {
    const cloudFront = { domain: 'cdn.example.org', keyPairId: 'APKAEXAMPLE', privateKey: 'cloudfront-signing-secret-4711' };
    const emitted = synth({ ...GUIDE, wireServerValues: { cargohold: { config: { aws: { cloudFront } } } } });
    const warning = emitted.backend.warnings.find((w) => w.includes('"cargohold.config.aws.cloudFront"'));
    // privateKey goes first (its name says it is secret), then what is left of cloudFront
    expect(warning).toContain('removed "cargohold.config.aws.cloudFront" (a mapping of 2 keys)');
    expect(emitted.backend.warnings.join('\n')).toContain('removed "cargohold.config.aws.cloudFront.privateKey" (a string)');
    for (const text of [...emitted.backend.warnings, ...emitted.printed]) {
      expect(text).not.toContain('cloudfront-signing-secret-4711');
      expect(text).not.toContain('APKAEXAMPLE');
      expect(text).not.toContain('cdn.example.org');
    }
  });

  test('a stale multiIngress map is replaced, not merged', () => {
    const emitted = synth({
      ...GUIDE,
      wireServerValues: { galley: { config: { settings: { multiIngress: { 'nginz-https.gone.example.com': 'https://x/' } } } } },
    });
    const map = valuesOf(emitted, 'wire-server').galley.config.settings.multiIngress;
    expect(Object.keys(map)).toHaveLength(3);
    expect(map).not.toHaveProperty(['nginz-https.gone.example.com']);
    expect(emitted.backend.warnings.join('\n')).toContain('galley.config.settings.multiIngress');
  });

  test('secrets are removed, reported and never emitted', () => {
    const emitted = synth({
      ...GUIDE,
      wireServerValues: { brig: { secrets: { smtpPassword: 'hunter2-smtp' } } },
      ingressServicesValues: { secrets: { tlsWildcardCert: 'CERT', tlsWildcardKey: 'not-a-pem-but-secret' } },
    });
    expect(emitted.yaml).not.toContain('hunter2-smtp');
    expect(emitted.yaml).not.toContain('not-a-pem-but-secret');
    expect(emitted.backend.warnings.filter((w) => w.includes('secrets'))).toHaveLength(2);
    expect(emitted.backend.warnings.join('\n')).not.toContain('hunter2-smtp');
  });

  test('a private key anywhere else is refused before anything is written', () => {
    const message = refusedWith({ ...GUIDE, wireServerValues: { brig: { config: { tlsKey: FAKE_KEY } } } });
    expect(message).toContain('private key at "brig.config.tlsKey"');
  });

  test('ingress values that name one of the domains are left to the unlinkability audit', () => {
    // refused at synth, naming each domain whose release would show it (see test/audit)
    const props = { ...GUIDE, ingressServicesValues: { service: { s3: { serviceName: 'minio.red.example.com' } } } };
    expect(() => new MultiIngressBackend(Testing.chart(), 'backend', props)).not.toThrow();
    const message = errorOf(() => synth(props));
    expect(message).toContain("green.example.org's release nginx-ingress-services values at service.s3.serviceName names red.example.com");
    expect(message).toContain("blue.example.net's release nginx-ingress-services-blue values at service.s3.serviceName names red.example.com");
  });

  test("the ingress values' single-domain dns block is replaced per domain and reported", () => {
    const emitted = synth({
      ...GUIDE,
      ingressServicesValues: { config: { dns: { https: 'nginz-https.example.com', federator: 'federator.example.com' } }, service: { useFakeS3: true } },
    });
    for (const r of ingressReleases(emitted)) {
      expect(r.values.config.dns.federator).toBeUndefined();
      expect(r.values.service.useFakeS3).toBe(true);
    }
    expect(emitted.backend.warnings).toEqual([expect.stringContaining('"config.dns"')]);
  });

  test('webapp values that name a domain are refused; the guide flags can be overridden', () => {
    const message = refusedWith({ ...GUIDE, webappValues: { envVars: { URL_MOBILE_BASE: 'https://m.green.example.org' } } });
    expect(message).toContain('webapp values mention "green.example.org" at "envVars.URL_MOBILE_BASE"');

    const emitted = synth({
      ...GUIDE,
      webappValues: { replicaCount: 3, envVars: { FEATURE_ENABLE_DEBUG: 'true', URL_ACCOUNT_BASE: 'https://account.example.com' } },
    });
    const webapp = valuesOf(emitted, 'webapp');
    expect(webapp.replicaCount).toBe(3);
    expect(webapp.envVars.FEATURE_ENABLE_DEBUG).toBe('true');
    expect(webapp.envVars.URL_ACCOUNT_BASE).toBe('https://account.[[hostname]]');
  });

  test("webapp's ingress and appendReleaseNameToResources, set by the operator, are reported when the library resets them", () => {
    const emitted = synth({ ...GUIDE, webappValues: { ingress: { enabled: true }, appendReleaseNameToResources: true, replicaCount: 2 } });
    const webapp = valuesOf(emitted, 'webapp');
    expect(webapp.ingress.enabled).toBe(false);
    expect(webapp.appendReleaseNameToResources).toBe(false);
    expect(emitted.backend.warnings).toEqual([
      'webapp base values: replaced "appendReleaseNameToResources" (a boolean): multi-ingress sets it to false',
      'webapp base values: replaced "ingress.enabled" (a boolean): multi-ingress sets it to false',
    ]);
    expect(emitted.printed.some((line) => line.includes('warning:') && line.includes('"ingress.enabled"'))).toBe(true);
    // a base value equal to the library's is no change, and not reported
    expect(synth({ ...GUIDE, webappValues: { ingress: { enabled: false } } }).backend.warnings).toEqual([]);
  });

  test('every base value the library overrides is reported, in every chart', () => {
    // the library's values without any base, then a base that sets every one of their keys to something else
    const plain = synth(GUIDE);
    const leaves = (values: any, path: string[] = []): string[][] =>
      values !== null && typeof values === 'object' && !Array.isArray(values) && Object.keys(values).length > 0
        ? Object.entries(values).flatMap(([k, v]) => leaves(v, [...path, k]))
        : [path];
    const operatorValue = (values: any): any =>
      values !== null && typeof values === 'object' && !Array.isArray(values) && Object.keys(values).length > 0
        ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, operatorValue(v)]))
        : 'set-by-the-operator';
    const get = (values: any, path: string[]) => path.reduce((node, k) => (node === null || typeof node !== 'object' ? undefined : node[k]), values);
    const charts = [
      { chart: 'wire-server', release: 'wire-server', prop: 'wireServerValues' },
      { chart: 'webapp', release: 'webapp', prop: 'webappValues' },
      { chart: 'nginx-ingress-services', release: 'nginx-ingress-services-red', prop: 'ingressServicesValues' },
    ];
    for (const { chart, release: name, prop } of charts) {
      const library = valuesOf(plain, name);
      const emitted = synth({ ...GUIDE, [prop]: operatorValue(library) });
      const result = valuesOf(emitted, name);
      const reported = emitted.backend.warnings.filter((w) => w.startsWith(`${chart} base values: `));
      const silent = leaves(library).filter((path) => {
        if (get(result, path) === 'set-by-the-operator') return false; // the operator's value was kept
        return !reported.some((w) => path.some((_, i) => w.includes(` "${path.slice(0, i + 1).join('.')}" (`)));
      });
      expect({ chart, silent: silent.map((p) => p.join('.')) }).toEqual({ chart, silent: [] });
    }
  });

  test('values that are not an object are refused', () => {
    expect(refusedWith({ ...GUIDE, wireServerValues: 'galley: {}' as any })).toContain('wire-server base values "galley: {}" are not valid');
  });
});

describe('federation cannot be combined with additional domains', () => {
  test('wire-server tags.federation', () => {
    expect(refusedWith({ ...GUIDE, wireServerValues: { tags: { federation: true } } })).toContain('wire-server values set "tags.federation" to true');
    expect(() => synth({ defaultDomain: 'green.example.org', wireServerValues: { tags: { federation: true } } })).not.toThrow();
  });
  test('nginx-ingress-services federator.enabled', () => {
    expect(refusedWith({ ...GUIDE, ingressServicesValues: { federator: { enabled: true } } })).toContain('federator.enabled: true');
  });
});

test('an ingress class other than nginx is refused: the per-domain CSP needs ingress-nginx', () => {
  expect(refusedWith({ ...GUIDE, ingressServicesValues: { config: { ingressClass: 'traefik' } } })).toContain(
    'config.ingressClass "traefik": multi-ingress renders each domain\'s CSP in its Ingress',
  );
  expect(refusedWith({ defaultDomain: 'green.example.org', ingressServicesValues: { config: { ingressClass: 'traefik' } } })).toContain('traefik');
  const emitted = synth({ ...GUIDE, ingressServicesValues: { config: { ingressClass: 'nginx-public' } } });
  expect(ingressReleases(emitted).map((r) => r.values.config.ingressClass)).toEqual(['nginx-public', 'nginx-public', 'nginx-public']);
});

describe('TLS', () => {
  test('own certificates (default): each release reads its own Secret, the operator is told which', () => {
    const emitted = synth(GUIDE);
    for (const r of ingressReleases(emitted)) {
      expect(r.values.tls.useCertManager).toBe(false);
      expect(r.object.spec.valuesSecrets).toEqual([{ name: `${r.name}-tls`, keys: ['tls-values.yaml'], ignoreUpdates: false }]);
    }
    const names = emitted.backend.expectedSecrets.map((s) => `${s.namespace}/${s.name}:${s.key}`);
    expect(names).toEqual([
      'kube-system/wire-server-secrets:secrets.yaml',
      'kube-system/nginx-ingress-services-tls:tls-values.yaml',
      'kube-system/nginx-ingress-services-red-tls:tls-values.yaml',
      'kube-system/nginx-ingress-services-blue-tls:tls-values.yaml',
    ]);
    expect(describeSecrets('wire/backend', emitted.backend.expectedSecrets)).toContain('kube-system/nginx-ingress-services-red-tls with key tls-values.yaml');
    expect(emitted.yaml).not.toMatch(/PRIVATE KEY|tlsWildcardKey:/);
  });

  test('cert-manager: per-domain issuer and e-mail, no Secret to provide', () => {
    const emitted = synth({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}', issuerKind: IssuerKind.CLUSTER_ISSUER }) });
    for (const r of ingressReleases(emitted)) {
      const d = r.values.config.dns.base;
      expect(r.values.tls).toMatchObject({ enabled: true, useCertManager: true, issuer: { name: 'letsencrypt-http01', kind: 'ClusterIssuer' } });
      expect(r.values.certManager).toEqual({ certmasterEmail: `hostmaster@${d}`, inTestMode: false });
      expect(r.object.spec.valuesSecrets).toBeUndefined();
    }
    expect(emitted.backend.domainIngresses.map((d) => d.issuerName)).toEqual([
      'letsencrypt-http01',
      'letsencrypt-http01-red',
      'letsencrypt-http01-blue',
    ]);
    expect(emitted.backend.domainIngresses.map((d) => d.certificateName)).toEqual([
      'green-example-org-csr',
      'red-example-com-csr',
      'blue-example-net-csr',
    ]);
    expect(emitted.backend.expectedSecrets.map((s) => s.name)).toEqual(['wire-server-secrets']);
    expect(emitted.backend.warnings).toEqual([]);
  });

  test('cert-manager: domains whose Certificate names would clash are refused', () => {
    const props: MultiIngressBackendProps = {
      defaultDomain: 'green.example.org',
      additionalDomains: ['a-b.example.com', 'a.b-example.com'],
      ingressNames: { 'a-b.example.com': 'ab1', 'a.b-example.com': 'ab2' },
    };
    const message = refusedWith({ ...props, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }) });
    expect(message).toContain('domains "a-b.example.com" and "a.b-example.com" would both get the cert-manager Certificate "a-b-example-com-csr"');
    const emitted = synth(props);
    expect(ingressReleases(emitted)).toHaveLength(3);
    expect(emitted.backend.domainIngresses.map((d) => d.certificateName)).toEqual([undefined, undefined, undefined]);
  });

  test('cert-manager with one mailbox for all domains is an audit error (see test/audit)', () => {
    const props = { ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }) };
    expect(errorOf(() => synth(props))).toContain('show the same e-mail address "ops@example.org"');
    expect(synth({ ...props, acknowledgedFindings: ['shared-email:ops@example.org'] }).backend.warnings).toEqual([]);
  });
});

describe('SSO', () => {
  const contacts = [{ type: SamlContactType.SUPPORT, company: 'Example', email: 'email:support@example.org' }];

  test('spar gets domainConfigs for every domain and a scimBaseUri; single-domain keys are removed', () => {
    const emitted = synth({
      ...GUIDE,
      sso: { contacts },
      wireServerValues: { spar: { config: { appUri: 'https://nginz-https.green.example.org', contacts: [], maxttlAuthreq: 28800 } } },
    });
    const spar = valuesOf(emitted, 'wire-server').spar.config;
    const all = ['green.example.org', 'red.example.com', 'blue.example.net'];
    expect(Object.keys(spar.domainConfigs)).toEqual(all.map((d) => `nginz-https.${d}`));
    for (const d of all) {
      expect(spar.domainConfigs[`nginz-https.${d}`]).toEqual({
        appUri: `https://webapp.${d}`,
        ssoUri: `https://nginz-https.${d}/sso`,
        contacts: [{ type: 'ContactSupport', company: 'Example', email: 'email:support@example.org' }],
      });
    }
    expect(spar.scimBaseUri).toBe('https://nginz-https.green.example.org/scim/v2');
    expect(spar.appUri).toBeNull();
    expect(spar.contacts).toBeNull();
    expect(spar.maxttlAuthreq).toBe(28800);
    expect(emitted.backend.warnings.filter((w) => w.includes('spar.config'))).toHaveLength(2);
    expect(valuesOf(emitted, 'webapp').envVars.FEATURE_ENABLE_SSO).toBe('true');
  });

  test('an explicit scimBaseUri is used; a bad one is refused', () => {
    const emitted = synth({ ...GUIDE, sso: { contacts, scimBaseUri: 'https://scim.example.org/scim/v2' } });
    expect(valuesOf(emitted, 'wire-server').spar.config.scimBaseUri).toBe('https://scim.example.org/scim/v2');
    expect(refusedWith({ ...GUIDE, sso: { contacts, scimBaseUri: 'scim.example.org' } })).toContain('sso.scimBaseUri "scim.example.org" is not valid');
  });

  // spar reads a contact as saml2-web-sso's ContactPerson: a known type, texts, and the e-mail as a URI
  test.each([
    ['a bare e-mail address', { type: SamlContactType.SUPPORT, email: 'support@example.org' }, 'e-mail "support@example.org" of SAML contact 2 is not valid: expected a URI such as "email:support@example.com" (spar reads a URI there, not a bare address)'],
    ['an e-mail that is no URI', { type: SamlContactType.SUPPORT, email: 'the support team' }, 'e-mail "the support team" of SAML contact 2 is not valid: expected a URI such as "email:support@example.com"'],
    ['an unknown type', { type: 'Support' as SamlContactType }, 'type "Support" of SAML contact 2 is not valid: expected one of "ContactTechnical", "ContactSupport", "ContactAdministrative", "ContactBilling", "ContactOther"'],
    ['a company that is no text', { type: SamlContactType.BILLING, company: 42 as unknown as string }, 'company 42 of SAML contact 2 is not valid: expected a text'],
    ['no contact at all', null as unknown as SamlContact, 'SAML contact 2 null is not valid'],
  ])('a contact with %s is refused, naming it', (_what, bad, message) => {
    expect(refusedWith({ ...GUIDE, sso: { contacts: [...contacts, bad] } })).toContain(message);
  });

  test('an e-mail URI of another scheme is taken as it is', () => {
    const mailto = [{ type: SamlContactType.TECHNICAL, email: 'mailto:ops@example.org' }];
    const spar = valuesOf(synth({ ...GUIDE, sso: { contacts: mailto } }), 'wire-server').spar.config;
    expect(spar.domainConfigs['nginz-https.red.example.com'].contacts).toEqual(mailto);
  });
});

describe('release format options', () => {
  test('HelmChart namespace, createNamespace and timeout', () => {
    const emitted = synth({ ...GUIDE, releaseFormat: ReleaseFormat.helmChart({ namespace: 'helm-system', createNamespace: false, timeout: '30m' }) });
    // helm-system is not kube-system: its Namespace comes first, where the HelmCharts and Secrets go
    expect(emitted.objects[0]).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'helm-system' } });
    expect(emitted.objects.slice(1).filter((o) => o.kind === 'HelmChart')).toHaveLength(5);
    // (and a HelmChartConfig for each release with secret values: all but webapp)
    expect(emitted.objects.slice(1).filter((o) => o.kind === 'HelmChartConfig')).toHaveLength(4);
    for (const o of emitted.objects.slice(1)) {
      expect(o.metadata.namespace).toBe('helm-system');
    }
    for (const o of emitted.objects.filter((x) => x.kind === 'HelmChart')) {
      expect(o.spec.createNamespace).toBe(false);
      expect(o.spec.timeout).toBe('30m');
    }
    expect(emitted.backend.expectedSecrets.every((s) => s.namespace === 'helm-system')).toBe(true);
  });
  test('bad options are refused', () => {
    expect(() => ReleaseFormat.helmChart({ timeout: 'soon' })).toThrow('HelmChart timeout "soon" is not valid');
    expect(() => ReleaseFormat.helmChart({ namespace: 'Kube_System' })).toThrow('HelmChart namespace "Kube_System" is not valid');
  });
});

describe('bad settings', () => {
  test('all problems are reported together, each naming its value', () => {
    const message = refusedWith({
      ...GUIDE,
      namespace: 'Wire NS',
      wireServerChart: { version: 'latest' },
      webappChart: { repository: 'ftp://charts.example' },
      wireServerSecretName: 'Secret!',
    });
    expect(message).toMatch(/^Invalid multi-ingress configuration: 4 problems/);
    expect(message).toContain('namespace "Wire NS" is not valid');
    expect(message).toContain('wire-server chart version "latest" is not valid');
    expect(message).toContain('webapp chart repository "ftp://charts.example" is not valid');
    expect(message).toContain('wireServerSecretName "Secret!" is not valid');
  });

  test('bad domains and bad settings are reported in one list', () => {
    const message = refusedWith({ defaultDomain: 'green', additionalDomains: ['red.example.com', 'red.example.com'], namespace: 'Wire' });
    expect(message).toMatch(/^Invalid multi-ingress configuration: 3 problems\n/);
    expect(message).toContain('  - default domain "green" is not a valid DNS name: expected at least two labels');
    expect(message).toContain('  - additional domain #2 "red.example.com" is a duplicate');
    expect(message).toContain('  - namespace "Wire" is not valid');
  });

  test('bad domains are refused before anything is created', () => {
    const message = refusedWith({ defaultDomain: 'green.example.org', additionalDomains: ['red..example.com', 'GREEN.example.org.'] });
    expect(message).toContain('additional domain #1 "red..example.com" is not a valid DNS name: empty label');
    expect(message).toContain('additional domain #2 "GREEN.example.org." is a duplicate');
  });
});

test('teamSettings and accountPages can be switched off explicitly, over base values', () => {
  const emitted = synth({
    ...GUIDE,
    teamSettings: false,
    ingressServicesValues: { teamSettings: { enabled: true }, accountPages: { enabled: false } },
  });
  for (const r of ingressReleases(emitted)) {
    expect(r.values.teamSettings.enabled).toBe(false);
    expect(r.values.accountPages.enabled).toBe(false);
  }
  const defaults = synth(GUIDE);
  for (const r of ingressReleases(defaults)) {
    expect(r.values.teamSettings.enabled).toBe(true);
    expect(r.values.accountPages.enabled).toBe(true);
  }
});

test('the releases are plain objects of a user chart with its own namespace', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'wire', { namespace: 'ignored-for-helmcharts' });
  new MultiIngressBackend(chart, 'backend', GUIDE);
  const output = captureWarnings();
  try {
    for (const o of Testing.synth(chart)) {
      expect(o.metadata.namespace).toBe('kube-system');
    }
  } finally {
    output.restore();
  }
});

describe('entry points', () => {
  test("two IPv6 domains: the proxies' wildcard `bind [::]:443` is no shared address", () => {
    const emitted = synth({
      ...GUIDE,
      entryPoints: {
        backendAddress: '2001:db8::1',
        addresses: { 'green.example.org': '2001:db8::10', 'red.example.com': '2001:db8::20', 'blue.example.net': '2001:db8::30' },
      },
    });
    expect(emitted.files['edge/red.example.com/haproxy.cfg']).toContain('bind [::]:443 v4v6');
    expect(emitted.backend.audit().findings.filter((f) => f.id.startsWith('shared-address'))).toEqual([]);
  });

  const ENTRY: EdgeOptions = {
    addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' },
    backendAddress: '192.0.2.1',
  };
  const tempDirs: string[] = [];
  const tempDir = () => {
    tempDirs.push(fs.mkdtempSync(join(os.tmpdir(), 'entry-points-')));
    return tempDirs[tempDirs.length - 1];
  };
  afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** The two kinds of entry point a domain can have (besides the VPS, whose files are always written). */
  type Via = 'load balancers' | 'edge proxies';
  /**
   * Synthesize the guide's deployment with entry points into a temporary folder; every file written, by path.
   * Through the load balancers (the default), or through in-cluster edge proxies in a chart of their own.
   */
  function written(via: Via = 'edge proxies', entryPoints: Partial<EdgeOptions> = {}): { [path: string]: string } {
    const outdir = tempDir();
    const app = new WireApp({ outdir });
    const options = via === 'edge proxies' ? { loadBalancer: { enabled: false }, edgeProxyScope: new Chart(app, 'edge', { namespace: 'wire-edge' }) } : {};
    new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, entryPoints: { ...ENTRY, ...options, ...entryPoints } });
    const output = captureWarnings();
    try {
      app.synth();
    } finally {
      output.restore();
    }
    const files = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter((f) => fs.statSync(join(outdir, f)).isFile()).sort();
    return Object.fromEntries(files.map((f) => [f.split(sep).join('/'), fs.readFileSync(join(outdir, f), 'utf8')]));
  }

  test.each(['load balancers', 'edge proxies'] as Via[])("snapshot: the guide's 3 domains through %s, and the files for their VPSs", (via) => {
    // the unlinkability report is tested in test/audit
    expect(Object.fromEntries(Object.entries(written(via)).filter(([p]) => !p.startsWith('audit/')))).toMatchSnapshot();
  });

  test.each(['load balancers', 'edge proxies'] as Via[])('the documented layout through %s, one folder per domain', (via) => {
    expect(Object.keys(written(via))).toEqual([
      'audit/unlinkability.json',
      'audit/unlinkability.md',
      ...(via === 'edge proxies' ? ['edge.k8s.yaml'] : []),
      'edge/blue.example.net/certbot.sh',
      'edge/blue.example.net/dns.zone',
      'edge/blue.example.net/haproxy.cfg',
      'edge/green.example.org/certbot.sh',
      'edge/green.example.org/dns.zone',
      'edge/green.example.org/haproxy.cfg',
      'edge/red.example.com/certbot.sh',
      'edge/red.example.com/dns.zone',
      'edge/red.example.com/haproxy.cfg',
      'wire.k8s.yaml',
    ]);
  });

  test.each(['load balancers', 'edge proxies'] as Via[])('through %s, every domain gets its own entry point and records, and none of them names another domain', (via) => {
    const files = written(via);
    const objects = [files['wire.k8s.yaml'], files['edge.k8s.yaml'] ?? ''].flatMap((f) => parseAllDocuments(f)).map((d) => d.toJSON());
    const services = objects.filter((o) => o.kind === 'Service');
    for (const [domain, address] of Object.entries(ENTRY.addresses)) {
      const others = Object.keys(ENTRY.addresses).filter((d) => d !== domain);
      const own = services.filter((s) => s.metadata.annotations?.['metallb.io/loadBalancerIPs'] === address);
      // one entry point per domain: in front of the ingress controller (backend cluster), or of the edge proxy (edge cluster)
      expect(own.map((s) => s.metadata.namespace)).toEqual([via === 'edge proxies' ? 'wire-edge' : 'wire']);
      const edgeConfig = objects.find((o) => o.kind === 'ConfigMap' && o.data['haproxy.cfg'].includes(`edge proxy of ${domain},`));
      expect(edgeConfig === undefined).toBe(via === 'load balancers');
      const texts = [files[`edge/${domain}/haproxy.cfg`], files[`edge/${domain}/dns.zone`], files[`edge/${domain}/certbot.sh`]];
      for (const text of edgeConfig === undefined ? texts : [...texts, edgeConfig.data['haproxy.cfg']]) {
        expect(text).toContain(domain);
      }
      for (const text of [...texts, JSON.stringify(own), JSON.stringify(edgeConfig ?? {})]) {
        for (const other of others) {
          expect(text).not.toContain(other);
        }
      }
      expect(files[`edge/${domain}/dns.zone`]).toContain(` ${address}\n`);
    }
    expect(new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).size).toBe(3);
  });

  test('the Secrets of the in-cluster edge proxies are expected, and no key is written', () => {
    const app = Testing.app();
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', {
      ...GUIDE,
      entryPoints: { ...ENTRY, loadBalancer: { enabled: false }, edgeProxyScope: edge },
    });
    expect(backend.expectedSecrets.filter((s) => s.namespace === 'wire-edge').map((s) => s.name)).toEqual(['wire-edge-tls', 'wire-edge-red-tls', 'wire-edge-blue-tls']);
    expect(Object.values(written()).join('\n')).not.toContain('PRIVATE KEY');
  });

  test('the same input gives the same files', () => {
    expect(written()).toEqual(written());
    expect(written('load balancers')).toEqual(written('load balancers'));
  });

  test('shared addresses, the backend address and missing domains are refused with names and addresses, before anything is created', () => {
    const message = refusedWith({
      ...GUIDE,
      entryPoints: { backendAddress: '203.0.113.10', addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '203.0.113.10' } },
    });
    expect(message).toMatch(/^Invalid multi-ingress configuration: 4 problems/);
    expect(message).toContain('entry address "203.0.113.10" of "green.example.org" is the backend\'s address');
    expect(message).toContain('domains "green.example.org" and "red.example.com" have the same entry address "203.0.113.10"');
    expect(message).toContain('entryPoints.addresses has no address for "blue.example.net"');
  });

  test('entry point problems are reported in the same list as the other settings', () => {
    const message = refusedWith({ ...GUIDE, namespace: 'Wire', entryPoints: { ...ENTRY, dns: { ttl: -1 }, loadBalancer: { annotations: { 'x.io/y': 'blue.example.net' } } } });
    expect(message).toMatch(/^Invalid multi-ingress configuration: 3 problems/);
    expect(message).toContain('namespace "Wire" is not valid');
    expect(message).toContain('dns.ttl -1 is not valid');
    expect(message).toContain('loadBalancer.annotations mention "blue.example.net"');
  });

  test('edge proxies and load balancers for the same domains (in one chart or two) claim the same addresses: refused, naming both and the address', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'wire');
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    for (const scope of [chart, edge]) {
      const message = errorOf(() => new MultiIngressBackend(chart, `backend-${scope.node.id}`, { ...GUIDE, entryPoints: { ...ENTRY, edgeProxyScope: scope } }));
      expect(message).toContain(
        `two entry points claim the address "${ENTRY.addresses['green.example.org']}" of "green.example.org": the load balancer Service ` +
          `"wire/wire-entry" and the in-cluster edge proxy Service "${scope.namespace ?? 'default'}/wire-edge"`,
      );
      expect(message).toContain('and likewise for 2 other domain(s)');
    }
    expect(Testing.synth(chart)).toEqual([]);
    expect(Testing.synth(edge)).toEqual([]);
  });

  test("k3s's ServiceLB cannot give each domain an address: the HelmChart format with load balancers per domain warns at synth time", () => {
    const serviceLb = (printed: string[]) => printed.filter((line) => line.includes('warning:') && line.includes('ServiceLB'));
    const k3s = synth({ ...GUIDE, entryPoints: ENTRY });
    const [warning] = serviceLb(k3s.printed);
    expect(warning).toContain('the HelmChart format (k3s / RKE2) is used with 3 load balancer Service(s), one per domain');
    expect(warning).toContain('the others stay Pending without an address');
    expect(warning).toContain('Run k3s with --disable servicelb and install MetalLB');
    expect(k3s.backend.warnings).toContain(warning.slice(warning.indexOf('warning: ') + 'warning: '.length));
    // other formats, or no load balancers: nothing to say
    expect(serviceLb(synth({ ...GUIDE, releaseFormat: ReleaseFormat.flux(), entryPoints: ENTRY }).printed)).toEqual([]);
    expect(serviceLb(synth({ ...GUIDE, entryPoints: { ...ENTRY, loadBalancer: { enabled: false } } }).printed)).toEqual([]);
    expect(serviceLb(synth(GUIDE).printed)).toEqual([]);
  });

  test('nothing is written when validation fails', () => {
    const outdir = join(tempDir(), 'out');
    const app = new WireApp({ outdir });
    const chart = new Chart(app, 'wire');
    expect(() => new MultiIngressBackend(chart, 'backend', { ...GUIDE, entryPoints: { ...ENTRY, backendAddress: '198.51.100.20' } })).toThrow(
      'entry address "198.51.100.20" of "red.example.com" is the backend\'s address',
    );
    new ArtefactFile(chart, 'unrelated', { path: 'x.txt', content: 'x' });
    chart.node.addValidation({ validate: () => ['failed on purpose'] });
    expect(errorOf(() => app.synth())).toContain('failed on purpose');
    // cdk8s creates the folder before it validates; nothing is written into it
    expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);
  });
});

describe('the longest domain', () => {
  /** A domain of `length` characters: labels of 63 and a shorter one, under `.example`. */
  const ofLength = (length: number): string => {
    const labels = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63)];
    return [...labels, 'd'.repeat(length - labels.join('.').length - '.example'.length - 1), 'example'].join('.');
  };
  /** The API server's limit on names of DNS-subdomain kind and on ConfigMap keys. */
  const MAX = 253;
  /** nginz's deeplink ConfigMap keys are named after backendURL's host: `nginz-https.<domain>-deeplink.json` and `.html`. */
  const LIMIT = MAX - 'nginz-https.'.length - '-deeplink.json'.length;

  test(`a domain of ${LIMIT} characters deploys: every name a chart derives from it stays within ${MAX}`, () => {
    const long = ofLength(LIMIT);
    expect(long).toHaveLength(227);
    const emitted = synth({ ...GUIDE, additionalDomains: [long], ingressNames: undefined, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }) });
    const deeplinks = valuesOf(emitted, 'wire-server').nginz.nginx_conf.multi_ingress_deeplink;
    const backendUrl: string = deeplinks[long].endpoints.backendURL;
    for (const suffix of ['-deeplink.json', '-deeplink.html']) {
      expect(`${backendUrl.replace('https://', '')}${suffix}`.length).toBeLessThanOrEqual(MAX);
    }
    const ingress = emitted.backend.domainIngresses.find((d) => d.domain.name === long)!;
    expect(ingress.certificateName!.length).toBeLessThanOrEqual(MAX);
    expect(ingress.releaseName.length).toBeLessThanOrEqual(53);
    for (const o of emitted.objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });

  test(`a domain of ${LIMIT + 1} characters is refused, with the reason`, () => {
    const message = refusedWith({ ...GUIDE, additionalDomains: [ofLength(LIMIT + 1)], ingressNames: undefined });
    expect(message).toContain(`it is ${LIMIT + 1} characters long, so the keys "nginz-https.<domain>-deeplink.json" and "-deeplink.html" of nginz's deeplink ConfigMap`);
    expect(message).toContain(`at most ${LIMIT} are allowed`);
  });
});
