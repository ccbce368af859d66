/**
 * The command line's configuration file: YAML or JSON, checked against the
 * JSON Schema shipped in the package (`schema/multi-ingress.schema.json`),
 * turned into `MultiIngressBackendProps`. Every error names the file, the
 * line and the key, and says what was expected.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Construct } from 'constructs';
import type { Document, LineCounter } from 'yaml';
import { LoadBalancerImplementation } from '../edge/load-balancer-implementation';
import { EdgeOptions } from '../edge/options';
import { excerpt, quote } from '../errors';
import { MAX_INPUT_BYTES, readInputFile } from '../files';
import { MultiIngressBackendProps } from '../multi-ingress-backend';
import { FluxDriftDetection } from '../release/flux';
import { HelmChartFailurePolicy } from '../release/helm-chart';
import { ReleaseFormat } from '../release/release-format';
import { namespaceProblem } from '../settings';
import { IssuerKind, IngressTls } from '../tls';
import { jsonSyntaxError } from './json-syntax';
import { HelmYaml, MAX_DEPTH, YamlProblem, keyString, readHelmYaml } from '../values/helm-yaml';

/**
 * The YAML library, loaded when first needed: a JSON config is read with
 * JSON.parse, and the line numbers are only needed to point at a problem.
 */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** The formats the command line knows, by the name used in the config and `--format`. */
export const FORMAT_NAMES = ['helmchart', 'flux', 'argocd', 'values'];

/** Invalid input: the message is for the operator, one problem per line. */
export class ConfigError extends Error {
  public constructor(
    public readonly problems: string[],
    /**
     * For schema problems: the configuration without the values they are
     * about, so that the other checks can still report theirs in the same
     * run; undefined when nothing useful is left (a required key is missing).
     */
    public readonly rest?: LoadedConfig,
  ) {
    super(problems.join('\n'));
  }
}

/**
 * A configuration file that was read and parsed. The YAML document with its
 * line numbers, needed only to point at a problem, is built when first asked
 * for (a JSON file is read with JSON.parse, which is much faster).
 */
export class LoadedConfig {
  private parsed?: { document: Document; lines: LineCounter };

  public constructor(
    /** The file, as given. */
    public readonly file: string,
    /** The file's text. */
    public readonly text: string,
    /** The configuration as plain data. */
    public readonly data: { [key: string]: any },
    parsed?: { document: Document; lines: LineCounter },
  ) {
    this.parsed = parsed;
  }

  /** The parsed YAML document with its line numbers, if it was parsed already. */
  public get parsedYaml(): { document: Document; lines: LineCounter } | undefined {
    return this.parsed;
  }

  /** The parsed document, for finding where a value is. */
  public get document(): Document {
    return this.yaml().document;
  }

  public get lines(): LineCounter {
    return this.yaml().lines;
  }

  private yaml(): { document: Document; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new (yaml().LineCounter)();
      this.parsed = { document: yaml().parseDocument(this.text, { lineCounter: lines, uniqueKeys: false, schema: 'failsafe' }), lines };
    }
    return this.parsed;
  }
}

let validator: ValidateFunction | undefined;

/** The JSON Schema of the configuration file, as shipped in the package. */
export function schemaPath(): string {
  // src/cli -> schema (ts-node) and lib/cli -> schema (compiled) are both two levels up
  return path.join(__dirname, '..', '..', 'schema', 'multi-ingress.schema.json');
}

function schemaValidator(): ValidateFunction {
  if (!validator) {
    try {
      // compiled from the schema by scripts/compile-schema.js when the package is built
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      validator = require('./schema-validator') as ValidateFunction;
    } catch {
      // running from the TypeScript sources: compile the schema now
      const schema = JSON.parse(fs.readFileSync(schemaPath(), 'utf8'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Ajv = require('ajv').default;
      // the same options as scripts/compile-schema.js; the meta-schema check is the tests' job
      validator = new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false }).compile(schema) as ValidateFunction;
    }
  }
  return validator;
}

