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
  /** Helm release name (at most 53 characters). */
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
}

/** A Secret the operator must create before the release can install. */
export interface ExpectedSecret {
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly name: string;
  /** Key whose content is a Helm values file. */
  readonly key: string;
  /** Release that reads it. */
  readonly releaseName: string;
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
