/**
 * A fast, strict reader for exactly the YAML the library writes
 * (src/values/yaml.ts): block mappings and sequences indented by two
 * spaces, `- key: value` and `- - x` items, literal blocks, plain scalars as
 * the writer writes them (`writesPlain`), one-line double-quoted strings with
 * their escapes, single-quoted strings without a quote inside, `null`,
 * booleans, numbers as JavaScript writes them, `[]` and `{}`. Anything else
 * (comments, flow collections, anchors, explicit keys, folded quoted
 * strings, an unexpected indentation) is not read: the caller falls back to the
 * general YAML library. The plan reads the earlier output's values with it,
 * about fifty times faster than the general library on 1,000 domains.
 */

import { writesPlain } from '../values/yaml';

const DOCUMENT_MARKER = /^(?:---|\.\.\.)/m;

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[-+][0-9]+)?$/;

/** Not in the subset (thrown without a stack, it is not an error). */
const NOT_OURS = Symbol('not the library YAML');

function fail(): never {
  throw NOT_OURS;
}

/** Escapes of a double-quoted scalar that stand for one character. */
const ESCAPED: { [c: string]: string } = {
  '0': '\0',
  'a': '\x07',
  'b': '\b',
  't': '\t',
  'n': '\n',
  'v': '\v',
  'f': '\f',
  'r': '\r',
  'e': '\x1b',
  ' ': ' ',
  '"': '"',
  '\\': '\\',
  'N': '\u0085',
  '_': '\u00a0',
  'L': '\u2028',
  'P': '\u2029',
};
const HEX = /^[0-9a-fA-F]+$/;

/**
 * A quoted string starting at `s[0]` (double quotes with their escapes, or
 * single quotes without a quote inside, as the writer writes them): its value
 * and its length. A double-quoted string may go on over lines (`s` then holds
 * them, joined by line breaks): a line break followed by empty lines is one
 * line break each, by none a space; the blanks around it are not part of the
 * value, escaped ones are.
 */
function quoted(s: string): [string, number] {
  if (s[0] === "'") {
    const end = s.indexOf("'", 1);
    if (end < 0 || s[end + 1] === "'") fail();
    return [s.slice(1, end), end + 1];
  }
  let out = '';
  // the length of `out` up to its last escape: blanks before a line break are trimmed back to there at most
  let kept = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') return [out, i + 1];
    if (c === '\n') {
      let end = out.length;
      while (end > kept && (out[end - 1] === ' ' || out[end - 1] === '\t')) end--;
      out = out.slice(0, end);
      let breaks = 0;
      for (;;) {
        while (s[i + 1] === ' ' || s[i + 1] === '\t') i++;
        if (s[i + 1] !== '\n') break;
        breaks++;
        i++;
      }
      out += breaks === 0 ? ' ' : '\n'.repeat(breaks);
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    kept = out.length + 1;
    const e = s[++i];
    const one = ESCAPED[e];
    if (one !== undefined) {
      out += one;
      continue;
    }
    const n = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const code = s.slice(i + 1, i + 1 + n);
    if (n === 0 || code.length !== n || !HEX.test(code)) fail();
    const v = parseInt(code, 16);
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) fail();
    out += String.fromCodePoint(v);
    kept = out.length;
    i += n;
  }
  return fail();
}

/** Whether the double-quoted string that starts `s` ends on this line. */
function closes(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return true;
  }
  return false;
}

function scalar(t: string): unknown {
  if (t === 'null') return null;
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === '[]') return [];
  if (t === '{}') return {};
  if (t === '-0') return -0;
  if (t.startsWith('"') || t.startsWith("'")) {
    const [v, n] = quoted(t);
    if (n !== t.length) fail();
    return v;
  }
  if (NUMBER.test(t)) {
    const n = Number(t);
    if (String(n) !== t) fail();
    return n;
  }
  if (writesPlain(t)) return t;
  return fail();
}

class Reader {
  private i = 0;
  public constructor(private readonly lines: string[]) {}

  public document(): unknown {
    if (this.lines.length === 1 && !this.isKey(this.lines[0])) {
      this.i = 1;
      return scalar(this.lines[0]);
    }
    const v = this.mapping(0);
    if (this.i !== this.lines.length) fail();
    return v;
  }

  /** The next line without its indentation `indent`; undefined at the end or at a line indented less (more: refused). */
  private lineAt(indent: number): string | undefined {
    if (this.i >= this.lines.length) return undefined;
    const line = this.lines[this.i];
    const n = this.indentOf(line);
    if (n < indent) return undefined;
    if (n > indent) fail();
    return line.slice(indent);
  }

  private indentOf(line: string): number {
    let n = 0;
    while (line.charCodeAt(n) === 32) n++;
    return n;
  }

