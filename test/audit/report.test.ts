import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { FindingSeverity, IngressTls, MultiIngressBackend, MultiIngressBackendProps, ObservationKind, ReleaseFormat, UnlinkabilityReport, WireApp } from '../../src';
import { captureWarnings, errorOf, filesBelow, synth, tempDir, valuesOf } from '../util';
import { GUIDE, deployment, fails, ingressOf, passes } from './helpers';

const STRUCTURAL = ['structural:account-pages', 'structural:backend-domain', 'structural:brig-emails', 'structural:calling', 'structural:team-settings'];

/** Synthesize with WireApp into a fresh folder. */
function synthToDisk(props: MultiIngressBackendProps): { outdir: string; backend: MultiIngressBackend; error?: string; printed: string[] } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'out');
  const app = new WireApp({ outdir });
  const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', props);
  const output = captureWarnings();
  try {
    app.synth();
    return { outdir, backend, printed: output.lines() };
  } catch (e) {
    return { outdir, backend, error: (e as Error).message, printed: output.lines() };
  } finally {
    output.restore();
  }
}

describe("the guide's example", () => {
  test('passes with only the structural warnings, each explained', () => {
    const { report, printed } = passes(GUIDE);
    expect(report.passed).toBe(true);
    expect(report.findings.filter((f) => f.severity === FindingSeverity.ERROR)).toEqual([]);
    expect(report.warnings.map((w) => w.id)).toEqual(STRUCTURAL);
    for (const w of report.warnings) {
      expect(w.reason.length).toBeGreaterThan(20);
      expect(w.mitigation.length).toBeGreaterThan(20);
      expect(w.domains).toEqual(['blue.example.net', 'green.example.org', 'red.example.com']);
    }
    // own certificates cannot be inspected: said, not hidden
    expect(report.findings.filter((f) => f.severity === FindingSeverity.INFO).map((f) => f.id)).toEqual(['own-certificates-unverified']);
    const summary = printed.join('\n');
    expect(summary).toContain('wire/backend: unlinkability audit passed for 3 domain(s): 0 acknowledged finding(s), 5 warning(s)');
    expect(summary).toContain('  - structural:calling: all domains share one calling infrastructure');
  });

  test('report snapshot (Markdown and JSON)', () => {
    const report = deployment(GUIDE).backend.audit();
    expect(report.renderMarkdown()).toMatchSnapshot();
    expect(report.renderJson()).toMatchSnapshot();
  });

  test('what each domain shows is its own: deeplink, ingress hosts, CSP, TLS Secret', () => {
    const report = deployment(GUIDE).backend.audit();
    const red = report.observationsOf('red.example.com');
    expect(red).toContainEqual({
      domain: 'red.example.com',
      artefact: 'deeplink document https://nginz-https.red.example.com/deeplink.json (release wire-server values)',
      kind: ObservationKind.TEXT,
      value: 'https://nginz-https.red.example.com',
      path: 'nginz.nginx_conf.multi_ingress_deeplink["red.example.com"].endpoints.backendURL',
    });
    expect(red).toContainEqual({
      domain: 'red.example.com',
      artefact: 'Ingress wire/nginx-ingress-red Content-Security-Policy',
      kind: ObservationKind.HOST,
      value: 'https://*.red.example.com',
      path: 'config.dns.base',
    });
    expect(red.filter((o) => o.kind === ObservationKind.CERTIFICATE).map((o) => o.value)).toEqual([
      'secret/wire/nginx-ingress-services-red-nginx-ingress-services-wildcard-tls-certificate',
      'secret/wire/nginx-ingress-services-red-nginx-ingress-services-wildcard-tls-certificate',
      'secret/kube-system/nginx-ingress-services-red-tls',
    ]);
    const green = report.observationsOf('green.example.org');
    expect(green.some((o) => o.path === 'nginz.nginx_conf.deeplink.endpoints.backendURL' && o.value === 'https://nginz-https.green.example.org')).toBe(true);
    // the HelmChart's valuesContent is the release values, observed once, with key paths
    expect(red.some((o) => o.path === 'spec.valuesContent')).toBe(false);
    expect(red.some((o) => o.artefact === 'HelmChart kube-system/nginx-ingress-services-red' && o.path === 'spec.repo')).toBe(true);
  });

  test('cert-manager: the Certificate, its DNS names, the per-domain issuer and e-mail', () => {
    const report = deployment({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }) }).backend.audit();
    expect(report.passed).toBe(true);
    const blue = report.observationsOf('blue.example.net').filter((o) => o.kind !== ObservationKind.TEXT);
    expect(blue.filter((o) => o.artefact === 'cert-manager Certificate wire/blue-example-net-csr dnsNames').map((o) => o.value)).toEqual([
      'account.blue.example.net',
      'assets.blue.example.net',
      'nginz-https.blue.example.net',
      'nginz-ssl.blue.example.net',
      'teams.blue.example.net',
      'webapp.blue.example.net',
    ]);
    expect(blue).toContainEqual(expect.objectContaining({ kind: ObservationKind.ISSUER, value: 'issuer/wire/letsencrypt-http01-blue' }));
    expect(blue).toContainEqual(expect.objectContaining({ kind: ObservationKind.EMAIL, value: 'hostmaster@blue.example.net' }));
    expect(report.findings.map((f) => f.id)).not.toContain('own-certificates-unverified');
  });
});

