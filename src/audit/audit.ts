import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ArtefactFile, synthesisOf } from '../artefacts';
import { isQuiet, writesArtefacts } from '../report';
import { runChecks } from './checks';
import { AuditSubject, Emitted, collect, emitted } from './observe';
import { AuditFinding } from './types';
import { UnlinkabilityReport, loadObservationsWith } from './unlinkability-report';

const PREFIX = '[cdk8s-wire-multi-ingress]';
/** How many error findings the failed synthesis lists one by one. */
const LISTED_ERRORS = 20;
/** How many warnings are printed one by one at synth time. */
const PRINTED_WARNINGS = 10;
const REPORT_FILE = Symbol.for('cdk8s-wire-multi-ingress.UnlinkabilityReportFile');

/** The last report of a deployment and what it was computed from. */
export interface AuditMemo {
  key?: string;
  report?: UnlinkabilityReport;
  /** The synthesis (see `duringSynthesis`) the report was computed in. */
  synthesis?: number;
}

/**
 * Run the unlinkability audit over what a deployment emits. A synthesis runs
 * it several times (cdk8s validates more than once, and each report file
 * renders it): when everything it reads is byte for byte what the last run
 * read, the last report is returned.
 */
export function runAudit(subject: AuditSubject, defaultDomain: string, acknowledged: readonly string[], memo: AuditMemo = {}): UnlinkabilityReport {
  // within one WireApp synthesis nothing changes: no need to render and hash everything again
  const synthesis = synthesisOf(subject.scope);
  if (synthesis !== undefined && memo.synthesis === synthesis && memo.report !== undefined) {
    return memo.report;
  }
  const output = emitted(subject);
  // outside a synthesis, a digest of everything the audit reads tells whether the last report still holds
  const key = synthesis === undefined ? fingerprint(subject, output, defaultDomain, acknowledged) : undefined;
  if (key !== undefined && memo.key === key && memo.report !== undefined) {
    return memo.report;
  }
  // the text observations stream through the checks; the report collects them again if they are asked for
  const collected = collect(subject, output, { keepText: false });
  const findings = runChecks({
    domains: subject.domains,
    observations: collected.observations,
    shared: collected.shared,
    unattributed: collected.unattributed,
    upstreams: collected.upstreams,
    serviceTargets: collected.serviceTargets,
    acknowledged,
  });
  const report = new UnlinkabilityReport({ domains: [...subject.domains], defaultDomain, findings, observations: collected.observations });
  loadObservationsWith(report, () => collect(subject, emitted(subject)).observations);
  memo.key = key;
  memo.report = report;
  memo.synthesis = synthesis;
  return report;
}

/** A digest of everything the audit reads. */
function fingerprint(subject: AuditSubject, output: Emitted, defaultDomain: string, acknowledged: readonly string[]): string {
  const hash = createHash('sha256');
  const part = (text: string) => hash.update(text).update('\u0000');
  part(JSON.stringify([subject.domains, defaultDomain, acknowledged]));
  subject.sharedValues.forEach((v) => part(JSON.stringify(v)));
  for (const di of subject.ingresses) {
    part(JSON.stringify([di.node.path, di.domain.name, di.releaseName, di.namespace, di.isDefaultDomain, di.expectedSecrets, di.values]));
    di.releaseObjects.forEach((o) => part(o.node.path));
  }
  for (const { construct, json } of output.objects) {
    part(construct.node.path);
    part(JSON.stringify(json));
  }
  for (const { file, content } of output.files) {
    part(`${file.node.path}\u0000${file.path}`);
    part(content);
  }
  return hash.digest('hex');
}

/** The report written next to the manifests; its content is the audit at synth time. */
export class UnlinkabilityReportFile extends ArtefactFile {
  /** Whether `x` is one of the audit's own report files (they are not audited themselves). */
  public static isReportFile(x: unknown): boolean {
    return x !== null && typeof x === 'object' && REPORT_FILE in x;
  }

  public constructor(scope: Construct, id: string, path: string, private readonly renderReport: () => Iterable<string>) {
    super(scope, id, { path });
    Object.defineProperty(this, REPORT_FILE, { value: true });
  }

  public render(): string {
    return [...this.renderReport()].join('');
  }

  /** @internal */
  public _renderPieces(): Iterable<string> {
    return this.renderReport();
  }
}

/**
 * Add the two report files and a validation that runs the audit when the app
 * is synthesized: an error finding that is not acknowledged fails the
 * synthesis (cdk8s validates before it writes anything); otherwise the
 * summary and the warnings are printed once.
 */
export function auditAtSynth(scope: Construct, audit: () => UnlinkabilityReport): void {
  new UnlinkabilityReportFile(scope, 'UnlinkabilityMarkdown', UnlinkabilityReport.MARKDOWN_PATH, () => audit()._markdownPieces());
  new UnlinkabilityReportFile(scope, 'UnlinkabilityJson', UnlinkabilityReport.JSON_PATH, () => audit()._jsonPieces());
  let printed = false; // cdk8s validates more than once per synth
  scope.node.addValidation({
    validate: () => {
      const report = audit();
      if (!report.passed) {
        return failure(report.errors);
      }
      if (!printed) {
        printed = true;
        if (!isQuiet(scope)) console.warn(summary(scope, report));
      }
      return [];
    },
  });
}

function failure(errors: AuditFinding[]): string[] {
  const lines = errors
    .slice(0, LISTED_ERRORS)
    .map(
      (f) =>
        `unlinkability audit: ${f.message}. ${capitalise(f.mitigation)}; or, to accept the link, acknowledge it with acknowledgedFindings: [${JSON.stringify(f.id)}]`,
    );
  if (errors.length > LISTED_ERRORS) {
    lines.push(`unlinkability audit: ... and ${errors.length - LISTED_ERRORS} more error finding(s) (see audit() of the MultiIngressBackend)`);
  }
  return lines;
}

function summary(scope: Construct, report: UnlinkabilityReport): string {
  const acknowledged = report.findings.filter((f) => f.acknowledged).length;
  const warnings = report.warnings;
  const lines = [
    `${PREFIX} ${scope.node.path}: unlinkability audit passed for ${report.domains.length} domain(s): ` +
      `${acknowledged} acknowledged finding(s), ${warnings.length} warning(s) ` +
      (writesArtefacts(scope)
        ? `(report: ${UnlinkabilityReport.MARKDOWN_PATH} and ${UnlinkabilityReport.JSON_PATH} in the output folder)`
        : `(a plain cdk8s App writes no report files: synthesize with WireApp to get ${UnlinkabilityReport.MARKDOWN_PATH} and ${UnlinkabilityReport.JSON_PATH}, or read audit() of the MultiIngressBackend)`),
    ...warnings.slice(0, PRINTED_WARNINGS).map((w) => `  - ${w.id}: ${w.message}`),
    ...(warnings.length > PRINTED_WARNINGS ? [`  - ... and ${warnings.length - PRINTED_WARNINGS} more (see the report)`] : []),
  ];
  return lines.join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
