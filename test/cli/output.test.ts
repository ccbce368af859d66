/**
 * Atomic output, tested with real processes: the command line is run as a
 * child process that kills itself (SIGKILL) after each step of the output
 * (CDK8S_WIRE_TEST_KILL_AFTER), and what it leaves is checked, then what the
 * next run makes of it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_CONFIG } from '../../src/cli/example';
import { main } from '../../src/cli/main';
import { MARKER, OUTPUT_STEPS, recoverOutput, stagingPathFor, writeAtomically } from '../../src/cli/output';
import { tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');

// each kill runs the command line from the sources in a child process (ts-node: seconds each)
jest.setTimeout(120_000);

/** Every file below `dir`, relative, with its content. */
function tree(dir: string): { [file: string]: string } {
  if (!fs.existsSync(dir)) return {};
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  return Object.fromEntries(files.map((f) => [f.split(path.sep).join('/'), fs.readFileSync(path.join(dir, f), 'utf8')]));
}

function quietly(...argv: string[]): { code: number; err: string } {
  let err = '';
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return { code: main(argv, () => undefined, (s) => (err += s)), err };
  } finally {
    warn.mockRestore();
  }
}

/** The command line from the sources, as a child process. */
function child(argv: string[], env: { [key: string]: string }): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(ROOT, 'src', 'cli', 'main.ts'), ...argv], {
    cwd: ROOT,
    env: { ...process.env, ...env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Two configurations whose outputs differ. */
function configs(dir: string): { previous: string; next: string } {
  const previous = path.join(dir, 'previous.yaml');
  const next = path.join(dir, 'next.yaml');
  fs.writeFileSync(previous, EXAMPLE_CONFIG);
  fs.writeFileSync(next, 'defaultDomain: green.example.org\nadditionalDomains:\n  - red.example.com\n');
  return { previous, next };
}

describe('a synth killed at each step of its output', () => {
  test.each(OUTPUT_STEPS.map((s) => [s]))('after %s: --out holds the previous or the new output (or the next run completes the swap), and nothing is left behind', (killAfter) => {
    const dir = tempDir('output-');
    const { previous, next } = configs(dir);
    const out = path.join(dir, 'out');
    expect(quietly('synth', '--config', previous, '--out', out).code).toBe(0);
    const before = tree(out);
    const expectedNew = tree((() => {
      const other = path.join(tempDir('output-new-'), 'out');
      expect(quietly('synth', '--config', next, '--out', other).code).toBe(0);
      return other;
    })());
    expect(expectedNew).not.toEqual(before);

    // the next configuration renames and removes live releases: dangers the guard of synth refuses unless allowed
    const allow = ['--allow', 'release-renamed', '--allow', 'domain-removed-with-entry-point'];
    const killed = child(['synth', '--config', next, '--out', out, '--quiet', ...allow], { CDK8S_WIRE_TEST_KILL_AFTER: killAfter });
    expect(killed.signal).toBe('SIGKILL');

    const left = tree(out);
    if (killAfter === 'previous-moved') {
      // between the two renames: the journal names both folders, and the next run finishes the swap
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(path.join(dir, '.out.swap'))).toBe(true);
    } else if (OUTPUT_STEPS.indexOf(killAfter) < OUTPUT_STEPS.indexOf('previous-moved')) {
      expect(left).toEqual(before);
    } else {
      expect(left).toEqual(expectedNew);
    }

    // the next run (here only its recovery) finishes or rolls back, and removes every leftover
    recoverOutput(out);
    const recovered = tree(out);
    expect([before, expectedNew]).toContainEqual(recovered);
    if (OUTPUT_STEPS.indexOf(killAfter) >= OUTPUT_STEPS.indexOf('previous-moved')) {
      expect(recovered).toEqual(expectedNew);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['next.yaml', 'out', 'previous.yaml']);

    // and a whole synth after the kill writes the new output, leaving nothing beside it
    expect(quietly('synth', '--config', next, '--out', out, ...allow).code).toBe(0);
    expect(tree(out)).toEqual(expectedNew);
    expect(fs.readdirSync(dir).sort()).toEqual(['next.yaml', 'out', 'previous.yaml']);
  });
});

describe('a synth after a run killed between the two renames', () => {
  test('finishes the swap first, then guards against the output it put back', () => {
    const dir = tempDir('output-');
    const { previous, next } = configs(dir);
    const out = path.join(dir, 'out');
    expect(quietly('synth', '--config', previous, '--out', out).code).toBe(0);
    const allow = ['--allow', 'release-renamed', '--allow', 'domain-removed-with-entry-point'];
    const killed = child(['synth', '--config', next, '--out', out, '--quiet', ...allow], { CDK8S_WIRE_TEST_KILL_AFTER: 'previous-moved' });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(out)).toBe(false);

    // going back renames the live releases again: a danger of the output the killed run wrote, not allowed here
    const back = quietly('synth', '--config', previous, '--out', out);
    expect(back.err).toContain(`finished the swap a killed run left: ${out} holds its complete output`);
    expect(back.err).toContain('release-renamed');
    expect(back.code).toBe(1);
    // nothing written: --out holds the output the killed run completed
    expect(tree(out)['wire.k8s.yaml']).not.toContain('blue.example.net');
    expect(fs.readdirSync(dir).sort()).toEqual(['next.yaml', 'out', 'previous.yaml']);
  });
});

