/**
 * A small, fast YAML writer for manifests and Helm values (plain data:
 * mappings, lists, strings, numbers, booleans, null).
 *
 * It writes the bytes a plain cdk8s `App` writes (cdk8s' `Yaml.stringify`:
 * the `yaml` library, YAML 1.1 schema, no line folding), so that switching
 * between `App` and `WireApp` changes no file: a string is plain unless YAML
 * 1.1 would read it as something else or its characters need quotes; then
 * single-quoted when it holds `"` and no `'`, else double-quoted (non-ASCII
 * written as it is); a multi-line string is a literal block (`|`, `|-`,
 * `|+`, with an indentation indicator when it starts with a space); keys
 * longer than 1,024 characters written are explicit (`? key`).
 *
 * It deviates from those bytes only where Go's YAML reader (go-yaml v2, as
 * sigs.k8s.io/yaml uses it in kubectl, helm, helm-controller, Flux and
 * Argo CD) would misread or refuse them; each class, with the go-yaml v2
 * source that decides it:
 *
 * 1. Strings Go reads as numbers and YAML 1.1 does not (quoted): `0o17`,
 *    `0X1F`, `0B101`, `0b-1`, and underscores where Go drops them, e.g.
 *    `+_1`, `0_x1F`, `1e1_0`, `.5e1_0` (resolve.go `resolve`: it removes
 *    every `_`, then tries `strconv.ParseInt(plain, 0, 64)`, `ParseUint`,
 *    the float pattern and the `0b` prefix; `ParseFloat` for a leading `.`).
 * 2. The key `<<` (quoted): a merge key to Go (decode.go `isMerge`), which
 *    refuses anything but a mapping as its value.
 * 3. U+007F to U+009F, U+FFFE and U+FFFF (escaped, in double quotes): Go's
 *    reader refuses them unescaped ("control characters are not allowed",
 *    readerc.go `yaml_parser_update_buffer`).
 * 4. U+0085, U+2028 and U+2029 (escaped `\N`, `\L`, `\P`): line breaks to Go
 *    (yamlprivateh.go `is_break`), not to YAML 1.2 readers.
 * 5. Multi-line strings of only spaces, tabs and line breaks with at least
 *    one space or tab, and multi-line strings whose first line with text
 *    starts with a tab (double-quoted, not a literal block): without an
 *    indentation indicator Go takes the block's indentation from such lines
 *    (scannerc.go `yaml_parser_scan_block_scalar_breaks`) and reads the
 *    spaces away or fails ("found a tab character where an indentation
 *    space is expected").
 * 6. A double-quoted string whose folded line starts with a space that
 *    precedes a line break: `yaml` writes `\\ ` (a backslash, read by every
 *    reader); this writer writes `\ ` (a space).
 * 7. A document's first key that starts with U+FEFF (double-quoted, the
 *    U+FEFF escaped): at the start of a file it is a byte order mark, which
 *    Go's reader (readerc.go `yaml_parser_determine_encoding`) and `yaml`
 *    drop.
 *
 * Half a UTF-16 surrogate pair is refused (no UTF-8 file can hold it), and
 * so are numbers that are not finite. Helm values (`toYaml`) leave out keys
 * whose value is `undefined` (a `null` would remove a chart's default);
 * manifests (`toYamlDocuments`) write them `null`, as cdk8s does.
 *
 * It is many times faster than the general YAML library, which matters at
 * thousands of domains.
 */

const recorded = new WeakMap<object, string>();

/**
 * `toYaml(values)`, remembered for these values: the audit recognises a
 * release's rendered values (a HelmChart's `valuesContent`, a values file)
 * without writing them again.
 */
export function toYamlRendering(values: { [key: string]: any }): string {
  const text = toYaml(values);
  recorded.set(values, text);
  return text;
}

/** What `toYamlRendering` wrote for these values, if it did. */
export function renderedYaml(values: object): string | undefined {
  return recorded.get(values);
}

/**
 * Write documents the way cdk8s does (`---` between them, an undefined
 * document as an empty line), with the bytes cdk8s writes but for the
 * deviations listed above.
 */
export function toYamlDocuments(docs: any[]): string {
  let out = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out += '---\n';
    const d = docs[i];
    out += d === undefined ? '\n' : writeDocument(d, true);
  }
  return out;
}

/** Write `value` (Helm values: a mapping) as a YAML document, ending in a newline. */
export function toYaml(value: { [key: string]: any }): string {
  return writeDocument(value, false);
}

