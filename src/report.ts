import { Construct } from 'constructs';
import { ExpectedSecret } from './release/release-spec';

const PREFIX = '[cdk8s-wire-multi-ingress]';
/** How many expected Secrets are listed one by one at synth time. */
const LISTED_SECRETS = 5;

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

/**
 * Record warnings as construct metadata and print them, with the Secrets the
 * operator must create, when the app is synthesized.
 */
export function reportAtSynth(scope: Construct, warnings: readonly string[], secrets: () => readonly ExpectedSecret[]): void {
  for (const w of warnings) {
    scope.node.addMetadata('cdk8s-wire-multi-ingress:warning', w);
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
      if (list.length > 0) {
        const shown = list.slice(0, LISTED_SECRETS).map((s) => `  - ${describeSecret(s)}`);
        const more = list.length > LISTED_SECRETS ? [`  - ... and ${list.length - LISTED_SECRETS} more (see expectedSecrets)`] : [];
        const what = list.every((s) => s.file === undefined) ? `create these ${list.length} Secret(s)` : `provide these ${list.length} secret values file(s)`;
        console.warn([`${PREFIX} ${scope.node.path}: ${what} before the releases install:`, ...shown, ...more].join('\n'));
      }
      return [];
    },
  });
}
