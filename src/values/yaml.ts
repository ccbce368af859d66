/**
 * A small, fast YAML writer for Helm values (plain data: mappings, lists,
 * strings, numbers, booleans, null).
 *
 * Helm reads values with a YAML 1.1 parser, where `yes`, `on` or `1:20` are
 * not strings; so a string is written plain only when it cannot be read as
 * anything else in YAML 1.1 or 1.2 (a letter, `_` or `/` first, then letters,
 * digits, `_`, `.`, `/`, `:`, `-`, not ending in `:`, and not a boolean or
 * null word). Every other
 * string is double-quoted with every character outside printable ASCII
 * escaped, which both versions read back exactly. Keys keep their order.
 *
 * It is about fifty times faster than a general YAML library on the values
 * of one ingress release, which matters at thousands of domains.
 */

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:-]*$/;
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

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

/** Write documents the way cdk8s does (`---` between them), each with `toYaml`. */
export function toYamlDocuments(docs: any[]): string {
  return docs.map((d) => (d === undefined ? '\n' : toYaml(d))).join('---\n');
}

/** Write `value` (a mapping) as a YAML document, ending in a newline. */
export function toYaml(value: { [key: string]: any }): string {
  const lines: string[] = [];
  if (isMapping(value) && Object.keys(value).length > 0) {
    writeMapping(value, '', lines, '');
  } else {
    lines.push(inline(value, ''));
  }
  return lines.join('\n') + '\n';
}

/** Characters with a short escape in a double-quoted scalar. */
const ESCAPES: { [code: number]: string } = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x09: '\\t', 0x0d: '\\r' };

/**
 * The longest key written in the implicit form `key: value`: Go's YAML reader
 * (Helm, kubectl) finds no `:` after a longer one, so a longer key is written
 * in the explicit form `? key` / `: value`.
 */
export const MAX_IMPLICIT_KEY = 1024;

/**
 * Whether `yamlString` writes `s` plain (unquoted): it cannot be read as
 * anything but that string in YAML 1.1 or 1.2. Readers of the library's own
 * output (plan) rely on the same rule.
 */
export function writesPlain(s: string): boolean {
  // `E5` is a float to some YAML 1.1 readers (an exponent without digits before it)
  return PLAIN.test(s) && !s.endsWith(':') && !RESERVED.has(s.toLowerCase()) && !/^[eE][-+]?[0-9][0-9_]*$/.test(s);
}

/**
 * A string as a YAML scalar that reads back as exactly that string.
 * Characters outside the Basic Multilingual Plane are written `\U0001f600`
 * (Go's reader refuses the surrogate pair `\ud83d\ude00`); a lone surrogate
 * (half a pair, which no UTF-8 file can hold) is refused, naming `path`.
 */
export function yamlString(s: string, path?: string): string {
  if (writesPlain(s)) {
    return s;
  }
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const escaped = ESCAPES[c];
    if (escaped !== undefined) {
      out += escaped;
    } else if (c >= 0x20 && c <= 0x7e) {
      out += s[i];
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
        throw new Error(
          `${path === undefined ? 'a string' : `the ${path}`} holds half a UTF-16 surrogate pair (\\u${c.toString(16)} at character ${i}), which no YAML reader accepts: expected text (a whole character)`,
        );
      }
      out += '\\U' + s.codePointAt(i)!.toString(16).padStart(8, '0');
      i++;
    } else {
      out += '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + '"';
}

/**
 * Whether a multi-line string can be a literal block (`|`): printable
 * characters only (no carriage return, no YAML 1.1 line breaks such as
 * U+0085 or U+2028), and a first line that does not start with a space.
 */
const NOT_IN_LITERAL_BLOCK = /[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|[\u2028\u2029\ufeff]/;

function literalBlockable(s: string): boolean {
  if (!s.includes('\n') || s.startsWith(' ') || s.startsWith('\t') || s.startsWith('\n')) return false;
  return !NOT_IN_LITERAL_BLOCK.test(s);
}

/** A multi-line string as a literal block at `indent`: `|-`, `|` or `|+` by its trailing newlines. */
function literalBlock(s: string, indent: string): string {
  const trailing = s.length - s.replace(/\n+$/, '').length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  // the line break after the last line is the block's own; with `|+` the empty lines before it are kept
  const body = trailing === 0 ? s : s.slice(0, -1);
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

function isMapping(v: unknown): v is { [key: string]: any } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value that fits on the line of its key or dash, or undefined for a non-empty collection. */
function inline(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return yamlString(v, `value at ${path || 'the top'}`);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`value at ${path || 'the top'} is ${v}: Helm values cannot hold it`);
      // String(-0) is "0"; Go's reader reads -0.0 as the float -0
      return Object.is(v, -0) ? '-0.0' : String(v);
    case 'object':
      if (Array.isArray(v) && v.length === 0) return '[]';
      if (!Array.isArray(v) && Object.keys(v as object).length === 0) return '{}';
      throw new Error('internal: a non-empty collection is not inline');
    default:
      throw new Error(`value at ${path || 'the top'} is a ${typeof v}: Helm values hold only mappings, lists, strings, numbers, booleans and null`);
  }
}

function isBlock(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v as object).length > 0);
}

function writeMapping(m: { [key: string]: any }, indent: string, lines: string[], path: string, firstPrefix?: string): void {
  let first = true;
  for (const key of Object.keys(m)) {
    const v = m[key];
    if (v === undefined) continue;
    const prefix = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const p = path ? `${path}.${key}` : key;
    const written = yamlString(key, `key at ${p}`);
    // a long key: `? key` on its line, its value after `:` on the next
    const explicit = written.length > MAX_IMPLICIT_KEY;
    const k = explicit ? `? ${written}\n${indent}` : written;
    if (isBlock(v)) {
      lines.push(`${prefix}${k}:`);
      if (Array.isArray(v)) writeSequence(v, indent + '  ', lines, p);
      else writeMapping(v, indent + '  ', lines, p);
    } else if (typeof v === 'string' && literalBlockable(v)) {
      lines.push(`${prefix}${k}: ${literalBlock(v, indent + '  ')}`);
    } else {
      lines.push(`${prefix}${k}: ${inline(v, p)}`);
    }
  }
  if (first) {
    // every value was undefined: an empty mapping
    lines.push(`${firstPrefix ?? indent}{}`);
  }
}

function writeSequence(s: any[], indent: string, lines: string[], path: string): void {
  s.forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (typeof v === 'string' && literalBlockable(v)) {
      lines.push(`${indent}- ${literalBlock(v, indent + '  ')}`);
    } else if (!isBlock(v)) {
      lines.push(`${indent}- ${v === undefined ? 'null' : inline(v, p)}`);
    } else if (Array.isArray(v)) {
      lines.push(`${indent}-`);
      writeSequence(v, indent + '  ', lines, p);
    } else {
      writeMapping(v, indent + '  ', lines, p, `${indent}- `);
    }
  });
}
