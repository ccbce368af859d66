import { domainToASCII } from 'url';

/**
 * Pure helpers for Helm values: merging the operator's base values under the
 * multi-ingress settings, removing keys that conflict, and scanning values.
 *
 * Values are plain JSON-like data (objects, arrays, strings, numbers,
 * booleans, null). Nothing here mutates its input.
 */

export type Values = { [key: string]: any };

/** A key path inside a values tree, e.g. `['galley', 'config', 'settings']`. */
export type KeyPath = readonly string[];

/** Something the library changed in the operator's base values, to report. */
export interface ValuesEdit {
  /** Dotted key path, e.g. `cargohold.config.aws.s3DownloadEndpoint`. */
  readonly path: string;
  /**
   * What kind of value was dropped (`a mapping of 3 keys`, `a string`): never
   * the value itself, which may be a secret.
   */
  readonly removed: string;
  /** Why it was removed or replaced. */
  readonly reason: string;
  /** The key stays, with the library's value instead of the operator's. */
  readonly replaced?: boolean;
}

/** A key path the library removes from base values, and why. */
export interface ConflictRule {
  readonly path: KeyPath;
  readonly reason: string;
}

/** The kind of a value for a message, without any of its content: `a mapping of 2 keys`, `a list of 3 items`, `a string`. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isPlainObject(value)) {
    const n = Object.keys(value).length;
    return `a mapping of ${n} key${n === 1 ? '' : 's'}`;
  }
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Set `key` on `obj` as an own, enumerable property. Plain assignment of
 * `__proto__` would change the object's prototype instead (and the key would
 * vanish from the values).
 */
export function setOwn(obj: Values, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** `obj[key]` if `obj` has it itself (not from its prototype: `constructor`, `__proto__`). */
export function ownValue(obj: Values, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function dotted(path: KeyPath): string {
  return path.join('.');
}

/**
 * Merge `overlay` onto `base`: objects are merged key by key, everything else
 * (scalars, arrays, null) in `overlay` replaces what `base` has. Keys of
 * `base` come first, in their order, then new keys of `overlay`.
 */
export function deepMerge(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) {
      continue;
    }
    const current = ownValue(out, key);
    setOwn(out, key, isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value);
  }
  return out;
}

/** Merge any number of layers, later ones winning. */
export function mergeLayers(...layers: Values[]): Values {
  return layers.reduce((acc, layer) => deepMerge(acc, layer), {});
}

export function getPath(values: Values, path: KeyPath): unknown {
  let node: unknown = values;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}

/** A copy of `values` without the key at `path` (parents are kept, even when empty). */
export function withoutPath(values: Values, path: KeyPath): Values {
  const [head, ...rest] = path;
  if (!Object.prototype.hasOwnProperty.call(values, head)) {
    return values;
  }
  const out: Values = { ...values };
  if (rest.length === 0) {
    delete out[head];
  } else if (isPlainObject(out[head])) {
    setOwn(out, head, withoutPath(out[head], rest));
  }
  return out;
}

/**
 * Remove every key listed in `rules` that is present (with a non-null value)
 * in `values`. Returns the cleaned values and one edit per removed key.
 */
export function removeKeys(values: Values, rules: readonly ConflictRule[]): { values: Values; edits: ValuesEdit[] } {
  let out = values;
  const edits: ValuesEdit[] = [];
  for (const rule of rules) {
    const previous = getPath(out, rule.path);
    if (previous === undefined) {
      continue;
    }
    out = withoutPath(out, rule.path);
    if (previous !== null) {
      edits.push({ path: dotted(rule.path), removed: kindOf(previous), reason: rule.reason });
    }
  }
  return { values: out, edits };
}

/**
 * Remove the keys at `paths` that the multi-ingress overlay owns outright, so
 * that the overlay replaces them instead of being merged into stale entries.
 * A removed value that differs from what the overlay puts there is reported.
 */
export function releaseOwnedKeys(values: Values, overlay: Values | undefined, paths: readonly KeyPath[]): { values: Values; edits: ValuesEdit[] } {
  let out = values;
  const edits: ValuesEdit[] = [];
  for (const path of paths) {
    const previous = getPath(out, path);
    if (previous === undefined) {
      continue;
    }
    out = withoutPath(out, path);
    const same = overlay !== undefined && JSON.stringify(previous) === JSON.stringify(getPath(overlay, path));
    if (previous !== null && !same) {
      edits.push({ path: dotted(path), removed: kindOf(previous), reason: 'multi-ingress sets this key itself, for every domain' });
    }
  }
  return { values: out, edits };
}

