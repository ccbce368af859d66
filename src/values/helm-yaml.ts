/**
 * Read YAML the way Helm and kubectl read it (Go's YAML 1.1 reader behind
 * `sigs.k8s.io/yaml`), so that an operator's values mean here what they mean
 * to Helm: `yes`/`on`/`y` are true, `010` is 8, `1_000` is 1000, `0b101` is
 * 5, `<<` merges mappings, tags are resolved as Go resolves them, and every
 * key becomes the string Go makes of it (`yes: x` is the key "true", `1.5: x`
 * the key "1.5").
 *
 * The YAML library parses; this module turns the parsed nodes into data
 * itself, so it can also keep duplicate keys refused in linear time, refuse
 * nesting beyond a limit with a clear message instead of overflowing the
 * stack, and refuse aliases that expand exponentially while accepting the
 * ordinary use of anchors in values files. Keys such as `__proto__` are kept
 * as ordinary keys.
 *
 * Where Helm refuses a file (a `null` key, `.inf`, a `\ud83d` escape), it is
 * refused here too, with the line.
 */
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { setOwn } from './merge';

function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** The deepest nesting of mappings and lists accepted (Go's reader stops at 10,000; real values files stay below 20). */
export const MAX_DEPTH = 256;

/** The fewest values that aliases may expand a file to (more is allowed in proportion to the file's own size). */
export const MIN_ALIAS_EXPANSION = 100_000;

/** A file that cannot be read as Helm reads it: the message and its 1-based line. */
export class YamlProblem extends Error {
  public constructor(public readonly line: number, message: string) {
    super(message);
  }
}

/** What was read: the data, and the parsed document with its line numbers (to point at a place). */
export interface HelmYaml {
  readonly data: unknown;
  readonly document: Document;
  readonly lines: LineCounter;
}

const TAG = 'tag:yaml.org,2002:';

/**
 * Parse one YAML document and read it as Helm does.
 * @throws YamlProblem for invalid YAML, what Helm refuses, and the limits above
 */
export function readHelmYaml(text: string): HelmYaml {
  const Y = yaml();
  const lines = new Y.LineCounter();
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const tokens = Array.from(new Y.Parser(lines.addNewLine).parse(text));
  checkDepth(tokens, lineOf);
  const docs = Array.from(new Y.Composer({ uniqueKeys: false, strict: true, schema: 'failsafe', resolveKnownTags: false, prettyErrors: true }).compose(tokens, true, text.length));
  if (docs.length > 1) {
    throw new YamlProblem(lineOf(docs[1].range[0]), 'the file holds more than one YAML document (a second "---"): Helm reads only the first; expected one');
  }
  const document = docs[0] ?? Y.parseDocument('');
  if (document.errors.length > 0) {
    const e = document.errors[0];
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const hint = /IMPLICIT_KEY|BAD_INDENT|INDENT/.test(e.code) ? ' (check the indentation of this line and the next ones)' : '';
    throw new YamlProblem(e.linePos?.[0].line ?? lineOf(e.pos[0]), `not valid YAML: ${message}${hint}`);
  }
  return { data: new Reader(text, document, lineOf).read(), document, lines };
}

/** Nesting depth from the parser's tokens, without recursion (the composer recurses, so this check comes first). */
function checkDepth(tokens: any[], lineOf: (offset: number) => number): void {
  const stack: Array<[any, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token === null || typeof token !== 'object') continue;
    let next = depth;
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      next = depth + 1;
      if (next > MAX_DEPTH) {
        throw new YamlProblem(lineOf(token.offset), `mappings and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)`);
      }
    }
    if (token.type === 'document') stack.push([token.value, next]);
    for (const item of token.items ?? []) {
      stack.push([item.key, next], [item.value, next]);
    }
  }
}

/** Go's JSON key of a scalar key node (as `sigs.k8s.io/yaml` writes it), or undefined when it is not a scalar. */
export function keyString(node: unknown): string | undefined {
  if (!yaml().isScalar(node)) return undefined;
  try {
    const v = resolveScalar(node as any, 1);
    return typeof v === 'string' ? v : goKey(v, 1);
  } catch {
    return String((node as any).value);
  }
}

type Resolved = string | boolean | null | { int: bigint } | { float: number };