/** Read, decode and parse a configuration file; check it against the schema. */
export function loadConfig(file: string): LoadedConfig {
  let bytes: Buffer;
  try {
    // a pipe is fine here (process substitution, /dev/stdin), read up to the limit
    bytes = readInputFile(file, true);
  } catch (e) {
    throw new ConfigError([`${file}: cannot read the configuration file: ${fileError(e)}`]);
  }
  const loaded = parseYamlFile(file, bytes, 'a mapping with at least defaultDomain');
  const validate = schemaValidator();
  if (!validate(loaded.data)) {
    const errors = validate.errors ?? [];
    throw new ConfigError(schemaProblems(loaded, errors), withoutFaults(loaded, errors));
  }
  return loaded;
}

/** A file system error in an operator's words (not ENOENT); never the file's content. */
export function fileError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder; expected a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ELOOP':
      return 'too many symbolic links in the path';
    case 'EFBIG':
      return `it holds more than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, far more than any deployment needs`;
    case 'ENOTREG':
      return 'it is a named pipe, a device or a socket, not a regular file';
    case 'ENXIO':
      return 'it cannot be opened as a file (a socket, or a device with nothing behind it)';
    default:
      return code ?? (e as Error).message;
  }
}

/** Decode UTF-8 strictly and parse YAML (JSON is YAML too), with line numbers. */
function parseYamlFile(file: string, bytes: Buffer, expected: string): LoadedConfig {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    throw new ConfigError([`${file}:${line}: the file is not valid UTF-8 (byte ${at}): expected a YAML or JSON file in UTF-8`]);
  }
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text)) {
    throw new ConfigError([`${file}:1: the file is empty: expected ${expected}`]);
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (/\.json$/i.test(file)) {
    // a .json file must be JSON (YAML would also take trailing commas, comments, ...)
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      // our own reading of the fault: JSON.parse gives no line on Node 20, and quotes the raw text
      const fault = jsonSyntaxError(text) ?? { line: 1, column: 1, message: 'not readable as JSON' };
      throw new ConfigError([`${file}:${fault.line}:${fault.column}: not valid JSON: ${fault.message}`]);
    }
    const problem = firstJsonProblem(text);
    if (problem) {
      throw new ConfigError([`${file}:${problem.line}: ${problem.problem}`]);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError([`${file}:1: the file holds ${describe(data)}: expected ${expected}`]);
    }
    return new LoadedConfig(file, text, data as { [key: string]: any });
  }
  // read the way Helm reads values (YAML 1.1 scalars, merge keys), in linear time, within limits
  let read: HelmYaml;
  try {
    read = readHelmYaml(text);
  } catch (e) {
    if (e instanceof YamlProblem) throw new ConfigError([`${file}:${e.line}: ${e.message}`]);
    throw e;
  }
  const { data, document, lines } = read;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([`${file}:1: the file holds ${describe(data)}: expected ${expected}`]);
  }
  return new LoadedConfig(file, text, data as { [key: string]: any }, { document, lines });
}

/** A JSON number, as JSON.parse has already checked it. */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The first problem JSON.parse lets through in a valid JSON text: a key that
 * occurs twice in one object (JSON.parse keeps the last silently), a place
 * nested deeper than the limit of the YAML reader, a `\u` escape of half
 * a UTF-16 surrogate pair (JSON.parse keeps it, and no YAML or UTF-8 file we
 * write can hold it), or a number too large to be one (JSON.parse makes it
 * Infinity, which no values file can hold).
 */
