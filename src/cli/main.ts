#!/usr/bin/env node
/**
 * cdk8s-wire-multi-ingress: the command line for pipelines.
 *
 *   synth     --config FILE --out DIR [--format F]   write manifests and files
 *   validate  --config FILE [--format F]             check only, write nothing
 *   init      [--config FILE] [--force]              write an example config
 *   plan      --config FILE --against DIR [--json]   what a synth over DIR would change
 *   verify    --config FILE [--connect ...]           probe the live deployment (src/verify)
 *
 * Exit codes: 0 ok (plan: nothing changes), 1 invalid input or a danger not
 * allowed, 2 usage, 3 (plan) changes without a danger.
 */
import * as fs from 'fs';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigError, FORMAT_NAMES, LoadedConfig, edgeProxyNamespace, loadConfig, locate, schemaPath, toProps, valuesFilesOf } from './config';
import { EXAMPLE_CONFIG } from './example';
import { OutputError, checkTarget, recoverOutput, stagingPathFor, writeAtomically } from './output';
import { WireApp, duringSynthesis } from '../artefacts';
import { listed as listedInWords } from '../audit/text';
import { MultiIngressBackend } from '../multi-ingress-backend';
import { DANGER_KINDS, PlanResult } from '../plan/compare';
import { Plan, planAgainst } from '../plan/plan';
import { PreviousOutputError, isEarlierOutput } from '../plan/snapshot';
import { printSecretsAfterSynth } from '../report';
import { runVerify } from '../verify/command';

const NAME = 'cdk8s-wire-multi-ingress';

export const HELP = `Usage: ${NAME} <command> [options]

Turns one list of DNS domains into a complete multi-ingress Wire deployment.

Commands:
  synth      check the configuration, then write the manifests and files to --out
  validate   check the configuration and everything it would write; write nothing
  init       write a commented example configuration (the guide's three domains)
  plan       compare what synth would write with an earlier synth output (--against);
             write nothing. Shows the releases, value paths and Wire services that
             change, the Secrets to create, each domain's DNS records, certificates
             and entry points, and the dangers for a running deployment
  verify     probe the live deployment from outside: DNS, TLS and HTTP per domain
             (${NAME} verify --help for its options)

Options:
  --config FILE   the configuration, YAML or JSON (synth, validate: required;
                  init: where to write it, default multi-ingress.yaml, - for stdout)
  --out DIR       synth: the output folder. It is replaced as a whole, and only
                  when everything succeeded; an existing folder must be empty or
                  written by an earlier synth
  --format F      release format, overriding format.type of the file:
                  ${FORMAT_NAMES.join(', ')}
  --against DIR   plan: the output folder of an earlier synth
  --allow ID      plan, synth: accept one danger, by its id (kind:subject) or its
                  kind (every danger of it); repeatable. Kinds:
                  ${DANGER_KINDS.join(', ')}
  --json          plan: print the plan as JSON on stdout
  --allow-outside-files
                  read values files (wireServerValuesFile, ...) outside the
                  configuration's folder; without it they are refused
  --force         init: overwrite an existing file
  --quiet         print nothing but errors and the warnings about the input
                  (not the audit's summary, nor the Secrets to create)
  --help, -h      this text
  --version       the version

synth over an earlier output compares first, as plan does, and refuses a
danger that is not allowed; the first synth into a new folder compares nothing.

Exit codes: 0 ok (plan: nothing changes), 1 invalid input (each problem names
the file, line and key) or a danger not allowed, 2 usage (unknown command or
flag, missing --config/--out/--against, unusable --out or --against), 3 plan:
changes and no danger that is not allowed.

The configuration's JSON Schema: ${'<package>/schema/multi-ingress.schema.json'}
`;

/** A usage error: exit code 2. */
class UsageError extends Error {}

