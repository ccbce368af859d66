/**
 * The Helm releases of a synthesis, read back from what each format writes:
 * HelmChart (`valuesContent`), Flux HelmRelease (`values`), Argo CD
 * Application (`helm.valuesObject`), values files and `deploy.sh`. Values are
 * parsed only when asked for, once per distinct text.
 */
import { readOwnYaml } from './read-yaml';
import { Snapshot } from './snapshot';

/** The YAML library, loaded when first needed (a synth into a new folder reads no YAML). */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** The release formats the plan reads. */
export const FORMAT_HELMCHART = 'helmchart';
export const FORMAT_FLUX = 'flux';
export const FORMAT_ARGOCD = 'argocd';
export const FORMAT_VALUES = 'values';

/** One release as deployed by one synthesis. */
export interface ReleaseRecord {
  readonly name: string;
  readonly format: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly targetNamespace: string;
  /** Namespace of the object that deploys it (HelmChart, HelmRelease, Application); `''` for deploy.sh. */
  readonly objectNamespace: string;
  /** The values text (`valuesContent`, a values file) or data (Flux, Argo CD), to compare cheaply. */
  readonly valuesSource: unknown;
  /** Secret values it reads, as the operator creates them. */
  readonly secrets: readonly string[];
  /** Key of the object that deploys it; none for deploy.sh. */
  readonly objectKey?: string;
}

const parsedText = new Map<string, any>();

/** The values of a release, parsed once per text. */
export function valuesOf(r: ReleaseRecord): any {
  const src = r.valuesSource;
  if (typeof src !== 'string') return src ?? {};
  let v = parsedText.get(src);
  if (v === undefined) {
    v = readOwnYaml(src) ?? yaml().parse(src, { uniqueKeys: false }) ?? {};
    if (parsedText.size > 10000) parsedText.clear();
    parsedText.set(src, v);
  }
  return v;
}

/** Forget parsed values (between plans). */
export function forgetParsedValues(): void {
  parsedText.clear();
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}

/** The Secret references of a Secret name and its keys. */
function secretKeys(ns: string, name: unknown, keys: unknown): string[] {
  const list = Array.isArray(keys) && keys.length > 0 ? keys.map((k) => str(k)) : [''];
  return list.map((k) => `Secret ${ns}/${str(name)}${k === '' ? '' : ` key ${k}`}`);
}

function fromHelmChart(o: any): ReleaseRecord {
  const ns = str(o.metadata?.namespace);
  const spec = o.spec ?? {};
  const secrets = (Array.isArray(spec.valuesSecrets) ? spec.valuesSecrets : []).flatMap((s: any) => secretKeys(ns, s?.name, s?.keys));
  return {
    name: str(o.metadata?.name),
    format: FORMAT_HELMCHART,
    chart: str(spec.chart),
    version: str(spec.version),
    repository: str(spec.repo),
    targetNamespace: str(spec.targetNamespace, 'default'),
    objectNamespace: ns,
    valuesSource: typeof spec.valuesContent === 'string' ? spec.valuesContent : '',
    secrets,
  };
}

function fromHelmRelease(o: any, repositories: Map<string, string>): ReleaseRecord {
  const ns = str(o.metadata?.namespace);
  const spec = o.spec ?? {};
  const chart = spec.chart?.spec ?? {};
  const source = chart.sourceRef ?? {};
  const secrets = (Array.isArray(spec.valuesFrom) ? spec.valuesFrom : [])
    .filter((s: any) => s?.kind === 'Secret')
    .flatMap((s: any) => secretKeys(ns, s?.name, [str(s?.valuesKey, 'values.yaml')]));
  return {
    name: str(spec.releaseName, str(o.metadata?.name)),
    format: FORMAT_FLUX,
    chart: str(chart.chart),
    version: str(chart.version),
    repository: repositories.get(`${str(source.namespace, ns)}/${str(source.name)}`) ?? str(source.name),
    targetNamespace: str(spec.targetNamespace, ns),
    objectNamespace: ns,
    valuesSource: spec.values ?? {},
    secrets,
  };
}

