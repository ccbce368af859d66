import { byCodeUnit, listed } from './text';
import { AuditFinding, FindingSeverity, Observation, ObservationKind } from './types';

/** Properties of an unlinkability report. */
export interface UnlinkabilityReportProps {
  /** Every domain of the deployment. */
  readonly domains: string[];
  /** The default domain. */
  readonly defaultDomain: string;
  /** The findings, in any order. */
  readonly findings: AuditFinding[];
  /** What the public of each domain observes, in any order. */
  readonly observations: Observation[];
}

const SEVERITIES = [FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO];
const HEADINGS: Record<FindingSeverity, string> = {
  [FindingSeverity.ERROR]: 'Errors',
  [FindingSeverity.WARNING]: 'Warnings',
  [FindingSeverity.INFO]: 'Information',
};
/** Kinds listed per domain in the Markdown report (all kinds are in the JSON). */
const LISTED_KINDS = [ObservationKind.HOST, ObservationKind.ADDRESS, ObservationKind.CERTIFICATE, ObservationKind.ISSUER, ObservationKind.EMAIL];

/** Reports whose every observation is collected again when first asked for (the audit keeps only what its checks need). */
const loaders = new WeakMap<UnlinkabilityReport, () => Observation[]>();

/**
 * Collect the report's observations with `load` when they are first asked
 * for; until then `props.observations` serve the identifiers of the report
 * files (every observation of a listed kind must be among them).
 */
export function loadObservationsWith(report: UnlinkabilityReport, load: () => Observation[]): void {
  loaders.set(report, load);
}

/**
 * The result of the unlinkability audit: what the public of each domain
 * observes, and every finding, sorted so that the same output gives the same
 * bytes. `MultiIngressBackend.audit()` returns it; the synthesis writes it as
 * `audit/unlinkability.md` and `audit/unlinkability.json`.
 */
export class UnlinkabilityReport {
  /** Where the Markdown report is written, relative to the output folder. */
  public static readonly MARKDOWN_PATH = 'audit/unlinkability.md';
  /** Where the JSON report is written, relative to the output folder. */
  public static readonly JSON_PATH = 'audit/unlinkability.json';

  /** Every domain, sorted. */
  public readonly domains: string[];
  /** The default domain. */
  public readonly defaultDomain: string;
  /** Every finding: errors, then warnings, then information, each sorted by id. */
  public readonly findings: AuditFinding[];
  private readonly unsorted: readonly Observation[];
  private sorted?: Observation[];
  private listedByDomain?: Map<string, Observation[]>;