test('the same input gives the same bytes, and the report is sorted', () => {
  const props = { ...GUIDE, additionalDomains: [...GUIDE.additionalDomains!, 'zz.example.com', 'aa.example.com', 'sub.red.example.com'] };
  const a = deployment(props).backend.audit();
  const b = deployment(props).backend.audit();
  expect(a.renderJson()).toBe(b.renderJson());
  expect(a.renderMarkdown()).toBe(b.renderMarkdown());
  expect(a.domains).toEqual([...a.domains].sort());
  expect(JSON.parse(a.renderJson()).findings.map((f: any) => f.id)).toEqual(a.findings.map((f) => f.id));
  // a nested domain is a warning: its name shows its parent
  expect(a.finding('nested-domains:red.example.com:sub.red.example.com')?.severity).toBe(FindingSeverity.WARNING);
});

describe('written next to the manifests', () => {
  test('audit/unlinkability.md and .json, the same as audit()', () => {
    const { outdir, backend, error } = synthToDisk(GUIDE);
    expect(error).toBeUndefined();
    expect(filesBelow(outdir)).toEqual([UnlinkabilityReport.JSON_PATH, UnlinkabilityReport.MARKDOWN_PATH, 'wire.k8s.yaml']);
    const report = backend.audit();
    expect(fs.readFileSync(path.join(outdir, UnlinkabilityReport.MARKDOWN_PATH), 'utf8')).toBe(report.renderMarkdown());
    expect(fs.readFileSync(path.join(outdir, UnlinkabilityReport.JSON_PATH), 'utf8')).toBe(report.renderJson());
  });

  test('an error finding that is not acknowledged fails the synthesis and writes nothing', () => {
    const { outdir, error } = synthToDisk({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }) });
    expect(error).toMatch(/^Validation failed with the following errors:\n {2}\[wire\/backend\] unlinkability audit: /);
    expect(error).toContain('acknowledgedFindings: ["shared-email:ops@example.org"]');
    expect(filesBelow(outdir)).toEqual([]);
  });

  test('acknowledging the finding by id lets it through, shown as acknowledged', () => {
    const { outdir, error, printed } = synthToDisk({
      ...GUIDE,
      tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }),
      acknowledgedFindings: ['shared-email:ops@example.org'],
    });
    expect(error).toBeUndefined();
    expect(filesBelow(outdir)).toContain('wire.k8s.yaml');
    const json = JSON.parse(fs.readFileSync(path.join(outdir, UnlinkabilityReport.JSON_PATH), 'utf8'));
    expect(json.passed).toBe(true);
    // with cert-manager, structural:certificate-transparency joins the five structural warnings of the guide
    expect(json.summary).toEqual({ error: 1, warning: 6, info: 0, acknowledged: 1 });
    expect(json.findings[0]).toMatchObject({ id: 'shared-email:ops@example.org', severity: 'error', acknowledged: true });
    expect(fs.readFileSync(path.join(outdir, UnlinkabilityReport.MARKDOWN_PATH), 'utf8')).toContain('### `shared-email:ops@example.org` (acknowledged)');
    expect(printed.join('\n')).toContain('1 acknowledged finding(s)');
  });
});

