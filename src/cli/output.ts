/**
 * Atomic output: everything is written into a new folder beside the target,
 * which replaces the target only when everything succeeded. A failed run
 * leaves the previous output as it was.
 *
 * The swap is two renames (the target aside, the new folder in its place),
 * written down first in a journal beside the target
 * (`.<target>.swap`, naming both folders). A run killed at any step leaves
 * either the previous output or the new one at the target, or (killed
 * between the two renames) both folders named by the journal; the next run
 * reads the journal first and finishes the swap or rolls it back, and
 * removes every staging folder a dead run left behind.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A file in every output folder, so that a later run knows it may replace the folder. */
export const MARKER = '.cdk8s-wire-multi-ingress';
const MARKER_TEXT = 'Written by cdk8s-wire-multi-ingress. The next synth replaces this whole folder.\n';

/** A problem with the output folder (a usage error). */
export class OutputError extends Error {}

/**
 * The steps of a synth's output, in order. With the environment variable
 * `CDK8S_WIRE_TEST_KILL_AFTER` set to one of them, the process kills itself
 * (SIGKILL) right after that step: the tests prove what a kill leaves.
 */
export const OUTPUT_STEPS = ['staging-created', 'staging-filled', 'journal-written', 'previous-moved', 'new-moved', 'previous-removed', 'journal-removed'] as const;
type OutputStep = (typeof OUTPUT_STEPS)[number];

function step(name: OutputStep): void {
  if (process.env.CDK8S_WIRE_TEST_KILL_AFTER === name) {
    process.kill(process.pid, 'SIGKILL');
  }
}

/** What a swap in progress is doing, written beside the target before the first rename. */
interface Journal {
  /** The complete new output, renamed to the target by the second rename. */
  readonly staging: string;
  /** Where the first rename moves the previous output. */
  readonly previous: string;
}

