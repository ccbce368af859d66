/**
 * Atomic output: everything is written into a new folder beside the target,
 * which replaces the target only when everything succeeded. A failed run
 * leaves the previous output as it was.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A file in every output folder, so that a later run knows it may replace the folder. */
export const MARKER = '.cdk8s-wire-multi-ingress';
const MARKER_TEXT = 'Written by cdk8s-wire-multi-ingress. The next synth replaces this whole folder.\n';

/** A problem with the output folder (a usage error). */
export class OutputError extends Error {}

/** Refuse a target that is not ours to replace. Writes nothing. */
export function checkTarget(target: string): void {
  const resolved = path.resolve(target);
  const cwd = process.cwd();
  if (resolved === path.parse(resolved).root || cwd === resolved || cwd.startsWith(resolved + path.sep)) {
    throw new OutputError(`--out ${target} is not valid: it contains the current folder; choose a folder of its own, e.g. synth-out`);
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
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.new-${process.pid}-${random}`);
}

/**
 * Run `fill` to write the output into `staging` (a path from
 * `stagingPathFor`); when it succeeds, replace `target` with it. When it
 * fails, remove `staging` and rethrow: `target` is untouched.
 */
export function writeAtomically(target: string, staging: string, fill: (dir: string) => void): void {
  checkTarget(target);
  const resolved = path.resolve(target);
  fs.mkdirSync(staging, { recursive: true });
  try {
    fill(staging);
    fs.writeFileSync(path.join(staging, MARKER), MARKER_TEXT);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  if (fs.existsSync(resolved)) {
    old = `${staging}.old`;
    fs.renameSync(resolved, old);
  }
  try {
    fs.renameSync(staging, resolved);
  } catch (e) {
    if (old) fs.renameSync(old, resolved);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}
