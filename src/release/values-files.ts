import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ArtefactFile, manifestFiles } from '../artefacts';
import { ReleaseOrder, checkDuration, isOciRepository, ociChartReference } from './common';
import { ReleaseSpec, RenderedRelease } from './release-spec';
import { listed } from '../audit/text';
import { quote } from '../errors';
import { shellWord } from '../quoting';
import { toYamlRendering } from '../values/yaml';

/** Options of the plain values-files release format. */
export interface ValuesFilesFormatOptions {
  /**
   * Folder (relative to the output folder) that `deploy.sh` reads the secret
   * values files from, unless `SECRETS_DIR` is set when it runs. Each file is
   * `<folder>/<secret name>/<key>`, e.g. `secrets/wire-server-secrets/secrets.yaml`.
   *
   * @default 'secrets'
   */
  readonly secretsFolder?: string;

  /**
   * Timeout of each `helm upgrade --install` (the guide uses 15 minutes).
   *
   * @default '15m0s'
   */
  readonly timeout?: string;
}

const FOLDER = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** One `helm upgrade --install` of `deploy.sh`. */
interface ScriptedRelease {
  readonly release: ReleaseSpec;
  readonly stage: number;
  readonly valuesFile: string;
  readonly secretFiles: string[];
}

/**
 * Renders releases as values files in the guide's layout
 * (`values/<chart>/...`) plus one `deploy.sh` per chart that installs them in
 * order with helm.
 */
export class ValuesFilesRenderer {
  private readonly secretsFolder: string;
  private readonly timeout: string;
  private readonly order = new ReleaseOrder();
  private readonly scripts = new WeakMap<Chart, DeployScript>();

  public constructor(options: ValuesFilesFormatOptions = {}) {
    this.secretsFolder = options.secretsFolder ?? 'secrets';
    if (!FOLDER.test(this.secretsFolder) || this.secretsFolder.split('/').some((s) => s === '.' || s === '..')) {
      throw new Error(`values-files secretsFolder ${quote(this.secretsFolder)} is not valid: expected a relative folder such as "secrets"`);
    }
    this.timeout = checkDuration('values-files timeout', options.timeout ?? '15m0s');
  }

  public render(scope: Construct, id: string, release: ReleaseSpec): RenderedRelease {
    const { stage } = this.order.add(scope, release);
    const valuesFile = valuesFilePath(release);
    new ArtefactFile(scope, id, { path: valuesFile, content: toYamlRendering(release.values) });
    const secretFiles = release.secretValues.map((s) => `${s.secretName}/${s.key}`);
    this.script(scope).add({ release, stage, valuesFile, secretFiles });
    return {
      objects: [],
      expectedSecrets: release.secretValues.map((s, i) => ({
        name: s.secretName,
        key: s.key,
        file: `${this.secretsFolder}/${secretFiles[i]}`,
        releaseName: release.releaseName,
        description: s.description,
      })),
    };
  }

  private script(scope: Construct): DeployScript {
    const chart = Chart.of(scope);
    let script = this.scripts.get(chart);
    if (!script) {
      script = new DeployScript(chart, 'ValuesFilesDeployScript', this.secretsFolder, this.timeout);
      this.scripts.set(chart, script);
    }
    return script;
  }
}

/**
 * Where a release's values file goes, in the guide's layout:
 * `values/<chart>/values.yaml` for the release named after its chart,
 * `values/<chart>/<suffix>-values.yaml` for `<chart>-<suffix>`.
 */
export function valuesFilePath(release: ReleaseSpec): string {
  const { chart, releaseName } = release;
  if (releaseName === chart) {
    return `values/${chart}/values.yaml`;
  }
  const name = releaseName.startsWith(`${chart}-`) ? releaseName.slice(chart.length + 1) : releaseName;
  return `values/${chart}/${name}-values.yaml`;
}

/** `deploy.sh`: every release of the chart, in install order. */
class DeployScript extends ArtefactFile {
  private readonly releases: ScriptedRelease[] = [];

  public constructor(scope: Construct, id: string, private readonly secretsFolder: string, private readonly timeout: string) {
    super(scope, id, { path: 'deploy.sh', executable: true });
  }

  public add(release: ScriptedRelease): void {
    this.releases.push(release);
  }