/**
 * The longest key written in the implicit form `key: value`: Go's YAML reader
 * (Helm, kubectl) finds no `:` after a longer one, and `yaml` writes a longer
 * one in the explicit form `? key` / `: value`, as this writer does.
 */
export const MAX_IMPLICIT_KEY = 1024;

// ---------------------------------------------------------------------------
// When a string can be plain

/**
 * A plain scalar cannot start with an indicator (`,[]{}#&*!|>'"%@` and the
 * backquote) or white space; cannot be `-` or `?` alone or start with one
 * of them and a blank; cannot hold `: `, ` #` or a blank before a line
 * break, a line break before a blank; cannot end in a blank or `:`.
 */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[-?](?:$|[\t ])|[\n:][\t ]|[\t ]\n|[\n\t ]#|[\n\t :]$/;

/** Lines that a YAML 1.1 reader may take for a directive or a document marker. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m;

/** Characters that only a double-quoted scalar can hold (escaped), for `yaml` and for Go (classes 3 and 4). */
const DOUBLE_QUOTED_ONLY = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** YAML 1.1 nulls and booleans (the words go-yaml v2's resolve table holds too). */
const YAML11_WORD = /^(?:~|[Nn]ull|NULL|[Yy]|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|[Nn]|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)?$/;

/** YAML 1.1 integers (binary, octal, decimal, hexadecimal, base 60), each with `_` anywhere after the first digit. */
const YAML11_INT = /^[-+]?(?:0b[01_]+|0[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*|0x[0-9a-fA-F_]+)$/;

/** YAML 1.1 floats: `.inf`, `.nan`, with an exponent, with a point, base 60 with a point. */
const YAML11_FLOAT =
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)$/;

/** YAML 1.1 timestamps: a date, optionally a time and a zone. */
const YAML11_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[\t ]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[\t ]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;

/** What `strconv.ParseInt(s, 0, 64)` (Go) takes, once the underscores are gone. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;

/** go-yaml v2's `yamlStyleFloat`, once the underscores are gone. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** What `strconv.ParseFloat` takes after a leading `.`: underscores only between digits. */
const GO_DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

/** After `0b`, go-yaml v2 calls `strconv.ParseInt(rest, 2, 64)`, which takes a sign. */
const GO_BINARY_SIGNED = /^0b[-+][01]+$/;

const INT64_MAX = BigInt('9223372036854775807');
const UINT64_MAX = BigInt('18446744073709551615');

/** Whether the integer literal `p` (Go syntax, no underscores) fits what ParseInt or ParseUint accepts. */
function goIntFits(p: string): boolean {
  const sign = p[0] === '-' || p[0] === '+' ? p[0] : '';
  const body = sign ? p.slice(1) : p;
  let digits: string;
  if (/^0[xXoObB]/.test(body)) {
    digits = `0${body[1].toLowerCase()}${body.slice(2)}`;
  } else if (body.length > 1 && body[0] === '0') {
    // a leading 0 is octal; with an 8 or a 9 it is no integer (a float then, below)
    if (/[89]/.test(body)) return false;
    digits = `0o${body.slice(1)}`;
  } else {
    digits = body;
  }
  const v = BigInt(digits);
  if (sign === '-') return v <= INT64_MAX + BigInt(1);
  if (sign === '+') return v <= INT64_MAX;
  return v <= UINT64_MAX;
}

/**
 * Whether go-yaml v2 reads the plain scalar `s` (starting with a digit, a
 * sign or a point) as a number (resolve.go `resolve`, hints `D`, `S`, `.`).
 */
function goReadsNumber(s: string): boolean {
  if (s[0] === '.') return GO_DOT_FLOAT.test(s) && Number.isFinite(Number(s.replace(/_/g, '')));
  const p = s.includes('_') ? s.replace(/_/g, '') : s;
  if (GO_INT.test(p) && goIntFits(p)) return true;
  if (GO_FLOAT.test(p) && Number.isFinite(Number(p))) return true;
  return GO_BINARY_SIGNED.test(p) && BigInt(p.slice(3)) <= (p[2] === '-' ? INT64_MAX + BigInt(1) : INT64_MAX);
}

/** Whether a one-line plain scalar `s` is read as something else than the string, by YAML 1.1 or by Go (class 1). */
function readsAsOther(s: string): boolean {
  if (s === '') return true;
  const c = s.charCodeAt(0);
  // digits, + - . ~, and the first letters of the YAML 1.1 words: nothing else starts a number, null or boolean
  const digit = c >= 48 && c <= 57;
  if (digit || c === 43 || c === 45 || c === 46) {
    return YAML11_INT.test(s) || YAML11_FLOAT.test(s) || (digit && YAML11_TIMESTAMP.test(s)) || goReadsNumber(s);
  }
  if (s.length <= 5 && (c === 126 || 'yYnNtTfFoO'.includes(s[0]))) return YAML11_WORD.test(s);
  // `E5` and the like: a float to YAML 1.1 (an exponent without digits before it)
  return (c === 69 || c === 101) && YAML11_FLOAT.test(s);
}

/** The common case, written plain without further checks when `readsAsOther` is false. */
const SIMPLE = /^[A-Za-z0-9_/.][A-Za-z0-9_./-]*$/;

/**
 * Whether the manifest writer writes the one-line string `s` plain as a
 * value (below the top of the document). Readers of the library's own output
 * (plan) rely on the same rule.
 */
export function writesPlain(s: string): boolean {
  if (s === '<<') return true;
  if (SIMPLE.test(s)) return !readsAsOther(s);
  return !s.includes('\n') && !DOUBLE_QUOTED_ONLY.test(s) && !NOT_PLAIN.test(s) && !readsAsOther(s);
}

// ---------------------------------------------------------------------------
// Quoted and block scalars

/** Escapes of a double-quoted scalar, by character code (below U+00A0 and the Go-only ones). */
const ESCAPES: { [code: number]: string } = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0x2028: '\\L',
  0x2029: '\\P',
  0xfffe: '\\ufffe',
  0xffff: '\\uffff',
};

