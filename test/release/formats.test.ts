import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { DomainIngress, FluxDriftDetection, HelmChartFailurePolicy, IngressTls, MultiIngressBackend, MultiIngressBackendProps, ReleaseFormat, ReleaseSpec, WireApp, WireCharts } from '../../src';
import { describeSecrets } from '../../src/report';
import { describeWithTools } from '../e2e/tools';
import { Emitted, GUIDE, captureWarnings, domains, errorOf, synth, tempDir, validateObjects } from '../util';

const SECRETS_REPO = { repoURL: 'https://git.example.org/ops/wire-secrets.git' };

/** Each format under a short name, as the operator picks it. */
const FORMATS: { [name: string]: () => ReleaseFormat } = {
  helmchart: () => ReleaseFormat.helmChart(),
  flux: () => ReleaseFormat.flux(),
  argocd: () => ReleaseFormat.argoCd({ secretValuesRepository: SECRETS_REPO }),
  values: () => ReleaseFormat.valuesFiles(),
};

/** What a release is, whatever the format: read back from the emitted output. */
interface Release {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: any;
  /** Secret values, as `<secret name>/<key>`. */
  readonly secrets: string[];
}

/** The `helm upgrade --install` commands of a deploy.sh, in order, as argument lists. */
function helmCommands(script: string): string[][] {
  return script
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.startsWith('helm upgrade --install '))
    .map((l) => l.split(/\s+/));
}