test('an acknowledgement that matches nothing is reported as stale', () => {
  const { report } = passes({ ...GUIDE, acknowledgedFindings: ['shared-email:gone@example.org'] });
  expect(report.finding('stale-acknowledgement:shared-email:gone@example.org')).toMatchObject({
    severity: FindingSeverity.WARNING,
    message: 'acknowledgedFindings lists "shared-email:gone@example.org", which this synthesis does not find',
  });
});

test('acknowledgedFindings must be a list of ids', () => {
  const chart = new Chart(new WireApp(), 'wire');
  expect(errorOf(() => new MultiIngressBackend(chart, 'b', { ...GUIDE, acknowledgedFindings: 'shared-email:x' as any }))).toContain(
    'acknowledgedFindings "shared-email:x" is not valid: expected a list of finding ids',
  );
});

test('objects in the deployment that belong to no domain are listed as not audited', () => {
  const { report } = passes(GUIDE, (backend) => {
    new ApiObject(backend, 'shared-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-all', namespace: 'wire' }, data: { a: 'x' } });
  });
  const info = report.findings.filter((f) => f.check === 'unattributed');
  expect(info).toHaveLength(1);
  expect(info[0].message).toBe('ConfigMap wire/edge-all (construct wire/backend/shared-cm) belongs to no domain the audit can tell, so it was not audited');
});

describe('calling', () => {
  test('is written to brig once for every domain and reported as shared', () => {
    const calling = { turnUris: ['turn:turn.calling.example:3478', 'turns:turn.calling.example:5349?transport=tcp'], sftUrl: 'https://sft.calling.example:443' };
    const emitted = synth({ ...GUIDE, calling, wireServerValues: { brig: { turnStatic: { v1: ['turn:old.example:3478'] } } } });
    const brig = valuesOf(emitted, 'wire-server').brig;
    expect(brig.turnStatic).toEqual({ v1: [], v2: calling.turnUris });
    expect(brig.turn).toEqual({ serversSource: 'files' });
    expect(brig.config.optSettings.setSftStaticUrl).toBe('https://sft.calling.example:443');
    expect(emitted.backend.warnings).toEqual([expect.stringContaining('"brig.turnStatic"')]);
    const finding = emitted.backend.audit().finding('structural:calling')!;
    expect(finding.severity).toBe(FindingSeverity.WARNING);
    expect(finding.value).toBe('turn:turn.calling.example:3478, turns:turn.calling.example:5349?transport=tcp, https://sft.calling.example:443');
    expect(finding.message).toContain('all domains share one calling infrastructure: every client gets');
  });

  test('bad endpoints are refused, naming the value', () => {
    const chart = new Chart(new WireApp(), 'wire');
    expect(errorOf(() => new MultiIngressBackend(chart, 'a', { ...GUIDE, calling: { turnUris: [] } }))).toContain('calling.turnUris [] is not valid');
    expect(errorOf(() => new MultiIngressBackend(chart, 'b', { ...GUIDE, calling: { turnUris: ['stun:x.example:3478'] } }))).toContain(
      'calling.turnUris entry "stun:x.example:3478" is not valid',
    );
    expect(errorOf(() => new MultiIngressBackend(chart, 'c', { ...GUIDE, calling: { turnUris: ['turn:192.0.2.1:3478'], sftUrl: 'http://sft.example' } }))).toContain(
      'calling.sftUrl "http://sft.example" is not valid',
    );
    expect(() => new MultiIngressBackend(chart, 'd', { ...GUIDE, calling: { turnUris: ['turn:[2001:db8::1]:3478?transport=udp'] } })).not.toThrow();
    expect(errorOf(() => new MultiIngressBackend(chart, 'e', { ...GUIDE, calling: { turnUris: ['turn:[192.0.2.1]:3478'] } }))).toContain('is not valid');
  });
});