/** Key names (compared in lower case, without "-" and "_") that hold secret material. */
const SECRET_KEYS = new Set([
  'secrets',
  'secret',
  'secretkey',
  'secretaccesskey',
  'awssecretaccesskey',
  'privatekey',
  'privatekeys',
  'clientsecret',
  'sharedsecret',
  'apikey',
  'token',
  'accesstoken',
  'refreshtoken',
  'bearertoken',
  'authtoken',
  'credentials',
]);
/** Key name endings that hold secret material: `smtpPassword`, `db_passwd`, `keyPassphrase`, `aws.secretAccessKey`. */
const SECRET_KEY_ENDINGS = ['password', 'passwd', 'passphrase', 'secretaccesskey', 'privatekey', 'privatekeys', 'clientsecret'];

/** Whether a key's name says that its value is secret (`secrets`, `password`, `secretAccessKey`, `privateKeys`, ...). */
export function isSecretKeyName(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(k) || SECRET_KEY_ENDINGS.some((e) => k.endsWith(e));
}

/**
 * The keys of `base` whose value `overlay` replaces in `deepMerge(base,
 * overlay)`: a leaf of the overlay (scalar, list or null) where the base has
 * a different value, or a map of the overlay where the base has a scalar or
 * list. Reported so that no base value is overridden without a word.
 */
export function overriddenKeys(base: Values, overlay: Values, reason: (value: unknown) => string, path: string[] = []): ValuesEdit[] {
  const edits: ValuesEdit[] = [];
  for (const [key, value] of Object.entries(overlay)) {
    const previous = base[key];
    if (value === undefined || previous === undefined) {
      continue;
    }
    const here = [...path, key];
    if (isPlainObject(value) && isPlainObject(previous)) {
      edits.push(...overriddenKeys(previous, value, reason, here));
    } else if (JSON.stringify(previous) !== JSON.stringify(value)) {
      edits.push({ path: dotted(here), removed: kindOf(previous), reason: reason(value), replaced: true });
    }
  }
  return edits;
}

/**
 * Remove every key whose name says it holds a secret (`secrets`, `password`,
 * `smtpPassword`, `secretAccessKey`, `privateKeys`, `token`, ... see
 * `isSecretKeyName`), at any depth, in maps and inside lists: secret
 * material must never be written into an emitted manifest or values file.
 * The operator provides it through a Secret the release references instead.
 */
export function removeSecretSubtrees(values: Values, secretHint: string): { values: Values; edits: ValuesEdit[] } {
  const edits: ValuesEdit[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) {
      return node.map((item, i) => walk(item, `${path}[${i}]`));
    }
    if (!isPlainObject(node)) {
      return node;
    }
    const out: Values = {};
    for (const [key, value] of Object.entries(node)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (isSecretKeyName(key) && value !== null && value !== undefined) {
        edits.push({ path: here, removed: kindOf(value), reason: `secret values are never written into the output; ${secretHint}` });
        continue;
      }
      setOwn(out, key, walk(value, here));
    }
    return out;
  };
  return { values: walk(values, '') as Values, edits };
}

/** Visit every string in a values tree with its key path. */
export function forEachString(values: unknown, visit: (value: string, path: string) => void, path: string = ''): void {
  if (typeof values === 'string') {
    visit(values, path);
  } else if (Array.isArray(values)) {
    values.forEach((v, i) => forEachString(v, visit, `${path}[${i}]`));
  } else if (isPlainObject(values)) {
    for (const [key, value] of Object.entries(values)) {
      forEachString(value, visit, path === '' ? key : `${path}.${key}`);
    }
  }
}

/** The first line of a private key in text form: PEM (PKCS#1, PKCS#8, SEC1, encrypted), OpenSSH, PGP, PuTTY. */
const PRIVATE_KEY_TEXT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d+:|^\s*Private-Lines:\s*\d+/m;
/** A run of base64 (or base64url) long enough to hold a key, line breaks allowed. */
const BASE64_RUN = /(?:[A-Za-z0-9+/_-]{4}[\r\n]*){12,}(?:[A-Za-z0-9+/_-]{2,4}={0,2})?/g;
/** The members of a JSON Web Key that only its private form has (RFC 7518 section 6: RSA, EC, OKP; "k" of a symmetric key). */
const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** Whether a value is a JSON Web Key with private members (or a set of them). */
function isPrivateJwk(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isPrivateJwk);
  if (!isPlainObject(value)) return false;
  if (Array.isArray(value.keys)) return value.keys.some(isPrivateJwk);
  return typeof value.kty === 'string' && JWK_PRIVATE_MEMBERS.some((m) => m in value);
}

