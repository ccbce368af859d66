import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../../src/cli/config';
import { runVerify } from '../../src/verify/command';
import { targetOf } from '../../src/verify/target';
import { mailbox } from '../../src/verify/verify';
import { freePort, tempDir } from '../e2e/tools';

const GUIDE_CONFIG = path.join(__dirname, '..', '..', 'examples', 'guide-three-domains', 'multi-ingress.yaml');

async function verifyCli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runVerify(args, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

describe('usage errors exit 2 and name the bad value', () => {
  test.each([
    [[], 'verify needs --config FILE'],
    [['--config', GUIDE_CONFIG, '--bogus'], 'unknown option --bogus'],
    [['--config', GUIDE_CONFIG, 'extra'], 'verify takes no argument "extra"'],
    [['--config', GUIDE_CONFIG, '--connect', 'red.example.com'], '--connect "red.example.com" is not valid: expected <host-or-domain>[:443|:80]=<ip>[:port]'],
    [['--config', GUIDE_CONFIG, '--connect', 'red.example.com:8080=127.0.0.1'], '--connect "red.example.com:8080=127.0.0.1" is not valid'],
    [['--config', GUIDE_CONFIG, '--connect', 'red.example.com=localhost'], '--connect address "localhost" is not valid: expected an IP address'],
    [['--config', GUIDE_CONFIG, '--dns-server', '127.0.0.1:99999'], '--dns-server "127.0.0.1:99999" is not valid'],
    [['--config', GUIDE_CONFIG, '--timeout', '0'], '--timeout "0" is not valid: expected a whole number from 1 to 120'],
    [['--config', GUIDE_CONFIG, '--ca', '/nonexistent/ca.pem'], '--ca "/nonexistent/ca.pem" cannot be read (no such file)'],
    [['--config'], '--config needs a value'],
  ])('%j', async (args, message) => {
    const r = await verifyCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  test('a --ca file without a PEM certificate', async () => {
    const dir = tempDir('verify-ca-');
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'not a certificate\n');
    const r = await verifyCli(['--config', GUIDE_CONFIG, '--ca', path.join(dir, 'ca.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no PEM certificate');
    expect(r.stderr).not.toContain('not a certificate');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test('--help prints the options and exits 0', async () => {
  const r = await verifyCli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('--connect NAME[:PORT]=IP[:P]');
  expect(r.stdout).toContain('--dns-server IP[:PORT]');
});

test('an invalid configuration exits 1 and probes nothing', async () => {
  const dir = tempDir('verify-config-');
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, 'defaultDomain: "Red..Example"\n');
  const r = await verifyCli(['--config', file]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('invalid input, nothing was probed');
  expect(r.stderr).toContain('Red..Example');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a DNS server that does not answer: every host name is reported unresolved, exit 1, same bytes on every run', async () => {
  const port = await freePort('127.0.0.1'); // nothing listens there
  const args = ['--config', GUIDE_CONFIG, '--dns-server', `127.0.0.1:${port}`, '--timeout', '1', '--json'];
  const r = await verifyCli(args);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.passed).toBe(false);
  const target = targetOf(loadConfig(GUIDE_CONFIG));
  const unresolved = report.findings.filter((f: any) => f.id.startsWith('dns-unresolved:')).map((f: any) => f.id.slice('dns-unresolved:'.length));
  expect(unresolved.sort()).toEqual(target.domains.flatMap((d) => d.hosts).sort());
  expect(report.findings.filter((f: any) => f.id.startsWith('dns-no-zone:')).map((f: any) => f.domains)).toEqual([['blue.example.net'], ['green.example.org'], ['red.example.com']]);
  expect((await verifyCli(args)).stdout).toBe(r.stdout);
});

describe('what verify expects comes from the configuration, built in memory', () => {
  test("each domain's deeplink is the synthesized one, its entry address the configured one", () => {
    const target = targetOf(loadConfig(GUIDE_CONFIG));
    expect(target.domains.map((d) => [d.domain, d.entryAddress])).toEqual([
      ['green.example.org', '203.0.113.10'],
      ['red.example.com', '198.51.100.20'],
      ['blue.example.net', '2001:db8::30'],
    ]);
    for (const d of target.domains) {
      expect((d.deeplink as any).endpoints.backendURL).toBe(`https://nginz-https.${d.domain}`);
      expect(d.hosts[0]).toBe(`nginz-https.${d.domain}`);
    }
    expect(target.backendAddress).toBe('192.0.2.1');
    expect(target.httpRedirect).toBe(true);
  });

  test('no redirect is expected when the edge proxies do not redirect, nor without entry points', () => {
    const dir = tempDir('verify-target-');
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, 'defaultDomain: green.example.org\nentryPoints:\n  addresses: { green.example.org: 192.0.2.7 }\n  backendAddress: 192.0.2.1\n  haproxy: { httpRedirect: false }\n');
    expect(targetOf(loadConfig(file)).httpRedirect).toBe(false);
    fs.writeFileSync(file, 'defaultDomain: green.example.org\n');
    const bare = targetOf(loadConfig(file));
    expect(bare.httpRedirect).toBe(false);
    expect(bare.domains[0].entryAddress).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test("an SOA contact is read as a mailbox: the first unescaped dot is the '@'", () => {
  expect(mailbox('hostmaster.red.example.com')).toBe('hostmaster@red.example.com');
  expect(mailbox('first\\.last.example.com.')).toBe('first.last@example.com');
  expect(mailbox('root')).toBe('root');
});
