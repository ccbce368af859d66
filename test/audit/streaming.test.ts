/**
 * The audit streams the text observations through its checks and keeps only
 * those that name another domain. These tests compare what it finds with
 * what the same checks find over every observation kept, for deployments
 * that leak in each way the checks know, and that the report still lists
 * every observation.
 */
import { ApiObject } from 'cdk8s';
import { deployment, GUIDE, ingressOf } from './helpers';
import { ArtefactFile, IngressTls, MultiIngressBackend, MultiIngressBackendProps, ObservationKind } from '../../src';
import { runChecks } from '../../src/audit/checks';
import { AuditSubject, collect } from '../../src/audit/observe';
import { captureWarnings } from '../util';

/** The subject the backend's own audit reads. */
function subjectOf(backend: MultiIngressBackend): AuditSubject {
  return backend._auditSubject();
}

/** Findings over every observation kept, sorted as the report sorts them. */
function findingsKeepingEverything(backend: MultiIngressBackend, acknowledged: string[] = []) {
  const collected = collect(subjectOf(backend), undefined, { keepText: true });
  const severities = ['error', 'warning', 'info'];
  return runChecks({ domains: subjectOf(backend).domains, ...collected, acknowledged }).sort(
    (a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

const ENTRY = {
  addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '198.51.100.30' },
  backendAddress: '192.0.2.1',
};

const CASES: Array<[string, MultiIngressBackendProps, ((b: MultiIngressBackend) => void)?]> = [
  ['no leak, with entry points', { ...GUIDE, entryPoints: ENTRY }],
  ['a host of one domain in every ingress release', { ...GUIDE, ingressServicesValues: { service: { s3: { serviceName: 'minio.red.example.com' } } } }],
  ['one ACME e-mail for every domain', { ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'ops@example.org' }) }],
  ['an ACME e-mail at another domain (text and e-mail observations at one path)', { ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@red.example.com' }) }],
  [
    'an edge file and an object that name other domains',
    { ...GUIDE, entryPoints: ENTRY },
    (b) => {
      new ArtefactFile(ingressOf(b, 'blue.example.net'), 'Leak', { path: 'edge/blue.example.net/notes.txt', content: 'see also webapp.red.example.com\nand green.example.org\n' });
      new ApiObject(ingressOf(b, 'green.example.org'), 'Svc', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'leak', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'webapp.blue.example.net' } },
        spec: { type: 'LoadBalancer', loadBalancerIP: '198.51.100.20', selector: { a: 'b' } },
      });
    },
  ],
  [
    // each of these files names another domain on one line
    'files that name another domain on one line only, as written, percent-encoded and in full-width letters',
    { ...GUIDE, entryPoints: ENTRY },
    (b) => {
      const red = ingressOf(b, 'red.example.com');
      new ArtefactFile(red, 'Plain', { path: 'edge/red.example.com/a.txt', content: 'own webapp.red.example.com\nforwards to nginz-https.blue.example.net\n' });
      new ArtefactFile(red, 'Percent', { path: 'edge/red.example.com/b.txt', content: 'own webapp.red.example.com\nlink https://green%2Eexample%2Eorg/x\n' });
      new ArtefactFile(red, 'Wide', { path: 'edge/red.example.com/c.txt', content: 'own webapp.red.example.com\nsee \uff42\uff4c\uff55\uff45.example.net\n' });
    },
  ],
];

describe('the streamed audit finds what the audit over every observation finds', () => {
  // rows of three (jest would pass a done callback for a missing third)
  test.each(CASES.map(([name, props, extend]) => [name, props, extend ?? null] as const))('%s', (_name, props, extend) => {
    const { backend } = deployment(props, extend ?? undefined);
    const output = captureWarnings();
    try {
      const report = backend.audit();
      expect(report.findings).toEqual(findingsKeepingEverything(backend, props.acknowledgedFindings));
      // every observation is still in the report, text ones included
      const all = collect(subjectOf(backend), undefined, { keepText: true }).observations;
      expect(report.observations).toHaveLength(all.length);
      expect(report.observations.some((o) => o.kind === ObservationKind.TEXT)).toBe(true);
      expect(new Set(report.observations.map((o) => JSON.stringify(o)))).toEqual(new Set(all.map((o) => JSON.stringify(o))));
    } finally {
      output.restore();
    }
  });

  test('the cases leak: the comparison is not between two empty lists', () => {
    const errors = CASES.slice(1).map(([, props, extend]) => {
      const output = captureWarnings();
      try {
        return deployment(props, extend).backend.audit().errors.length;
      } finally {
        output.restore();
      }
    });
    expect(errors.every((n) => n > 0)).toBe(true);
  });
});
