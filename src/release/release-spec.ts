import { ApiObject } from 'cdk8s';

/** Secret values a release reads from a Secret the operator creates. */
export interface SecretValuesReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key in the Secret whose content is a Helm values file. */
  readonly key: string;
  /** What the values file must contain, in the operator's words. */
  readonly description: string;
}

/** One Helm release, independent of how it is deployed. */
export interface ReleaseSpec {
  /** Helm release name (at most 50 characters in every format: the k3s / RKE2 helm-controller names its Job `helm-install-<release>`). */
  readonly releaseName: string;
  /** Chart name, e.g. `wire-server`. */
  readonly chart: string;
  /** Chart repository URL. */
  readonly repository: string;
  /** Exact chart version. */
  readonly version: string;
  /** Namespace the release is installed into (the wire-server namespace). */
  readonly targetNamespace: string;
  /** Helm values, without any secret material. */
  readonly values: { [key: string]: any };
  /** Secret values files the release reads, in order, after `values`. */
  readonly secretValues: SecretValuesReference[];

  /**
   * Releases (by release name) that must be installed before this one; the
   * formats turn this into Flux `dependsOn`, Argo CD sync waves or the order
   * of `deploy.sh`. Releases that are not rendered with the same format in
   * the same chart are ignored.
   *
   * @default - none
   */
  readonly dependsOn?: string[];
}

/**
 * Secret values the operator must provide before the release can install:
 * a Kubernetes Secret (HelmChart, Flux) or a values file (Argo CD's secrets
 * repository, `deploy.sh` of the values-files format).
 */
export interface ExpectedSecret {
  /**
   * Namespace of the Secret.
   *
   * @default - not a Secret: a values file, see `file`
   */
  readonly namespace?: string;
  /** Name of the Secret (for a values file: the name it stands for). */
  readonly name: string;
  /** Key whose content is a Helm values file. */
  readonly key: string;
  /**
   * Path of the values file, for formats that read files instead of Secrets:
   * relative to the output folder (values files) or inside `repository`
   * (Argo CD).
   *
   * @default - a Secret, see `namespace`
   */
  readonly file?: string;
  /**
   * Git repository that holds `file` (Argo CD).
   *
   * @default - none
   */
  readonly repository?: string;
  /** Release that reads it. */
  readonly releaseName: string;
  /**
   * Labels to put on the Secret, e.g. Flux's `reconcile.fluxcd.io/watch:
   * Enabled`, which makes Flux apply a changed Secret at once instead of at
   * the next interval.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /** What the values file must contain. */
  readonly description: string;
}

/** What a release format produced for one release. */
export interface RenderedRelease {
  /** The Kubernetes objects that deploy the release. */
  readonly objects: ApiObject[];
  /** Secrets the operator must create for it. */
  readonly expectedSecrets: ExpectedSecret[];
}