function option(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

/** Every release of an emitted deployment, by release name, read the way the format's engine reads it. */
function releasesOf(format: string, emitted: Emitted): Map<string, Release> {
  const out = new Map<string, Release>();
  const objects = (kind: string) => emitted.objects.filter((o) => o.kind === kind);
  switch (format) {
    case 'helmchart':
      for (const o of objects('HelmChart')) {
        out.set(o.metadata.name, {
          chart: o.spec.chart,
          repository: o.spec.repo,
          version: o.spec.version,
          namespace: o.spec.targetNamespace,
          values: parse(o.spec.valuesContent),
          secrets: (o.spec.valuesSecrets ?? []).flatMap((s: any) => s.keys.map((k: string) => `${s.name}/${k}`)),
        });
      }
      break;
    case 'flux': {
      const repos = new Map(objects('HelmRepository').map((r) => [r.metadata.name, r.spec.url]));
      for (const o of objects('HelmRelease')) {
        out.set(o.spec.releaseName, {
          chart: o.spec.chart.spec.chart,
          repository: repos.get(o.spec.chart.spec.sourceRef.name),
          version: o.spec.chart.spec.version,
          namespace: o.spec.targetNamespace,
          values: o.spec.values,
          secrets: (o.spec.valuesFrom ?? []).map((v: any) => `${v.name}/${v.valuesKey}`),
        });
      }
      break;
    }
    case 'argocd':
      for (const o of objects('Application')) {
        const source = o.spec.source ?? o.spec.sources[0];
        out.set(source.helm.releaseName, {
          chart: source.chart,
          repository: source.repoURL,
          version: source.targetRevision,
          namespace: o.spec.destination.namespace,
          values: source.helm.valuesObject,
          secrets: (source.helm.valueFiles ?? []).map((f: string) => f.replace(/^\$wire-secrets\/wire-secrets\//, '')),
        });
      }
      break;
    case 'values':
      for (const args of helmCommands(emitted.files['deploy.sh'])) {
        const files = option(args, '--values');
        out.set(args[3], {
          chart: args[4],
          repository: option(args, '--repo')[0],
          version: option(args, '--version')[0],
          namespace: option(args, '--namespace')[0],
          // the secret values files first, the library's values file last (it wins, as in every format)
          values: parse(emitted.files[files[files.length - 1]]),
          secrets: files.slice(0, -1).map((f) => f.replace(/^"\$SECRETS_DIR"\//, '')),
        });
      }
      break;
  }
  return out;
}

function synthIn(format: string, props: MultiIngressBackendProps = GUIDE): Emitted {
  return synth({ ...props, releaseFormat: FORMATS[format]() });
}

describe("the guide's deployment in each format", () => {
  test.each(['flux', 'argocd', 'values'])('%s: snapshot', (format) => {
    const emitted = synthIn(format);
    // the unlinkability report is the same in every format; test/audit covers it
    const files = Object.fromEntries(Object.entries(emitted.files).filter(([p]) => !p.startsWith('audit/')));
    expect({ manifests: emitted.yaml, files }).toMatchSnapshot();
  });

  test('every format deploys the same releases with the same values, charts and secret values', () => {
    const byFormat = Object.keys(FORMATS).map((f) => [f, releasesOf(f, synthIn(f))] as const);
    const [, reference] = byFormat[0];
    expect([...reference.keys()]).toEqual(['wire-server', 'webapp', 'nginx-ingress-services', 'nginx-ingress-services-red', 'nginx-ingress-services-blue']);
    expect(reference.get('wire-server')!.secrets).toEqual(['wire-server-secrets/secrets.yaml']);
    expect(reference.get('nginx-ingress-services-red')!.secrets).toEqual(['nginx-ingress-services-red-tls/tls-values.yaml']);
    for (const [format, releases] of byFormat.slice(1)) {
      expect({ format, releases: Object.fromEntries(releases) }).toEqual({ format, releases: Object.fromEntries(reference) });
    }
  });

  test('one option picks the format; HelmChart stays the default', () => {
    const kinds = (e: Emitted) => [...new Set(e.objects.map((o) => o.kind))].sort();
    expect(kinds(synth(GUIDE))).toEqual(['HelmChart', 'HelmChartConfig']);
    expect(kinds(synthIn('flux'))).toEqual(['HelmRelease', 'HelmRepository']);
    expect(kinds(synthIn('argocd'))).toEqual(['Application']);
    expect(kinds(synthIn('values'))).toEqual([]);
  });
});

describe('secret values lose to the library\'s values in every format', () => {
  test('HelmChart: each release with secret values gets a HelmChartConfig of its name that repeats its values (applied after the secret values)', () => {
    const emitted = synth(GUIDE);
    const charts = emitted.objects.filter((o) => o.kind === 'HelmChart');
    const configs = emitted.objects.filter((o) => o.kind === 'HelmChartConfig');
    expect(configs.map((c) => c.metadata.name)).toEqual(charts.filter((c) => c.spec.valuesSecrets !== undefined).map((c) => c.metadata.name));
    expect(configs.map((c) => c.metadata.name)).not.toContain('webapp');
    for (const config of configs) {
      const chart = charts.find((c) => c.metadata.name === config.metadata.name)!;
      expect(config.metadata.namespace).toBe(chart.metadata.namespace);
      expect(config.spec).toEqual({ valuesContent: chart.spec.valuesContent });
    }
    // cert-manager: the ingress releases read no secret values, so only wire-server has a HelmChartConfig
    const cm = synth({ ...GUIDE, tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }) });
    expect(cm.objects.filter((o) => o.kind === 'HelmChartConfig').map((c) => c.metadata.name)).toEqual(['wire-server']);
  });
});

describe('upstream schemas', () => {
  test.each(['helmchart', 'flux', 'argocd'])('%s: every emitted object validates (guide, and 40 domains with cert-manager)', (format) => {
    const many: MultiIngressBackendProps = {
      defaultDomain: 'green.example.org',
      additionalDomains: domains(40),
      tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@{domain}' }),
    };
    const objects = [...synthIn(format).objects, ...synthIn(format, many).objects];
    expect(objects.length).toBeGreaterThan(40);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('the validator rejects what the schemas forbid', () => {
    const [flux] = synthIn('flux').objects.filter((o) => o.kind === 'HelmRelease');
    const [app] = synthIn('argocd').objects;
    const [helmChart] = synth(GUIDE).objects;
    const failures = validateObjects([
      { ...flux, spec: { ...flux.spec, interval: 10 } },
      { ...app, spec: { ...app.spec, destination: 'wire' } },
      { ...helmChart, spec: { ...helmChart.spec, valuesSecrets: [{ name: 'x', key: 'y' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'https' }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: {} } },
      { apiVersion: 'example.org/v1', kind: 'Unknown', metadata: { name: 'u' } },
    ]);
    expect(failures.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('secret material', () => {
  test.each(Object.keys(FORMATS))('%s: no private key or password in the output, own-certificate TLS', (format) => {
    const password = 'pw-6f1d0c2e-never-in-output';
    const emitted = synthIn(format, {
      ...GUIDE,
      tls: IngressTls.ownCertificate(),
      wireServerValues: { brig: { secrets: { smtpPassword: password } }, cannon: { secrets: { x: password } } },
      ingressServicesValues: { secrets: { tlsWildcardCert: password } },
    });
    const everything = [emitted.yaml, ...Object.values(emitted.files)].join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toMatch(/PRIVATE KEY|tlsWildcardKey|tlsWildcardCert/);
    // and the operator is told where each secret goes instead
    expect(emitted.backend.expectedSecrets.map((s) => s.name)).toEqual([
      'wire-server-secrets',
      'nginx-ingress-services-tls',
      'nginx-ingress-services-red-tls',
      'nginx-ingress-services-blue-tls',
    ]);
  });
});

describe('release names', () => {
  // helm-controller runs each HelmChart as a Job "helm-install-<name>", and a label value has at most 63 characters
  const JOB_PREFIX = 'helm-install-';
  const longest = 'a'.repeat(63 - JOB_PREFIX.length - 'nginx-ingress-services-'.length);
  const longDomain = `${'b'.repeat(26)}.com`; // derived ingress name of 30 characters before the limit
  const props: MultiIngressBackendProps = { ...GUIDE, additionalDomains: [...GUIDE.additionalDomains!, 'long.example.info', longDomain], ingressNames: { ...GUIDE.ingressNames, 'long.example.info': longest } };

  test.each(Object.keys(FORMATS))('%s: every release name leaves room for the helm-controller Job name, and is the same in every format', (format) => {
    const names = [...releasesOf(format, synthIn(format, props)).keys()];
    expect(names).toEqual([...releasesOf('helmchart', synthIn('helmchart', props)).keys()]);
    expect(names).toContain(`nginx-ingress-services-${longest}`);
    for (const name of names) expect({ name, job: `${JOB_PREFIX}${name}`.length <= 63 }).toEqual({ name, job: true });
  });

  test('one more character is refused before anything is created', () => {
    const chart = Testing.chart();
    const message = errorOf(() => new MultiIngressBackend(chart, 'backend', { ...props, ingressNames: { 'long.example.info': `${longest}a` } }));
    expect(message).toContain(`ingress name "${longest}a" for "long.example.info" is not valid`);
    expect(message).toContain('"helm-install-<release name>", a label value of at most 63 characters');
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('every format refuses a release name over 50 characters, naming the reason', () => {
    const spec: ReleaseSpec = { releaseName: 'r'.repeat(51), chart: 'c', repository: 'https://charts.example.org', version: '1.0.0', targetNamespace: 'wire', values: {}, secretValues: [] };
    for (const make of Object.values(FORMATS)) {
      const format = make();
      expect(format.problems([spec])).toEqual([
        `release name "${spec.releaseName}" is not valid: expected a lower-case DNS label of at most 50 characters in every release format: ` +
          'the k3s / RKE2 helm-controller runs each release as a Job named "helm-install-<release name>", a label value of at most 63 characters',
      ]);
      expect(() => format.render(Testing.chart(), 'r', spec)).toThrow(format.problems([spec])[0]);
      expect(format.problems([{ ...spec, releaseName: 'r'.repeat(50) }])).toEqual([]);
    }
  });
});

describe('HelmChart (k3s / RKE2)', () => {
  test('a failed upgrade is left for the operator: failurePolicy abort and a few Job retries, unless the operator chooses', () => {
    const charts = synth(GUIDE).objects.filter((o) => o.kind === 'HelmChart');
    expect(charts).toHaveLength(5);
    for (const chart of charts) {
      // the helm-controller's default, reinstall, would uninstall wire-server on every failed upgrade
      expect({ name: chart.metadata.name, failurePolicy: chart.spec.failurePolicy, backOffLimit: chart.spec.backOffLimit }).toEqual({
        name: chart.metadata.name,
        failurePolicy: 'abort',
        backOffLimit: 3,
      });
    }
    const chosen = synth({ ...GUIDE, releaseFormat: ReleaseFormat.helmChart({ failurePolicy: HelmChartFailurePolicy.retry(), backOffLimit: 0 }) });
    const chosenCharts = chosen.objects.filter((o) => o.kind === 'HelmChart');
    expect(chosenCharts.map((o) => [o.spec.failurePolicy, o.spec.backOffLimit])).toEqual(charts.map(() => ['retry', 0]));
    // the HelmChartConfigs that re-apply the values set no failurePolicy, which would override the HelmChart's
    expect(chosen.objects.filter((o) => o.kind === 'HelmChartConfig').every((o) => o.spec.failurePolicy === undefined)).toBe(true);
    expect(HelmChartFailurePolicy.reinstall().value).toBe('reinstall');
    expect(validateObjects(chosen.objects)).toEqual([]);
  });
});

describe('Flux', () => {
  test('one HelmRepository per chart repository, applied before the releases that use it', () => {
    const emitted = synthIn('flux');
    const repos = emitted.objects.filter((o) => o.kind === 'HelmRepository');
    expect(repos.map((r) => r.spec.url).sort()).toEqual([WireCharts.REPOSITORY, WireCharts.WEBAPP_REPOSITORY].sort());
    const position = (o: any) => emitted.objects.indexOf(o);
    for (const r of emitted.objects.filter((o) => o.kind === 'HelmRelease')) {
      const repo = repos.find((x) => x.metadata.name === r.spec.chart.spec.sourceRef.name);
      expect(position(repo)).toBeLessThan(position(r));
    }
  });

  test('the ingress releases depend on wire-server and webapp; secret values come from Secrets', () => {
    const emitted = synthIn('flux');
    const byName = new Map(emitted.objects.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
    expect(byName.get('wire-server').dependsOn).toBeUndefined();
    expect(byName.get('webapp').dependsOn).toBeUndefined();
    for (const name of ['nginx-ingress-services', 'nginx-ingress-services-red', 'nginx-ingress-services-blue']) {
      expect(byName.get(name).dependsOn).toEqual([
        { name: 'wire-server', namespace: 'flux-system' },
        { name: 'webapp', namespace: 'flux-system' },
      ]);
    }
    expect(byName.get('wire-server').valuesFrom).toEqual([{ kind: 'Secret', name: 'wire-server-secrets', valuesKey: 'secrets.yaml' }]);
    expect(byName.get('nginx-ingress-services-red').valuesFrom).toEqual([
      { kind: 'Secret', name: 'nginx-ingress-services-red-tls', valuesKey: 'tls-values.yaml' },
    ]);
    expect(emitted.backend.expectedSecrets.every((s) => s.namespace === 'flux-system' && s.file === undefined)).toBe(true);
  });

  test('every values Secret is listed with the label that makes Flux react to a change at once; other formats list none', () => {
    const emitted = synthIn('flux');
    expect(emitted.backend.expectedSecrets.length).toBe(4);
    for (const secret of emitted.backend.expectedSecrets) expect(secret.labels).toEqual({ 'reconcile.fluxcd.io/watch': 'Enabled' });
    // the listing printed after the synthesis
    expect(describeSecrets('wire/backend', emitted.backend.expectedSecrets)).toContain(
      'Secret flux-system/wire-server-secrets with key secrets.yaml, labelled reconcile.fluxcd.io/watch=Enabled for release wire-server',
    );
    expect(synth(GUIDE).backend.expectedSecrets.every((s) => s.labels === undefined)).toBe(true);
  });

  test('drift detection is the operator\'s choice (spec.driftDetection.mode), unset by default', () => {
    const releases = (e: Emitted) => e.objects.filter((o) => o.kind === 'HelmRelease');
    for (const r of releases(synthIn('flux'))) expect(r.spec.driftDetection).toBeUndefined();
    for (const [mode, make] of [['enabled', FluxDriftDetection.enabled], ['warn', FluxDriftDetection.warn], ['disabled', FluxDriftDetection.disabled]] as const) {
      const emitted = synth({ ...GUIDE, releaseFormat: ReleaseFormat.flux({ driftDetection: make() }) });
      expect(releases(emitted).map((r) => r.spec.driftDetection)).toEqual(Array(5).fill({ mode }));
      expect(validateObjects(emitted.objects)).toEqual([]);
    }
    expect(FluxDriftDetection.of('warn').mode).toBe('warn');
  });

  test('interval, timeout, retries and namespace are the operator\'s', () => {
    const emitted = synth({
      ...GUIDE,
      releaseFormat: ReleaseFormat.flux({ namespace: 'gitops', interval: '5m', timeout: '30m', retries: 5, createNamespace: false }),
    });
    const [wireServer] = emitted.objects.filter((o) => o.kind === 'HelmRelease');
    expect(wireServer.metadata.namespace).toBe('gitops');
    expect(wireServer.spec).toMatchObject({
      interval: '5m',
      timeout: '30m',
      install: { createNamespace: false, remediation: { retries: 5 } },
      upgrade: { remediation: { retries: 5 } },
      chart: { spec: { sourceRef: { namespace: 'gitops' } } },
    });
  });
});

describe('Argo CD', () => {
  test('each Application carries the resources finalizer, so deleting it removes its release; the operator can opt out', () => {
    const apps = synthIn('argocd').objects.filter((o) => o.kind === 'Application');
    expect(apps).toHaveLength(5);
    for (const app of apps) expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    const kept = synth({ ...GUIDE, releaseFormat: ReleaseFormat.argoCd({ secretValuesRepository: SECRETS_REPO, resourcesFinalizer: false }) });
    for (const app of kept.objects) expect(app.metadata.finalizers).toBeUndefined();
  });

  test('every release that needs secret values is named in the refusal (several own-certificate domains)', () => {
    const props: MultiIngressBackendProps = { ...GUIDE, additionalDomains: [...GUIDE.additionalDomains!, 'yellow.example.info', 'violet.example.biz'] };
    const message = errorOf(() => new MultiIngressBackend(Testing.chart(), 'backend', { ...props, releaseFormat: ReleaseFormat.argoCd() }));
    const named = [...message.matchAll(/release "([^"]+)" reads secret values/g)].map((m) => m[1]);
    // derived from the deployment: every release the HelmChart format gives valuesSecrets
    const needing = synth(props).objects.filter((o) => (o.spec.valuesSecrets ?? []).length > 0).map((o) => o.metadata.name);
    expect(needing).toHaveLength(6);
    expect(named).toEqual(needing);
  });


  test('sync waves put wire-server and webapp before the ingress releases', () => {
    const apps = synthIn('argocd').objects;
    const wave = new Map(apps.map((a) => [a.metadata.name, a.metadata.annotations['argocd.argoproj.io/sync-wave']]));
    expect(Object.fromEntries(wave)).toEqual({
      'wire-server': '0',
      'webapp': '0',
      'nginx-ingress-services': '1',
      'nginx-ingress-services-red': '1',
      'nginx-ingress-services-blue': '1',
    });
  });

  test('secret values come from the operator\'s git repository as a second source, never inline', () => {
    const emitted = synthIn('argocd');
    const wireServer = emitted.objects.find((o) => o.metadata.name === 'wire-server');
    expect(wireServer.spec.source).toBeUndefined();
    expect(wireServer.spec.sources[1]).toEqual({ repoURL: SECRETS_REPO.repoURL, targetRevision: 'HEAD', ref: 'wire-secrets' });
    expect(wireServer.spec.sources[0].helm.valueFiles).toEqual(['$wire-secrets/wire-secrets/wire-server-secrets/secrets.yaml']);
    const webapp = emitted.objects.find((o) => o.metadata.name === 'webapp');
    expect(webapp.spec.sources).toBeUndefined();
    expect(webapp.spec.source.chart).toBe('webapp');
    expect(emitted.backend.expectedSecrets[0]).toMatchObject({
      file: 'wire-secrets/wire-server-secrets/secrets.yaml',
      repository: SECRETS_REPO.repoURL,
    });
    expect(emitted.backend.expectedSecrets[0].namespace).toBeUndefined();
  });

  test('without a secrets repository the deployment is refused before anything is created', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'wire');
    const message = errorOf(() => new MultiIngressBackend(chart, 'backend', { ...GUIDE, releaseFormat: ReleaseFormat.argoCd() }));
    expect(message).toContain('release "wire-server" reads secret values (wire-server-secrets/secrets.yaml), but Argo CD cannot read Helm values from a Secret');
    expect(message).toContain('give the Argo CD format a secretValuesRepository');
    expect(message).toContain('release "nginx-ingress-services" reads secret values (nginx-ingress-services-tls/tls-values.yaml)');
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('a domain with cert-manager needs no secrets repository', () => {
    const chart = Testing.chart();
    const ingress = new DomainIngress(chart, 'red', {
      domain: 'red.example.com',
      ingressName: 'red',
      tls: IngressTls.certManager({ certmasterEmail: 'hostmaster@red.example.com' }),
      releaseFormat: ReleaseFormat.argoCd(),
    });
    const [app] = Testing.synth(chart);
    expect(app.spec.source.helm.valuesObject).toEqual(ingress.values);
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
  });

  test('a standalone own-certificate domain without a secrets repository is refused and creates nothing', () => {
    const chart = Testing.chart();
    expect(errorOf(() => new DomainIngress(chart, 'red', { domain: 'red.example.com', releaseFormat: ReleaseFormat.argoCd() }))).toContain(
      'Invalid ingress for "red.example.com": release "nginx-ingress-services-red-example-com" reads secret values',
    );
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('plain values files', () => {
  test('WireApp writes the guide\'s layout and an executable deploy.sh', () => {
    const outdir = tempDir('formats-');
    const app = new WireApp({ outdir });
    new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, releaseFormat: ReleaseFormat.valuesFiles() });
    const output = captureWarnings();
    let printed: string[];
    try {
      app.synth();
      printed = output.lines();
    } finally {
      output.restore();
    }
    const files = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(outdir, f)).isFile()).sort();
    expect(files).toEqual([
      'audit/unlinkability.json',
      'audit/unlinkability.md',
      'deploy.sh',
      'values/nginx-ingress-services/blue-values.yaml',
      'values/nginx-ingress-services/red-values.yaml',
      'values/nginx-ingress-services/values.yaml',
      'values/webapp/values.yaml',
      'values/wire-server/values.yaml',
      'wire.k8s.yaml',
    ]);
    expect(fs.statSync(path.join(outdir, 'deploy.sh')).mode % 0o1000).toBe(0o755);
    expect(printed.join('\n')).toContain('provide these 4 secret values files before the releases install');
    expect(printed.join('\n')).toContain('values file secrets/wire-server-secrets/secrets.yaml for release wire-server');
  });

  test('without entry points wire.k8s.yaml is empty, as a plain cdk8s App writes it, and deploy.sh says why and applies nothing', () => {
    const write = (app: WireApp | App) => {
      new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, releaseFormat: ReleaseFormat.valuesFiles() });
      const output = captureWarnings();
      try {
        app.synth();
      } finally {
        output.restore();
      }
    };
    const ours = tempDir('formats-');
    const plain = tempDir('formats-');
    write(new WireApp({ outdir: ours }));
    write(new App({ outdir: plain }));
    // cdk8s writes a manifest for every chart, with objects or not: WireApp writes the same file
    expect(fs.readFileSync(path.join(plain, 'wire.k8s.yaml'), 'utf8')).toBe('');
    expect(fs.readFileSync(path.join(ours, 'wire.k8s.yaml'), 'utf8')).toBe('');
    const script = fs.readFileSync(path.join(ours, 'deploy.sh'), 'utf8');
    expect(script).toContain('# The deployment has no other Kubernetes objects, so there is nothing to kubectl apply.\n');
    expect(script).toContain('# "wire.k8s.yaml" is empty: cdk8s writes a manifest for every chart, and that chart has no objects.\n');
    expect(script).not.toContain('kubectl apply -f');
  });

  test('deploy.sh installs wire-server and webapp first, each with its values file and secret values files', () => {
    const emitted = synthIn('values');
    const commands = helmCommands(emitted.files['deploy.sh']);
    expect(commands.map((c) => c[3])).toEqual([
      'wire-server',
      'webapp',
      'nginx-ingress-services',
      'nginx-ingress-services-red',
      'nginx-ingress-services-blue',
    ]);
    // the library's values file last: helm lets later files win, and the library's values win in every format
    expect(option(commands[0], '--values')).toEqual(['"$SECRETS_DIR"/wire-server-secrets/secrets.yaml', 'values/wire-server/values.yaml']);
    expect(option(commands[3], '--values')).toEqual([
      '"$SECRETS_DIR"/nginx-ingress-services-red-tls/tls-values.yaml',
      'values/nginx-ingress-services/red-values.yaml',
    ]);
    expect(commands.every((c) => c.includes('--wait') && option(c, '--timeout')[0] === '15m0s')).toBe(true);
    expect(emitted.backend.expectedSecrets.map((s) => s.file)).toEqual([
      'secrets/wire-server-secrets/secrets.yaml',
      'secrets/nginx-ingress-services-tls/tls-values.yaml',
      'secrets/nginx-ingress-services-red-tls/tls-values.yaml',
      'secrets/nginx-ingress-services-blue-tls/tls-values.yaml',
    ]);
  });
});

describeWithTools(['bash', 'shellcheck'], 'deploy.sh with bash and shellcheck', (tools) => {
  test('deploy.sh passes bash -n and shellcheck, and stops before helm when a secret values file is missing', () => {
    const dir = tempDir('formats-');
    const script = path.join(dir, 'deploy.sh');
    fs.writeFileSync(script, synthIn('values').files['deploy.sh'], { mode: 0o755 });
    const bash = spawnSync(tools.bash, ['-n', script], { encoding: 'utf8' });
    expect(bash.stderr).toBe('');
    expect(bash.status).toBe(0);
    const shellcheck = spawnSync(tools.shellcheck, ['--severity=style', script], { encoding: 'utf8' });
    expect(shellcheck.stdout).toBe('');
    expect(shellcheck.status).toBe(0);
    // no secrets folder: the script names the missing files and runs no helm (there is no helm on the PATH to run)
    const run = spawnSync(tools.bash, [script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('deploy.sh: missing secret values file secrets/wire-server-secrets/secrets.yaml');
    expect(run.stderr).toContain('nothing was installed');
    expect(run.stderr).not.toContain('helm');
  });
});

describeWithTools(['bash', 'shellcheck', 'dirname'], 'deploy.sh run with stand-in helm and kubectl that log their arguments', (tools) => {
  const ENTRY_ADDRESSES = { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' };

  /**
   * Synthesize the guide into `outdir` with its entry points: load balancer
   * Services (in the wire chart) or in-cluster edge proxies (in an edge chart).
   */
  function synthWithEntryPoints(outdir: string, via: 'load balancers' | 'edge proxies'): void {
    const app = new WireApp({ outdir });
    const wire = new Chart(app, 'wire');
    const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
    const entryPoints =
      via === 'load balancers'
        ? { addresses: ENTRY_ADDRESSES, backendAddress: '192.0.2.1' }
        : { addresses: ENTRY_ADDRESSES, backendAddress: '192.0.2.1', loadBalancer: { enabled: false }, edgeProxyScope: edge };
    new MultiIngressBackend(wire, 'backend', { ...GUIDE, releaseFormat: ReleaseFormat.valuesFiles(), entryPoints });
    const output = captureWarnings();
    try {
      app.synth();
    } finally {
      output.restore();
    }
  }

  /**
   * A bin folder, the only one on the script's PATH, with a `helm` and a
   * `kubectl` that log their arguments (one line each) and check the files
   * they are given, and the one other program deploy.sh runs (dirname).
   */
  function standIns(dir: string): { bin: string; log: string } {
    const bin = path.join(dir, 'bin');
    const log = path.join(dir, 'calls.log');
    fs.mkdirSync(bin);
    const script = (name: string) =>
      [
        `#!${tools.bash}`,
        `printf '%s' ${name} >> "$STANDIN_LOG"`,
        'for a in "$@"; do printf \' %s\' "$a" >> "$STANDIN_LOG"; done',
        'echo >> "$STANDIN_LOG"',
        // every file it is given must exist, as the real programs require
        'prev=',
        'for a in "$@"; do',
        '  if [ "$prev" = --values ] || [ "$prev" = -f ]; then [ -s "$a" ] || { echo "missing $a" >> "$STANDIN_LOG"; exit 3; }; fi',
        '  prev="$a"',
        'done',
        '',
      ].join('\n');
    for (const name of ['helm', 'kubectl']) fs.writeFileSync(path.join(bin, name), script(name), { mode: 0o755 });
    fs.symlinkSync(tools.dirname, path.join(bin, 'dirname'));
    return { bin, log };
  }

  test.each([
    ['load balancers', 'wire.k8s.yaml', 'Service'],
    ['edge proxies', 'edge.k8s.yaml', 'Deployment'],
  ] as const)('installs the releases, then applies the manifests (%s: %s), with SECRETS_DIR relative to the caller', (via, manifest, kind) => {
    const dir = tempDir('deploy-');
    const out = path.join(dir, 'out');
    synthWithEntryPoints(out, via);
    const script = path.join(out, 'deploy.sh');
    const text = fs.readFileSync(script, 'utf8');
    const check = spawnSync(tools.shellcheck, ['--severity=style', script], { encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
    expect(fs.readFileSync(path.join(out, manifest), 'utf8')).toContain(`kind: ${kind}`);
    // every manifest written with objects in it, in the order the app writes them (wire, then edge)
    const withObjects = ['wire.k8s.yaml', 'edge.k8s.yaml'].filter((f) => parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).some((d) => d.toJSON() !== null));
    expect(withObjects).toContain(manifest);

    // the operator's secret values, in a folder of the caller's working directory (not beside the script)
    const caller = path.join(dir, 'ops');
    for (const s of ['wire-server-secrets/secrets.yaml', ...['', '-red', '-blue'].map((x) => `nginx-ingress-services${x}-tls/tls-values.yaml`)]) {
      fs.mkdirSync(path.dirname(path.join(caller, 'my-secrets', s)), { recursive: true });
      fs.writeFileSync(path.join(caller, 'my-secrets', s), 'dummy: value\n');
    }
    const { bin, log } = standIns(dir);
    const env = { PATH: bin, STANDIN_LOG: log, SECRETS_DIR: 'my-secrets' };
    const run = spawnSync(tools.bash, [path.relative(caller, script)], { cwd: caller, encoding: 'utf8', env, timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.map((c) => c.split(' ').slice(0, 4).join(' '))).toEqual([
      'helm upgrade --install wire-server',
      'helm upgrade --install webapp',
      'helm upgrade --install nginx-ingress-services',
      'helm upgrade --install nginx-ingress-services-red',
      'helm upgrade --install nginx-ingress-services-blue',
      ...withObjects.map((f) => `kubectl apply -f ${f}`),
    ]);
    // the secret values files come from the caller's folder, and the library's values file is passed last
    expect(calls[0]).toContain(` --values ${path.join(caller, 'my-secrets', 'wire-server-secrets', 'secrets.yaml')} --values values/wire-server/values.yaml`);
    expect(text).toContain(`# Then it applies the manifests next to it with kubectl apply: ${withObjects.map((f) => `"${f}"`).join(', ')}.`);

    // an absolute SECRETS_DIR is used as it is; without SECRETS_DIR, secrets/ beside the script
    fs.rmSync(log);
    const absolute = spawnSync(tools.bash, [script], { cwd: dir, encoding: 'utf8', env: { ...env, SECRETS_DIR: path.join(caller, 'my-secrets') }, timeout: 20_000 });
    expect(absolute.status).toBe(0);
    const beside = spawnSync(tools.bash, [script], { cwd: caller, encoding: 'utf8', env: { PATH: env.PATH, STANDIN_LOG: log }, timeout: 20_000 });
    expect(beside.status).toBe(1);
    expect(beside.stderr).toContain('deploy.sh: missing secret values file secrets/wire-server-secrets/secrets.yaml');
  });

  test('without kubectl on PATH it stops before installing anything, naming it', () => {
    const dir = tempDir('deploy-');
    const out = path.join(dir, 'out');
    synthWithEntryPoints(out, 'edge proxies');
    const secrets = path.join(out, 'secrets');
    for (const s of ['wire-server-secrets/secrets.yaml', ...['', '-red', '-blue'].map((x) => `nginx-ingress-services${x}-tls/tls-values.yaml`)]) {
      fs.mkdirSync(path.dirname(path.join(secrets, s)), { recursive: true });
      fs.writeFileSync(path.join(secrets, s), 'dummy: value\n');
    }
    const { bin, log } = standIns(dir);
    fs.rmSync(path.join(bin, 'kubectl'));
    const run = spawnSync(tools.bash, [path.join(out, 'deploy.sh')], { encoding: 'utf8', env: { PATH: bin, STANDIN_LOG: log }, timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('deploy.sh: kubectl is needed and not found in PATH; nothing was installed\n');
    expect(fs.existsSync(log)).toBe(false);
  });
});

describe('format options are checked', () => {
  test.each([
    [() => ReleaseFormat.helmChart({ backOffLimit: 2.5 }), 'HelmChart backOffLimit 2.5 is not valid: expected a whole number from 0 to 1000'],
    [() => ReleaseFormat.helmChart({ backOffLimit: -1 }), 'HelmChart backOffLimit -1 is not valid: expected a whole number from 0 to 1000'],
    [() => HelmChartFailurePolicy.of('uninstall'), 'HelmChart failurePolicy "uninstall" is not valid: expected "abort", "reinstall" or "retry"'],
    [() => FluxDriftDetection.of('sometimes'), 'Flux driftDetection "sometimes" is not valid: expected "enabled", "warn" or "disabled"'],
    [() => ReleaseFormat.flux({ namespace: 'Flux' }), 'Flux namespace "Flux" is not valid: expected a Kubernetes namespace name (lower-case DNS label)'],
    [() => ReleaseFormat.flux({ interval: 'often' }), 'Flux interval "often" is not valid: expected a duration such as "15m0s" or "1h"'],
    [() => ReleaseFormat.flux({ retries: -1 }), 'Flux retries -1 is not valid: expected a whole number from 0 to 100'],
    [
      () => ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: 'wire-secrets' } }),
      'Argo CD secretValuesRepository.repoURL "wire-secrets" is not valid: expected a git repository URL (https://, ssh:// or git@)',
    ],
    [
      () => ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: 'https://git.example.org/x.git', path: '../up' } }),
      'Argo CD secretValuesRepository.path "../up" is not valid: expected a relative folder such as "wire-secrets"',
    ],
    [() => ReleaseFormat.argoCd({ destinationServer: 'kubernetes' }), 'Argo CD destinationServer "kubernetes" is not valid: expected an https:// URL of a Kubernetes API server'],
    [() => ReleaseFormat.valuesFiles({ secretsFolder: '/etc/wire' }), 'values-files secretsFolder "/etc/wire" is not valid: expected a relative folder such as "secrets"'],
    [() => ReleaseFormat.valuesFiles({ timeout: '15 minutes' }), 'values-files timeout "15 minutes" is not valid: expected a duration such as "15m0s" or "1h"'],
  ])('%#', (make, message) => {
    expect(errorOf(make)).toBe(message);
  });
});

describe('charts from an OCI registry', () => {
  const OCI = 'oci://registry.example.org/wire/charts';
  const props: MultiIngressBackendProps = {
    ...GUIDE,
    wireServerChart: { repository: OCI, version: '5.32.0' },
    webappChart: { repository: OCI, version: '0.8.0-pre.2699' },
    ingressServicesChart: { repository: OCI, version: '5.32.0' },
  };

  test('each format names the chart the way its engine expects', () => {
    const [helmChart] = synth(props).objects;
    expect(helmChart.spec.chart).toBe(`${OCI}/wire-server`);
    expect(helmChart.spec.repo).toBeUndefined();

    const flux = synthIn('flux', props).objects;
    const repos = flux.filter((o) => o.kind === 'HelmRepository');
    expect(repos.map((r) => r.spec)).toEqual([{ url: OCI, interval: '1h', type: 'oci' }]);

    const app = synthIn('argocd', props).objects.find((o) => o.kind === 'Application');
    expect(app.spec.sources[0]).toMatchObject({ repoURL: 'registry.example.org/wire/charts', chart: 'wire-server', targetRevision: '5.32.0' });

    const [wireServer] = helmCommands(synthIn('values', props).files['deploy.sh']);
    expect(wireServer.slice(0, 5)).toEqual(['helm', 'upgrade', '--install', 'wire-server', `${OCI}/wire-server`]);
    expect(wireServer).not.toContain('--repo');
  });

  test('Argo CD: one repository Secret per registry with enableOCI, no credentials, before the Applications; the operator can opt out', () => {
    const objects = synthIn('argocd', props).objects;
    const secrets = objects.filter((o) => o.kind === 'Secret');
    expect(secrets).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: expect.stringMatching(/^[a-z0-9-]{1,63}$/),
          namespace: 'argocd',
          labels: expect.objectContaining({ 'argocd.argoproj.io/secret-type': 'repository' }),
        },
        stringData: { name: expect.any(String), type: 'helm', url: 'registry.example.org/wire/charts', enableOCI: 'true' },
      },
    ]);
    expect(objects.findIndex((o) => o.kind === 'Secret')).toBeLessThan(objects.findIndex((o) => o.kind === 'Application'));
    // charts from an https repository need none
    expect(synthIn('argocd').objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const own = synth({ ...props, releaseFormat: ReleaseFormat.argoCd({ secretValuesRepository: SECRETS_REPO, ociRepositorySecrets: false }) });
    expect(own.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test.each(['helmchart', 'flux', 'argocd'])('%s: the objects still validate', (format) => {
    expect(validateObjects(synthIn(format, props).objects)).toEqual([]);
  });
});

describe('entry points validate too', () => {
  test.each(['helmchart', 'flux', 'argocd'])('%s: releases, load balancer Services and in-cluster edge proxies', (format) => {
    // a domain has one entry point: the load balancers in one deployment, the edge proxies in another
    const objects: any[] = [];
    for (const edgeProxies of [false, true]) {
      const app = Testing.app();
      const wire = new Chart(app, 'wire');
      const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
      new MultiIngressBackend(wire, 'backend', {
        ...GUIDE,
        releaseFormat: FORMATS[format](),
        entryPoints: {
          addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' },
          backendAddress: '192.0.2.1',
          loadBalancer: { enabled: !edgeProxies, sourceRanges: ['0.0.0.0/0'], externalDns: true },
          edgeProxyScope: edgeProxies ? edge : undefined,
        },
      });
      const output = captureWarnings();
      try {
        objects.push(...Testing.synth(wire), ...Testing.synth(edge));
      } finally {
        output.restore();
      }
    }
    expect([...new Set(objects.map((o) => o.kind))]).toEqual(expect.arrayContaining(['Service', 'Deployment', 'ConfigMap']));
    expect(validateObjects(objects)).toEqual([]);
  });
});

describe('keys that are names of JavaScript object properties are values like any other', () => {
  // JSON.parse makes "__proto__" an own key, as a values file read by the command line does
  const base = JSON.parse('{"__proto__": {"polluted": true}, "extra": {"__proto__": [1], "constructor": "c", "toString": {"x": 1}, "hasOwnProperty": null}}');

  test.each(Object.keys(FORMATS))('%s: keeps __proto__, constructor and toString in the emitted values', (format) => {
    const releases = releasesOf(format, synthIn(format, { ...GUIDE, webappValues: base }));
    const values = releases.get('webapp')!.values;
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    // the formats differ in key order only (Flux and Argo CD sort them)
    const sorted = Object.keys(values.extra).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(values.extra[k])}`);
    expect(sorted).toEqual(['"__proto__":[1]', '"constructor":"c"', '"hasOwnProperty":null', '"toString":{"x":1}']);
    expect(({} as any).polluted).toBeUndefined();
  });
});
