/**
 * The minimal cdk8s app in examples/cdk8s-app, as a user sets it up: the
 * packed tarball of this package installed next to cdk8s, cdk8s-plus-28,
 * constructs, TypeScript and the real cdk8s CLI (from the npm registry, with
 * the example's own version ranges), compiled with tsc and synthesized with
 * `cdk8s synth`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { GUIDE, synth, tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'cdk8s-app');

/** Run a command without a shell; fail with its output when it does. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout + result.stderr;
}

describe('the example cdk8s app, from the packed tarball', () => {
  let app: string;
  let printed: string;

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js')) || !fs.existsSync(path.join(ROOT, '.jsii'))) {
      throw new Error('lib/ is not compiled: run npx projen compile (the build does) before this test');
    }
    app = tempDir('wire-example-app-');
    const packed = run('npm', ['pack', '--silent', '--pack-destination', app], ROOT).trim().split('\n').pop()!;
    for (const f of fs.readdirSync(EXAMPLE)) {
      if (fs.statSync(path.join(EXAMPLE, f)).isFile()) fs.copyFileSync(path.join(EXAMPLE, f), path.join(app, f));
    }
    // the one change a user would not make: this package from the tarball instead of the registry
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
    pkg.dependencies['cdk8s-wire-multi-ingress'] = `file:./${path.basename(packed)}`;
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    // HOME: the cdk8s CLI caches its upgrade check there
    const env = { HOME: app, npm_config_cache: process.env.npm_config_cache ?? path.join(process.env.HOME ?? app, '.npm') };
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app, env);
    run('npm', ['run', 'build'], app, env);
    printed = run(path.join(app, 'node_modules', '.bin', 'cdk8s'), ['synth'], app, env);
  }, 600_000);

  test('cdk8s synth writes the same releases as the library does for the same domains', () => {
    const written = parseAllDocuments(fs.readFileSync(path.join(app, 'synth-out', 'wire.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    const expected = synth(GUIDE).objects;
    expect(written.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(written).toEqual(expected);
  });

  test('WireApp writes the audit report into the folder cdk8s synth names (cdk8s.yaml output)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(app, 'synth-out', 'audit', 'unlinkability.json'), 'utf8'));
    expect([...report.domains].sort()).toEqual(['blue.example.net', 'green.example.org', 'red.example.com']);
    expect(printed).toContain('unlinkability audit passed for 3 domain(s)');
  });
});