describe('own-certificate secretName', () => {
  test('must give Secret names', () => {
    expect(errorOf(() => IngressTls.ownCertificate({ secretName: 'TLS_{release}' }))).toContain(
      'own-certificate TLS: secretName "TLS_{release}" is not valid: expected a Kubernetes Secret name',
    );
    // valid for the 15-character sample domain, too long for green.example.org
    const long = `${'x'.repeat(237)}-{domain}`;
    const chart = new Chart(new WireApp(), 'wire');
    expect(errorOf(() => new MultiIngressBackend(chart, 'a', { ...GUIDE, tls: IngressTls.ownCertificate({ secretName: long }) }))).toContain(
      'which is not a valid Kubernetes Secret name',
    );
  });

  test('placeholders give one Secret per domain', () => {
    const emitted = synth({ ...GUIDE, tls: IngressTls.ownCertificate({ secretName: 'tls-{domain}' }) });
    expect(emitted.backend.expectedSecrets.map((s) => s.name)).toEqual([
      'wire-server-secrets',
      'tls-green.example.org',
      'tls-red.example.com',
      'tls-blue.example.net',
    ]);
  });
});

test('SSO and base values that set brig links and a backend domain: the structural warnings say what they show', () => {
  const { report } = passes({
    ...GUIDE,
    sso: { contacts: [] },
    wireServerValues: {
      brig: { config: { externalUrls: { nginz: 'https://nginz-https.green.example.org' }, optSettings: { setFederationDomain: 'wire-backend.example' } } },
    },
  });
  expect(report.finding('structural:brig-emails')?.message).toBe(
    "brig's e-mails (activation, password reset, invitations) link to green.example.org for the users of every domain",
  );
  expect(report.finding('structural:backend-domain')?.value).toBe('wire-backend.example');
  expect(report.finding('structural:sso')?.message).toContain('one SCIM base URI for every domain ("https://nginz-https.green.example.org/scim/v2", which names green.example.org)');
});

test('a domain without team-settings and account-pages gets no warning for them', () => {
  const { report } = passes({ ...GUIDE, teamSettings: false, accountPages: false });
  expect(report.warnings.map((w) => w.id)).toEqual(['structural:backend-domain', 'structural:brig-emails', 'structural:calling']);
});

test('the audit adds files, not Kubernetes objects', () => {
  const emitted = synth(GUIDE);
  expect(emitted.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
    'HelmChart/wire-server',
    'HelmChartConfig/wire-server',
    'HelmChart/webapp',
    'HelmChart/nginx-ingress-services',
    'HelmChartConfig/nginx-ingress-services',
    'HelmChart/nginx-ingress-services-red',
    'HelmChartConfig/nginx-ingress-services-red',
    'HelmChart/nginx-ingress-services-blue',
    'HelmChartConfig/nginx-ingress-services-blue',
  ]);
});