/** Double-quoted scalars this long (as JSON writes them) or longer show their line breaks as folded lines. */
const FOLD_FROM = 40;

/**
 * What is being written, for an error: a text, or an object whose text is
 * built only when an error names it (the writer's key path: building it for
 * every key would cost more than the writing).
 */
type Where = string | undefined | { toString(): string };

function refuseSurrogate(s: string, i: number, path: Where): never {
  throw new Error(
    `${path === undefined ? 'a string' : `the ${path}`} holds half a UTF-16 surrogate pair (\\u${s.charCodeAt(i).toString(16)} at character ${i}), which no YAML reader accepts: expected text (a whole character)`,
  );
}

/** How long JSON writes `s` (the measure `yaml` folds by). */
function jsonLength(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : c < 0x20 ? 6 : 1;
  }
  return n;
}

/**
 * `s` double-quoted. Line breaks of a long value (not a key) are folded:
 * a break becomes a line break and an empty line, each further one an empty
 * line, the next line indented by `indent`, a space that starts it escaped;
 * a line break that ends the string stays `\n`. A space before a line
 * break is escaped `\ `.
 */
function doubleQuoted(s: string, indent: string, key: boolean, path: Where): string {
  const fold = !key && jsonLength(s) >= FOLD_FROM;
  const foldIndent = indent || (DOCUMENT_MARKER.test(s) ? '  ' : '');
  let out = '"';
  const last = s.length - 1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      out += s.charCodeAt(i + 1) === 0x0a ? '\\ ' : ' ';
    } else if (c === 0x0a && fold && i < last) {
      out += '\n\n';
      while (s.charCodeAt(i + 1) === 0x0a && i + 1 < last) {
        out += '\n';
        i++;
      }
      out += foldIndent;
      if (s.charCodeAt(i + 1) === 0x20) {
        // the space that starts the folded line (one escape, also when a line break follows it: class 6)
        out += '\\ ';
        i++;
      }
    } else if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfffe || c === 0xffff) {
      out += ESCAPES[c] ?? `\\x${c.toString(16).padStart(2, '0')}`;
    } else if (c === 0xfeff && i === 0) {
      out += '\\ufeff';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) refuseSurrogate(s, i, path);
      out += s[i] + s[i + 1];
      i++;
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

/** `s` quoted: single quotes when it holds `"` and no `'` (and no line break), else double quotes. */
function quoted(s: string, indent: string, key: boolean, path: Where): string {
  if (s.includes('"') && !s.includes("'") && !s.includes('\n')) return `'${s}'`;
  return doubleQuoted(s, indent, key, path);
}

/** Blank lines Go takes the block's indentation from (class 5): only blanks and breaks, or a tab first. */
const GO_BLOCK_MISREAD = /^[\t\n ]*$|^\n*\t/;

/** Trailing spaces or tabs on the last line: a literal block cannot show them. */
const BLANK_LAST_LINE = /\n[\t ]+$/;

/** A multi-line string at `indent`: a literal block, or double-quoted where a block cannot hold it. */
/** The last block written: a release's values text is often written twice in a row (a HelmChart and its HelmChartConfig). */
let lastBlock: { s: string; atIndent: string; text: string } | undefined;