  public constructor(props: UnlinkabilityReportProps) {
    this.domains = [...props.domains].sort(byCodeUnit);
    this.defaultDomain = props.defaultDomain;
    this.findings = [...props.findings].sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || byCodeUnit(a.id, b.id),
    );
    this.unsorted = props.observations;
  }

  /** Every observation, sorted by domain, artefact, path, kind and value (sorted when first asked for). */
  public get observations(): Observation[] {
    return [...this.allSorted()];
  }

  private allSorted(): Observation[] {
    if (this.sorted === undefined) {
      const load = loaders.get(this);
      this.sorted = sortObservations(load === undefined ? this.unsorted : load());
      loaders.delete(this);
    }
    return this.sorted;
  }

  /** The identifiers each domain shows (what the report files list), sorted; computed once. */
  private identifiersByDomain(): Map<string, Observation[]> {
    if (this.listedByDomain === undefined) {
      // grouped by domain first, then each domain's sorted: the order of sorting them all, with short sorts
      const groups = new Map<string, Observation[]>(this.domains.map((d) => [d, []]));
      const others: string[] = [];
      for (const o of this.unsorted) {
        if (!LISTED_KINDS.includes(o.kind)) continue;
        let list = groups.get(o.domain);
        if (list === undefined) {
          list = [];
          groups.set(o.domain, list);
          others.push(o.domain);
        }
        list.push(o);
      }
      // the report's domains (sorted), then any other domain an observation names, sorted
      const byDomain = new Map<string, Observation[]>();
      for (const d of [...this.domains, ...others.sort(byCodeUnit)]) {
        byDomain.set(d, sortWithinDomain(groups.get(d)!));
      }
      this.listedByDomain = byDomain;
    }
    return this.listedByDomain;
  }

  /** Error findings that are not acknowledged: each fails the synthesis. */
  public get errors(): AuditFinding[] {
    return this.findings.filter((f) => f.severity === FindingSeverity.ERROR && !f.acknowledged);
  }

  /** Warning findings (structural links and other things to look at). */
  public get warnings(): AuditFinding[] {
    return this.findings.filter((f) => f.severity === FindingSeverity.WARNING);
  }

  /** Whether no error finding is left unacknowledged. */
  public get passed(): boolean {
    return this.errors.length === 0;
  }

  /**
   * The finding with this id.
   *
   * @param id the finding's id
   */
  public finding(id: string): AuditFinding | undefined {
    return this.findings.find((f) => f.id === id);
  }

  /**
   * What the public of one domain observes.
   *
   * @param domain the (normalised) domain
   */
  public observationsOf(domain: string): Observation[] {
    return this.allSorted().filter((o) => o.domain === domain);
  }

  /**
   * The report as JSON (machine-readable), ending with a newline: the
   * findings, and per domain the identifiers its public observes (host names,
   * addresses, certificates, issuers, e-mail addresses), one per line so that
   * the file stays diffable at thousands of domains. Every other string the
   * audit read (text observations) is in `observations` of the API.
   */
  public renderJson(): string {
    return [...this._jsonPieces()].join('');
  }

  /**
   * `renderJson()` in pieces, a domain at a time (what the report file
   * writes, so that the whole text is never held at once).
   *
   * @internal
   */
  public *_jsonPieces(): Generator<string> {
    const doc = {
      report: 'cdk8s-wire-multi-ingress unlinkability audit',
      version: 1,
      passed: this.passed,
      defaultDomain: this.defaultDomain,
      domains: this.domains,
      summary: this.summary(),
      findings: this.findings.map((f) => ({
        id: f.id,
        check: f.check,
        severity: f.severity,
        acknowledged: f.acknowledged,
        domains: f.domains,
        artefact: f.artefact,
        value: f.value,
        ...(f.path === undefined ? {} : { path: f.path }),
        message: f.message,
        reason: f.reason,
        mitigation: f.mitigation,
      })),
      observations: {},
    };
    const head = JSON.stringify(doc, undefined, 2);
    // the observations, written by hand, replace the empty object the last key got
    yield head.slice(0, head.length - '{}\n}'.length);
    const byDomain = this.identifiersByDomain();
    if (byDomain.size === 0) {
      yield '{}';
    } else {
      let first = true;
      for (const [domain, list] of byDomain) {
        // JSON.stringify({ kind, value, artefact, path }), written without the object
        const lines = list.map(
          (o) =>
            `{"kind":${JSON.stringify(o.kind)},"value":${JSON.stringify(o.value)},"artefact":${JSON.stringify(o.artefact)}` +
            `${o.path === undefined ? '' : `,"path":${JSON.stringify(o.path)}`}}`,
        );
        yield `${first ? '{\n' : ',\n'}    ${JSON.stringify(domain)}: [${lines.length === 0 ? '' : `\n      ${lines.join(',\n      ')}\n    `}]`;
        first = false;
      }
      yield '\n  }';
    }
    yield '\n}\n';
  }

  /** The report as Markdown (human-readable), ending with a newline. */
  public renderMarkdown(): string {
    return [...this._markdownPieces()].join('');
  }

  /**
   * `renderMarkdown()` in pieces, a domain at a time.
   *
   * @internal
   */
  public *_markdownPieces(): Generator<string> {
    const s = this.summary();
    const lines: string[] = [
      '# Unlinkability audit',
      '',
      `${this.domains.length} domain(s), default ${code(this.defaultDomain)}: ${listed(this.domains.map(code), 12)}.`,
      '',
      this.passed
        ? `**Passed**: no error finding is left unacknowledged. ${s.warning} warning(s), ${s.info} informational, ${s.acknowledged} acknowledged.`
        : `**Failed**: ${this.errors.length} error finding(s) link domains. The synthesis stops until each is removed, ` +
          'or acknowledged by its id in `acknowledgedFindings`.',
      '',
      '| severity | findings | acknowledged |',
      '|---|---|---|',
      ...SEVERITIES.map((sev) => {
        const all = this.findings.filter((f) => f.severity === sev);
        return `| ${sev} | ${all.length} | ${all.filter((f) => f.acknowledged).length} |`;
      }),
    ];
    for (const sev of SEVERITIES) {
      lines.push('', `## ${HEADINGS[sev]}`, '');
      const findings = this.findings.filter((f) => f.severity === sev);
      if (findings.length === 0) {
        lines.push('None.');
      }
      for (const f of findings) {
        lines.push(
          `### ${code(f.id)}${f.acknowledged ? ' (acknowledged)' : ''}`,
          '',
          prose(f.message),
          '',
          `- domains: ${f.domains.length === 0 ? '-' : listed(f.domains.map(code), 6)}`,
          `- artefact: ${prose(f.artefact)}${f.path === undefined ? '' : `, at ${code(f.path)}`}`,
          `- value: ${code(f.value)}`,
          `- why: ${prose(f.reason)}`,
          `- mitigation: ${prose(f.mitigation)}`,
          '',
        );
      }
      if (findings.length > 0) {
        lines.pop();
      }
    }
    lines.push(
      '',
      '## What each domain shows',
      '',
      'Host names, addresses, certificates, issuers and e-mail addresses the public of each domain can observe, ' +
        `collected from the emitted output. Every other string that could name a domain, and that the audit read, is in ${code('observations')} of ${code('audit()')}.`,
    );
    // the lines so far, then each domain's lines: every line after the first follows a line break
    yield lines.join('\n');
    const byDomain = this.identifiersByDomain();
    for (const domain of this.domains) {
      const section = ['', '', `### ${code(domain)}${domain === this.defaultDomain ? ' (default)' : ''}`, ''];
      const rows = byDomain.get(domain) ?? [];
      if (rows.length === 0) {
        section.push('Nothing observed.');
      } else {
        section.push('| kind | value | artefact | path |', '|---|---|---|---|');
        for (const o of rows) {
          section.push(`| ${o.kind} | ${cell(code(o.value))} | ${cell(prose(o.artefact))} | ${o.path === undefined ? '' : cell(code(o.path))} |`);
        }
      }
      yield section.join('\n');
    }
    yield '\n';
  }

  private summary(): { error: number; warning: number; info: number; acknowledged: number } {
    const count = (sev: FindingSeverity) => this.findings.filter((f) => f.severity === sev).length;
    return {
      error: count(FindingSeverity.ERROR),
      warning: count(FindingSeverity.WARNING),
      info: count(FindingSeverity.INFO),
      acknowledged: this.findings.filter((f) => f.acknowledged).length,
    };
  }
}

