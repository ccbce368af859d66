import { Construct } from 'constructs';
import { quote } from '../errors';
import { RELEASE_LABELS, ReleaseObject, checkDuration, isOciRepository, ociChartReference, secretsInNamespace } from './common';
import { ReleaseSpec, RenderedRelease } from './release-spec';
import { HelmChart, HelmChartProps } from '../imports/helm.cattle.io';
import { isDnsLabel } from '../settings';
import { toYamlRendering } from '../values/yaml';

/** Options of the k3s / RKE2 `HelmChart` release format. */
export interface HelmChartFormatOptions {
  /**
   * Namespace of the `HelmChart` objects. The helm-controller reads
   * `valuesSecrets` from this namespace, so the Secrets the operator creates
   * go here too.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;

  /**
   * Let the helm-controller create the target namespace.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Timeout of each Helm operation (wire-server's database migrations take a
   * while; the guide uses 15 minutes).
   *
   * @default '15m0s'
   */
  readonly timeout?: string;
}

/** Renders releases as `helm.cattle.io/v1` `HelmChart` objects. */
export class HelmChartRenderer {
  private readonly namespace: string;
  private readonly createNamespace: boolean;
  private readonly timeout: string;

  public constructor(options: HelmChartFormatOptions = {}) {
    this.namespace = options.namespace ?? 'kube-system';
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`HelmChart namespace ${quote(this.namespace)} is not valid: expected a Kubernetes namespace name (lower-case DNS label)`);
    }
    this.createNamespace = options.createNamespace ?? true;
    this.timeout = checkDuration('HelmChart timeout', options.timeout ?? '15m0s');
  }

  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    // typed by the CRD's generated props, emitted as a plain ApiObject: the generated class only
    // re-maps the same keys in toJson(), which costs a tenth of a synth at thousands of releases
    const props: HelmChartProps = {
      metadata: {
        name: release.releaseName,
        namespace: this.namespace,
        labels: { ...RELEASE_LABELS },
      },
      spec: {
        // the helm-controller takes an OCI chart as a full reference, without a repo
        chart: isOciRepository(release.repository) ? ociChartReference(release.repository, release.chart) : release.chart,
        repo: isOciRepository(release.repository) ? undefined : release.repository,
        version: release.version,
        targetNamespace: release.targetNamespace,
        createNamespace: this.createNamespace,
        timeout: this.timeout,
        valuesContent: toYamlRendering(release.values),
        valuesSecrets:
          release.secretValues.length === 0
            ? undefined
            : release.secretValues.map((s) => ({ name: s.secretName, keys: [s.key], ignoreUpdates: false })),
      },
    };
    const chart = new ReleaseObject(scope, id, { ...HelmChart.GVK, ...props });
    const objects: ReleaseObject[] = [chart];
    if (release.secretValues.length > 0) {
      // The helm-controller passes the HelmChart's valuesContent, then its valuesSecrets, then the
      // valuesContent of the HelmChartConfig of the same name and namespace (chart.go setValuesSecret:
      // values-0-000, values-0-002..., values-1-000). Repeating the values there applies them after the
      // secret values, so the library's values win over a secret values file as in every other format
      // (Flux merges inline values last, Argo CD ranks valuesObject above valueFiles).
      objects.push(
        new ReleaseObject(scope, `${id}-config`, {
          apiVersion: 'helm.cattle.io/v1',
          kind: 'HelmChartConfig',
          metadata: { name: release.releaseName, namespace: this.namespace, labels: { ...RELEASE_LABELS } },
          spec: { valuesContent: props.spec!.valuesContent },
        }),
      );
    }
    return {
      objects,
      expectedSecrets: secretsInNamespace(this.namespace, release),
    };
  }
}
