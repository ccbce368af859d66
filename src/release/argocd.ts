import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { quote } from '../errors';
import { isDnsLabel, isDnsSubdomain } from '../settings';
import { RELEASE_LABELS, ReleaseObject, ReleaseOrder, isOciRepository, repositoryObjectName, setHelmValues } from './common';
import { ReleaseSpec, RenderedRelease } from './release-spec';

/**
 * The git repository that holds the secret values files of the Argo CD
 * releases (Argo CD cannot read Helm values from a Secret). Each release
 * gets it as a second source and reads `<path>/<secret name>/<key>` from it,
 * e.g. `wire-secrets/wire-server-secrets/secrets.yaml`; the library never
 * sees its content.
 *
 * Stock Argo CD reads these `$ref` value files as plain files: a file
 * encrypted with SOPS or git-crypt reaches Helm encrypted, so the files must
 * be plain text in a private repository (decryption needs a plugin of your
 * own), and Argo CD caches the rendered manifests, secrets included, in its
 * Redis. With cert-manager certificates (`IngressTls.certManager`) only
 * wire-server's own secrets go through this repository; prefer it with
 * Argo CD.
 */
export interface ArgoCdSecretValuesRepository {
  /** URL of the git repository, as registered in Argo CD. */
  readonly repoURL: string;

  /**
   * Branch, tag or commit.
   *
   * @default 'HEAD'
   */
  readonly targetRevision?: string;

  /**
   * Folder in the repository that holds one folder per secret.
   *
   * @default 'wire-secrets'
   */
  readonly path?: string;
}

/**
 * Options of the Argo CD release format. Each Application carries a sync
 * wave (0 for wire-server and webapp, 1 for the ingress releases); waves
 * order nothing unless a parent application ("app of apps") syncs these
 * Applications, and even then they do not wait for an Application to be
 * healthy without a custom health check.
 */
export interface ArgoCdFormatOptions {
  /**
   * Namespace of the `Application` objects (the namespace Argo CD runs in).
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Argo CD project of the applications.
   *
   * @default 'default'
   */
  readonly project?: string;

  /**
   * API server of the cluster the releases are installed into.
   *
   * @default 'https://kubernetes.default.svc'
   */
  readonly destinationServer?: string;

  /**
   * Sync automatically (and undo changes made by hand).
   *
   * @default true
   */
  readonly automatedSync?: boolean;

  /**
   * Delete resources that a new chart version no longer renders (with
   * automated sync).
   *
   * @default false
   */
  readonly prune?: boolean;

  /**
   * Where the secret values files are (wire-server's secrets, and each
   * domain's certificate in own-certificate mode). Required when a release
   * has secret values: Argo CD cannot read Helm values from a Secret. Its
   * files are read as plain files (no SOPS or git-crypt decryption in stock
   * Argo CD): see `ArgoCdSecretValuesRepository`.
   *
   * @default - none: releases with secret values are refused
   */
  readonly secretValuesRepository?: ArgoCdSecretValuesRepository;

  /**
   * Put the `resources-finalizer.argocd.argoproj.io` finalizer on each
   * Application, so that deleting the Application deletes its release's
   * resources (without it they are left running). Turn it off to keep the
   * release when an Application is deleted.
   *
   * @default true
   */
  readonly resourcesFinalizer?: boolean;

  /**
   * For a chart in an OCI registry, emit the Argo CD repository Secret that
   * registers it with `enableOCI: "true"` (label
   * `argocd.argoproj.io/secret-type: repository`, in the Argo CD namespace,
   * no credentials). Turn it off when you register the registry yourself,
   * e.g. with credentials.
   *
   * @default true
   */
  readonly ociRepositorySecrets?: boolean;
}

/** Lets Argo CD delete an Application's resources with it. */
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** The `ref` name of the secrets source in each application. */
const SECRETS_REF = 'wire-secrets';
const REVISION = /^[A-Za-z0-9._/-]+$/;
const FOLDER = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Renders releases as Argo CD `argoproj.io/v1alpha1` `Application`s. */
export class ArgoCdRenderer {
  private readonly namespace: string;
  private readonly project: string;
  private readonly destinationServer: string;
  private readonly automatedSync: boolean;
  private readonly prune: boolean;
  private readonly secrets?: { repoURL: string; targetRevision: string; path: string };
  private readonly resourcesFinalizer: boolean;
  private readonly ociRepositorySecrets: boolean;
  private readonly order = new ReleaseOrder();
  private readonly registries = new WeakMap<Chart, Set<string>>();

