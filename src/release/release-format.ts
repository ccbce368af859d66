import { Construct } from 'constructs';
import { quote } from '../errors';
import { isDnsLabel } from '../settings';
import { MAX_RELEASE_NAME, RELEASE_NAME_REASON } from '../topology';
import { ArgoCdFormatOptions, ArgoCdRenderer } from './argocd';
import { FluxFormatOptions, FluxRenderer } from './flux';
import { HelmChartFormatOptions, HelmChartRenderer } from './helm-chart';
import { ReleaseSpec, RenderedRelease } from './release-spec';
import { ValuesFilesFormatOptions, ValuesFilesRenderer } from './values-files';

/** Turns a release spec into the Kubernetes objects that deploy it. */
export interface IReleaseRenderer {
  /**
   * Add the objects for one release to `scope`.
   *
   * @param scope where to add them
   * @param id construct id for the release's objects
   * @param release the release
   */
  render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease;
}

/**
 * How Helm releases are deployed: the k3s / RKE2 helm-controller's
 * `HelmChart` by default, or a renderer of your own.
 */
export class ReleaseFormat {
  /**
   * k3s / RKE2 `helm.cattle.io/v1` `HelmChart` objects (the default): one per
   * release, `metadata.name` is the release name, values in
   * `spec.valuesContent`, secret values in `spec.valuesSecrets` (which needs
   * helm-controller v0.16.7: k3s v1.32.4+k3s1, v1.31.8+k3s1, v1.30.12+k3s1,
   * RKE2 v1.32.4+rke2r1, v1.31.8+rke2r1, v1.30.12+rke2r1 or later),
   * `failurePolicy: abort`. A release with secret values also gets a
   * `HelmChartConfig` of the same name that repeats the values, which the
   * helm-controller applies after the secret values: in every format the
   * library's values win over a secret values file. The helm-controller
   * copies both into one Secret, which Kubernetes limits to 1 MiB: a release
   * whose values pass it (wire-server at about 880 domains) is refused; the
   * other formats carry more.
   */
  public static helmChart(options: HelmChartFormatOptions = {}): ReleaseFormat {
    return new ReleaseFormat('helmchart', new HelmChartRenderer(options));
  }

  /**
   * Flux: one `helm.toolkit.fluxcd.io/v2` `HelmRelease` per release and one
   * `source.toolkit.fluxcd.io/v1` `HelmRepository` per chart repository;
   * secret values through `valuesFrom` Secrets; wire-server and webapp are
   * `dependsOn` of the ingress releases.
   */
  public static flux(options: FluxFormatOptions = {}): ReleaseFormat {
    return new ReleaseFormat('flux', new FluxRenderer(options));
  }

  /**
   * Argo CD (2.8 or later): one `argoproj.io/v1alpha1` `Application` per
   * release, values in `helm.valuesObject`, the resources finalizer, sync
   * waves that put wire-server and webapp before the ingress releases. The
   * sync waves order nothing unless a parent application ("app of apps")
   * syncs these Applications. Argo CD cannot read values from a Secret:
   * releases with secret values read them, as plain files, from the git
   * repository given as `secretValuesRepository`.
   */
  public static argoCd(options: ArgoCdFormatOptions = {}): ReleaseFormat {
    return new ReleaseFormat('argocd', new ArgoCdRenderer(options));
  }

  /**
   * Plain values files in the guide's layout (`values/wire-server/values.yaml`,
   * `values/webapp/values.yaml`, `values/nginx-ingress-services/<name>-values.yaml`)
   * and a `deploy.sh` with the `helm upgrade --install` commands in order
   * (secret values files first, the library's values file last), then
   * `kubectl apply -f` of the app's manifest files that hold objects (load
   * balancer Services, edge proxies), written by `WireApp`; the releases are
   * no Kubernetes objects.
   */
  public static valuesFiles(options: ValuesFilesFormatOptions = {}): ReleaseFormat {
    return new ReleaseFormat('values', new ValuesFilesRenderer(options));
  }

  /** A release format of your own. */
  public static custom(name: string, renderer: IReleaseRenderer): ReleaseFormat {
    return new ReleaseFormat(name, renderer);
  }

  /**
   * @param name short name of the format, e.g. `helmchart`
   * @param renderer what renders each release
   */
  private constructor(public readonly name: string, private readonly renderer: IReleaseRenderer) {}

  /**
   * Why the format cannot render these releases (for example Argo CD without
   * a secrets repository for releases with secret values); empty when it can.
   * The constructs ask before they create anything.
   */
  public problems(releases: ReleaseSpec[]): string[] {
    const names = releases.map(releaseNameProblem).filter((p): p is string => p !== undefined);
    const check = (this.renderer as { problems?: (r: ReleaseSpec[]) => string[] }).problems;
    return [...names, ...(typeof check === 'function' ? check.call(this.renderer, releases) : [])];
  }

  /**
   * Namespaces the deployment engine runs in, which exist wherever it does
   * (`kube-system` for HelmChart, `flux-system` for Flux, the Argo CD
   * namespace): no `Namespace` object is emitted for them.
   */
  public engineNamespaces(): string[] {
    const own = (this.renderer as { engineNamespaces?: () => string[] }).engineNamespaces;
    return typeof own === 'function' ? [...own.call(this.renderer)] : [];
  }

  /** Render one release into `scope`. */
  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    const problem = releaseNameProblem(release);
    if (problem !== undefined) {
      throw new Error(problem);
    }
    return this.renderer.render(scope, id, release);
  }
}

/** Why a release's name cannot be used, if it cannot: the same limit in every format. */
function releaseNameProblem(release: ReleaseSpec): string | undefined {
  const name = release?.releaseName;
  if (typeof name === 'string' && name.length <= MAX_RELEASE_NAME && isDnsLabel(name)) {
    return undefined;
  }
  return `release name ${quote(name)} is not valid: expected a lower-case DNS label of ${RELEASE_NAME_REASON}`;
}