function firstJsonProblem(text: string): { problem: string; line: number } | undefined {
  const stack: Array<Set<string> | undefined> = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {line++;} else if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : undefined);
      if (stack.length > MAX_DEPTH) {
        return { line, problem: `objects and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)` };
      }
    } else if (c === '}' || c === ']') {stack.pop();} else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const written = NUMBER.exec(text)![0];
      if (!Number.isFinite(Number(written))) {
        return { line, problem: `the number ${written} is too large: it reads as infinity, which no Helm value can hold: expected a number of at most about 1.8e308, or the string "${written}"` };
      }
      i += written.length - 1;
    } else if (c === '"') {
      let j = i + 1;
      let high = false; // the escape before was the high half of a surrogate pair
      while (text[j] !== '"') {
        const unit = text[j] === '\\' && text[j + 1] === 'u' ? parseInt(text.slice(j + 2, j + 6), 16) : -1;
        const low = unit >= 0xdc00 && unit <= 0xdfff;
        if (high !== low) return { line, problem: halfSurrogate(text.slice(high ? j - 6 : j, high ? j : j + 6)) };
        high = !high && unit >= 0xd800 && unit <= 0xdbff;
        j += unit >= 0 ? 6 : text[j] === '\\' ? 2 : 1;
      }
      if (high) return { line, problem: halfSurrogate(text.slice(j - 6, j)) };
      const keys = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1));
        if (keys.has(key)) return { line, problem: `not valid JSON: the key ${quote(key)} appears twice in one object` };
        keys.add(key);
      }
      i = j;
    }
  }
  return undefined;
}

function halfSurrogate(escape: string): string {
  return `the escape ${escape} is half a UTF-16 surrogate pair, which no YAML or UTF-8 file can hold: expected a whole character (the character itself, or both halves, such as \\ud83d\\ude00)`;
}

function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i + 1));
    } catch {
      // an incomplete sequence at the end is not yet invalid: look one byte further
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, i + 4)));
      } catch {
        return i;
      }
    }
  }
  return bytes.length;
}

/** The line of the node at `keys` (a key's own line for a map entry), or of its nearest parent. */
export function lineOf(config: LoadedConfig, keys: Array<string | number>, keyLine = false): number {
  let node: unknown = config.document.contents;
  let line = 1;
  for (const key of keys) {
    if (yaml().isMap(node)) {
      const pair = node.items.find((p) => yaml().isPair(p) && keyString(p.key) === String(key));
      if (!pair) break;
      line = lineAt(config, pair.key) ?? line;
      node = pair.value;
      if (keyLine && key === keys[keys.length - 1]) return line;
    } else if (yaml().isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else {
      break;
    }
    line = lineAt(config, node) ?? line;
  }
  return line;
}

function lineAt(config: LoadedConfig, node: unknown): number | undefined {
  return yaml().isNode(node) && node.range ? config.lines.linePos(node.range[0]).line : undefined;
}

/** `additionalDomains[2]`, `tls.mode` */
export function keyPath(keys: Array<string | number>): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(top level)';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${excerpt(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}

const TYPE_NAMES: { [type: string]: string } = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
};

