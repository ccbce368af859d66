/**
 * How each engine hands a release to helm, reproduced from what the library
 * emitted: which chart, which release name and namespace, and which values
 * files in which order (later files win in helm). The facts are those of
 * ../shared/reference/engines.md, read in each engine's source:
 *
 * - k3s/RKE2 helm-controller: the HelmChart's `valuesContent`
 *   (values-0-000), its `spec.values` (values-0-001), each key of each
 *   `valuesSecrets` entry in order (values-0-002...), then the HelmChartConfig
 *   of the same name: its `valuesContent` (values-1-000), `values`
 *   (values-1-001) and `valuesSecrets` (values-1-002...); klipper-helm passes
 *   them sorted by file name (helm-controller chart.go setValuesSecret).
 * - Flux: each `valuesFrom` entry in order, then the inline `values` last.
 * - Argo CD: each `helm.valueFiles` entry in order, then `helm.valuesObject`
 *   last (valuesObject > valueFiles).
 * - deploy.sh: the `--values` options in the order the script passes them.
 */
import { parseAllDocuments } from 'yaml';
import { ExpectedSecret } from '../../src';
import { Emitted } from '../util';

/** One values layer: where it comes from and its content (YAML or JSON). */
export interface ValuesLayer {
  readonly source: string;
  readonly content: string;
}

/** One `helm template` an engine would run. */
export interface EngineRelease {
  readonly releaseName: string;
  readonly chart: string;
  readonly namespace: string;
  readonly layers: ValuesLayer[];
}

/** The content of a secret values file the operator provides, by the expected secret it answers. */
export type SecretContent = (secret: ExpectedSecret) => string;

export type FormatName = 'helmchart' | 'flux' | 'argocd' | 'values';

/** Every release of an emitted deployment as its format's engine runs helm for it. */
export function engineReleases(format: FormatName, emitted: Emitted, secretContent: SecretContent): EngineRelease[] {
  const expected = emitted.backend.expectedSecrets;
  const secret = (match: (s: ExpectedSecret) => boolean, what: string): ValuesLayer => {
    const found = expected.filter(match);
    if (found.length !== 1) throw new Error(`${format}: ${what} matches ${found.length} expected secrets`);
    return { source: what, content: secretContent(found[0]) };
  };
  const objects = (kind: string) => emitted.objects.filter((o) => o.kind === kind);
  switch (format) {
    case 'helmchart': {
      const configs = new Map(objects('HelmChartConfig').map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c]));
      const layersOf = (spec: any, ns: string, what: string): ValuesLayer[] => [
        ...(spec.valuesContent ? [{ source: `${what} valuesContent`, content: spec.valuesContent }] : []),
        ...(spec.values && Object.keys(spec.values).length > 0 ? [{ source: `${what} values`, content: JSON.stringify(spec.values) }] : []),
        ...(spec.valuesSecrets ?? []).flatMap((s: any) =>
          (s.keys ?? []).map((k: string) => secret((e) => e.namespace === ns && e.name === s.name && e.key === k, `Secret ${ns}/${s.name} key ${k}`)),
        ),
      ];
      return objects('HelmChart').map((o) => {
        const config = configs.get(`${o.metadata.namespace}/${o.metadata.name}`);
        return {
          releaseName: o.metadata.name,
          chart: String(o.spec.chart).split('/').pop()!,
          namespace: o.spec.targetNamespace,
          layers: [...layersOf(o.spec, o.metadata.namespace, 'HelmChart'), ...(config ? layersOf(config.spec, o.metadata.namespace, 'HelmChartConfig') : [])],
        };
      });
    }
    case 'flux':
      return objects('HelmRelease').map((o) => ({
        releaseName: o.spec.releaseName,
        chart: o.spec.chart.spec.chart,
        namespace: o.spec.targetNamespace,
        layers: [
          ...(o.spec.valuesFrom ?? []).map((v: any) => {
            if (v.kind !== 'Secret') throw new Error(`flux: valuesFrom of kind ${v.kind} is not reproduced by the render test`);
            return secret((e) => e.namespace === o.metadata.namespace && e.name === v.name && e.key === (v.valuesKey ?? 'values.yaml'), `Secret ${v.name} key ${v.valuesKey}`);
          }),
          ...(o.spec.values ? [{ source: 'HelmRelease values', content: JSON.stringify(o.spec.values) }] : []),
        ],
      }));
    case 'argocd':
      return objects('Application').map((o) => {
        const sources: any[] = o.spec.sources ?? [o.spec.source];
        const chartSource = sources.find((s) => s.chart !== undefined);
        const refs = new Map(sources.filter((s) => s.ref !== undefined).map((s) => [s.ref, s.repoURL]));
        return {
          releaseName: chartSource.helm.releaseName,
          chart: chartSource.chart,
          namespace: o.spec.destination.namespace,
          layers: [
            ...(chartSource.helm.valueFiles ?? []).map((f: string) => {
              const m = /^\$([^/]+)\/(.+)$/.exec(f);
              if (!m || !refs.has(m[1])) throw new Error(`argocd: value file ${f} is not a $ref file of a source of the application`);
              return secret((e) => e.repository === refs.get(m[1]) && e.file === m[2], `${m[1]} file ${m[2]}`);
            }),
            ...(chartSource.helm.valuesObject ? [{ source: 'Application valuesObject', content: JSON.stringify(chartSource.helm.valuesObject) }] : []),
          ],
        };
      });
    case 'values':
      return deployScriptReleases(emitted.files['deploy.sh']).map((args) => ({
        releaseName: args.release,
        chart: args.chart,
        namespace: args.namespace,
        layers: args.values.map((f) => {
          const m = /^"\$SECRETS_DIR"\/(.+)$/.exec(f);
          if (m) return secret((e) => e.file !== undefined && e.file.endsWith(`/${m[1]}`) && `${e.name}/${e.key}` === m[1], `secret file ${m[1]}`);
          if (emitted.files[f] === undefined) throw new Error(`deploy.sh passes ${f}, which was not written`);
          return { source: f, content: emitted.files[f] };
        }),
      }));
  }
}

/** The `helm upgrade --install` commands of a deploy.sh, in order. */
export function deployScriptReleases(script: string): Array<{ release: string; chart: string; namespace: string; values: string[] }> {
  return script
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.startsWith('helm upgrade --install '))
    .map((l) => {
      const args = l.split(/\s+/).map((a) => (/^'.*'$/.test(a) ? a.slice(1, -1) : a));
      const opt = (name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
      return { release: args[3], chart: args[4].split('/').pop()!, namespace: opt('--namespace')[0], values: opt('--values') };
    });
}

/** Parse every document of helm's output (skipping empty ones). */
export function parseManifests(text: string): any[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${d.errors[0].message}`);
      return d.toJSON();
    })
    .filter((d) => d !== null && typeof d === 'object');
}