interface Args {
  readonly command?: string;
  readonly config?: string;
  readonly out?: string;
  readonly format?: string;
  readonly against?: string;
  readonly allow: string[];
  readonly json: boolean;
  readonly force: boolean;
  readonly allowOutsideFiles: boolean;
  readonly quiet: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: { [key: string]: any } = { force: false, allowOutsideFiles: false, quiet: false, help: false, version: false, json: false, allow: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (flag) {
      case '--config':
      case '--out':
      case '--against':
      case '--allow':
      case '--format': {
        const value = inline ?? argv[++i];
        if (value === undefined || (inline === undefined && value.startsWith('--'))) {
          throw new UsageError(`${flag} needs a value`);
        }
        if (flag === '--allow') args.allow.push(value);
        else args[flag.slice(2)] = value;
        break;
      }
      case '--allow-outside-files':
        args.allowOutsideFiles = true;
        break;
      case '--json':
      case '--force':
      case '--quiet':
      case '--help':
      case '--version':
        args[flag.slice(2)] = true;
        break;
      case '-h':
        args.help = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') {
          throw new UsageError(`unknown option ${arg}`);
        }
        positional.push(arg);
    }
  }
  if (positional.length > 1) {
    throw new UsageError(`one command expected, got ${positional.join(' ')}`);
  }
  return { ...args, command: positional[0] } as Args;
}

/**
 * The deployment the command line builds: the same as
 * `new MultiIngressBackend(new Chart(app, 'wire'), 'backend', props)`, with
 * in-cluster edge proxies (if asked for) in a chart `edge` of their own.
 */
export function buildApp(
  config: LoadedConfig,
  format: string | undefined,
  outdir: string,
  quiet: boolean = false,
  allowOutsideFiles: boolean = false,
): WireApp {
  const app = new WireApp({ outdir, quiet });
  const wire = new Chart(app, 'wire');
  const edgeNamespace = edgeProxyNamespace(config);
  const edge = edgeNamespace === undefined ? undefined : new Chart(app, 'edge', { namespace: edgeNamespace });
  const props = toProps(config, { format, edgeProxyScope: edge, allowOutsideFiles });
  new MultiIngressBackend(wire, 'backend', props);
  return app;
}

/** Run every validation of the app (what synth would run) without writing. */
function validateApp(app: IConstruct): string[] {
  const errors: string[] = [];
  for (const c of app.node.findAll()) {
    for (const e of c.node.validate()) errors.push(e);
  }
  return errors;
}

/** Build the deployment (the constructs check their props); every problem located in the config file. */
function buildChecked(config: LoadedConfig, format: string | undefined, outdir: string, quiet: boolean, allowOutsideFiles: boolean): WireApp {
  try {
    return buildApp(config, format, outdir, quiet, allowOutsideFiles);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const listed = (e as { problems?: unknown }).problems;
    const problems = Array.isArray(listed) ? listed.map(String) : [(e as Error).message];
    throw new ConfigError(problems.map((p) => `${locate(config, p)}${p}`));
  }
}

/**
 * Load the configuration and build the deployment, every problem of the run
 * at once: when the schema refuses some values, the deployment is built
 * without them, so that the constructs' and the audit's problems with the
 * rest are reported with them.
 */
function loadAndBuild(
  file: string,
  format: string | undefined,
  outdir: string,
  quiet: boolean,
  allowOutsideFiles: boolean,
): { config: LoadedConfig; app: WireApp } {
  let config: LoadedConfig;
  try {
    config = loadConfig(file);
  } catch (e) {
    if (!(e instanceof ConfigError) || e.rest === undefined) throw e;
    let more: string[] = [];
    try {
      // quiet: this build only collects problems
      const app = buildChecked(e.rest, format, outdir, true, allowOutsideFiles);
      duringSynthesis(app, () => check(e.rest!, app));
    } catch (other) {
      if (other instanceof ConfigError) more = other.problems;
    }
    throw new ConfigError(byLine([...e.problems, ...more.filter((p) => !e.problems.includes(p))]));
  }
  return { config, app: buildChecked(config, format, outdir, quiet, allowOutsideFiles) };
}

/** Problems ordered by the line they name (`file:line: ...`), the order kept within a line. */
function byLine(problems: string[]): string[] {
  const line = (p: string) => Number(/^.*?:(\d+)(?::\d+)?: /.exec(p)?.[1] ?? 0);
  return problems.map((p, i) => ({ p, i })).sort((a, b) => line(a.p) - line(b.p) || a.i - b.i).map(({ p }) => p);
}

