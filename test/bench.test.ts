/**
 * The benchmarks still run (they are not part of the tests otherwise, and a
 * change to the command line once left bench:plan refused by the audit): each
 * at a few domains, once. Nothing here is timed: only that every case and
 * format gets its row and that the commands succeed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeIf } from './e2e/tools';
import { tempDir } from './util';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');

function bench(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], { encoding: 'utf8', timeout: 120_000 });
}

describeIf(fs.existsSync(CLI), 'needs the compiled command line (lib/cli/main.js: npx projen compile)', 'the benchmarks run', () => {
  test('bench.js: a row for each case and format asked for, and the targets', () => {
    // the case without entry points and the one with the most (edge proxies, IPv6), in every format
    const cases = ['releases', 'edge-ipv6'];
    const r = bench('bench.js', '--sizes', '3', '--runs', '1', '--large', '0', '--cases', cases.join(','), '--dir', tempDir('bench-test-'));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    for (const c of cases) {
      for (const f of ['helmchart', 'flux', 'argocd', 'values']) {
        expect(r.stdout).toMatch(new RegExp(`^\\| ${c} \\| ${f} \\| 3 \\| \\d+ \\| \\d+ \\| [0-9.]+ s \\|`, 'm'));
      }
    }
    expect(r.stdout).toMatch(/^Targets:\n- cold synth of the guide's example/m);
  }, 180_000);

  test('plan.js: plan of 3 -> 4 domains, and both synths', () => {
    const r = bench('plan.js', '--from', '3', '--runs', '1');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    for (const command of ['plan', 'synth (new folder)', 'synth (over the output, compares first)']) {
      expect(r.stdout).toContain(`| ${command} | `);
    }
    expect(r.stdout).toContain('releases: 1 added, 0 removed');
  }, 120_000);
});