function goKey(v: Resolved, line: number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) throw new YamlProblem(line, 'a null key (null, ~ or nothing): Helm cannot read it (unsupported map key); expected a string key');
  if ('int' in v) {
    if (v.int > INT64_MAX || v.int < INT64_MIN) throw new YamlProblem(line, `the key ${v.int} is a number beyond 64-bit integers: Helm cannot read it (unsupported map key); quote it`);
    return v.int.toString();
  }
  if (!Number.isFinite(v.float)) throw new YamlProblem(line, `the key ${v.float} is not a finite number: Helm cannot read it; quote it`);
  return float32Text(v.float);
}

/** `strconv.FormatFloat(v, 'g', -1, 32)`: Go's key text for a float key. */
function float32Text(v: number): string {
  const f = Math.fround(v);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f)) {
      const [m, e] = s.split('e');
      digits = m.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

const BOOLS: { [word: string]: boolean } = {};
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[w] = true;
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS[w] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: { [word: string]: number } = {};
for (const w of ['.nan', '.NaN', '.NAN']) SPECIAL_FLOATS[w] = NaN;
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) SPECIAL_FLOATS[w] = Infinity;
for (const w of ['-.inf', '-.Inf', '-.INF']) SPECIAL_FLOATS[w] = -Infinity;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: the integer, or undefined. */
function goInteger(s: string): bigint | undefined {
  let rest = s;
  let neg = false;
  if (rest[0] === '+' || rest[0] === '-') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '') return undefined;
  let base = 10;
  if (rest[0] === '0') {
    const p = rest.length >= 3 ? rest[1].toLowerCase() : '';
    if (p === 'b' || p === 'o' || p === 'x') {
      base = p === 'b' ? 2 : p === 'o' ? 8 : 16;
      rest = rest.slice(2);
    } else {
      base = 8;
      rest = rest.slice(1);
    }
  }
  const valid = base === 2 ? /^[01]*$/ : base === 8 ? /^[0-7]*$/ : base === 16 ? /^[0-9a-fA-F]*$/ : /^[0-9]*$/;
  if (!valid.test(rest)) return undefined;
  const prefix = base === 2 ? '0b' : base === 8 ? '0o' : base === 16 ? '0x' : '';
  const magnitude = rest === '' ? 0n : BigInt(prefix + rest);
  const value = neg ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint takes no sign
  return s[0] !== '+' && s[0] !== '-' && value <= UINT64_MAX ? value : undefined;
}

/** `strconv.ParseFloat(s, 64)` for the forms Go's YAML reader passes it: the number, or undefined when out of range. */
function goFloat(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Whether Go's YAML reader takes a plain scalar as a timestamp (its four layouts). */
function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, space, h, mi, sec, , zone] = m;
  if (h !== undefined && (space !== undefined) === (zone !== undefined)) return false; // "T" needs a zone, " " has none
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > days) return false;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59)) return false;
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return false;
  return true;
}

/** Go's `resolve(tag, in)` for an untagged plain scalar, or under an explicit tag. */
function goResolve(input: string, tag: string, line: number): Resolved {
  const shortTag = (t: string) => (t.startsWith(TAG) ? `!!${t.slice(TAG.length)}` : t);
  const resolvable = ['', `${TAG}str`, `${TAG}bool`, `${TAG}int`, `${TAG}float`, `${TAG}null`, `${TAG}timestamp`, `${TAG}binary`];
  if (!resolvable.includes(tag)) return input; // other tags (!foo, !!set on a scalar) leave the text
  if (tag === `${TAG}str`) return input;
  if (tag === `${TAG}binary`) {
    const clean = input.replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) {
      throw new YamlProblem(line, '!!binary value contains invalid base64 data: Helm cannot read it');
    }
    const bytes = Buffer.from(clean, 'base64');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new YamlProblem(line, 'this !!binary value is not UTF-8 text: Helm would replace its bytes with U+FFFD; expected base64 of UTF-8 text, or the text itself');
    }
  }
  let rtag = 'str';
  let out: Resolved = input;
  if (Object.prototype.hasOwnProperty.call(BOOLS, input)) {
    rtag = 'bool';
    out = BOOLS[input];
  } else if (NULLS.has(input)) {
    rtag = 'null';
    out = null;
  } else if (Object.prototype.hasOwnProperty.call(SPECIAL_FLOATS, input)) {
    rtag = 'float';
    out = { float: SPECIAL_FLOATS[input] };
  } else if (input[0] === '.') {
    const f = /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(input) ? goFloat(input) : undefined;
    if (f !== undefined) {
      rtag = 'float';
      out = { float: f };
    }
  } else if (/^[-+0-9]/.test(input)) {
    if ((tag === '' || tag === `${TAG}timestamp`) && isTimestamp(input)) {
      rtag = 'timestamp';
    } else {
      const plain = input.replace(/_/g, '');
      const i = goInteger(plain);
      const f = i === undefined && YAML_STYLE_FLOAT.test(plain) ? goFloat(plain) : undefined;
      if (i !== undefined) {
        rtag = 'int';
        out = { int: i };
      } else if (f !== undefined) {
        rtag = 'float';
        out = { float: f };
      }
    }
  }
  const wanted = tag === '' ? rtag : tag.slice(TAG.length);
  if (wanted === rtag) return rtag === 'timestamp' ? input : out;
  if (wanted === 'float' && rtag === 'int') return { float: Number((out as { int: bigint }).int) };
  if (wanted === 'timestamp' && rtag === 'str' && isTimestamp(input)) return input;
  throw new YamlProblem(line, `cannot read ${shortTag(TAG + rtag)} \`${input}\` as a ${shortTag(tag)} (Helm refuses it too)`);
}