/** A Markdown code span that survives backticks in the value. */
function code(value: string): string {
  const text = oneLine(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function oneLine(text: string): string {
  return text.includes('\n') ? text.replace(/\s*\n\s*/g, ' ') : text;
}

const HTML_SPECIAL = /[&<>]/;

/** Prose: one line, `<` and `>` escaped so that `account.<domain>` is not read as HTML. */
function prose(text: string): string {
  const line = oneLine(text);
  return HTML_SPECIAL.test(line) ? line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : line;
}

/** A table cell: `|` escaped. */
function cell(text: string): string {
  return text.includes('|') ? text.replace(/\|/g, '\\|') : text;
}

/** Sort by domain, artefact, path, kind and value. */
function sortObservations(observations: readonly Observation[]): Observation[] {
  return [...observations].sort((a, b) => byCodeUnit(a.domain, b.domain) || withinDomain(a, b));
}

/** Observations of one domain sorted by artefact, path, kind and value. */
function sortWithinDomain(observations: readonly Observation[]): Observation[] {
  return [...observations].sort(withinDomain);
}

/** The order of observations of one domain: by artefact, path, kind and value. */
function withinDomain(a: Observation, b: Observation): number {
  return byCodeUnit(a.artefact, b.artefact) || byCodeUnit(a.path ?? '', b.path ?? '') || byCodeUnit(a.kind, b.kind) || byCodeUnit(a.value, b.value);
}