  public constructor(options: ArgoCdFormatOptions = {}) {
    this.namespace = options.namespace ?? 'argocd';
    if (!isDnsLabel(this.namespace)) {
      throw new Error(`Argo CD namespace ${quote(this.namespace)} is not valid: expected a Kubernetes namespace name (lower-case DNS label)`);
    }
    this.project = options.project ?? 'default';
    if (!isDnsSubdomain(this.project)) {
      throw new Error(`Argo CD project ${quote(this.project)} is not valid: expected the name of an AppProject`);
    }
    this.destinationServer = options.destinationServer ?? 'https://kubernetes.default.svc';
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(this.destinationServer)) {
      throw new Error(`Argo CD destinationServer ${quote(this.destinationServer)} is not valid: expected an https:// URL of a Kubernetes API server`);
    }
    this.automatedSync = options.automatedSync ?? true;
    this.prune = options.prune ?? false;
    this.resourcesFinalizer = options.resourcesFinalizer ?? true;
    this.ociRepositorySecrets = options.ociRepositorySecrets ?? true;
    const repo = options.secretValuesRepository;
    if (repo !== undefined) {
      const targetRevision = repo.targetRevision ?? 'HEAD';
      const path = repo.path ?? 'wire-secrets';
      if (typeof repo.repoURL !== 'string' || !/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(repo.repoURL)) {
        throw new Error(
          `Argo CD secretValuesRepository.repoURL ${quote(repo.repoURL)} is not valid: expected a git repository URL (https://, ssh:// or git@)`,
        );
      }
      if (!REVISION.test(targetRevision)) {
        throw new Error(`Argo CD secretValuesRepository.targetRevision ${quote(targetRevision)} is not valid: expected a branch, tag or commit`);
      }
      if (!FOLDER.test(path) || path.split('/').some((s) => s === '.' || s === '..')) {
        throw new Error(`Argo CD secretValuesRepository.path ${quote(path)} is not valid: expected a relative folder such as "wire-secrets"`);
      }
      this.secrets = { repoURL: repo.repoURL, targetRevision, path };
    }
  }

  /** Why `releases` cannot be rendered, if they cannot. */
  public problems(releases: ReleaseSpec[]): string[] {
    if (this.secrets) {
      return [];
    }
    return releases
      .filter((r) => r.secretValues.length > 0)
      .map(
        (r) =>
          `release ${quote(r.releaseName)} reads secret values (${r.secretValues.map((s) => `${s.secretName}/${s.key}`).join(', ')}), ` +
          'but Argo CD cannot read Helm values from a Secret: give the Argo CD format a secretValuesRepository ' +
          '(the git repository that holds the secret values files; the library never writes them)',
      );
  }

  /** The Applications live where Argo CD runs. */
  public engineNamespaces(): string[] {
    return [this.namespace];
  }

  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    const problems = this.problems([release]);
    if (problems.length > 0) {
      throw new Error(problems[0]);
    }
    const { stage } = this.order.add(scope, release);
    const files = release.secretValues.map((s) => `${this.secrets?.path}/${s.secretName}/${s.key}`);
    const chartSource: { [key: string]: any } = {
      // Argo CD names an OCI registry without the scheme (the repository is registered with enableOCI)
      repoURL: isOciRepository(release.repository) ? release.repository.slice('oci://'.length) : release.repository,
      chart: release.chart,
      targetRevision: release.version,
      helm: {
        releaseName: release.releaseName,
        valueFiles: files.length === 0 ? undefined : files.map((f) => `$${SECRETS_REF}/${f}`),
      },
    };
    const sources =
      files.length === 0
        ? { source: chartSource }
        : { sources: [chartSource, { repoURL: this.secrets!.repoURL, targetRevision: this.secrets!.targetRevision, ref: SECRETS_REF }] };
    const application = new ReleaseObject(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: release.releaseName,
        namespace: this.namespace,
        labels: { ...RELEASE_LABELS },
        // orders nothing unless a parent application (app of apps) syncs these Applications
        annotations: { 'argocd.argoproj.io/sync-wave': String(stage) },
        // deleting the Application deletes the release's resources
        finalizers: this.resourcesFinalizer ? [RESOURCES_FINALIZER] : undefined,
      },
      spec: {
        project: this.project,
        destination: { server: this.destinationServer, namespace: release.targetNamespace },
        ...sources,
        syncPolicy: {
          automated: this.automatedSync ? { prune: this.prune, selfHeal: true } : undefined,
          syncOptions: ['CreateNamespace=true'],
          retry: { limit: 3, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
    const registry = isOciRepository(release.repository) && this.ociRepositorySecrets ? this.registrySecret(scope, release.repository) : undefined;
    if (registry) {
      application.addDependency(registry); // the repository is registered first
    }
    setHelmValues(application, files.length === 0 ? '/spec/source/helm/valuesObject' : '/spec/sources/0/helm/valuesObject', release.values);
    return {
      objects: [application],
      expectedSecrets: release.secretValues.map((s, i) => ({
        name: s.secretName,
        key: s.key,
        file: files[i],
        repository: this.secrets!.repoURL,
        releaseName: release.releaseName,
        description: s.description,
      })),
    };
  }

  /** The repository Secret that registers an OCI registry with Argo CD, once per chart. */
  private registrySecret(scope: Construct, url: string): ApiObject | undefined {
    const chart = Chart.of(scope);
    let known = this.registries.get(chart);
    if (!known) {
      known = new Set();
      this.registries.set(chart, known);
    }
    if (known.has(url)) {
      return chart.node.tryFindChild(registrySecretId(this.namespace, url)) as ApiObject | undefined;
    }
    known.add(url);
    return new ReleaseObject(chart, registrySecretId(this.namespace, url), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: repositoryObjectName(`repo/${url.slice('oci://'.length)}`),
        namespace: this.namespace,
        labels: { ...RELEASE_LABELS, 'argocd.argoproj.io/secret-type': 'repository' },
      },
      // no credentials: a registry that needs them is registered by the operator
      stringData: { name: repositoryObjectName(url), type: 'helm', url: url.slice('oci://'.length), enableOCI: 'true' },
    });
  }
}

function registrySecretId(namespace: string, url: string): string {
  return `ArgoCdRepository-${namespace}-${repositoryObjectName(url)}`;
}