describe('what earlier runs left', () => {
  test('a synth removes staging folders of runs that are gone, and leaves those of a running one', () => {
    const dir = tempDir('output-');
    const { previous } = configs(dir);
    const out = path.join(dir, 'out');
    const dead = path.join(dir, '.out.new-2147483646-abc123');
    const deadOld = `${dead}.old`;
    const live = path.join(dir, `.out.new-${process.pid}-abc123`);
    for (const d of [dead, deadOld, live]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'wire.k8s.yaml'), 'x');
    }
    expect(quietly('synth', '--config', previous, '--out', out).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(live), 'next.yaml', 'out', 'previous.yaml'].sort());
  });
});

describe('the output folder', () => {
  test('an --out that holds the configuration is refused, and the configuration is kept', () => {
    const dir = tempDir('output-');
    const out = path.join(dir, 'out');
    const { previous } = configs(dir);
    expect(quietly('synth', '--config', previous, '--out', out).code).toBe(0);
    // the operator keeps the configuration inside the tool-written folder
    const inside = path.join(out, 'multi-ingress.yaml');
    fs.copyFileSync(previous, inside);
    const result = quietly('synth', '--config', inside, '--out', out);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`--out ${out} is not valid: it contains ${inside}, which this run reads`);
    expect(fs.existsSync(inside)).toBe(true);
  });

  test('an --out that holds a values file the configuration reads is refused', () => {
    const dir = tempDir('output-');
    const out = path.join(dir, 'out');
    const { previous } = configs(dir);
    expect(quietly('synth', '--config', previous, '--out', out).code).toBe(0);
    fs.writeFileSync(path.join(out, 'webapp.yaml'), 'replicaCount: 2\n');
    const config = path.join(dir, 'with-values.yaml');
    fs.writeFileSync(config, 'defaultDomain: green.example.org\nwebappValuesFile: out/webapp.yaml\n');
    const result = quietly('synth', '--config', config, '--out', out);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`it contains ${path.join(out, 'webapp.yaml')}, which this run reads`);
    expect(fs.existsSync(path.join(out, 'webapp.yaml'))).toBe(true);
  });

  test('when the first rename fails, the staging folder is removed and the previous output is kept', () => {
    const dir = tempDir('output-');
    const target = path.join(dir, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, MARKER), 'x');
    const staging = stagingPathFor(target);
    // the place the previous output is moved to is taken by a folder that is not empty: rename(2) fails
    fs.mkdirSync(`${staging}.old`);
    fs.writeFileSync(path.join(`${staging}.old`, 'in-the-way'), 'x');
    expect(() => writeAtomically(target, staging, (d) => fs.writeFileSync(path.join(d, 'a'), 'a'))).toThrow(`cannot replace ${target}: `);
    expect(fs.existsSync(staging)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(`${staging}.old`), 'out']);
    expect(tree(target)).toEqual({ [MARKER]: 'x' });
  });

  test('a read-only parent is worded as what it is, not as a missing folder', () => {
    const dir = tempDir('output-');
    const { previous } = configs(dir);
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked);
    const lock = lockFolder(locked);
    try {
      const result = quietly('synth', '--config', previous, '--out', path.join(locked, 'out'));
      expect(result.err).toMatch(/cannot create the output folder beside .*locked\/out: (permission denied|operation not permitted)/);
      expect(result.err).not.toContain('ENOENT');
      expect(result.code).toBe(2);
    } finally {
      lock.release();
    }
  });
});

/** Make a folder's entries unchangeable: immutable as root (chattr +i), read-only otherwise. */
function lockFolder(folder: string): { release: () => void } {
  if (process.getuid?.() === 0) {
    const set = spawnSync('chattr', ['+i', folder], { encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`chattr +i ${folder} failed (needed as root: e2fsprogs): ${set.stderr}`);
    return { release: () => void spawnSync('chattr', ['-i', folder]) };
  }
  fs.chmodSync(folder, 0o555);
  return { release: () => fs.chmodSync(folder, 0o755) };
}
