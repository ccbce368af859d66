/**
 * Helpers for tests that run real programs (haproxy, nginx, openssl, curl).
 *
 * When a program is missing, the tests fail in CI (CI or WIRE_E2E_REQUIRED
 * set: `.ci/run` installs them) and are skipped, with the reason printed,
 * elsewhere. Every process runs under `timeout`, so none outlives its test
 * even when the test runner dies.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Debian packages that provide each program. */
const PACKAGES: { [tool: string]: string } = {
  'haproxy': 'haproxy',
  'nginx': 'nginx',
  'openssl': 'openssl',
  'curl': 'curl',
  'shellcheck': 'shellcheck',
  'kubectl': 'kubernetes-client',
  'timeout': 'coreutils',
  'named': 'bind9',
  'named-checkzone': 'bind9-utils',
};

/** The absolute path of a program, looking in PATH and the sbin folders (haproxy and nginx live in /usr/sbin). */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter((d) => d !== '')) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether missing programs fail the tests instead of skipping them. */
export function toolsRequired(): boolean {
  return ['CI', 'WIRE_E2E_REQUIRED'].some((v) => (process.env[v] ?? '') !== '' && process.env[v] !== 'false' && process.env[v] !== '0');
}

/**
 * `describe` when every program is installed. Otherwise, in CI, a suite with
 * one failing test that names what is missing; elsewhere a skipped suite and
 * a printed reason.
 */
export function describeWithTools(tools: string[], name: string, fn: (paths: { [tool: string]: string }) => void): void {
  const found = Object.fromEntries(tools.map((t) => [t, findTool(t)]));
  const missing = tools.filter((t) => found[t] === undefined);
  if (missing.length === 0) {
    describe(name, () => fn(found as { [tool: string]: string }));
    return;
  }
  const packages = [...new Set(missing.map((t) => PACKAGES[t] ?? t))].join(' ');
  const reason = `needs ${missing.join(', ')}, not found in PATH or /usr/sbin (install: apt-get install -y ${packages})`;
  if (toolsRequired()) {
    describe(name, () => {
      test('has the programs it needs', () => {
        throw new Error(`${name} ${reason}; CI (or WIRE_E2E_REQUIRED) is set, so these tests are required and are not skipped`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.log(`skipped "${name}": it ${reason}`);
    describe.skip(name, () => fn({}));
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

/** A free TCP port on a loopback address (the kernel's choice; used right away). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
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