  private block(indent: number): unknown {
    const line = this.lines[this.i];
    if (line === undefined || this.indentOf(line) !== indent) fail();
    const rest = line.slice(indent);
    return rest === '-' || rest.startsWith('- ') ? this.sequence(indent) : this.mapping(indent);
  }

  /** A key at the start of `s`: the key and where its value starts (after `key:`). */
  private key(s: string): [string, number] {
    if (s.startsWith('"') || s.startsWith("'")) {
      const [k, n] = quoted(s);
      if (s[n] !== ':' || (n + 1 < s.length && s[n + 1] !== ' ')) fail();
      return [k, n + 1];
    }
    // a plain key holds no `: ` and does not end in `:`: it ends at the first `: `, or at the line's last colon
    const sep = s.indexOf(': ');
    const end = sep >= 0 ? sep : s.endsWith(':') ? s.length - 1 : -1;
    if (end < 0) fail();
    const k = s.slice(0, end);
    if (!writesPlain(k)) fail();
    return [k, end + 1];
  }

  private mapping(indent: number): { [key: string]: unknown } {
    const out: { [key: string]: unknown } = {};
    for (let s = this.lineAt(indent); s !== undefined; s = this.lineAt(indent)) {
      if (s.startsWith('- ') || s === '-') break;
      const [k, at] = this.key(s);
      if (Object.prototype.hasOwnProperty.call(out, k)) fail();
      this.i++;
      // an own property for every key, `__proto__` too (as JSON.parse does)
      Object.defineProperty(out, k, { value: this.value(s.slice(at), indent), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** The value after `key:` or `-`: `rest` is what follows on the line. */
  private value(rest: string, indent: number): unknown {
    if (rest === '') return this.block(indent + 2);
    if (!rest.startsWith(' ')) fail();
    const t = rest.slice(1);
    if (t.startsWith('|')) return this.literal(t, indent + 2);
    return scalar(this.continued(t));
  }

  /** A double-quoted scalar that goes on over the next lines, with them (joined by line breaks). */
  private continued(t: string): string {
    if (!t.startsWith('"') || closes(t)) return t;
    let text = t;
    do {
      if (this.i >= this.lines.length) fail();
      text += '\n' + this.lines[this.i++];
    } while (!closes(text));
    return text;
  }

  private literal(header: string, indent: number): string {
    // `|`, `|-`, `|+`; with the indicator 2 (the content indentation), the first line may start with spaces
    const h = /^\|(2?)([-+]?)$/.exec(header);
    if (!h) fail();
    const body: string[] = [];
    const pad = ' '.repeat(indent);
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line === '' || line === pad) body.push('');
      else if (line.startsWith(pad)) body.push(line.slice(indent));
      else break;
      this.i++;
    }
    const first = body.find((l) => l !== '');
    if (first === undefined || (h[1] === '' && (first.startsWith(' ') || first.startsWith('\t')))) fail();
    const chomp = h[2];
    if (chomp !== '+' && body[body.length - 1] === '') fail();
    const text = body.join('\n');
    return chomp === '-' ? text : `${text}\n`;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let s = this.lineAt(indent); s !== undefined; s = this.lineAt(indent)) {
      if (s === '-') {
        this.i++;
        out.push(this.block(indent + 2));
        continue;
      }
      if (!s.startsWith('- ')) break;
      const item = s.slice(2);
      if (item === '-' || item.startsWith('- ')) {
        // `- - x`: a sequence whose first line is the dash's
        this.lines[this.i] = `${' '.repeat(indent + 2)}${item}`;
        out.push(this.sequence(indent + 2));
      } else if (item.startsWith('|')) {
        this.i++;
        out.push(this.literal(item, indent + 2));
      } else if (this.isKey(item)) {
        // `- key: value`: a mapping whose first line is the dash's
        this.lines[this.i] = `${' '.repeat(indent + 2)}${item}`;
        out.push(this.mapping(indent + 2));
      } else {
        this.i++;
        out.push(scalar(this.continued(item)));
      }
    }
    return out;
  }

  /** Whether `item` starts with a key (a quoted one then `:`, or a plain one: a plain value holds no `: ` and does not end in `:`). */
  private isKey(item: string): boolean {
    if (item.startsWith('"') || item.startsWith("'")) {
      try {
        const [, n] = quoted(item);
        return item[n] === ':';
      } catch {
        return false;
      }
    }
    return item.includes(': ') || item.endsWith(':');
  }
}

/**
 * Read a YAML document the library wrote; `undefined` when the text is not
 * in the library's subset (then read it with a general YAML library).
 */
export function readOwnYaml(text: string): unknown {
  // a line that starts with `---` or `...` may end the document (the writer indents or quotes such text)
  if (!text.endsWith('\n') || text.includes('\r') || DOCUMENT_MARKER.test(text)) return undefined;
  const lines = text.slice(0, -1).split('\n');
  try {
    return new Reader(lines).document();
  } catch (e) {
    if (e === NOT_OURS) return undefined;
    throw e;
  }
}