/** The journal of a target's swap: `.<name>.swap` beside it. */
function journalPath(resolved: string): string {
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.swap`);
}

/** The prefix of every staging folder of a target: `.<name>.new-`. */
function stagingPrefix(resolved: string): string {
  return `.${path.basename(resolved)}.new-`;
}

/** Words for a file system error: what failed, on which path, and why in plain terms. */
export function describeFsError(action: string, target: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why: { [code: string]: string } = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted (immutable or protected)',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    ENOENT: 'a folder on the way does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EBUSY: 'it is in use (a mount point?)',
    EXDEV: 'it is on another file system',
  };
  return `cannot ${action} ${target}: ${code !== undefined && why[code] ? why[code] : (e as Error).message}${code ? ` (${code})` : ''}`;
}

/** Run a file system call; its error worded by `describeFsError`. */
function fsCall<T>(action: string, target: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new OutputError(describeFsError(action, target, e));
  }
}

/** Whether `inner` is `outer` or below it. */
function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A path with symbolic links of its existing part followed. */
function realish(p: string): string {
  const resolved = path.resolve(p);
  let existing = resolved;
  const rest: string[] = [];
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  try {
    return path.join(fs.realpathSync(existing), ...rest);
  } catch {
    return resolved;
  }
}

/**
 * Refuse a target that is not ours to replace. Writes nothing.
 *
 * @param inputs files the run reads (the configuration, values files): the
 * target must not contain any of them, as replacing it would delete them
 */
export function checkTarget(target: string, inputs: readonly string[] = []): void {
  const resolved = path.resolve(target);
  const cwd = process.cwd();
  if (resolved === path.parse(resolved).root || cwd === resolved || cwd.startsWith(resolved + path.sep)) {
    throw new OutputError(`--out ${target} is not valid: it contains the current folder; choose a folder of its own, e.g. synth-out`);
  }
  const real = realish(resolved);
  for (const input of inputs) {
    if (isWithin(realish(input), real)) {
      throw new OutputError(
        `--out ${target} is not valid: it contains ${input}, which this run reads, and the next synth replaces the folder as a whole; ` +
          'choose an output folder of its own, e.g. synth-out',
      );
    }
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    return; // does not exist yet
  }
  if (!stat.isDirectory()) {
    throw new OutputError(`--out ${target} is not valid: it is a file; expected a folder (new, empty, or written by an earlier synth)`);
  }
  const entries = fs.readdirSync(resolved);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new OutputError(
      `--out ${target} is not valid: the folder is not empty and was not written by cdk8s-wire-multi-ingress (no ${MARKER} file in it); ` +
        'choose a new or empty folder, the next synth replaces it as a whole',
    );
  }
}

/** A new, unused path beside `target` for the output being written (not created). */
export function stagingPathFor(target: string): string {
  const resolved = path.resolve(target);
  const random = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(resolved), `${stagingPrefix(resolved)}${process.pid}-${random}`);
}

/** Whether a process runs (a staging folder of a live run is not ours to remove). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finish or roll back what a killed run left beside `target`: the swap its
 * journal names (the new output goes in place when the target is missing,
 * else the previous one comes back), then every staging folder of a run that
 * is no longer alive. Returns what it did, for a message.
 */
export function recoverOutput(target: string): string[] {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  const done: string[] = [];
  const journalFile = journalPath(resolved);
  if (fs.existsSync(journalFile)) {
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
    } catch {
      journal = undefined; // written half: the swap had not started (the journal is renamed into place whole)
    }
    const ours = (p: unknown): p is string => typeof p === 'string' && path.dirname(p) === parent && path.basename(p).startsWith(stagingPrefix(resolved));
    if (journal && ours(journal.staging) && ours(journal.previous) && !fs.existsSync(resolved)) {
      if (fs.existsSync(path.join(journal.staging, MARKER))) {
        fsCall('finish the interrupted swap of', target, () => fs.renameSync(journal!.staging, resolved));
        done.push(`finished the swap a killed run left: ${target} holds its complete output`);
      } else if (fs.existsSync(journal.previous)) {
        fsCall('roll back the interrupted swap of', target, () => fs.renameSync(journal!.previous, resolved));
        done.push(`rolled back the swap a killed run left: ${target} holds the previous output`);
      }
    }
    fsCall('remove the journal', journalFile, () => fs.rmSync(journalFile, { force: true }));
  }
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return done;
  }
  for (const entry of entries) {
    const m = new RegExp(`^${escapeRegExp(stagingPrefix(resolved))}(\\d+)-[a-z0-9]+(?:\\.old|\\.swap)?$`).exec(entry);
    if (m && !alive(Number(m[1]))) {
      fsCall('remove the leftover folder', path.join(parent, entry), () => fs.rmSync(path.join(parent, entry), { recursive: true, force: true }));
      done.push(`removed ${entry}, left by a killed run`);
    }
  }
  return done;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Run `fill` to write the output into `staging` (a path from
 * `stagingPathFor`); when it succeeds, replace `target` with it. When it
 * fails, remove `staging` and rethrow: `target` is untouched.
 *
 * @param inputs files the run reads, which `target` must not contain
 */
export function writeAtomically(target: string, staging: string, fill: (dir: string) => void, inputs: readonly string[] = []): void {
  checkTarget(target, inputs);
  recoverOutput(target);
  const resolved = path.resolve(target);
  fsCall('create the output folder beside', target, () => fs.mkdirSync(staging, { recursive: true }));
  step('staging-created');
  try {
    fill(staging);
    fs.writeFileSync(path.join(staging, MARKER), MARKER_TEXT);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  step('staging-filled');
  const previous = `${staging}.old`;
  const hasPrevious = fs.existsSync(resolved);
  const journalFile = journalPath(resolved);
  try {
    const journal: Journal = { staging, previous };
    fs.writeFileSync(`${staging}.swap`, `${JSON.stringify(journal)}\n`);
    fs.renameSync(`${staging}.swap`, journalFile);
  } catch (e) {
    fs.rmSync(`${staging}.swap`, { force: true });
    fs.rmSync(staging, { recursive: true, force: true });
    throw new OutputError(describeFsError('write the swap journal beside', target, e));
  }
  step('journal-written');
  if (hasPrevious) {
    try {
      fs.renameSync(resolved, previous);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.rmSync(journalFile, { force: true });
      throw new OutputError(describeFsError('replace', target, e));
    }
  }
  step('previous-moved');
  try {
    fs.renameSync(staging, resolved);
  } catch (e) {
    if (hasPrevious) fs.renameSync(previous, resolved);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(journalFile, { force: true });
    throw new OutputError(describeFsError('replace', target, e));
  }
  step('new-moved');
  if (hasPrevious) fs.rmSync(previous, { recursive: true, force: true });
  step('previous-removed');
  fs.rmSync(journalFile, { force: true });
  step('journal-removed');
}