/**
 * What kind of private key a string holds, if it holds one: a PEM, OpenSSH,
 * PGP or PuTTY private key, the same in base64 (a kubeconfig's
 * `client-key-data`, a Secret's data), or a JSON Web Key with private members.
 */
export function privateKeyIn(text: string): string | undefined {
  if (PRIVATE_KEY_TEXT.test(text)) return 'a private key';
  if (text.length >= 48) {
    for (const run of text.match(BASE64_RUN) ?? []) {
      const joined = run.replace(/[\r\n]/g, '');
      // the run may start inside the encoding (letters just before it): try each alignment
      for (let skip = 0; skip < 4; skip++) {
        if (PRIVATE_KEY_TEXT.test(Buffer.from(joined.slice(skip), 'base64').toString('latin1'))) return 'a base64-encoded private key';
      }
    }
  }
  if (text.includes('"kty"')) {
    try {
      if (isPrivateJwk(JSON.parse(text))) return 'a private JSON Web Key';
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** Where a values tree holds a private key (see `privateKeyIn`; JSON Web Keys as data too), with what it is. */
export function findPrivateKeys(values: Values): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (privateKeyIn(node) !== undefined) found.push(path);
    } else if (isPrivateJwk(node)) {
      found.push(path);
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(values, '');
  return found;
}

const HOST_TOKEN = /[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/gi;

/** A host-like token of a text and the domain that owns it. */
export interface DomainMention {
  /** The owning domain (one of the names looked for). */
  readonly domain: string;
  /** The host-like token as found (lower case), e.g. `minio.red.example.com`. */
  readonly token: string;
}

/**
 * The domains (from a set of normalised names) that a text names: each
 * host-like token is owned by the longest of the names that it is or ends in,
 * on whole labels, so with nested domains `nginz-https.red.example.com` names
 * `red.example.com`, not `example.com`. One entry per token, in order.
 * Tokens are read in every spelling a browser or resolver reads as the same
 * name: percent-encoded (`red%2Eexample.com`), with full-width letters or
 * IDNA dots (`red。example。com`), in Unicode form (`münchen-messenger.de`
 * names `xn--mnchen-messenger-jzb.de`).
 */
export function domainsNamedIn(text: string, domains: ReadonlySet<string>): DomainMention[] {
  const found: DomainMention[] = [];
  // other spellings of the same names: percent-encoded, full-width, in Unicode (IDN) form
  const other = respelled(text);
  if (other === undefined || !NON_ASCII.test(other)) {
    // ASCII (as written, or after decoding, e.g. an HAProxy log format's `%[...]`): the Unicode token's letters,
    // marks and digits are exactly [a-z0-9] here. A token without a dot names no domain (a domain has two labels).
    asciiNamesIn(other ?? text, domains, found);
    return found;
  }
  const tokens: string[] = [];
  for (const token of other.match(UNICODE_HOST_TOKEN) ?? []) {
    const ascii = /^[\x00-\x7f]*$/.test(token) ? token.toLowerCase() : domainToASCII(token);
    if (ascii.includes('.')) tokens.push(ascii);
  }
  namesIn(tokens, domains, found);
  return found;
}

/**
 * `namesIn` for the host-like tokens of an ASCII text, as `HOST_TOKEN`
 * finds them in its lower-case form, without making a string of every word:
 * a token is a longest run of letters, digits, dots and hyphens, less the
 * dots and hyphens at its ends, so it can end in a domain only if it has a
 * dot and its last label is the last label of one of the domains (`com` in
 * `nginz-https.red.example.com`; `cfg` in `haproxy.cfg` is nobody's). Only
 * those tokens are looked up. When a name has no dot (no domain the library
 * makes), every token is.
 */
function asciiNamesIn(text: string, domains: ReadonlySet<string>, found: DomainMention[]): void {
  const labels = lastLabelsOf(domains);
  if (labels === undefined) {
    namesIn(text.toLowerCase().match(HOST_TOKEN) ?? [], domains, found);
    return;
  }
  for (let from = 0; ;) {
    const dot = text.indexOf('.', from);
    if (dot < 0) {
      return;
    }
    // the run of token characters around the dot (runs are apart: the last one ended before a character that is none)
    let start = dot;
    while (start > 0 && isTokenCharacter(text.charCodeAt(start - 1))) start--;
    let end = dot + 1;
    while (end < text.length && isTokenCharacter(text.charCodeAt(end))) end++;
    from = end;
    // the token: the run without the dots and hyphens at its ends
    while (start < end && !isAsciiLetterOrDigit(text.charCodeAt(start))) start++;
    while (end > start && !isAsciiLetterOrDigit(text.charCodeAt(end - 1))) end--;
    const lastDot = text.lastIndexOf('.', end - 1);
    const length = end - lastDot - 1;
    if (lastDot < start || length < labels.shortest || length > labels.longest || !labels.names.has(lowerCase(text, lastDot + 1, end))) {
      continue;
    }
    nameIn(lowerCase(text, start, end), domains, found);
  }
}

/** `text.slice(start, end).toLowerCase()`, without a second string when it has no capital letter. */
function lowerCase(text: string, start: number, end: number): string {
  const part = text.slice(start, end);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return part.toLowerCase();
  }
  return part;
}

/** Letters (either case), digits, "." and "-": what `HOST_TOKEN` reads in a lower-case text. */
function isTokenCharacter(c: number): boolean {
  return c === 46 || c === 45 || isAsciiLetterOrDigit(c);
}

/** Whether a UTF-16 code unit is an ASCII letter, of either case. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Whether a UTF-16 code unit is an ASCII letter (either case) or digit. */
export function isAsciiLetterOrDigit(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57);
}

/** The last labels of a set of names, and their shortest and longest lengths. */
interface LastLabels {
  readonly names: ReadonlySet<string>;
  readonly shortest: number;
  readonly longest: number;
}

/** The last labels of each set of names, worked out once per set (the sets looked in are not changed); undefined if a name has no dot. */
const lastLabels = new WeakMap<ReadonlySet<string>, { readonly size: number; readonly labels: LastLabels | undefined }>();

function lastLabelsOf(domains: ReadonlySet<string>): LastLabels | undefined {
  const known = lastLabels.get(domains);
  if (known !== undefined && known.size === domains.size) {
    return known.labels;
  }
  const names = new Set<string>();
  for (const name of domains) names.add(name.slice(name.lastIndexOf('.') + 1));
  const dotless = [...domains].some((name) => !name.includes('.'));
  const lengths = [...names].map((l) => l.length);
  const labels = dotless || names.size === 0 ? undefined : { names, shortest: Math.min(...lengths), longest: Math.max(...lengths) };
  lastLabels.set(domains, { size: domains.size, labels });
  return labels;
}

/** For each host-like token, the longest of `domains` that it is or ends in, on whole labels. */
function namesIn(tokens: readonly string[], domains: ReadonlySet<string>, found: DomainMention[]): void {
  for (const token of tokens) nameIn(token, domains, found);
}

/** The longest of `domains` that a host-like token is or ends in, on whole labels, if any. */
function nameIn(token: string, domains: ReadonlySet<string>, found: DomainMention[]): void {
  // the token, then each suffix after a dot, longest first
  for (let rest = token, dot = 0; dot !== -1; dot = rest.indexOf('.'), rest = rest.slice(dot + 1)) {
    if (domains.has(rest)) {
      found.push({ domain: rest, token });
      return;
    }
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A host-like token in any script: letters, marks, digits, "-" and dots. */
const UNICODE_HOST_TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}.-]*[\p{L}\p{M}\p{N}])?/gu;
/** The dots of IDNA (UTS #46): ideographic, full-width and half-width ideographic full stops. */
const OTHER_DOTS = /[\u3002\uff0e\uff61]/g;