/** A scalar node's value as Go reads it (before the conversion to JSON). */
function resolveScalar(node: { value: unknown; tag?: string; type?: string; source?: string }, line: number): Resolved {
  const text = String(node.value ?? '');
  const tag = node.tag ?? '';
  // quoted and block scalars are strings, and so is anything under the non-specific tag "!"
  if ((tag === '' && node.type !== 'PLAIN') || tag === '!') return text;
  return goResolve(text, tag, line);
}

class Reader {
  private readonly sizes = new Map<YamlNode, number>();
  private readonly open = new Set<YamlNode>();

  public constructor(
    private readonly text: string,
    private readonly document: Document,
    private readonly lineOf: (offset: number | undefined) => number,
  ) {}

  public read(): unknown {
    const root = this.document.contents as YamlNode | null;
    if (root === null) return null;
    this.checkAliases(root);
    return this.value(root);
  }

  private line(node: unknown): number {
    return this.lineOf((node as any)?.range?.[0]);
  }

  private target(alias: any): YamlNode {
    const node = alias.resolve(this.document);
    if (!node) throw new YamlProblem(this.line(alias), `the alias *${alias.source} names no anchor before it: expected &${alias.source} earlier in the file`);
    return node;
  }

  /**
   * Refuse aliases that expand the data far beyond the file's own size (each
   * alias repeats its anchor's whole value, so aliases of aliases multiply):
   * the expanded size is computed without expanding anything.
   */
  private checkAliases(root: YamlNode): void {
    const Y = yaml();
    let own = 0;
    // the depth of each node's value once aliases are expanded (an alias deep inside repeats a deep value)
    const depths = new Map<YamlNode, number>();
    const depthAt = (node: unknown): number => (Y.isAlias(node) ? depthAt(this.target(node)) : Y.isNode(node) ? depths.get(node) ?? 0 : 0);
    const size = (node: unknown): number => {
      if (Y.isAlias(node)) {
        const target = this.target(node);
        if (this.open.has(target)) throw new YamlProblem(this.line(node), `the anchor &${node.source} contains an alias of itself (*${node.source}): Helm refuses it too`);
        return size(target);
      }
      if (!Y.isCollection(node)) {
        own++;
        return 1; // a scalar (or nothing): no alias inside, no depth
      }
      const known = this.sizes.get(node);
      if (known !== undefined) return known;
      this.open.add(node);
      let n = 1;
      let depth = 0;
      for (const item of node.items as any[]) {
        n += Y.isPair(item) ? size(item.key) + size(item.value) : size(item);
        const child = Y.isPair(item) ? item.value : item;
        if (Y.isCollection(child) || Y.isAlias(child)) depth = Math.max(depth, depthAt(child));
      }
      depth++;
      if (depth > MAX_DEPTH) {
        throw new YamlProblem(this.line(node), `with its aliases expanded, mappings and lists are nested more than ${MAX_DEPTH} levels deep here: expected at most ${MAX_DEPTH} (Helm values are rarely deeper than 20)`);
      }
      depths.set(node, depth);
      this.open.delete(node);
      this.sizes.set(node, n);
      own++;
      return n;
    };
    const total = size(root);
    const limit = Math.max(MIN_ALIAS_EXPANSION, 10 * own);
    if (total <= limit) return;
    // point at the alias where the expansion passes the limit, in the order of the file
    let count = 0;
    const find = (node: unknown): void => {
      if (Y.isAlias(node)) {
        count += size(node);
        if (count > limit) {
          throw new YamlProblem(
            this.line(node),
            `the aliases of this file expand it to more than ${limit} values (here *${node.source}; an alias repeats its anchor's whole value, so aliases of aliases multiply, as in a "billion laughs" attack): expected at most ${limit}, ten times the values the file writes out`,
          );
        }
        return;
      }
      count++;
      if (Y.isMap(node) || Y.isSeq(node)) {
        for (const item of node.items as any[]) {
          if (Y.isPair(item)) {
            find(item.key);
            find(item.value);
          } else {
            find(item);
          }
        }
      }
    };
    find(root);
  }

