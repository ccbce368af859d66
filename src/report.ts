import { Construct, IConstruct } from 'constructs';
import { ExpectedSecret } from './release/release-spec';

const PREFIX = '[cdk8s-wire-multi-ingress]';

/** Scopes that report for their children (a MultiIngressBackend reports for its DomainIngresses). */
const managed = new WeakSet<Construct>();

/** Mark `scope` as reporting for the constructs created in it. */
export function markManaged(scope: Construct): void {
  managed.add(scope);
}

/** Whether the parent of `scope` reports for it. */
export function isManaged(scope: Construct): boolean {
  return managed.has(scope);
}

/** One line describing a Secret the operator must create. */
export function describeSecret(s: ExpectedSecret): string {
  if (s.file !== undefined) {
    const where = s.repository === undefined ? '' : ` in ${s.repository}`;
    return `values file ${s.file}${where} for release ${s.releaseName}: ${s.description}`;
  }
  const labels = Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const labelled = labels.length === 0 ? '' : `, labelled ${labels.join(', ')}`;
  return `Secret ${s.namespace}/${s.name} with key ${s.key}${labelled} for release ${s.releaseName}: ${s.description}`;
}

/** Apps that print the Secrets to create after they have written the output (WireApp). */
const reportingApps = new WeakSet<IConstruct>();
/** Apps that print only errors and the warnings about the input. */
const quietApps = new WeakSet<IConstruct>();
/** The Secret lists that an app prints once it has written its output, by app. */
const pendingSecrets = new WeakMap<IConstruct, Array<{ readonly path: string; readonly secrets: () => readonly ExpectedSecret[] }>>();

/** Mark `app` as printing the Secrets to create after writing (and, with `quiet`, printing nothing but warnings and errors). */
export function markReportingApp(app: IConstruct, quiet: boolean): void {
  reportingApps.add(app);
  if (quiet) quietApps.add(app);
}

/** Whether the app `scope` belongs to prints only errors and the warnings about the input. */
export function isQuiet(scope: IConstruct): boolean {
  return quietApps.has(scope.node.root);
}

/** Whether the app `scope` belongs to writes the report files and the other non-manifest files (a WireApp). */
export function writesArtefacts(scope: IConstruct): boolean {
  return reportingApps.has(scope.node.root);
}

/** The whole list of Secrets (or secret values files) to provide, as printed. */
export function describeSecrets(path: string, list: readonly ExpectedSecret[]): string {
  const files = list.some((s) => s.file !== undefined);
  const n = list.length;
  const what = files
    ? n === 1 ? 'provide this secret values file' : `provide these ${n} secret values files`
    : n === 1 ? 'create this Secret' : `create these ${n} Secrets`;
  return [`${PREFIX} ${path}: ${what} before the releases install:`, ...list.map((s) => `  - ${describeSecret(s)}`)].join('\n');
}

/** Print the Secrets to create of every deployment in `app`: called once its output is written. */
export function printSecretsAfterSynth(app: IConstruct): void {
  if (quietApps.has(app)) return;
  for (const { path, secrets } of pendingSecrets.get(app) ?? []) {
    const list = secrets();
    if (list.length > 0) console.warn(describeSecrets(path, list));
  }
}

/**
 * Record warnings as construct metadata and print them when the app is
 * synthesized; list the Secrets the operator must create once the synthesis
 * has succeeded: a WireApp prints them after writing its output; a plain
 * cdk8s App, which has no such step, prints them while it validates, and only
 * when `succeeded` (the deployment's own checks, the audit) holds.
 */
export function reportAtSynth(
  scope: Construct,
  warnings: readonly string[],
  secrets: () => readonly ExpectedSecret[],
  succeeded: () => boolean = () => true,
): void {
  for (const w of warnings) {
    scope.node.addMetadata('cdk8s-wire-multi-ingress:warning', w);
  }
  const root = scope.node.root;
  if (writesArtefacts(scope)) {
    const pending = pendingSecrets.get(root) ?? [];
    pending.push({ path: scope.node.path, secrets });
    pendingSecrets.set(root, pending);
  }
  let printed = false; // cdk8s validates more than once per synth
  scope.node.addValidation({
    validate: () => {
      if (printed) {
        return [];
      }
      printed = true;
      for (const w of warnings) {
        console.warn(`${PREFIX} ${scope.node.path}: warning: ${w}`);
      }
      const list = secrets();
      if (!writesArtefacts(scope) && list.length > 0 && succeeded()) {
        console.warn(describeSecrets(scope.node.path, list));
      }
      return [];
    },
  });
}