function fromApplication(o: any): ReleaseRecord {
  const ns = str(o.metadata?.namespace);
  const spec = o.spec ?? {};
  const sources: any[] = Array.isArray(spec.sources) ? spec.sources : spec.source ? [spec.source] : [];
  const chart = sources.find((s) => s?.chart !== undefined) ?? {};
  const refs = new Map<string, string>(sources.filter((s) => typeof s?.ref === 'string').map((s) => [s.ref, str(s.repoURL)]));
  const secrets = (Array.isArray(chart.helm?.valueFiles) ? chart.helm.valueFiles : []).map((f: unknown) => {
    const file = str(f);
    const m = /^\$([^/]+)\/(.*)$/.exec(file);
    return m ? `values file ${m[2]} in ${refs.get(m[1]) ?? `$${m[1]}`}` : `values file ${file}`;
  });
  return {
    name: str(chart.helm?.releaseName, str(o.metadata?.name)),
    format: FORMAT_ARGOCD,
    chart: str(chart.chart),
    version: str(chart.targetRevision),
    repository: str(chart.repoURL),
    targetNamespace: str(spec.destination?.namespace),
    objectNamespace: ns,
    valuesSource: chart.helm?.valuesObject ?? {},
    secrets,
  };
}

/** The releases `deploy.sh` of the values-files format installs, with their values files. */
function fromDeployScript(script: string, files: ReadonlyMap<string, string>): ReleaseRecord[] {
  const joined = script.replace(/\\\n\s*/g, ' ');
  const releases: ReleaseRecord[] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*helm upgrade --install (\S+) (\S+)(.*)$/.exec(line);
    if (!m) continue;
    const tokens = m[3].trim().split(/\s+/);
    const option = (flag: string): string[] => tokens.flatMap((t, i) => (t === flag && i + 1 < tokens.length ? [tokens[i + 1]] : []));
    const valueFiles = option('--values');
    const own = valueFiles.filter((f) => !f.startsWith('"$SECRETS_DIR"') && !f.startsWith('$SECRETS_DIR'));
    const secrets = valueFiles.filter((f) => !own.includes(f)).map((f) => `values file ${f.replace(/^"\$SECRETS_DIR"/, '$SECRETS_DIR')}`);
    const chartRef = m[2];
    releases.push({
      name: m[1],
      format: FORMAT_VALUES,
      chart: chartRef.slice(chartRef.lastIndexOf('/') + 1),
      version: option('--version')[0] ?? '',
      repository: option('--repo')[0] ?? chartRef.slice(0, Math.max(0, chartRef.lastIndexOf('/'))),
      targetNamespace: option('--namespace')[0] ?? 'default',
      objectNamespace: '',
      valuesSource: own.length > 0 ? files.get(own[0]) ?? '' : '',
      secrets,
    });
  }
  return releases;
}

/** Every release of a synthesis, by release name (the first one wins if a name repeats). */
export function releasesOf(s: Snapshot): Map<string, ReleaseRecord> {
  const repositories = new Map<string, string>();
  for (const o of s.objects.values()) {
    if (o.data?.kind === 'HelmRepository') repositories.set(`${str(o.data.metadata?.namespace)}/${str(o.data.metadata?.name)}`, str(o.data.spec?.url));
  }
  const found: ReleaseRecord[] = [];
  for (const o of s.objects.values()) {
    const group = str(o.data?.apiVersion).split('/')[0];
    if (o.data?.kind === 'HelmChart' && group === 'helm.cattle.io') found.push({ ...fromHelmChart(o.data), objectKey: o.key });
    else if (o.data?.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') found.push({ ...fromHelmRelease(o.data, repositories), objectKey: o.key });
    else if (o.data?.kind === 'Application' && group === 'argoproj.io') found.push({ ...fromApplication(o.data), objectKey: o.key });
  }
  const script = s.files.get('deploy.sh');
  if (script !== undefined) found.push(...fromDeployScript(script, s.files));
  const releases = new Map<string, ReleaseRecord>();
  for (const r of found) if (!releases.has(r.name)) releases.set(r.name, r);
  return releases;
}

/** The Secrets read by objects that are not releases (the edge proxies' certificates). */
export function mountedSecretsOf(s: Snapshot): string[] {
  const found: string[] = [];
  for (const o of s.objects.values()) {
    const volumes = o.data?.spec?.template?.spec?.volumes;
    if (!Array.isArray(volumes)) continue;
    const ns = str(o.data.metadata?.namespace);
    for (const v of volumes) {
      if (typeof v?.secret?.secretName === 'string') found.push(`Secret ${ns}/${v.secret.secretName}`);
    }
  }
  return found;
}
