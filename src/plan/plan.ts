import { App } from 'cdk8s';
import { DANGER_KINDS, PlanChange, PlanDanger, PlanResult, PlannedRelease, compareSnapshots } from './compare';
import { forgetParsedValues } from './releases';
import { isReport, snapshotOfApp, snapshotOfDir } from './snapshot';
import { duringSynthesis } from '../artefacts';

/** Options of `Plan.compare`. */
export interface PlanOptions {
  /**
   * Dangers to accept: a danger's id (`release-renamed:red.example.com`)
   * accepts that danger, a kind (`release-renamed`) every danger of it.
   *
   * @default - none
   */
  readonly allow?: string[];
}

/** Options of `Plan.renderText`. */
export interface PlanTextOptions {
  /**
   * Value paths shown per changed release, and domains shown; the rest is
   * counted.
   *
   * @default 5
   */
  readonly limit?: number;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What applying a new synthesis over an earlier output changes, compared
 * semantically: releases by name, Helm values by path, objects by kind,
 * namespace and name, files by path; and the dangers for a running
 * deployment (see `Plan.DANGER_KINDS`).
 */
export class Plan {
  /**
   * The danger kinds, stable across versions: `default-domain-changed`,
   * `release-renamed`, `domain-removed-with-entry-point`,
   * `chart-version-down`, `tls-mode-changed`, `namespace-changed`,
   * `format-changed`.
   */
  public static readonly DANGER_KINDS: string[] = [...DANGER_KINDS];

  /**
   * Compare the earlier output in `previousDir` (the `outdir` of an earlier
   * `app.synth()`, or the `--out` folder of the command line's `synth`) with
   * what `app` would synthesize now. Validates `app` (the unlinkability
   * audit included) and writes nothing; throws when `app` is not valid or
   * `previousDir` is not a folder.
   *
   * @param previousDir the output folder of an earlier synthesis
   * @param app the app as it is now
   * @param options dangers to accept
   */
  public static compare(previousDir: string, app: App, options: PlanOptions = {}): PlanResult {
    return duringSynthesis(app, () => {
      const errors = app.node.findAll().flatMap((c) => c.node.validate());
      if (errors.length > 0) {
        throw new Error(`the app is not valid, nothing was compared:\n${errors.map((e) => `  ${e}`).join('\n')}`);
      }
      return planAgainst(previousDir, app, options.allow ?? [], false);
    });
  }

  /**
   * The exit code of the command line for a plan: 0 nothing changes, 3
   * changes without a danger that is not allowed, 1 a danger not allowed.
   */
  public static exitCode(result: PlanResult): number {
    if (result.dangers.some((d) => !d.allowed)) return 1;
    return result.changes ? 3 : 0;
  }

  /** The dangers that were not allowed. */
  public static refused(result: PlanResult): PlanDanger[] {
    return result.dangers.filter((d) => !d.allowed);
  }

  /** The plan as JSON (the schema is in the README), ending in a newline. */
  public static renderJson(result: PlanResult): string {
    return `${JSON.stringify(result, null, 2)}\n`;
  }