/** Run the checks synth runs (the audit among them) before anything is written. */
function check(config: LoadedConfig, app: WireApp): void {
  const errors = validateApp(app);
  if (errors.length > 0) {
    throw new ConfigError(errors.map((p) => `${locate(config, p)}${p}`));
  }
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(require.resolve('../../package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** A danger the operator did not allow: exit code 1, nothing written. */
class DangerError extends Error {
  public constructor(public readonly result: PlanResult, public readonly against: string, public readonly config: string) {
    super('refused');
  }
}

/** Refuse --allow values that cannot name a danger. */
function checkAllow(allow: readonly string[]): void {
  for (const a of allow) {
    const kind = a.includes(':') ? a.slice(0, a.indexOf(':')) : a;
    if (!DANGER_KINDS.includes(kind) || a.endsWith(':')) {
      throw new UsageError(`--allow ${a} is not a danger: expected a danger id KIND:SUBJECT as plan prints it, or a kind, one of ${DANGER_KINDS.join(', ')}`);
    }
  }
}

/** The options each command takes (besides --help and --version), and how they are spelt. */
const OPTIONS: { readonly [command: string]: ReadonlyArray<keyof Args> } = {
  synth: ['config', 'out', 'format', 'allow', 'allowOutsideFiles', 'quiet'],
  plan: ['config', 'against', 'format', 'json', 'allow', 'allowOutsideFiles', 'quiet'],
  validate: ['config', 'format', 'allowOutsideFiles', 'quiet'],
  init: ['config', 'force', 'quiet'],
};
/** The options of this command line that `verify`, which reads its own (src/verify/command.ts), takes too. */
const VERIFY_TAKES: ReadonlyArray<keyof Args> = ['config', 'json'];
const FLAGS: ReadonlyArray<readonly [keyof Args, string]> = [
  ['config', '--config'],
  ['out', '--out'],
  ['format', '--format'],
  ['against', '--against'],
  ['allow', '--allow'],
  ['json', '--json'],
  ['force', '--force'],
  ['allowOutsideFiles', '--allow-outside-files'],
  ['quiet', '--quiet'],
];

/** Refuse an option the command does not take (it would be ignored), naming the commands that take it. */
function refuseOtherOptions(args: Args): void {
  const takes = OPTIONS[args.command ?? ''];
  if (takes === undefined) return;
  for (const [key, flag] of FLAGS) {
    const value = args[key];
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given && !takes.includes(key)) {
      const by = [...Object.keys(OPTIONS).filter((c) => OPTIONS[c].includes(key)), ...(VERIFY_TAKES.includes(key) ? ['verify'] : [])];
      throw new UsageError(`${args.command} does not take ${flag} (it would be ignored): it is an option of ${listedInWords(by, by.length)}`);
    }
  }
}

/** Run the command line; returns the exit code. */
export function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err(`${NAME}: ${(e as Error).message}\nRun ${NAME} --help for the options.\n`);
    return 2;
  }
  if (args.help) {
    out(HELP.replace('<package>', schemaPath().replace(/\/schema\/multi-ingress\.schema\.json$/, '')));
    return 0;
  }
  if (args.version) {
    out(`${version()}\n`);
    return 0;
  }
  try {
    if (args.format !== undefined && !FORMAT_NAMES.includes(args.format)) {
      throw new UsageError(`--format ${args.format} is not known: expected one of ${FORMAT_NAMES.join(', ')}`);
    }
    switch (args.command) {
      case 'synth': {
        if (!args.config) throw new UsageError('synth needs --config FILE');
        if (!args.out) throw new UsageError('synth needs --out DIR');
        refuseOtherOptions(args);
        checkAllow(args.allow);
        const staging = stagingPathFor(args.out);
        const { config, app } = loadAndBuild(args.config, args.format, staging, args.quiet, args.allowOutsideFiles);
        let files = 0;
        // one synthesis from the checks to the last file: the tree does not change in between
        duringSynthesis(app, () => {
          check(config, app);
          // what a killed run left is finished or rolled back first: the guard below compares with what it puts
          // back (between its two renames, --out is missing until then); a folder this run reads is refused first
          checkTarget(args.out!, [args.config!, ...valuesFilesOf(config)]);
          for (const line of recoverOutput(args.out!)) {
            if (!args.quiet) err(`${NAME}: ${line}\n`);
          }
          // over an earlier output: refuse what would break the running deployment
          if (isEarlierOutput(args.out!)) {
            const result = planAgainst(args.out!, app, args.allow, true, true);
            if (Plan.refused(result).length > 0) throw new DangerError(result, args.out!, args.config!);
          }
          writeAtomically(
            args.out!,
            staging,
            () => {
              app.synth();
              files = (fs.readdirSync(staging, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((f) => f.isFile()).length;
            },
            [args.config!, ...valuesFilesOf(config)],
          );
        });
        if (!args.quiet) out(`${NAME}: wrote ${files === 1 ? '1 file' : `${files} files`} to ${args.out}\n`);
        return 0;
      }
      case 'plan': {
        if (!args.config) throw new UsageError('plan needs --config FILE');
        if (!args.against) throw new UsageError('plan needs --against DIR, the output folder of an earlier synth');
        if (args.out) throw new UsageError('plan writes nothing: drop --out (use --against for the earlier output)');
        refuseOtherOptions(args);
        checkAllow(args.allow);
        const { config, app } = loadAndBuild(args.config, args.format, stagingPathFor('plan-only'), args.quiet, args.allowOutsideFiles);
        const result = duringSynthesis(app, () => {
          check(config, app);
          return planAgainst(args.against!, app, args.allow);
        });
        out(args.json ? Plan.renderJson(result) : Plan.renderText(result));
        return Plan.exitCode(result);
      }
      case 'validate': {
        if (!args.config) throw new UsageError('validate needs --config FILE');
        if (args.out) throw new UsageError('validate writes nothing: drop --out');
        refuseOtherOptions(args);
        const { config, app } = loadAndBuild(args.config, args.format, stagingPathFor('validate-only'), args.quiet, args.allowOutsideFiles);
        duringSynthesis(app, () => check(config, app));
        printSecretsAfterSynth(app);
        if (!args.quiet) out(`${NAME}: ${args.config} is valid\n`);
        return 0;
      }
      case 'init': {
        refuseOtherOptions(args);
        const target = args.config ?? 'multi-ingress.yaml';
        if (target === '-') {
          out(EXAMPLE_CONFIG);
          return 0;
        }
        if (fs.existsSync(target) && !args.force) {
          throw new UsageError(`${target} exists: use --force to overwrite it, or --config - to print the example`);
        }
        fs.writeFileSync(target, EXAMPLE_CONFIG);
        if (!args.quiet) out(`${NAME}: wrote ${target}; edit it, then run: ${NAME} validate --config ${target}\n`);
        return 0;
      }
      case undefined:
        throw new UsageError('a command is needed: synth, validate, plan, verify or init');
      default:
        throw new UsageError(`unknown command ${args.command}: expected synth, validate, plan, verify or init`);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`${NAME}: invalid input, nothing was written:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    if (e instanceof DangerError) {
      const refused = Plan.refused(e.result);
      err(
        `${NAME}: refused, nothing was written: the change would break the deployment synthesized in ${e.against}:\n` +
          refused.map((d) => `  ${d.id}: ${d.message}`).join('\n') +
          `\nRun ${NAME} plan --config ${e.config} --against ${e.against} for the whole plan; accept a danger with --allow ID.\n`,
      );
      return 1;
    }
    if (e instanceof UsageError || e instanceof OutputError || e instanceof PreviousOutputError) {
      err(`${NAME}: ${e.message}\nRun ${NAME} --help for the options.\n`);
      return 2;
    }
    // not the input: a file system or internal error; the previous output is untouched
    err(`${NAME}: failed, the previous output is untouched: ${(e as Error).message}\n`);
    if (process.env.CDK8S_WIRE_DEBUG) err(`${(e as Error).stack}\n`);
    return 1;
  }
}

/** The command line: `verify` (asynchronous, options of its own) or one of the commands of `main`. */
export async function cli(argv: string[]): Promise<number> {
  return argv[0] === 'verify' ? runVerify(argv.slice(1)) : main(argv);
}

if (require.main === module) {
  void cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
