/**
 * The API (`Plan.compare`) for operators who run their own cdk8s app, and
 * the plan read back from every release format.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { MultiIngressBackend, MultiIngressBackendProps, Plan, PlanChange, ReleaseFormat, WireApp } from '../../src';
import { captureWarnings, GUIDE, errorOf, tempDir } from '../util';

function appOf(props: MultiIngressBackendProps, outdir: string, plain = false): App {
  const app = plain ? new App({ outdir }) : new WireApp({ outdir });
  new MultiIngressBackend(new Chart(app, 'wire'), 'backend', props);
  return app;
}

function quietly<T>(fn: () => T): T {
  const w = captureWarnings();
  try {
    return fn();
  } finally {
    w.restore();
  }
}

const ADDED = 'purple.example.info';
const withAdded = (props: MultiIngressBackendProps): MultiIngressBackendProps => ({
  ...props,
  additionalDomains: [...props.additionalDomains!, ADDED],
});
const ADDED_PATHS = [
  `galley.config.settings.multiIngress.nginz-https.${ADDED}`,
  `cargohold.config.aws.multiIngress.nginz-https.${ADDED}`,
  'cannon.nginx_conf.additional_external_env_domains',
  'nginz.nginx_conf.additional_external_env_domains',
  `nginz.nginx_conf.multi_ingress_deeplink.${ADDED}`,
].sort();
const ADDED_RELEASE = `nginx-ingress-services-${ADDED.replace(/\./g, '-')}`;

const SECRETS_REPO = { repoURL: 'https://git.example.org/ops/wire-secrets.git', targetRevision: 'main', path: 'wire-secrets' };
describe.each([
  ['helmchart', ReleaseFormat.helmChart(), `Secret kube-system/${ADDED_RELEASE}-tls key tls-values.yaml`],
  ['flux', ReleaseFormat.flux(), `Secret flux-system/${ADDED_RELEASE}-tls key tls-values.yaml`],
  ['argocd', ReleaseFormat.argoCd({ secretValuesRepository: SECRETS_REPO }), `values file wire-secrets/${ADDED_RELEASE}-tls/tls-values.yaml in ${SECRETS_REPO.repoURL}`],
  ['values', ReleaseFormat.valuesFiles(), `values file $SECRETS_DIR/${ADDED_RELEASE}-tls/tls-values.yaml`],
])('Plan.compare in the %s format', (format, releaseFormat, secret) => {
  const props: MultiIngressBackendProps = { ...GUIDE, releaseFormat };

  test('the same app: nothing changes', () => {
    const dir = tempDir('plan-api-');
    quietly(() => appOf(props, dir).synth());
    const result = quietly(() => Plan.compare(dir, appOf(props, tempDir('plan-api-unused-'))));
    expect(result.changes).toBe(false);
    expect(result.releases.map((r) => [r.name, r.change, r.format])).toEqual(
      ['nginx-ingress-services', 'nginx-ingress-services-blue', 'nginx-ingress-services-red', 'webapp', 'wire-server'].map((n) => [n, PlanChange.UNCHANGED, format]),
    );
    expect(Plan.exitCode(result)).toBe(0);
  });

  test('a domain added: its release, the wire-server value paths, the restarts and its secret values', () => {
    const dir = tempDir('plan-api-');
    quietly(() => appOf(props, dir).synth());
    const result = quietly(() => Plan.compare(dir, appOf(withAdded(props), tempDir('plan-api-unused-'))));
    expect(result.releases.filter((r) => r.change !== PlanChange.UNCHANGED).map((r) => [r.name, r.change])).toEqual([
      [ADDED_RELEASE, PlanChange.ADDED],
      ['wire-server', PlanChange.CHANGED],
    ]);
    const wire = result.releases.find((r) => r.name === 'wire-server')!;
    expect(wire.paths).toEqual(ADDED_PATHS);
    expect(wire.restarts).toEqual(['galley', 'cargohold', 'nginz', 'cannon']);
    expect(result.secrets).toEqual({ create: [secret], unused: [] });
    expect(result.domains.map((d) => [d.domain, d.change, d.release])).toEqual([[ADDED, PlanChange.ADDED, ADDED_RELEASE]]);
    expect(Plan.exitCode(result)).toBe(3);
  });
});

test('a plain cdk8s App (its own YAML writer): compared by content, the same result', () => {
  const dir = tempDir('plan-api-');
  quietly(() => appOf(GUIDE, dir, true).synth());
  expect(fs.readdirSync(dir)).toEqual(['wire.k8s.yaml']);
  expect(quietly(() => Plan.compare(dir, appOf(GUIDE, tempDir('plan-api-unused-'), true))).changes).toBe(false);
  const result = quietly(() => Plan.compare(dir, appOf(withAdded(GUIDE), tempDir('plan-api-unused-'), true)));
  expect(result.releases.find((r) => r.name === 'wire-server')!.paths).toEqual(ADDED_PATHS);
});

test('allow accepts a danger by id or by kind; the text shows the dangers first', () => {
  const dir = tempDir('plan-api-');
  quietly(() => appOf(GUIDE, dir).synth());
  const renamed = { ...GUIDE, ingressNames: { ...GUIDE.ingressNames, 'red.example.com': 'crimson' } };
  const id = 'release-renamed:red.example.com';
  for (const allow of [[], [id], ['release-renamed']]) {
    const result = quietly(() => Plan.compare(dir, appOf(renamed, tempDir('plan-api-unused-')), { allow }));
    expect(result.dangers.map((d) => [d.id, d.kind, d.allowed])).toEqual([[id, 'release-renamed', allow.length > 0]]);
    expect(Plan.exitCode(result)).toBe(allow.length > 0 ? 3 : 1);
    expect(Plan.renderText(result).split('\n')[1]).toMatch(new RegExp(`^DANGER ${id} `));
  }
  expect(Plan.DANGER_KINDS).toEqual([
    'default-domain-changed',
    'release-renamed',
    'domain-removed-with-entry-point',
    'chart-version-down',
    'tls-mode-changed',
    'namespace-changed',
    'format-changed',
  ]);
});

test('an invalid app or a missing folder: an error, nothing compared', () => {
  const missing = path.join(tempDir('plan-api-'), 'missing');
  expect(errorOf(() => quietly(() => Plan.compare(missing, appOf(GUIDE, tempDir('plan-api-unused-')))))).toContain(
    `"${missing}" is not valid as the earlier output: it is not a folder`,
  );
  const app = new WireApp({ outdir: tempDir('plan-api-unused-') });
  new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, ingressServicesValues: { note: 'see red.example.com' } });
  expect(errorOf(() => quietly(() => Plan.compare(tempDir('plan-api-'), app)))).toMatch(/^the app is not valid, nothing was compared:\n {2}/);
});
