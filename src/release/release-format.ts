import { Construct } from 'constructs';
import { HelmChartFormatOptions, HelmChartRenderer } from './helm-chart';
import { ReleaseSpec, RenderedRelease } from './release-spec';

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
   * `spec.valuesContent`, secret values in `spec.valuesSecrets`.
   */
  public static helmChart(options: HelmChartFormatOptions = {}): ReleaseFormat {
    return new ReleaseFormat('helmchart', new HelmChartRenderer(options));
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

  /** Render one release into `scope`. */
  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    return this.renderer.render(scope, id, release);
  }
}
