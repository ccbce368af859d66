import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { quote } from '../errors';
import { isDnsLabel } from '../settings';
import { RELEASE_LABELS, ReleaseObject, ReleaseOrder, checkDuration, isOciRepository, repositoryObjectName, setHelmValues, secretsInNamespace } from './common';
import { ReleaseSpec, RenderedRelease } from './release-spec';

/**
 * What Flux's helm-controller does when the cluster differs from what a
 * release installed (`spec.driftDetection.mode` of a HelmRelease, since Flux
 * v2.2).
 */
export class FluxDriftDetection {
  /** Detect changes made to the release's objects and undo them (upgrade back to the release). */
  public static enabled(): FluxDriftDetection {
    return new FluxDriftDetection('enabled');
  }

  /** Detect changes and report them as events, without undoing them. */
  public static warn(): FluxDriftDetection {
    return new FluxDriftDetection('warn');
  }

  /** No drift detection (Flux's own default). */
  public static disabled(): FluxDriftDetection {
    return new FluxDriftDetection('disabled');
  }

  /** The mode by its name in the API: `enabled`, `warn` or `disabled`. */
  public static of(mode: string): FluxDriftDetection {
    if (mode !== 'enabled' && mode !== 'warn' && mode !== 'disabled') {
      throw new Error(`Flux driftDetection ${quote(mode)} is not valid: expected "enabled", "warn" or "disabled"`);
    }
    return new FluxDriftDetection(mode);
  }

  /** @param mode the value of `spec.driftDetection.mode` */
  private constructor(public readonly mode: string) {}
}

/**
 * The label that makes Flux reconcile a HelmRelease as soon as a `valuesFrom`
 * Secret carrying it changes (otherwise only at the next interval).
 */
export const FLUX_WATCH_LABEL: { [key: string]: string } = { 'reconcile.fluxcd.io/watch': 'Enabled' };

/** Options of the Flux release format. */
export interface FluxFormatOptions {
  /**
   * Namespace of the `HelmRelease` and `HelmRepository` objects. Flux reads
   * `valuesFrom` Secrets from this namespace, so the Secrets the operator
   * creates go here too.
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;

  /**
   * How often Flux reconciles each release.
   *
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * How often Flux fetches the chart repositories' indexes.
   *
   * @default '1h'
   */
  readonly repositoryInterval?: string;

  /**
   * Timeout of each Helm operation (wire-server's database migrations take a
   * while; the guide uses 15 minutes).
   *
   * @default '15m0s'
   */
  readonly timeout?: string;

  /**
   * How many times Flux retries a failed install or upgrade (rolling back a
   * failed upgrade first).
   *
   * @default 3
   */
  readonly retries?: number;

  /**
   * Let Flux create the target namespace.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Drift detection of each HelmRelease (`spec.driftDetection.mode`):
   * `enabled` undoes changes made by hand to the releases' objects, `warn`
   * only reports them. Needs Flux v2.2 or later.
   *
   * @default - not set: Flux's default, disabled
   */
  readonly driftDetection?: FluxDriftDetection;
}

/**
 * Renders releases as Flux `helm.toolkit.fluxcd.io/v2` `HelmRelease`s, with
 * one `source.toolkit.fluxcd.io/v1` `HelmRepository` per chart repository.
 */
export class FluxRenderer {
  private readonly namespace: string;
  private readonly interval: string;
  private readonly repositoryInterval: string;
  private readonly timeout: string;
  private readonly retries: number;
  private readonly createNamespace: boolean;
  private readonly driftDetection?: FluxDriftDetection;
  private readonly order = new ReleaseOrder();
  private readonly repositories = new WeakMap<Chart, Map<string, { url: string; object: ApiObject }>>();

