/**
 * `cdk8s-wire-multi-ingress verify`: the command line of `verify`.
 * Exit codes: 0 every check held, 1 a finding (or an invalid configuration), 2 usage.
 */
import * as fs from 'fs';
import { isIP } from 'net';
import * as path from 'path';
import { Endpoint } from './probe';
import { REPORT_FILES, renderVerifyJson, renderVerifyMarkdown } from './report';
import { targetOf } from './target';
import { verify } from './verify';
import { ConfigError, fileError, loadConfig, locate } from '../cli/config';
import { quote } from '../errors';
import { readInputFile } from '../files';

const NAME = 'cdk8s-wire-multi-ingress';

export const VERIFY_HELP = `Usage: ${NAME} verify --config FILE [options]

Probes the live deployment the configuration describes, from outside, per
domain: DNS (each host name resolves to its domain's entry address only; NS
and SOA differ across domains), TLS (with SNI: valid for the name, trusted
chain, names of its own domain only, no certificate, key or serial shared, no
other domain's certificate for a foreign SNI) and HTTP (the synthesized
deeplink document, 403 for another domain's or an unknown Host, port 80
redirects, no header or webapp body naming another domain).

Options:
  --config FILE                the configuration (as for synth)
  --json                       print the JSON report instead of the summary
  --report DIR                 write verify.md and verify.json into DIR
  --connect NAME[:PORT]=IP[:P] connect to IP (port P) for a host name or a
                               domain (all its host names) on PORT (443 by
                               default, or 80), instead of its DNS answer;
                               repeatable (like curl --resolve)
  --dns-server IP[:PORT]       ask this DNS server (repeatable); default: the system's
  --ca FILE                    trust these CAs (PEM) instead of the system's
  --timeout SECONDS            per probe (default 5)
  --concurrency N              domains probed at once (default 8)

Exit codes: 0 every check held, 1 a finding or an invalid configuration, 2 usage.
`;

class UsageError extends Error {}

interface VerifyArgs {
  config?: string;
  json: boolean;
  report?: string;
  connect: Map<string, Endpoint>;
  dnsServers: string[];
  ca?: string;
  timeoutMs: number;
  concurrency: number;
  help: boolean;
}

function endpoint(text: string, defaultPort: number, what: string): Endpoint {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text) ?? (isIP(text) === 6 ? [text, text, undefined] : null);
  const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
  if (!m || isIP(m[1]) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${what} ${quote(text)} is not valid: expected an IP address with an optional port (192.0.2.1, 192.0.2.1:8443, [2001:db8::1]:8443)`);
  }
  return { ip: m[1].toLowerCase(), port };
}

function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
  const args: VerifyArgs = { json: false, connect: new Map(), dnsServers: [], timeoutMs: 5000, concurrency: 8, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = () => {
      const v = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (v === undefined || (eq === -1 && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--config':
        args.config = value();
        break;
      case '--report':
        args.report = value();
        break;
      case '--ca': {
        const file = value();
        try {
          args.ca = readInputFile(file, true).toString('utf8');
        } catch (e) {
          throw new UsageError(`--ca ${quote(file)} cannot be read (${fileError(e)})`);
        }
        if (!args.ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${quote(file)} holds no PEM certificate`);
        break;
      }
      case '--connect': {
        const v = value();
        const at = v.indexOf('=');
        const m = /^([A-Za-z0-9.-]+)(?::(80|443))?$/.exec(at === -1 ? '' : v.slice(0, at));
        if (!m) {
          throw new UsageError(`--connect ${quote(v)} is not valid: expected <host-or-domain>[:443|:80]=<ip>[:port], e.g. red.example.com=127.0.0.2:8443`);
        }
        const port = Number(m[2] ?? 443);
        args.connect.set(`${m[1].toLowerCase().replace(/\.$/, '')}:${port}`, endpoint(v.slice(at + 1), port, '--connect address'));
        break;
      }
      case '--dns-server': {
        const e = endpoint(value(), 53, '--dns-server');
        args.dnsServers.push(isIP(e.ip) === 6 ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
        break;
      }
      case '--timeout':
      case '--concurrency': {
        const v = value();
        const n = Number(v);
        const max = flag === '--timeout' ? 120 : 64;
        if (!/^\d+$/.test(v) || n < 1 || n > max) throw new UsageError(`${flag} ${quote(v)} is not valid: expected a whole number from 1 to ${max}`);
        if (flag === '--timeout') args.timeoutMs = n * 1000;
        else args.concurrency = n;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `verify takes no argument ${quote(arg)}`);
    }
  }
  return args;
}

/** Run `verify` with the arguments after the command; returns the exit code. */
export async function runVerify(
  argv: readonly string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  let args: VerifyArgs;
  try {
    args = parseVerifyArgs(argv);
    if (args.help) {
      out(VERIFY_HELP);
      return 0;
    }
    if (!args.config) throw new UsageError('verify needs --config FILE');
    if (args.report !== undefined && fs.existsSync(args.report) && !fs.statSync(args.report).isDirectory()) {
      throw new UsageError(`--report ${quote(args.report)} is not a folder`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`${NAME}: ${e.message}\nRun ${NAME} verify --help for the options.\n`);
    return 2;
  }
  let target;
  try {
    const config = loadConfig(args.config);
    try {
      target = targetOf(config);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const listed = (e as { problems?: unknown }).problems;
      const problems = Array.isArray(listed) ? listed.map(String) : [(e as Error).message];
      throw new ConfigError(problems.map((p) => `${locate(config, p)}${p}`));
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`${NAME}: invalid input, nothing was probed:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    throw e;
  }
  const total = target.domains.length;
  const result = await verify(target, {
    connect: args.connect,
    dnsServers: args.dnsServers,
    ca: args.ca,
    timeoutMs: args.timeoutMs,
    concurrency: args.concurrency,
    // progress when there are many domains
    progress: total > 10 ? (done) => err(`${NAME} verify: ${done}/${total} domains probed\n`) : undefined,
  });
  if (args.report !== undefined) {
    fs.mkdirSync(args.report, { recursive: true });
    fs.writeFileSync(path.join(args.report, REPORT_FILES.markdown), renderVerifyMarkdown(result));
    fs.writeFileSync(path.join(args.report, REPORT_FILES.json), renderVerifyJson(result));
  }
  if (args.json) {
    out(renderVerifyJson(result));
  } else {
    const errors = result.findings.filter((f) => f.severity === 'error');
    out(
      `${NAME} verify: ${result.passed ? 'passed' : 'FAILED'} for ${total} domain(s): ${errors.length} finding(s); ` +
        `${result.probes.dns} DNS, ${result.probes.tls} TLS, ${result.probes.http} HTTP probe(s)\n`,
    );
    for (const f of result.findings) out(`  - ${f.id}: ${f.message}\n`);
  }
  return result.passed ? 0 : 1;
}
