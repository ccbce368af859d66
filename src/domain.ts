import { isIP } from 'net';
import { domainToASCII } from 'url';
import { quote } from './errors';

/** Longest DNS name (RFC 1035, without the root dot). */
const MAX_NAME_LENGTH = 253;
/** Longest DNS label. */
const MAX_LABEL_LENGTH = 63;
/**
 * Names derived from a domain by Wire's charts and by this library, each with
 * the longest the API server (or DNS) accepts. A domain is refused when one of
 * them would be too long: helm renders such a name without complaint, and the
 * API server refuses the object when it is applied.
 */
const DERIVED_NAMES: ReadonlyArray<{ readonly what: string; readonly of: (domain: string) => string; readonly max: number }> = [
  // a DNS name; the longest of the six host names
  { what: 'its host name "nginz-https.<domain>"', of: (d) => `nginz-https.${d}`, max: MAX_NAME_LENGTH },
  // a DNS name in the deeplink document of wire-server's values
  { what: 'the host name "clientblacklist.<domain>" of its deeplink', of: (d) => `clientblacklist.${d}`, max: MAX_NAME_LENGTH },
  // nginz's deeplink ConfigMap names its keys after backendURL's host; ConfigMap keys are at most 253
  {
    what: 'the keys "nginz-https.<domain>-deeplink.json" and "-deeplink.html" of nginz\'s deeplink ConfigMap',
    of: (d) => `nginz-https.${d}-deeplink.json`,
    max: MAX_NAME_LENGTH,
  },
  // nginx-ingress-services names its Certificate after the zone of config.dns.https (the domain); a name of at most 253
  { what: 'the cert-manager Certificate "<domain with dots as hyphens>-csr"', of: (d) => `${d.replace(/\./g, '-')}-csr`, max: MAX_NAME_LENGTH },
];

/**
 * The longest domain: every name derived from it stays within its limit (the
 * binding one is nginz's deeplink ConfigMap key `nginz-https.<domain>-deeplink.json`,
 * 26 characters more than the domain, so 227).
 */
export const MAX_DOMAIN_LENGTH = Math.min(...DERIVED_NAMES.map((n) => n.max - n.of('').length));
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * One DNS domain under which the Wire backend is served, normalised and
 * validated, with the host names Wire needs under it.
 *
 * Normalisation: surrounding white space is trimmed, the name is lower-cased,
 * one trailing dot (a fully qualified name) is dropped, and internationalised
 * names are converted to their ASCII (punycode) form, e.g.
 * `münchen-messenger.de` becomes `xn--mnchen-messenger-jzb.de`.
 *
 * Validation: at least two labels; each label 1-63 characters of letters,
 * digits and hyphens, not starting or ending with a hyphen; the whole name at
 * most 227 characters (`MAX_DOMAIN_LENGTH`), so that every name derived from
 * it stays within what Kubernetes accepts (nginz's deeplink ConfigMap key
 * `nginz-https.<domain>-deeplink.json` at most 253); no wildcard, IP address,
 * scheme, port or path.
 */
export class WireDomain {
  /**
   * The longest domain accepted, in characters (ASCII form): 227, so that
   * nginz's deeplink ConfigMap key `nginz-https.<domain>-deeplink.json` stays
   * within the 253 characters the API server accepts.
   */
  public static readonly MAX_LENGTH: number = MAX_DOMAIN_LENGTH;

  /**
   * Parse and validate a domain.
   *
   * @param input the domain as the operator wrote it
   * @param what how to name the value in an error message
   * @throws if the input is not a valid DNS domain; the message names the
   * input and what was expected
   */
  public static parse(input: string, what: string = 'domain'): WireDomain {
    // a deployment parses each domain twice (the backend, then its DomainIngress): remember the
    // valid ones (a WireDomain cannot change); a bad one is reported each time, in the caller's words
    const known = typeof input === 'string' ? PARSED.get(input) : undefined;
    if (known !== undefined) {
      return known;
    }
    const domain = new WireDomain(input, normalise(input, what));
    if (PARSED.size >= MAX_PARSED) {
      PARSED.clear();
    }
    PARSED.set(input, domain);
    return domain;
  }

  /** The normalised ASCII name, e.g. `red.example.com`. */
  public readonly name: string;

  /** The input exactly as the operator gave it. */
  public readonly input: string;

  /** REST API host: `nginz-https.<domain>`. */
  public readonly nginzHttps: string;

  /** Websocket host: `nginz-ssl.<domain>`. */
  public readonly nginzSsl: string;

  /** Web app host: `webapp.<domain>`. */
  public readonly webapp: string;

  /** Asset download host (S3 / fake S3): `assets.<domain>`. */
  public readonly assets: string;

  /** Team settings host: `teams.<domain>`. */
  public readonly teams: string;

  /** Account pages host: `account.<domain>` (the guide's `accounts.` is a typo). */
  public readonly account: string;

  private constructor(input: string, name: string) {
    this.input = input;
    this.name = name;
    this.nginzHttps = `nginz-https.${name}`;
    this.nginzSsl = `nginz-ssl.${name}`;
    this.webapp = `webapp.${name}`;
    this.assets = `assets.${name}`;
    this.teams = `teams.${name}`;
    this.account = `account.${name}`;
  }

  /**
   * The six public host names of this domain, in the order the guide lists
   * them: nginz-https, nginz-ssl, webapp, assets, teams, account.
   */
  public get hostNames(): string[] {
    return [this.nginzHttps, this.nginzSsl, this.webapp, this.assets, this.teams, this.account];
  }