  public constructor(options: FluxFormatOptions = {}) {
    this.namespace = options.namespace ?? 'flux-system';
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`Flux namespace ${quote(this.namespace)} is not valid: expected a Kubernetes namespace name (lower-case DNS label)`);
    }
    this.interval = checkDuration('Flux interval', options.interval ?? '10m');
    this.repositoryInterval = checkDuration('Flux repositoryInterval', options.repositoryInterval ?? '1h');
    this.timeout = checkDuration('Flux timeout', options.timeout ?? '15m0s');
    this.retries = options.retries ?? 3;
    if (!Number.isInteger(this.retries) || this.retries < 0 || this.retries > 100) {
      throw new Error(`Flux retries ${quote(this.retries)} is not valid: expected a whole number from 0 to 100`);
    }
    this.createNamespace = options.createNamespace ?? true;
    if (options.driftDetection !== undefined && !(options.driftDetection instanceof FluxDriftDetection)) {
      throw new Error(`Flux driftDetection ${quote(options.driftDetection)} is not valid: expected FluxDriftDetection.enabled(), .warn() or .disabled()`);
    }
    this.driftDetection = options.driftDetection;
  }

  /** Why `releases` cannot be rendered together, if they cannot. */
  public problems(releases: ReleaseSpec[]): string[] {
    const urls = new Map<string, string>();
    const problems: string[] = [];
    for (const { repository } of releases) {
      const name = repositoryObjectName(repository);
      const seen = urls.get(name);
      if (seen === undefined) {
        urls.set(name, repository);
      } else if (seen !== repository) {
        problems.push(repositoryClash(seen, repository, name));
      }
    }
    return problems;
  }

  /** Flux runs in flux-system (HelmReleases in another namespace need it emitted). */
  public engineNamespaces(): string[] {
    return ['flux-system'];
  }

  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    const repository = this.repository(scope, release.repository);
    const { dependsOn } = this.order.add(scope, release);
    const helmRelease = new ReleaseObject(scope, id, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: release.releaseName, namespace: this.namespace, labels: { ...RELEASE_LABELS } },
      spec: {
        interval: this.interval,
        releaseName: release.releaseName,
        targetNamespace: release.targetNamespace,
        // Helm's release records live beside the release, as with `helm upgrade --install -n <ns>`
        storageNamespace: release.targetNamespace,
        chart: {
          spec: {
            chart: release.chart,
            version: release.version,
            sourceRef: { kind: 'HelmRepository', name: repository.name, namespace: this.namespace },
          },
        },
        timeout: this.timeout,
        install: { createNamespace: this.createNamespace, remediation: { retries: this.retries } },
        upgrade: { remediation: { retries: this.retries, remediateLastFailure: true } },
        driftDetection: this.driftDetection === undefined ? undefined : { mode: this.driftDetection.mode },
        dependsOn: dependsOn.length === 0 ? undefined : dependsOn.map((name) => ({ name, namespace: this.namespace })),
        valuesFrom:
          release.secretValues.length === 0
            ? undefined
            : release.secretValues.map((s) => ({ kind: 'Secret', name: s.secretName, valuesKey: s.key })),
      },
    });
    setHelmValues(helmRelease, '/spec/values', release.values);
    helmRelease.addDependency(repository); // the source is applied first
    return {
      objects: [helmRelease],
      // labelled, a changed Secret is applied at once instead of at the next interval
      expectedSecrets: secretsInNamespace(this.namespace, release).map((s) => ({ ...s, labels: { ...FLUX_WATCH_LABEL } })),
    };
  }

  /** The HelmRepository for `url` in the chart of `scope`, created on first use. */
  private repository(scope: Construct, url: string): ApiObject {
    const chart = Chart.of(scope);
    let known = this.repositories.get(chart);
    if (!known) {
      known = new Map();
      this.repositories.set(chart, known);
    }
    const name = repositoryObjectName(url);
    const existing = known.get(name);
    if (existing && existing.url !== url) {
      throw new Error(repositoryClash(existing.url, url, name));
    }
    if (existing) {
      return existing.object;
    }
    const object = new ReleaseObject(chart, `FluxHelmRepository-${this.namespace}-${name}`, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name, namespace: this.namespace, labels: { ...RELEASE_LABELS } },
      spec: { url, interval: this.repositoryInterval, type: isOciRepository(url) ? 'oci' : undefined },
    });
    known.set(name, { url, object });
    return object;
  }
}

function repositoryClash(a: string, b: string, name: string): string {
  return `chart repositories ${quote(a)} and ${quote(b)} would both be the Flux HelmRepository ${quote(name)}: use one spelling of the repository URL`;
}