describe('every release format', () => {
  const formats: Array<[string, () => ReleaseFormat]> = [
    ['flux', () => ReleaseFormat.flux()],
    ['argocd', () => ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: 'https://git.example.org/ops/wire-secrets.git' } })],
    ['values files', () => ReleaseFormat.valuesFiles()],
  ];

  test.each(formats)('%s: the same findings as HelmChart, and what renders the values is not observed twice', (_name, format) => {
    const helmChart = passes(GUIDE).report;
    const { report } = passes({ ...GUIDE, releaseFormat: format() });
    // (the Secrets differ only in namespace: each format reads them from its own)
    expect(report.findings.map((f) => [f.id, f.severity])).toEqual(helmChart.findings.map((f) => [f.id, f.severity]));
    const outsideReleases = (r: UnlinkabilityReport) =>
      r.observations.filter((o) => !/^(HelmChart|HelmChartConfig|HelmRelease|Application|file|TLS values (Secret|file)) /.test(o.artefact));
    expect(outsideReleases(report)).toEqual(outsideReleases(helmChart));
    // what the format renders from the values is observed as the values, once
    expect(report.observations.filter((o) => /^(HelmRelease|Application|file) /.test(o.artefact) && o.value.includes('nginz-https.'))).toEqual([]);
  });

  test('the certificate files of the values-files and Argo CD formats are named as the operator provides them', () => {
    const certificates = (format: ReleaseFormat) =>
      passes({ ...GUIDE, releaseFormat: format }).report.observations.filter((o) => o.artefact.startsWith('TLS values')).map((o) => `${o.artefact}: ${o.value}`);
    // (observations are sorted by domain: blue.example.net, green.example.org, red.example.com)
    expect(certificates(ReleaseFormat.valuesFiles())).toEqual([
      'TLS values file read by release nginx-ingress-services-blue: file/secrets/nginx-ingress-services-blue-tls/tls-values.yaml',
      'TLS values file read by release nginx-ingress-services: file/secrets/nginx-ingress-services-tls/tls-values.yaml',
      'TLS values file read by release nginx-ingress-services-red: file/secrets/nginx-ingress-services-red-tls/tls-values.yaml',
    ]);
    const repo = 'https://git.example.org/ops/wire-secrets.git';
    expect(certificates(ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: repo } }))).toContain(
      `TLS values file read by release nginx-ingress-services-red: file/${repo}/wire-secrets/nginx-ingress-services-red-tls/tls-values.yaml`,
    );
    expect(certificates(ReleaseFormat.helmChart())).toContain('TLS values Secret read by release nginx-ingress-services-red: secret/kube-system/nginx-ingress-services-red-tls');
    for (const f of [ReleaseFormat.valuesFiles(), ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: repo } })]) {
      const { report } = passes({ ...GUIDE, releaseFormat: f });
      expect(report.renderMarkdown()).not.toContain('undefined');
      expect(report.renderJson()).not.toContain('undefined');
    }
  });

  test('a leak in the base values is found the same way in every format', () => {
    const leak = { ...GUIDE, ingressServicesValues: { service: { s3: { serviceName: 'minio.red.example.com' } } } };
    const ids = fails(leak).report.errors.map((f) => f.id);
    for (const [, format] of formats) {
      expect(fails({ ...leak, releaseFormat: format() }).report.errors.map((f) => f.id)).toEqual(ids);
    }
  });
});