  /** The normalised ASCII name, as `name`: a domain prints as itself in messages and templates. */
  public toString(): string {
    return this.name;
  }

  /** `https://<host>` for one of this domain's hosts (or the domain itself). */
  public https(host: string = this.name): string {
    return `https://${host}`;
  }
}

/** Valid domains parsed so far, by input (bounded, so that a long-running process does not grow). */
const PARSED = new Map<string, WireDomain>();
const MAX_PARSED = 100_000;

function normalise(input: unknown, what: string): string {
  const fail = (expected: string): never => {
    throw new Error(`${what} ${quote(input)} is not a valid DNS name: ${expected}`);
  };
  if (typeof input !== 'string') {
    return fail('expected a string such as "red.example.com"');
  }
  let name = input.trim();
  if (name === '') {
    return fail('it is empty; expected a name such as "red.example.com"');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    return fail('it has a scheme; give the bare domain, e.g. "red.example.com" instead of "https://red.example.com"');
  }
  // only digits and dots (IPv4), or a colon or bracket (IPv6) can be an address
  if ((/^[\d.]+$/.test(name) || /[:[]/.test(name)) && (isIP(name) !== 0 || isIP(name.replace(/^\[|\]$/g, '')) !== 0)) {
    return fail('it is an IP address; expected a DNS domain');
  }
  if (/[/?#]/.test(name)) {
    return fail('it has a path; give the bare domain without "/..."');
  }
  if (name.includes(':')) {
    return fail('it has a port; give the bare domain without ":port"');
  }
  if (name.includes('*')) {
    return fail('wildcards are not allowed; give the domain itself, its host names are derived from it');
  }
  if (/\s/.test(name)) {
    return fail('it contains white space');
  }
  if (name.includes('@')) {
    return fail('it contains "@"; expected a domain, not an e-mail address');
  }
  // IDNA dot separators (ideographic and full-width full stops) are dots
  name = name.replace(/[\u3002\uff0e\uff61]/g, '.');
  if (name.endsWith('.')) {
    name = name.slice(0, -1);
  }
  name = name.toLowerCase();
  const raw = name.split('.');
  if (raw.some((l) => l === '')) {
    return fail('empty label (two dots in a row, or a leading dot)');
  }
  if (/[^\x00-\x7f]/.test(name) || raw.some((l) => l.startsWith('xn--'))) {
    const ascii = domainToASCII(name);
    if (ascii === '' || !ascii.split('.').every(isValidAceLabel)) {
      return fail('it is not a valid internationalised domain name');
    }
    name = ascii;
  }
  const labels = name.split('.');
  if (labels.length < 2) {
    return fail('expected at least two labels, e.g. "example.com"');
  }
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      return fail(`label ${quote(label)} is ${label.length} characters long; at most ${MAX_LABEL_LENGTH} are allowed`);
    }
    if (!LABEL.test(label)) {
      return fail(
        `label ${quote(label)} is invalid; labels contain only letters, digits and hyphens and do not start or end with a hyphen`,
      );
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) {
    return fail('the top-level label is numeric; expected a DNS domain, not an IP address');
  }
  if (name.length > MAX_NAME_LENGTH) {
    return fail(`it is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`);
  }
  const tooLong = DERIVED_NAMES.find((n) => n.of(name).length > n.max);
  if (tooLong) {
    return fail(
      `it is ${name.length} characters long, so ${tooLong.what} would be ${tooLong.of(name).length} characters, ` +
        `over the limit of ${tooLong.max}; at most ${MAX_DOMAIN_LENGTH} are allowed`,
    );
  }
  return name;
}

/**
 * Whether an ASCII label that starts with `xn--` is real punycode: it decodes
 * (RFC 3492) to a name with a non-ASCII character that encodes back to the
 * same label. Node 22 and older refuse such a label in `domainToASCII`;
 * Node 24 passes it through unchanged, so the check is our own.
 */
function isValidAceLabel(label: string): boolean {
  if (!label.startsWith('xn--')) return true;
  const decoded = decodePunycode(label.slice(4));
  return decoded !== undefined && /[^\x00-\x7f]/.test(decoded) && domainToASCII(`${decoded}.invalid`) === `${label}.invalid`;
}

/** RFC 3492 punycode decoding of one label's encoded part; undefined when it is not punycode. */
function decodePunycode(input: string): string | undefined {
  const base = 36;
  const limit = 0x7fffffff;
  let n = 128;
  let i = 0;
  let bias = 72;
  const delimiter = input.lastIndexOf('-');
  const output: number[] = [];
  for (let j = 0; j < Math.max(delimiter, 0); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return undefined;
    output.push(c);
  }
  for (let index = delimiter < 0 ? 0 : delimiter + 1; index < input.length; ) {
    const oldI = i;
    let weight = 1;
    for (let k = base; ; k += base) {
      if (index >= input.length) return undefined;
      const c = input.charCodeAt(index++);
      const digit = c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : base;
      if (digit >= base) return undefined;
      i += digit * weight;
      const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
      if (i > limit) return undefined;
      if (digit < t) break;
      weight *= base - t;
      if (weight > limit) return undefined;
    }
    const length = output.length + 1;
    bias = adaptBias(i - oldI, length, oldI === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) return undefined;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

function adaptBias(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
  d += Math.floor(d / points);
  let k = 0;
  while (d > 455) {
    d = Math.floor(d / 35);
    k += 36;
  }
  return k + Math.floor((36 * d) / (d + 38));
}