function block(s: string, atIndent: string, path: Where): string {
  if (lastBlock !== undefined && lastBlock.atIndent === atIndent && lastBlock.s === s) return lastBlock.text;
  const text = writeBlock(s, atIndent, path);
  // a small one only: the last text stays in memory until the next
  lastBlock = s.length <= 65536 ? { s, atIndent, text } : undefined;
  return text;
}

function writeBlock(s: string, atIndent: string, path: Where): string {
  // at the top of a document, a block that holds a document marker is indented
  const indent = atIndent || (DOCUMENT_MARKER.test(s) ? '  ' : '');
  if (BLANK_LAST_LINE.test(s) || (GO_BLOCK_MISREAD.test(s) && /[\t ]/.test(s))) return doubleQuoted(s, indent, false, path);
  // the trailing blanks and breaks decide the chomping: none `-`, one break `` (clip), more `+` (keep)
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x09 && c !== 0x20) break;
    end--;
  }
  let tail = s.slice(end);
  let body = s.slice(0, end);
  const firstBreak = tail.indexOf('\n');
  const chomp = firstBreak < 0 ? '-' : end === 0 || firstBreak !== tail.length - 1 ? '+' : '';
  if (tail !== '') {
    // the block's own line break ends the last line; breaks followed by more text start an indented line
    if (tail.endsWith('\n')) tail = tail.slice(0, -1);
    tail = tail.replace(/\n+(?=[^\n])/g, `$&${indent}`);
  }
  // leading spaces need an indentation indicator; leading empty lines stay as they are
  let lead = 0;
  let leadingSpace = false;
  let lastBreak = -1;
  for (; lead < body.length; lead++) {
    const c = body.charCodeAt(lead);
    if (c === 0x20) leadingSpace = true;
    else if (c === 0x0a) lastBreak = lead;
    else break;
  }
  let head = '';
  if (lastBreak >= 0) {
    head = body.slice(0, lastBreak + 1).replace(/\n+/g, `$&${indent}`);
    body = body.slice(lastBreak + 1);
  }
  const header = (leadingSpace ? (indent ? '2' : '1') : '') + chomp;
  return `|${header}\n${indent}${head}${body.replace(/\n+/g, `$&${indent}`)}${tail}`;
}

/**
 * A string value whose content starts at `indent` (the indentation of the
 * lines of a block or of a folded double-quoted string).
 */
function stringValue(s: string, indent: string, path: Where): string {
  if (indent === '' && s.charCodeAt(0) === 0xfeff) return doubleQuoted(s, indent, false, path);
  if (SIMPLE.test(s)) {
    if (readsAsOther(s)) return quoted(s, indent, false, path);
    return indent === '' && s.startsWith('...') ? block(s, '  ', path) : s;
  }
  if (s === '<<') return s;
  if (DOUBLE_QUOTED_ONLY.test(s)) return doubleQuoted(s, indent, false, path);
  const multiLine = s.includes('\n');
  if (NOT_PLAIN.test(s)) return multiLine ? block(s, indent, path) : quoted(s, indent, false, path);
  if (multiLine) return block(s, indent, path);
  // at the top of a document, a line that looks like a document marker is a block
  if (indent === '' && DOCUMENT_MARKER.test(s)) return block(s, '  ', path);
  if (readsAsOther(s)) return quoted(s, indent, false, path);
  return s;
}

/**
 * A key as written before `:`. `top`: a key of the document's top mapping,
 * where a key starting with `---` or `...` is quoted.
 */
function keyString(s: string, top: boolean, path: Where): string {
  if (SIMPLE.test(s)) return readsAsOther(s) || (top && s.startsWith('...')) ? quoted(s, '', true, path) : s;
  if (s === '<<') return '"<<"';
  if (DOUBLE_QUOTED_ONLY.test(s) || s.includes('\n')) return doubleQuoted(s, '', true, path);
  if (NOT_PLAIN.test(s) || (top && DOCUMENT_MARKER.test(s)) || readsAsOther(s)) return quoted(s, '', true, path);
  return s;
}

/**
 * A string as written as a value of a document's top mapping (a multi-line
 * one as a block whose lines are indented by two spaces); `path` names it in
 * an error.
 */
export function yamlString(s: string, path?: string): string {
  return stringValue(s, '  ', path);
}

// ---------------------------------------------------------------------------
// Collections