/** Turn the schema validator's errors into the operator's words, sorted by line. */
function schemaProblems(config: LoadedConfig, errors: ErrorObject[]): string[] {
  const out: Array<{ line: number; text: string }> = [];
  const seen = new Set<string>();
  // a missing key that a misspelt key beside it stands for is said once, as "did you mean"
  const missing: Array<{ keys: Array<string | number>; name: string }> = [];
  const suggested = new Set<string>();
  for (const e of errors) {
    const keys = keysOf(config.data, e.instancePath);
    const value = e.data;
    let where = keys;
    let text: string | undefined;
    switch (e.keyword) {
      case 'type':
        text = `expected ${TYPE_NAMES[(e.params as any).type] ?? (e.params as any).type}, got ${describe(value)}${plainWordHint(config, keys, value)}`;
        break;
      case 'required':
        missing.push({ keys, name: (e.params as any).missingProperty });
        continue;
      case 'additionalProperties': {
        const name = (e.params as any).additionalProperty;
        where = [...keys, name];
        const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
        const near = closest(name, allowed);
        text = `unknown key${near ? ` (did you mean ${quote(near)}?)` : ''}: expected one of ${allowed.join(', ')}`;
        if (near) suggested.add(`${keyPath(keys)}|${near}`);
        break;
      }
      case 'propertyNames': {
        const name = (e.params as any).propertyName;
        where = [...keys, name];
        const allowed: string[] = (e.parentSchema as any)?.propertyNames?.enum ?? [];
        const present = keys.reduce<any>((o, k) => o?.[k], config.data) ?? {};
        const near = closest(name, allowed.filter((k) => !Object.prototype.hasOwnProperty.call(present, k)));
        text = near
          ? `unknown key (did you mean ${quote(near)}?)${contextOf(config.data, keys)}: expected one of ${allowed.join(', ')}`
          : `this key does not apply here${contextOf(config.data, keys)}`;
        if (near) suggested.add(`${keyPath(keys)}|${near}`);
        break;
      }
      case 'enum': {
        if ((e as any).propertyName !== undefined) continue; // reported by propertyNames
        text = `expected one of ${((e.params as any).allowedValues as unknown[]).map((v) => quote(v)).join(', ')}, got ${describe(value)}`;
        break;
      }
      case 'minLength':
        text = 'expected a non-empty string';
        break;
      case 'if':
        continue;
      default:
        text = e.message ?? 'not valid';
    }
    const key = `${keyPath(where)}|${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = lineOf(config, where, e.keyword === 'additionalProperties' || e.keyword === 'propertyNames');
    out.push({ line, text: `${config.file}:${line}: ${keyPath(where)}: ${text}` });
  }
  for (const { keys, name } of missing) {
    if (suggested.has(`${keyPath(keys)}|${name}`)) continue;
    const line = lineOf(config, keys);
    out.push({ line, text: `${config.file}:${line}: ${keyPath(keys)}: the key ${quote(name)} is missing` });
  }
  out.sort((a, b) => a.line - b.line || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return out.map((o) => o.text);
}

/**
 * When a plain word of the file (`no`, `on`, `010`) was read as a boolean,
 * a number or null, as Helm reads it, and a string was wanted: how to write
 * the text.
 */
function plainWordHint(config: LoadedConfig, keys: Array<string | number>, value: unknown): string {
  if (typeof value === 'string' || (value !== null && typeof value === 'object')) return '';
  const node = config.document.getIn(keys, true) as any;
  if (!yaml().isScalar(node) || node.type !== 'PLAIN' || typeof node.value !== 'string' || node.value === '' || node.value.length > 40) return '';
  if (String(value) === node.value) return '';
  return ` (the plain word ${node.value} is ${describe(value)} in YAML 1.1, as Helm reads it: write ${quote(node.value)} for the text)`;
}

/** The allowed key nearest to a misspelt one (at most a third of its letters differ). */
function closest(name: string, allowed: string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const key of allowed) {
    const d = editDistance(name.toLowerCase(), key.toLowerCase());
    if (d <= Math.max(1, Math.floor(key.length / 3)) && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The keys of a JSON pointer, list indexes as numbers. */
/**
 * The configuration less every value a schema error is about (an unknown key,
 * a value of the wrong type or outside its enum), for the checks that read
 * the rest; undefined when a required key is missing or the whole file is wrong.
 */
function withoutFaults(config: LoadedConfig, errors: ErrorObject[]): LoadedConfig | undefined {
  const data = structuredClone(config.data);
  const faults: Array<Array<string | number>> = [];
  for (const e of errors) {
    if (e.keyword === 'required' || e.keyword === 'if') continue; // handled below
    const keys = keysOf(config.data, e.instancePath);
    const name = (e.params as any).additionalProperty ?? (e.params as any).propertyName;
    faults.push(name === undefined ? keys : [...keys, name]);
  }
  // the deepest first, so that removing one leaves the others' paths valid
  faults.sort((a, b) => b.length - a.length);
  for (const keys of faults) {
    if (!remove(data, keys)) return undefined;
  }
  // an object that lost a key it requires (tls without its mode) goes as a whole
  const validate = schemaValidator();
  for (let round = 0; round < 8 && !validate(data); round++) {
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'required' && !remove(data, keysOf(data, e.instancePath))) return undefined;
    }
  }
  return validate(data) ? new LoadedConfig(config.file, config.text, data, config.parsedYaml) : undefined;
}

/**
 * Remove the value at `keys`; false for the root. A fault inside a list
 * removes the whole list: removing one element would renumber the others,
 * and the problems found in them would name the wrong line.
 */
function remove(data: any, keys: Array<string | number>): boolean {
  const inList = keys.findIndex((k, i) => typeof k === 'number' && Array.isArray(keys.slice(0, i).reduce<any>((o, j) => o?.[j], data)));
  if (inList >= 0) keys = keys.slice(0, inList);
  if (keys.length === 0) return false;
  const parent = keys.slice(0, -1).reduce<any>((o, k) => o?.[k], data);
  const last = keys[keys.length - 1];
  if (parent !== null && typeof parent === 'object') delete parent[last];
  return true;
}

function keysOf(data: any, pointer: string): Array<string | number> {
  const keys: Array<string | number> = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(node) ? Number(k) : k;
    keys.push(key);
    node = node?.[key];
  }
  return keys;
}

function contextOf(data: any, keys: Array<string | number>): string {
  const parent = keys.reduce((n: any, k) => n?.[k], data);
  if (keys[keys.length - 1] === 'format' && typeof parent?.type === 'string') return ` (format type ${quote(parent.type)})`;
  if (keys[keys.length - 1] === 'tls' && typeof parent?.mode === 'string') return ` (tls mode ${quote(parent.mode)})`;
  return '';
}

/** The values files a configuration names (`wireServerValuesFile`, ...), as paths from the current folder. */
export function valuesFilesOf(config: LoadedConfig): string[] {
  return ['wireServerValuesFile', 'webappValuesFile', 'ingressServicesValuesFile']
    .filter((k) => typeof config.data[k] === 'string')
    .map((k) => path.resolve(path.dirname(config.file), config.data[k]));
}

/** The folder of a configuration file, symbolic links followed. */
function configFolder(config: LoadedConfig): string {
  return fs.realpathSync(path.dirname(path.resolve(config.file)));
}

/** Whether `file` is `folder` or below it (both real paths). */
function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Options the command line sets on top of the file. */
export interface ConfigOverrides {
  /** `--allow-outside-files`: read values files outside the configuration's folder. */
  readonly allowOutsideFiles?: boolean;
  /** `--format` */
  readonly format?: string;
  /** Where in-cluster edge proxies go when the file asks for them (`entryPoints.edgeProxies`). */
  readonly edgeProxyScope?: Construct;
}

/**
 * The namespace of the in-cluster edge proxies' chart, when the file asks for
 * them (they belong to another cluster, so they get a chart of their own).
 */
export function edgeProxyNamespace(config: LoadedConfig): string | undefined {
  const e = config.data.entryPoints;
  return e?.edgeProxies === true ? e.edgeProxyNamespace ?? 'wire-edge' : undefined;
}

function entryPointsOf(e: any, edgeProxyScope: Construct | undefined): EdgeOptions | undefined {
  if (e === undefined) return undefined;
  const { edgeProxies, edgeProxyNamespace: _namespace, ...options } = e;
  const lb = options.loadBalancer;
  const loadBalancer = lb === undefined ? undefined : { ...lb, implementation: implementationOf(lb.implementation) };
  return { ...options, loadBalancer, edgeProxyScope: edgeProxies === true ? edgeProxyScope : undefined };
}

/** `entryPoints.loadBalancer.implementation` of the file (checked by the schema) as the library's class. */
function implementationOf(i: any): LoadBalancerImplementation | undefined {
  switch (i) {
    case undefined:
      return undefined;
    case 'metallb':
      return LoadBalancerImplementation.metallb();
    case 'metallb-legacy':
      return LoadBalancerImplementation.metallbLegacy();
    case 'kube-vip':
      return LoadBalancerImplementation.kubeVip();
    case 'spec-load-balancer-ip':
      return LoadBalancerImplementation.specLoadBalancerIp();
    default:
      return LoadBalancerImplementation.annotations(i.annotations);
  }
}

/**
 * Turn a checked configuration into constructor props. Values files are read
 * relative to the configuration file.
 */
export function toProps(config: LoadedConfig, overrides: ConfigOverrides = {}): MultiIngressBackendProps {
  const d = config.data;
  const problems: string[] = [];
  const at = (keys: Array<string | number>, text: string) => problems.push(`${config.file}:${lineOf(config, keys)}: ${keyPath(keys)}: ${text}`);

  const values = (inline: string, fileKey: string): { [key: string]: any } | undefined => {
    if (d[inline] !== undefined && d[fileKey] !== undefined) {
      at([fileKey], `give either ${inline} or ${fileKey}, not both`);
      return undefined;
    }
    if (d[fileKey] === undefined) {
      return d[inline];
    }
    if (/^~/.test(d[fileKey])) {
      at([fileKey], `${quote(d[fileKey])} starts with "~", which is not a home folder here: expected a Helm values file relative to ${config.file}`);
      return undefined;
    }
    const target = path.resolve(path.dirname(config.file), d[fileKey]);
    let bytes: Buffer;
    try {
      const real = fs.realpathSync(target);
      if (!overrides.allowOutsideFiles && !isInside(real, configFolder(config))) {
        at(
          [fileKey],
          `${quote(d[fileKey])} is outside the folder of ${config.file} (symbolic links followed): expected a Helm values file in that folder ` +
            'or below it; to read a file elsewhere, run with --allow-outside-files',
        );
        return undefined;
      }
      bytes = readInputFile(real, false);
    } catch (e) {
      at([fileKey], `cannot read ${quote(d[fileKey])} (${fileError(e)}): expected a Helm values file, relative to ${config.file}`);
      return undefined;
    }
    try {
      return parseYamlFile(target, bytes, 'a Helm values file (a mapping)').data;
    } catch (e) {
      if (e instanceof ConfigError) {
        e.problems.forEach((p) => at([fileKey], p));
        return undefined;
      }
      throw e;
    }
  };

  const edgeNamespace = d.entryPoints?.edgeProxyNamespace;
  const edgeNamespaceIssue = edgeNamespace === undefined ? undefined : namespaceProblem('edgeProxyNamespace', edgeNamespace);
  if (edgeNamespaceIssue !== undefined) {
    at(['entryPoints', 'edgeProxyNamespace'], `${edgeNamespaceIssue} (the namespace of the in-cluster edge proxies, edge.k8s.yaml)`);
  }

  const formatConfig = { ...(d.format ?? { type: 'helmchart' }) };
  if (overrides.format !== undefined) {
    if (d.format !== undefined && d.format.type !== overrides.format && Object.keys(d.format).length > 1) {
      at(['format'], `--format ${overrides.format} conflicts with the options of format type ${quote(d.format.type)} in the file; drop --format or change format.type`);
    }
    formatConfig.type = overrides.format;
  }
  const props: MultiIngressBackendProps = {
    defaultDomain: d.defaultDomain,
    additionalDomains: d.additionalDomains,
    ingressNames: d.ingressNames,
    namespace: d.namespace,
    wireServerChart: d.wireServerChart,
    webappChart: d.webappChart,
    ingressServicesChart: d.ingressServicesChart,
    wireServerValues: values('wireServerValues', 'wireServerValuesFile'),
    webappValues: values('webappValues', 'webappValuesFile'),
    ingressServicesValues: values('ingressServicesValues', 'ingressServicesValuesFile'),
    wireServerSecretName: d.wireServerSecretName,
    teamSettings: d.teamSettings,
    accountPages: d.accountPages,
    sso: d.sso,
    calling: d.calling,
    acknowledgedFindings: d.acknowledgedFindings,
    emitNamespaces: d.emitNamespaces,
    tls: capture(at, ['tls'], () => tlsOf(d.tls)),
    releaseFormat: capture(at, ['format'], () => formatOf(formatConfig)),
    entryPoints: entryPointsOf(d.entryPoints, overrides.edgeProxyScope),
  };
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return props;
}

function capture<T>(at: (keys: string[], text: string) => void, keys: string[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    at(keys, (e as Error).message);
    return undefined;
  }
}

function tlsOf(tls: any): IngressTls | undefined {
  if (tls === undefined) return undefined;
  if (tls.mode === 'own-certificate') return IngressTls.ownCertificate({ secretName: tls.secretName });
  return IngressTls.certManager({
    certmasterEmail: tls.certmasterEmail,
    issuerKind: tls.issuerKind === undefined ? undefined : (tls.issuerKind as IssuerKind),
    issuerName: tls.issuerName,
    staging: tls.staging,
  });
}

function formatOf(f: any): ReleaseFormat {
  const { type, ...options } = f;
  switch (type) {
    case 'helmchart': {
      const { failurePolicy, ...rest } = options;
      return ReleaseFormat.helmChart({ ...rest, failurePolicy: failurePolicy === undefined ? undefined : HelmChartFailurePolicy.of(failurePolicy) });
    }
    case 'flux': {
      const { driftDetection, ...rest } = options;
      return ReleaseFormat.flux({ ...rest, driftDetection: driftDetection === undefined ? undefined : FluxDriftDetection.of(driftDetection) });
    }
    case 'argocd':
      return ReleaseFormat.argoCd(options);
    case 'values':
      return ReleaseFormat.valuesFiles(options);
    default:
      throw new Error(`format ${quote(type)} is not known: expected one of ${FORMAT_NAMES.join(', ')}`);
  }
}

/** Problems that name a place without quoting a value of the file: where to point. */
const PLACES: Array<[RegExp, (m: RegExpExecArray) => Array<string | number>]> = [
  [/entry address|entryPoints\.addresses/, () => ['entryPoints', 'addresses']],
  [/entryPoints|edge prox|load balancer|HAProxy|haproxy/, () => ['entryPoints']],
  [/^additional domain #(\d+) /, (m) => ['additionalDomains', Number(m[1]) - 1]],
  [/^default domain /, () => ['defaultDomain']],
  [/ingress name/, () => ['ingressNames']],
  [/Argo CD|Flux|HelmChart|values-files/, () => ['format']],
  [/certmasterEmail|cert-manager/, () => ['tls']],
  [/^wire-server values/, () => ['wireServerValues']],
  [/^webapp values/, () => ['webappValues']],
  [/^nginx-ingress-services values/, () => ['ingressServicesValues']],
];

/**
 * Where a problem reported by the constructs comes from, as `file:line: key: `:
 * the place its wording names, else the first quoted value of the message
 * that occurs in the file (a value, a key, or a dotted key path).
 */
export function locate(config: LoadedConfig, problem: string): string {
  const at = (keys: Array<string | number>) => `${config.file}:${lineOf(config, keys)}: ${keyPath(keys)}: `;
  let scope: Array<string | number> = [];
  for (const [pattern, place] of PLACES) {
    const m = pattern.exec(problem);
    if (m) {
      scope = place(m);
      break;
    }
  }
  const scopeNode = scope.length === 0 ? config.document.contents : config.document.getIn(scope, true);
  if (scope.length > 0 && scopeNode === undefined) {
    scope = [];
  }
  for (const m of problem.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    let value: string;
    try {
      value = JSON.parse(m[0]);
    } catch {
      continue;
    }
    const found = findScalar(scope.length === 0 ? config.document.contents : scopeNode, value, scope);
    if (found) {
      return at(found);
    }
  }
  return scope.length > 0 ? at(scope) : `${config.file}: `;
}

function findScalar(node: unknown, value: string, keys: Array<string | number>): Array<string | number> | undefined {
  if (yaml().isScalar(node)) {
    return String(node.value) === value ? keys : undefined;
  }
  if (yaml().isMap(node)) {
    for (const p of node.items) {
      const k = keyString(p.key);
      if (k === undefined) continue;
      const here = [...keys, k];
      // a key, or a dotted path of keys below a top-level key ("tags.federation")
      if (k === value || (value.includes('.') && here.slice(1).join('.') === value)) {
        return here;
      }
      const found = findScalar(p.value, value, here);
      if (found) return found;
    }
  }
  if (yaml().isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = findScalar(node.items[i], value, [...keys, i]);
      if (found) return found;
    }
  }
  return undefined;
}