  private value(node: unknown): unknown {
    const Y = yaml();
    if (node === null || node === undefined) return null;
    if (Y.isAlias(node)) return this.value(this.target(node));
    if (Y.isScalar(node)) return this.scalar(node);
    if (Y.isSeq(node)) return node.items.map((item) => this.value(item));
    if (Y.isMap(node)) {
      const out: { [key: string]: any } = {};
      this.mapInto(node, out);
      return out;
    }
    throw new YamlProblem(this.line(node), 'a YAML node Helm values cannot hold');
  }

  private scalar(node: any): unknown {
    const line = this.line(node);
    this.refuseSurrogateEscape(node, line);
    const v = resolveScalar(node, line);
    if (v === null || typeof v !== 'object') return v;
    const n = 'int' in v ? Number(v.int) : v.float;
    if (!Number.isFinite(n)) throw new YamlProblem(line, `${node.value} is not a finite number: Helm cannot read it (JSON holds no infinity or NaN); quote it for a string`);
    return n;
  }

  /** A double-quoted scalar, a value or a key, with a \u escape of a surrogate: Go's reader refuses it, whole pairs too. */
  private refuseSurrogateEscape(node: any, line: number): void {
    if (node.type !== 'QUOTE_DOUBLE') return;
    const [start, end] = node.range ?? [0, 0];
    if (/(?:^|[^\\])(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/.test(this.text.slice(start, end))) {
      throw new YamlProblem(line, 'a \\u escape of half a UTF-16 surrogate pair (such as "\\ud83d\\ude00"), which Helm\'s YAML reader refuses: write the character itself, or \\U0001F600');
    }
  }

  /** Go's mapping decoder: pairs in order, a merge (`<<`) writes the merged keys over what is there. */
  private mapInto(node: any, out: { [key: string]: any }): void {
    const Y = yaml();
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = pair.key;
      if (Y.isScalar(k) && k.value === '<<' && k.type === 'PLAIN' && (k.tag === undefined || k.tag === `${TAG}merge`)) {
        this.merge(pair.value, out, this.line(k));
        continue;
      }
      const keyNode = Y.isAlias(k) ? this.target(k) : k;
      if (keyNode === null || keyNode === undefined) goKey(null, this.line(pair.value));
      if (!Y.isScalar(keyNode)) {
        throw new YamlProblem(this.line(k ?? pair.value), 'a mapping or list used as a key: Helm cannot read it (invalid map key); expected a string key');
      }
      const line = this.line(keyNode);
      this.refuseSurrogateEscape(keyNode, line);
      const key = goKey(resolveScalar(keyNode as any, line), line);
      if (seen.has(key)) {
        const written = String((keyNode as any).value);
        throw new YamlProblem(line, `not valid YAML: the key ${JSON.stringify(key)} appears twice in one mapping${key !== written ? ` (here written ${JSON.stringify(written)}, which Helm reads as ${JSON.stringify(key)})` : ''}`);
      }
      seen.add(key);
      setOwn(out, key, this.value(pair.value));
    }
  }

  private merge(value: unknown, out: { [key: string]: any }, line: number): void {
    const Y = yaml();
    const asMap = (n: unknown): any => {
      const t = Y.isAlias(n) ? this.target(n) : n;
      if (!Y.isMap(t)) throw new YamlProblem(line, 'a merge key (<<) needs a mapping or a list of mappings: Helm refuses anything else');
      return t;
    };
    if (Y.isSeq(value)) {
      // earlier mappings take precedence: merged last
      for (let i = value.items.length - 1; i >= 0; i--) this.mapInto(asMap(value.items[i]), out);
    } else {
      this.mapInto(asMap(value), out);
    }
  }
}
