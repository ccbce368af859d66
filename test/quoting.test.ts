import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeWithTools } from './e2e/tools';
import { edgeOf } from './edge/fixtures';
import { tempDir } from './util';
import { renderCertbotScript } from '../src/edge/dns';
import { resolveEntryPointSettings } from '../src/edge/options';
import { commentText, haproxyWord, shellWord, zoneName } from '../src/quoting';
import { emailAddressProblem } from '../src/settings';

/** Every character a POSIX shell gives a meaning to, and a few that are special elsewhere. */
const METACHARACTERS = [...'|&;<>()$`\\"\' \t\n*?[]#~=%!{}^,+-/.:@', '\u00e9', '\u{1f600}'];
const HOSTILE = [
  ...METACHARACTERS,
  'x@{domain};id>/tmp/pwned;:',
  "a'b'c",
  "''",
  '$(touch pwned)',
  '`touch pwned`',
  '${HOME}',
  'a\nb',
  '-n',
  '--',
  'a\\',
  "'\\''",
  '"$@"',
  '',
];

describeWithTools(['sh'], 'shellWord', (tools) => {
  test.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('%s reaches a real sh as exactly one word, nothing run', (_name, value) => {
    const dir = tempDir();
    // printf prints its argument once per word, with a terminator: one word, exactly the value
    const script = `printf '%s<END>' ${shellWord(value)}`;
    const result = spawnSync(tools.sh, ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${value}<END>`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a plain word stays as it is, anything else is in single quotes', () => {
    expect(shellWord('nginz-https.red.example.com')).toBe('nginz-https.red.example.com');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});

describe('haproxyWord', () => {
  test('a word HAProxy would split, comment out or expand is single-quoted', () => {
    for (const c of [' ', '#', '$', '\\', '"', "'", '%', '\t']) {
      expect(haproxyWord(`/etc/a${c}b`)).toMatch(/^'.*'$/);
    }
    expect(haproxyWord("a'b")).toBe("'a'\\''b'");
    expect(haproxyWord('/etc/haproxy/certs/red.example.com.pem')).toBe('/etc/haproxy/certs/red.example.com.pem');
    expect(haproxyWord('[2001:db8::1]:443')).toBe('[2001:db8::1]:443');
  });

  test('a line break cannot be quoted in a haproxy.cfg: it is refused', () => {
    expect(() => haproxyWord('/etc/a\nglobal')).toThrow('cannot be written into a haproxy.cfg: it holds a line break');
  });
});

describe('zoneName and commentText', () => {
  test('every character of a name but letters, digits, "-", "_", "*" and dots is written \\DDD', () => {
    expect(zoneName('*.red.example.com')).toBe('*.red.example.com');
    expect(zoneName('a;b.example.com')).toBe('a\\059b.example.com');
    expect(zoneName('a b$(x)"\n.com')).toBe('a\\032b\\036\\040x\\041\\034\\010.com');
    expect(zoneName('\u00fc.de')).toBe('\\195\\188.de');
  });

  test('a comment keeps to its line', () => {
    expect(commentText('# a\nrm -rf /\r\u2028')).toBe('# a?rm -rf /??');
  });
});

describe('e-mail addresses', () => {
  test.each([
    ['hostmaster@example.com', undefined],
    ['first.last+tag@sub.example.co.uk', undefined],
    ["o'brien@example.com", undefined],
    ['hostmaster', 'it has no "@"'],
    ['x@example.com;id>/tmp/pwned;:', 'the part after "@" must be a domain'],
    ['x@localhost', 'the part after "@" must be a domain'],
    ['x@203.0.113.1', 'the part after "@" must be a domain'],
    ['a..b@example.com', 'the part before "@" must be'],
    ['.a@example.com', 'the part before "@" must be'],
    ['"a b"@example.com', 'the part before "@" must be'],
    ['a(b)@example.com', 'the part before "@" must be'],
    [`${'a'.repeat(65)}@example.com`, 'the part before "@" must be 1-64'],
    ['a@-example.com', 'the part after "@" must be a domain'],
    ['a@ex_ample.com', 'the part after "@" must be a domain'],
    ['a@b\u00fc.de', 'the part after "@" must be a domain'],
  ])('%j', (address, problem) => {
    const found = emailAddressProblem(address);
    if (problem === undefined) {
      expect(found).toBeUndefined();
    } else {
      expect(found).toContain(problem);
    }
  });
});

/** Stand-ins for the programs certbot.sh runs: each logs its arguments, one per line, and succeeds. */
function standIns(dir: string): { bin: string; log: string } {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'argv.log');
  fs.mkdirSync(bin);
  for (const program of ['certbot', 'openssl', 'systemctl']) {
    const file = path.join(bin, program);
    const log_ = `{ echo "${program}"; for a in "$@"; do printf '[%s]\\n' "$a"; done; } >> "$ARGV_LOG"`;
    // openssl writes the files it is asked for, so that the script goes on to certbot
    const files = program === 'openssl' ? '\nwhile [ $# -gt 1 ]; do case "$1" in -keyout|-out) echo x > "$2";; esac; shift; done' : '';
    fs.writeFileSync(file, `#!/bin/sh\n${log_}${files}\n`, { mode: 0o755 });
  }
  return { bin, log };
}

describeWithTools(['sh'], 'certbot.sh with a hostile ACME e-mail', (tools) => {
  const hostile = 'x@{domain};touch "$MARKER";:';

  test('the settings refuse the address', () => {
    expect(() => resolveEntryPointSettings({ haproxy: { acmeEmail: hostile } }, 'wire', new Set(['red.example.com']))).toThrow(
      /haproxy\.acmeEmail ".*" is not valid \(the part after "@" must be a domain/,
    );
  });

  test.each([true, false])('past the validation (httpRedirect %s), the script passes it to certbot as one argument and runs nothing', (httpRedirect) => {
    const edge = edgeOf('red.example.com', '198.51.100.20', { haproxy: { httpRedirect } });
    // bypass the validation: the quoting alone must hold
    const dir = tempDir();
    const certificateDirectory = `${dir}/certs $(touch "$MARKER");'\\`;
    const bypassed = { ...edge, settings: { ...edge.settings, haproxy: { ...edge.settings.haproxy, acmeEmail: hostile, certificateDirectory } } };
    const { bin, log } = standIns(dir);
    const marker = path.join(dir, 'pwned');
    const script = path.join(dir, 'certbot.sh');
    fs.writeFileSync(script, renderCertbotScript(bypassed), { mode: 0o755 });
    const env = { PATH: `${bin}:/usr/bin:/bin`, ARGV_LOG: log, MARKER: marker, HOME: dir };
    const result = spawnSync(tools.sh, [script], { cwd: dir, env, encoding: 'utf8' });
    expect(fs.existsSync(marker)).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const calls = fs.readFileSync(log, 'utf8');
    expect(calls).toContain(`[--email]\n[${hostile.split('{domain}').join('red.example.com')}]\n`);
    // the hook is one argument, as certbot would run it later
    const hook = /\[--deploy-hook\]\n\[([^\]]*)\]/.exec(calls)![1];
    expect(hook).toContain('$RENEWED_LINEAGE');
    const lineage = path.join(dir, 'lineage');
    fs.mkdirSync(lineage);
    fs.writeFileSync(path.join(lineage, 'fullchain.pem'), 'chain\n');
    fs.writeFileSync(path.join(lineage, 'privkey.pem'), 'key\n');
    spawnSync(tools.sh, ['-c', hook], { cwd: dir, env: { ...env, RENEWED_LINEAGE: lineage }, encoding: 'utf8' });
    expect(fs.existsSync(marker)).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // the hook wrote the PEM where the (hostile) folder says, literally
    expect(fs.readFileSync(path.join(certificateDirectory, 'red.example.com.pem'), 'utf8')).toBe('chain\nkey\n');
  });
});

describeWithTools(['haproxy', 'openssl'], 'haproxyWord with the real haproxy', (tools) => {
  test.each([
    // whether HAProxy 2.6 misreads the name unquoted ("$" and "%" are quoted all the same: other versions and directives expand them)
    ['a space', 'ca file.pem', true],
    ['a "#"', 'ca#1.pem', true],
    ['a "$"', 'ca$HOME.pem', false],
    ['a single quote', "o'ca.pem", true],
    ['a double quote and a backslash', 'c"a\\1.pem', true],
    ['a "%"', 'ca%[var(x)].pem', false],
  ])('a CA file whose name has %s is read as that file', (_name, base, breaksUnquoted) => {
    const dir = tempDir();
    const ca = path.join(dir, base);
    const made = spawnSync(tools.openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', path.join(dir, 'key.pem'), '-out', ca], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    const cfg = path.join(dir, 'haproxy.cfg');
    const backend = (file: string) =>
      ['defaults', '    mode http', '    timeout connect 5s', '    timeout client 5s', '    timeout server 5s', '', 'frontend f', '    bind 127.0.0.1:18080', '    default_backend b', '', 'backend b', `    server s 127.0.0.1:1 ssl verify required ca-file ${file}`, ''].join('\n');
    fs.writeFileSync(cfg, backend(haproxyWord(ca)));
    const checked = spawnSync(tools.haproxy, ['-c', '-f', cfg], { encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`).not.toMatch(/ALERT|unable to load/i);
    expect(checked.status).toBe(0);
    if (breaksUnquoted) {
      // the same name unquoted is not that file (so the check above can fail)
      fs.writeFileSync(cfg, backend(ca));
      expect(spawnSync(tools.haproxy, ['-c', '-f', cfg], { encoding: 'utf8' }).status).not.toBe(0);
    }
  });
});
