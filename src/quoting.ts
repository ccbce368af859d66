/**
 * The one place where a value becomes a word of a generated text: a POSIX
 * shell script, a haproxy.cfg, a DNS zone file. Every value from the
 * configuration goes through these functions, whatever validation it passed
 * before: validation says what a value may mean, quoting makes sure it
 * cannot mean anything else.
 */

/** Characters a shell word may hold without quotes (none of them is special to sh). */
const SHELL_PLAIN = /^[A-Za-z0-9._/:=@%+,-]+$/;

/**
 * `value` as one word of a POSIX shell command: as it is when it holds only
 * characters that are never special, else in single quotes (inside which sh
 * interprets nothing), each `'` written as `'\''`.
 */
export function shellWord(value: string): string {
  return SHELL_PLAIN.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** Characters a haproxy.cfg word may hold without quotes (no space, `#`, `\`, quote, `$` or `%`). */
const HAPROXY_PLAIN = /^[A-Za-z0-9._/:=@+,\[\]-]+$/;

/**
 * `value` as one word of a haproxy.cfg line. HAProxy reads a word up to a
 * space or `#`; inside single quotes it interprets nothing (no escapes, no
 * environment variables), and quoted parts of a word are joined, so a `'`
 * is written as `'\''` as in a shell. A line break cannot be quoted: it is
 * refused.
 */
export function haproxyWord(value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new Error(`${JSON.stringify(value)} cannot be written into a haproxy.cfg: it holds a line break or NUL`);
  }
  return HAPROXY_PLAIN.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * `name` as an owner name of a zone file (RFC 1035 section 5.1): every
 * character but letters, digits, `-`, `_`, `*` and the dots between labels
 * is written as `\DDD` (its decimal byte), so that none starts a comment, a
 * quoted string or an `$` directive, and no label break moves.
 */
export function zoneName(name: string): string {
  if (/^[A-Za-z0-9._*-]*$/.test(name)) {
    return name; // nothing to escape: the common case, thousands of times per synth
  }
  const out: string[] = [];
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    out.push(/[A-Za-z0-9._*-]/.test(c) ? c : `\\${String(byte).padStart(3, '0')}`);
  }
  return out.join('');
}

/**
 * `text` for a comment line (of a shell script, a haproxy.cfg or a zone
 * file): every control character (a line break above all, which would end
 * the comment) is written as `?`.
 */
export function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}