function isMapping(v: unknown): v is { [key: string]: any } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value on the line of its key or dash (`indent`: where its block lines would start), or undefined for a non-empty collection. */
function inline(v: unknown, indent: string, where: Where): string | undefined {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return stringValue(v, indent, where);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`${where} is ${v}: Helm values cannot hold it`);
      return Object.is(v, -0) ? '-0' : String(v);
    case 'object':
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      return undefined;
    default:
      throw new Error(`${where} is a ${typeof v}: Helm values hold only mappings, lists, strings, numbers, booleans and null`);
  }
}

class Writer {
  public out = '';
  /** The keys and indexes that lead to what is being written. */
  private readonly keys: Array<string | number> = [];
  /** The key being written, for an error (`key at a.b`). */
  private readonly keyWhere = { toString: () => `key at ${this.path()}` };
  /** The value being written, for an error (`value at a.b[0]`). */
  private readonly valueWhere = { toString: () => `value at ${this.path() || 'the top'}` };

  public constructor(private readonly undefinedAsNull: boolean) {}

  /** `a.b[0].c`; a key with a character a message cannot show as it is (a control character, half a surrogate pair) quoted as JSON writes it */
  private path(): string {
    let path = '';
    for (const k of this.keys) {
      if (typeof k === 'number') {
        path = `${path}[${k}]`;
        continue;
      }
      const shown = JSON.stringify(k) === `"${k}"` ? k : JSON.stringify(k);
      path = path === '' ? shown : `${path}.${shown}`;
    }
    return path;
  }

  /** The keys written of a mapping. */
  private keysOf(m: { [key: string]: any }): string[] {
    const keys = Object.keys(m);
    return this.undefinedAsNull ? keys : keys.filter((k) => m[k] !== undefined);
  }

  /**
   * A non-empty mapping (or `{}`) whose keys start at `indent`; the first
   * line starts with `first` (a dash, or `: ` after an explicit key) instead.
   */
  public mapping(m: { [key: string]: any }, indent: string, first: string | undefined): void {
    const keys = this.keysOf(m);
    if (keys.length === 0) {
      this.out += `${first ?? indent}{}\n`;
      return;
    }
    const childIndent = indent + '  ';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const prefix = i === 0 && first !== undefined ? first : indent;
      this.keys.push(key);
      const top = indent === '' && first === undefined;
      // a byte order mark first in a document would be dropped (class 7)
      const k = top && i === 0 && key.charCodeAt(0) === 0xfeff ? doubleQuoted(key, '', true, this.keyWhere) : keyString(key, top, this.keyWhere);
      const v = m[key];
      if (k.length > MAX_IMPLICIT_KEY) {
        // `? key`, then the value after `: ` on the next line (a collection starts there too)
        this.out += `${prefix}? ${k}\n`;
        this.value(v, childIndent, `${indent}: `, `${indent}:`);
      } else {
        this.value(v, childIndent, undefined, `${prefix}${k}:`);
      }
      this.keys.pop();
    }
  }

  /**
   * The value of a key or a dash: `lead` is the line so far (`key:`);
   * a collection starts on the same line after `compact` when given, else
   * on the next lines at `indent`.
   */
  private value(v: unknown, indent: string, compact: string | undefined, lead: string): void {
    const text = inline(v, indent, this.valueWhere);
    if (text !== undefined) {
      this.out += `${lead} ${text}\n`;
      return;
    }
    if (Array.isArray(v)) {
      if (compact !== undefined) {
        this.sequence(v, indent, compact);
      } else {
        this.out += `${lead}\n`;
        this.sequence(v, indent, undefined);
      }
      return;
    }
    const m = v as { [key: string]: any };
    if (this.keysOf(m).length === 0) {
      this.out += `${lead} {}\n`;
    } else if (compact !== undefined) {
      this.mapping(m, indent, compact);
    } else {
      this.out += `${lead}\n`;
      this.mapping(m, indent, undefined);
    }
  }

  /** A non-empty sequence whose dashes are at `indent`; the first line starts with `first` instead. */
  public sequence(s: any[], indent: string, first: string | undefined): void {
    const itemIndent = indent + '  ';
    for (let i = 0; i < s.length; i++) {
      const prefix = i === 0 && first !== undefined ? first : indent;
      this.keys.push(i);
      this.value(s[i], itemIndent, `${prefix}- `, `${prefix}-`);
      this.keys.pop();
    }
  }
}

function writeDocument(value: unknown, undefinedAsNull: boolean): string {
  const w = new Writer(undefinedAsNull);
  if (Array.isArray(value) && value.length > 0) {
    w.sequence(value, '', undefined);
    return w.out;
  }
  if (isMapping(value)) {
    w.mapping(value, '', undefined);
    return w.out;
  }
  return `${inline(value, '', 'value at the top')}\n`;
}