/**
 * `text` with its percent-encoding decoded, compatibility characters (full
 * width letters and dots) folded (NFKC) and every IDNA dot made a ".", or
 * undefined when it has none of them (nothing to look at again).
 */
function respelled(text: string): string | undefined {
  if (!/[%\u0080-\uffff]/.test(text)) {
    return undefined;
  }
  let out = text;
  if (out.includes('%')) {
    out = out.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
  // NFKC leaves ASCII as it is
  return NON_ASCII.test(out) ? out.normalize('NFKC').replace(OTHER_DOTS, '.') : out;
}

/**
 * Find where strings and keys in a values tree mention one of `domains` (a
 * set of normalised names): as the name itself or as a host name under it,
 * matched on whole labels, in any spelling `domainsNamedIn` reads. Linear in the size of the values, whatever the number of
 * domains.
 */
export function findDomainMentions(values: unknown, domains: ReadonlySet<string>): Array<{ path: string; domain: string; value: string }> {
  const found: Array<{ path: string; domain: string; value: string }> = [];
  const look = (value: string, path: string) => {
    for (const m of domainsNamedIn(value, domains)) {
      found.push({ path, domain: m.domain, value });
    }
  };
  // keys too: a domain as a key (`red.example.com: x`) names it as much as a value does
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      look(node, path);
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        const here = path === '' ? key : `${path}.${key}`;
        look(key, here);
        walk(value, here);
      }
    }
  };
  walk(values, '');
  return found;
}
