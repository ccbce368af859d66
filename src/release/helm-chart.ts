import { Construct } from 'constructs';
import { quote } from '../errors';
import { RELEASE_LABELS, ReleaseObject, checkDuration, isOciRepository, ociChartReference, secretsInNamespace } from './common';
import { ReleaseSpec, RenderedRelease } from './release-spec';
import { HelmChart, HelmChartProps, HelmChartSpecFailurePolicy } from '../imports/helm.cattle.io';
import { helmChartValuesProblem } from '../limits';
import { isDnsLabel } from '../settings';
import { toYamlRendering } from '../values/yaml';

/**
 * What the k3s / RKE2 helm-controller does when an install or upgrade fails
 * (`spec.failurePolicy` of a `HelmChart`).
 */
export class HelmChartFailurePolicy {
  /**
   * Leave the failed release as it is, for the operator to resolve (the
   * library's default). Since helm-controller v0.12.0.
   */
  public static abort(): HelmChartFailurePolicy {
    return new HelmChartFailurePolicy('abort');
  }

  /**
   * Uninstall the release (`helm uninstall`) and install it again: the
   * helm-controller's own default. For wire-server this removes the running
   * messaging backend on every failed upgrade, e.g. a failed database
   * migration; choose it only where an outage is acceptable.
   */
  public static reinstall(): HelmChartFailurePolicy {
    return new HelmChartFailurePolicy('reinstall');
  }

  /**
   * Keep the release and try the install or upgrade again whenever the
   * chart's configuration changes. Since helm-controller v0.17.6 (older
   * versions refuse the value).
   */
  public static retry(): HelmChartFailurePolicy {
    return new HelmChartFailurePolicy('retry');
  }

  /**
   * The policy by its name in the CRD: `abort`, `reinstall` or `retry`.
   */
  public static of(name: string): HelmChartFailurePolicy {
    if (name !== 'abort' && name !== 'reinstall' && name !== 'retry') {
      throw new Error(`HelmChart failurePolicy ${quote(name)} is not valid: expected "abort", "reinstall" or "retry"`);
    }
    return new HelmChartFailurePolicy(name);
  }

  /** @param value the value of `spec.failurePolicy` */
  private constructor(public readonly value: string) {}
}

/** The Job retries of each HelmChart by default: see `HelmChartFormatOptions.backOffLimit`. */
const BACK_OFF_LIMIT = 3;

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

  /**
   * What the helm-controller does when an install or upgrade fails. Its own
   * default, `reinstall`, uninstalls the release and installs it again (for
   * wire-server: an outage on every failed upgrade); the library asks for
   * `abort` (helm-controller v0.12.0 and later), which leaves the failed
   * release for the operator. `retry` needs helm-controller v0.17.6.
   *
   * @default HelmChartFailurePolicy.abort()
   */
  readonly failurePolicy?: HelmChartFailurePolicy;

  /**
   * How many times the Job that runs helm for a HelmChart is retried before
   * it is marked failed (`spec.backOffLimit`; the helm-controller's own
   * default is 1000). A few retries cover passing faults such as a chart
   * repository that did not answer, with the Job's growing delay between
   * pods (10 s, 20 s, 40 s); a real failure is reported within minutes
   * instead of being run again for hours.
   *
   * @default 3
   */
  readonly backOffLimit?: number;
}

/** Renders releases as `helm.cattle.io/v1` `HelmChart` objects. */
export class HelmChartRenderer {
  private readonly namespace: string;
  private readonly createNamespace: boolean;
  private readonly timeout: string;
  private readonly failurePolicy: HelmChartFailurePolicy;
  private readonly backOffLimit: number;

  public constructor(options: HelmChartFormatOptions = {}) {
    this.namespace = options.namespace ?? 'kube-system';
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`HelmChart namespace ${quote(this.namespace)} is not valid: expected a Kubernetes namespace name (lower-case DNS label)`);
    }
    this.createNamespace = options.createNamespace ?? true;
    this.timeout = checkDuration('HelmChart timeout', options.timeout ?? '15m0s');
    const policy = options.failurePolicy ?? HelmChartFailurePolicy.abort();
    if (!(policy instanceof HelmChartFailurePolicy)) {
      throw new Error(`HelmChart failurePolicy ${quote(policy)} is not valid: expected HelmChartFailurePolicy.abort(), .reinstall() or .retry()`);
    }
    this.failurePolicy = policy;
    this.backOffLimit = options.backOffLimit ?? BACK_OFF_LIMIT;
    if (!Number.isInteger(this.backOffLimit) || this.backOffLimit < 0 || this.backOffLimit > 1000) {
      throw new Error(`HelmChart backOffLimit ${quote(this.backOffLimit)} is not valid: expected a whole number from 0 to 1000`);
    }
  }

  /** The helm-controller runs in kube-system. */
  public engineNamespaces(): string[] {
    return ['kube-system'];
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
        failurePolicy: this.failurePolicy.value as HelmChartSpecFailurePolicy,
        backOffLimit: this.backOffLimit,
        valuesContent: toYamlRendering(release.values),
        valuesSecrets:
          release.secretValues.length === 0
            ? undefined
            : release.secretValues.map((s) => ({ name: s.secretName, keys: [s.key], ignoreUpdates: false })),
      },
    };
    // the HelmChartConfig below repeats the values when there are secret values: the Secret holds both
    const copies = release.secretValues.length > 0 ? 2 : 1;
    const problem = helmChartValuesProblem(release.releaseName, Buffer.byteLength(props.spec!.valuesContent!), copies);
    if (problem !== undefined) {
      throw new Error(problem);
    }
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