  /** The plan for people: a summary, the dangers first, then releases, secrets and domains. */
  public static renderText(result: PlanResult, options: PlanTextOptions = {}): string {
    const limit = options.limit ?? 5;
    const lines: string[] = [];
    const count = (change: PlanChange) => result.releases.filter((r) => r.change === change).length;
    const domainCount = (change: PlanChange) => result.domains.filter((d) => d.change === change).length;
    if (!result.changes) {
      return `no changes: ${plural(result.releases.length, 'release')} as deployed\n`;
    }
    const summary = [
      `releases: ${count(PlanChange.ADDED)} added, ${count(PlanChange.REMOVED)} removed, ${count(PlanChange.CHANGED)} changed, ${count(PlanChange.UNCHANGED)} unchanged`,
      `domains: ${domainCount(PlanChange.ADDED)} added, ${domainCount(PlanChange.REMOVED)} removed, ${domainCount(PlanChange.CHANGED)} changed`,
      `${plural(result.dangers.length, 'danger')}${result.dangers.length > 0 ? ` (${Plan.refused(result).length} not allowed)` : ''}`,
    ];
    lines.push(`plan: ${summary.join('; ')}`);
    for (const d of result.dangers) {
      lines.push(`DANGER ${d.id}${d.allowed ? ' (allowed)' : ` (not allowed; accept it with --allow ${d.id})`}: ${d.message}`);
    }
    const shown = result.releases.filter((r) => r.change !== PlanChange.UNCHANGED);
    if (shown.length > 0) lines.push('releases:');
    for (const r of shown.slice(0, Math.max(limit, 20))) lines.push(...releaseLines(r, limit));
    if (shown.length > Math.max(limit, 20)) lines.push(`  ... and ${shown.length - Math.max(limit, 20)} more release(s)`);
    if (result.secrets.create.length > 0) {
      lines.push('secrets to create before applying:');
      lines.push(...capped(result.secrets.create, limit * 2).map((s) => `  + ${s}`));
    }
    if (result.secrets.unused.length > 0) {
      lines.push('secrets no longer read (delete them after applying):');
      lines.push(...capped(result.secrets.unused, limit * 2).map((s) => `  - ${s}`));
    }
    if (result.domains.length > 0) lines.push('domains:');
    for (const d of result.domains.slice(0, limit * 2)) {
      const mark = d.change === PlanChange.ADDED ? '+' : d.change === PlanChange.REMOVED ? '-' : '~';
      const release =
        d.release === undefined
          ? `release ${d.previousRelease} removed`
          : d.previousRelease !== undefined
            ? `release ${d.previousRelease} -> ${d.release}`
            : `release ${d.release}`;
      lines.push(`  ${mark} ${d.domain} (${release})`);
      if (d.dnsAdd.length + d.dnsRemove.length > 0) {
        const parts = [d.dnsAdd.length > 0 ? `add ${d.dnsAdd.length}` : '', d.dnsRemove.length > 0 ? `remove ${d.dnsRemove.length}` : ''].filter((x) => x !== '');
        lines.push(`      DNS: ${parts.join(', ')} record(s) (edge/${d.domain}/dns.zone)`);
      }
      for (const c of d.certificates) lines.push(`      certificate: ${c}`);
      for (const e of d.entryPointsAdded) lines.push(`      entry point + ${e}`);
      for (const e of d.entryPointsRemoved) lines.push(`      entry point - ${e}`);
    }
    if (result.domains.length > limit * 2) lines.push(`  ... and ${result.domains.length - limit * 2} more domain(s)`);
    const items = (what: string, i: { added: string[]; removed: string[]; changed: string[] }) =>
      `${what}: ${i.added.length} added, ${i.removed.length} removed, ${i.changed.length} changed`;
    lines.push(`${items('objects', result.objects)}; ${items('files', result.files)}`);
    return `${lines.join('\n')}\n`;
  }

  private constructor() {}
}

/**
 * `Plan.compare` for an app already validated in the current synthesis.
 * With `dangersOnly` (the guard of synth), files that hold no danger are
 * not compared.
 */
export function planAgainst(previousDir: string, app: App, allow: readonly string[], requireMarker = true, dangersOnly = false): PlanResult {
  try {
    // the guard of synth needs the dangers only: it leaves the audit reports out
    const skip = dangersOnly ? isReport : () => false;
    const next = snapshotOfApp(app, skip);
    const previous = snapshotOfDir(previousDir, next, requireMarker, skip);
    return compareSnapshots(previous, next, allow);
  } finally {
    forgetParsedValues();
  }
}

function capped(xs: string[], n: number): string[] {
  return xs.length <= n ? xs : [...xs.slice(0, n), `... and ${xs.length - n} more`];
}

function releaseLines(r: PlannedRelease, limit: number): string[] {
  const version = r.previousVersion !== undefined ? `${r.previousVersion} -> ${r.version}` : r.version;
  const mark = r.change === PlanChange.ADDED ? '+' : r.change === PlanChange.REMOVED ? '-' : '~';
  const head = `  ${mark} ${r.name} (${r.chart} ${version})`;
  if (r.change !== PlanChange.CHANGED) return [head];
  const restarts = r.restarts.length > 0 ? `restarts ${r.restarts.join(', ')}` : 'no Wire service restarts';
  const out = [`${head}: ${plural(r.paths.length, 'value path')}; ${restarts}`];
  for (const p of r.paths.slice(0, limit)) out.push(`      ${p}`);
  if (r.paths.length > limit) out.push(`      ... and ${r.paths.length - limit} more value path(s)`);
  for (const d of r.details.filter((x) => !x.startsWith('version '))) out.push(`      ${d}`);
  return out;
}