  public render(): string {
    // stable: releases of one stage keep the order they were rendered in
    const ordered = this.releases.map((r, i) => ({ r, i })).sort((a, b) => a.r.stage - b.r.stage || a.i - b.i).map((x) => x.r);
    const secretFiles = ordered.flatMap((r) => r.secretFiles);
    const { manifests, empty } = this.manifests() ?? {};
    const lines = [
      '#!/usr/bin/env bash',
      '# Installs or upgrades the Wire multi-ingress releases with helm, in order.',
      manifests === undefined
        ? '# It does NOT apply the manifests next to it (the app does not write one file per chart): apply them with kubectl apply.'
        : manifests.length === 0
          ? '# The deployment has no other Kubernetes objects, so there is nothing to kubectl apply.'
          : `# Then it applies the manifests next to it with kubectl apply: ${manifests.map((f) => quote(f)).join(', ')}.`,
      // cdk8s writes a file for every chart, objects or not; WireApp writes the same files as a plain App
      ...(empty === undefined || empty.length === 0
        ? []
        : [`# ${listed(empty.map((f) => quote(f)), empty.length)} ${empty.length === 1 ? 'is' : 'are'} empty: cdk8s writes a manifest for every chart, and that chart has no objects.`]),
      '# Generated by cdk8s-wire-multi-ingress; do not edit, synthesize again.',
      '#',
      '# Usage: ./deploy.sh   (helm and kubectl use the current kubectl context)',
      `# Secret values files are read from SECRETS_DIR (default: ${this.secretsFolder} beside this script;`,
      "# a relative SECRETS_DIR is the caller's, resolved against the working directory);",
      '# they are yours to create and keep out of version control.',
      'set -euo pipefail',
      "# a relative SECRETS_DIR is relative to where the script is called from, not to the script's folder",
      'case "${SECRETS_DIR:-}" in',
      "  '' | /*) ;;",
      '  *) SECRETS_DIR="$PWD/$SECRETS_DIR" ;;',
      'esac',
      'cd "$(dirname "$0")"',
      // an assignment is not split into words; the default is one quoted word
      `SECRETS_DIR=\${SECRETS_DIR:-${shellWord(this.secretsFolder)}}`,
      '',
    ];
    if (secretFiles.length > 0) {
      // one call per file (not a loop over a list, which shellcheck flags when it has one entry)
      lines.push(
        'missing=0',
        'need() {',
        '  if [ ! -s "$SECRETS_DIR/$1" ]; then',
        '    echo "deploy.sh: missing secret values file $SECRETS_DIR/$1" >&2',
        '    missing=1',
        '  fi',
        '}',
        ...secretFiles.map((f) => `need ${shellWord(f)}`),
        'if [ "$missing" -ne 0 ]; then',
        '  echo "deploy.sh: create the files above first; nothing was installed" >&2',
        '  exit 1',
        'fi',
        '',
      );
    }
    const tools = manifests !== undefined && manifests.length > 0 ? ['helm', 'kubectl'] : ['helm'];
    lines.push(
      'need_program() {',
      '  if ! command -v "$1" > /dev/null 2>&1; then',
      '    echo "deploy.sh: $1 is needed and not found in PATH; nothing was installed" >&2',
      '    exit 1',
      '  fi',
      '}',
      ...tools.map((t) => `need_program ${t}`),
      '',
    );
    for (const { release, valuesFile, secretFiles: files } of ordered) {
      const oci = isOciRepository(release.repository);
      const chart = oci ? ociChartReference(release.repository, release.chart) : release.chart;
      const args = [
        `helm upgrade --install ${shellWord(release.releaseName)} ${shellWord(chart)}`,
        ...(oci ? [] : [`--repo ${shellWord(release.repository)}`]),
        `--version ${shellWord(release.version)}`,
        `--namespace ${shellWord(release.targetNamespace)} --create-namespace`,
        `--timeout ${shellWord(this.timeout)} --wait`,
        // the secret values first and the library's values last (helm: later files win), so the library's
        // values win over a secret values file as in every other format (Flux merges inline values last,
        // Argo CD ranks valuesObject above valueFiles)
        ...files.map((f) => `--values "$SECRETS_DIR"/${shellWord(f)}`),
        `--values ${shellWord(valuesFile)}`,
      ];
      lines.push(`echo ${shellWord(`deploy.sh: ${release.releaseName}`)}`, args.join(' \\\n  '), '');
    }
    // after every release: the load balancer Services front the ingress controller the releases route
    // through, and the edge proxies forward to the backend they make reachable
    for (const file of manifests ?? []) {
      lines.push(`echo ${shellWord(`deploy.sh: kubectl apply -f ${file}`)}`, `kubectl apply -f ${shellWord(file)}`, '');
    }
    if (manifests === undefined) {
      lines.push('echo "deploy.sh: the releases are installed; apply the manifests next to this script with kubectl apply"', '');
    }
    return lines.join('\n');
  }

  /**
   * The manifest files written next to this script that hold objects, in the
   * order the app writes them; `undefined` when the app does not write one
   * file per chart.
   */
  /** The manifests the app writes that hold objects (to apply), and those that are empty. */
  private manifests(): { manifests: string[]; empty: string[] } | undefined {
    const root = this.node.root;
    const files = root instanceof App ? manifestFiles(root) : undefined;
    if (files === undefined) {
      return undefined;
    }
    const hasObjects = (chart: Chart) => chart.node.findAll().some((c) => c instanceof ApiObject && Chart.of(c) === chart);
    const withObjects = files.filter((f) => hasObjects(f.chart));
    return { manifests: withObjects.map((f) => f.file), empty: files.filter((f) => !withObjects.includes(f)).map((f) => f.file) };
  }
}