test('the report is computed again when the output changes, and reused while it does not', () => {
  const { backend } = deployment(GUIDE);
  const first = backend.audit();
  expect(backend.audit()).toBe(first);
  const svc = new ApiObject(ingressOf(backend, 'red.example.com'), 'edge', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge' }, data: { a: 'x' } });
  const second = backend.audit();
  expect(second).not.toBe(first);
  expect(second.passed).toBe(true);
  // a change to an existing object is seen too
  svc.addJsonPatch(JsonPatch.add('/data/b', 'see blue.example.net'));
  expect(backend.audit().errors.map((f) => f.check)).toEqual(['foreign-domain']);
});

describe('with the per-domain entry points', () => {
  const ADDRESSES = { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' };
  /** The guide's deployment through its load balancers, or through in-cluster edge proxies (in another chart). */
  function guideWithEdges(
    extend?: (backend: MultiIngressBackend) => void,
    via: 'load balancers' | 'edge proxies' = 'edge proxies',
  ): { report: UnlinkabilityReport; error?: string } {
    const app = Testing.app();
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    const entryPoints =
      via === 'edge proxies'
        ? { addresses: ADDRESSES, backendAddress: '192.0.2.1', loadBalancer: { enabled: false }, edgeProxyScope: edge }
        : { addresses: ADDRESSES, backendAddress: '192.0.2.1' };
    const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, entryPoints });
    extend?.(backend);
    const output = captureWarnings();
    try {
      app.synthYaml();
      return { report: backend.audit() };
    } catch (e) {
      return { report: backend.audit(), error: (e as Error).message };
    } finally {
      output.restore();
    }
  }

  test('load balancers and edge files are audited; the shared backend address and ingress controller are said', () => {
    const { report, error } = guideWithEdges(undefined, 'load balancers');
    expect(error).toBeUndefined();
    expect(report.warnings.map((w) => w.id)).toEqual([
      'structural:account-pages',
      'structural:backend-address',
      'structural:backend-domain',
      'structural:brig-emails',
      'structural:calling',
      'structural:shared-ingress-controller',
      'structural:team-settings',
    ]);
    expect(report.finding('structural:backend-address')?.message).toBe('the edge proxies of 3 domains forward to the same backend address "192.0.2.1"');
    // the load balancers in front of the one ingress controller: what issue 4's README says they do not hide
    expect(report.finding('structural:shared-ingress-controller')?.artefact).toBe(
      'blue.example.net: Service wire/wire-entry-blue; green.example.org: Service wire/wire-entry; red.example.com: Service wire/wire-entry-red',
    );
    expect(report.findings.filter((f) => f.check === 'unattributed')).toEqual([]);
    const red = report.observationsOf('red.example.com').filter((o) => o.kind !== ObservationKind.TEXT && o.kind !== ObservationKind.HOST);
    const seen = (artefact: string) => red.filter((o) => o.artefact === artefact).map((o) => `${o.kind} ${o.value}`);
    expect(seen('Service wire/wire-entry-red')).toContain('address 198.51.100.20');
    expect(seen('file edge/red.example.com/dns.zone')).toContain('address 198.51.100.20');
    expect(seen('file edge/red.example.com/certbot.sh')).toEqual(['email hostmaster@red.example.com']);
  });

  test('in-cluster edge proxies (in another chart) are audited', () => {
    const { report, error } = guideWithEdges();
    expect(error).toBeUndefined();
    expect(report.warnings.map((w) => w.id)).toContain('structural:backend-address');
    expect(report.findings.filter((f) => f.check === 'unattributed')).toEqual([]);
    const red = report.observationsOf('red.example.com').filter((o) => o.kind !== ObservationKind.TEXT && o.kind !== ObservationKind.HOST);
    const seen = (artefact: string) => red.filter((o) => o.artefact === artefact).map((o) => `${o.kind} ${o.value}`);
    expect(seen('Service wire-edge/wire-edge-red')).toContain('address 198.51.100.20');
    expect(seen('Secret for wire-edge-red')).toEqual(['certificate secret/wire-edge/wire-edge-red-tls']);
    // the edge proxy's HAProxy configuration names only its own domain
    expect(report.observationsOf('red.example.com').some((o) => o.artefact === 'ConfigMap wire-edge/wire-edge-red-haproxy')).toBe(true);
  });

  test("an object added to one domain's edge proxy with another domain's address is caught", () => {
    const { error, report } = guideWithEdges((backend) => {
      const red = backend.domainIngresses.find((d) => d.domain.name === 'red.example.com')!;
      new ApiObject(red.edgeProxy!, 'extra', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'wire-edge-red-extra', namespace: 'wire-edge' },
        spec: { type: 'LoadBalancer', loadBalancerIP: '2001:db8::30' },
      });
    });
    expect(error).toContain('blue.example.net and red.example.com show the same address "2001:db8::30"');
    expect(error).toContain('red.example.com: Service wire-edge/wire-edge-red-extra at spec.loadBalancerIP');
    expect(report.errors.map((f) => f.id)).toEqual(['shared-address:2001:db8::30']);
  });
});
