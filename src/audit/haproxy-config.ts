import { isIP } from 'net';

/** One directive of an HAProxy configuration: its words (quotes and escapes resolved) and its line. */
export interface HaproxyDirective {
  /** The first word, e.g. `bind`, `server`, `acl`. */
  readonly keyword: string;
  /** The words after the keyword. */
  readonly args: readonly string[];
  /** Line number, from 1. */
  readonly line: number;
}

/** One section of an HAProxy configuration (`global`, `defaults`, `frontend <name>`, ...). */
export interface HaproxySection {
  /** `global`, `defaults`, `frontend`, `backend`, `listen`, ... */
  readonly keyword: string;
  /** The section's name, if it has one. */
  readonly name?: string;
  /** Line number of the section's header, from 1. */
  readonly line: number;
  readonly directives: readonly HaproxyDirective[];
}

/** A parsed HAProxy configuration. */
export interface HaproxyConfig {
  readonly sections: readonly HaproxySection[];
  /** Directives before the first section (HAProxy refuses them; kept so that nothing is overlooked). */
  readonly outside: readonly HaproxyDirective[];
}

/** The section keywords of HAProxy 2.x/3.x (a line starting with one of them opens a section). */
const SECTION_KEYWORDS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'userlist',
  'peers',
  'resolvers',
  'mailers',
  'program',
  'http-errors',
  'ring',
  'cache',
  'fcgi-app',
  'log-forward',
  'crt-store',
  'traces',
  'acme',
]);

/** Sections that open a proxy whose `bind` lines listen and whose `server` lines forward. */
const PROXY_SECTIONS = new Set(['frontend', 'listen', 'backend', 'defaults']);

/**
 * Split an HAProxy configuration into sections and directives, the way
 * HAProxy reads it: a `#` outside quotes starts a comment; words are separated
 * by blanks; double quotes, single quotes and backslash escapes group and
 * escape characters.
 */
export function parseHaproxyConfig(text: string): HaproxyConfig {
  const sections: Array<{ keyword: string; name?: string; line: number; directives: HaproxyDirective[] }> = [];
  const outside: HaproxyDirective[] = [];
  text.split('\n').forEach((raw, i) => {
    const words = splitWords(raw);
    if (words.length === 0) {
      return;
    }
    const line = i + 1;
    const [keyword, ...args] = words;
    if (SECTION_KEYWORDS.has(keyword)) {
      sections.push(args.length > 0 ? { keyword, name: args[0], line, directives: [] } : { keyword, line, directives: [] });
      return;
    }
    const directive = { keyword, args, line };
    (sections.length > 0 ? sections[sections.length - 1].directives : outside).push(directive);
  });
  return { sections, outside };
}

/** Whether a text is an HAProxy configuration: it parses into at least one proxy section and has nothing outside sections. */
export function isHaproxyConfig(text: string): boolean {
  return haproxyConfigOf(text) !== undefined;
}

/** The parsed configuration, when a text is an HAProxy configuration (see `isHaproxyConfig`); parsed once. */
export function haproxyConfigOf(text: string): HaproxyConfig | undefined {
  const config = parseHaproxyConfig(text);
  return config.outside.length === 0 && config.sections.some((s) => PROXY_SECTIONS.has(s.keyword) && s.keyword !== 'defaults') ? config : undefined;
}

/** An address HAProxy listens on (a `bind` line), or forwards to (a `server` line). */
export interface HaproxyEndpoint {
  /** The address, lower case, without brackets. */
  readonly address: string;
  /** Where: `frontend https, line 28: bind`. */
  readonly where: string;
}

/**
 * The specific addresses the proxies of a configuration listen on: each
 * address of every `bind` line of a frontend or listen section. A wildcard
 * (`:443`, `*:443`, `[::]:443`, `0.0.0.0:443`) listens on every address of
 * the host and names none of them, so it is left out, as are UNIX sockets,
 * abstract namespaces and file descriptors.
 */
export function listeningAddresses(config: HaproxyConfig): HaproxyEndpoint[] {
  const found: HaproxyEndpoint[] = [];
  for (const section of config.sections) {
    if (section.keyword !== 'frontend' && section.keyword !== 'listen') {
      continue;
    }
    for (const d of section.directives) {
      if (d.keyword === 'bind' && d.args.length > 0) listening(section, d.line, d.args[0], found);
    }
  }
  return found;
}

/**
 * `listeningAddresses(haproxyConfigOf(text))` in one pass over the lines,
 * without a parsed configuration: undefined when the text is no HAProxy
 * configuration (see `isHaproxyConfig`). A line is split into its words only
 * when they are read (a section's header, a `bind` line of a frontend or
 * listen section, a line with a quote, an escape or a comment); of any other
 * line only the first word is read. The audit reads every edge file with it.
 */
export function listeningAddressesOf(text: string): HaproxyEndpoint[] | undefined {
  const found: HaproxyEndpoint[] = [];
  let section: Pick<HaproxySection, 'keyword' | 'name'> | undefined;
  let proxy = false;
  for (let start = 0, line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    // a line with a quote, an escape or a comment is split at once; another only as far as it is read
    let words = SPECIAL.test(raw) ? splitWords(raw) : undefined;
    const keyword = words === undefined ? firstWord(raw) : words[0];
    if (keyword === undefined) {
      continue;
    }
    if (SECTION_KEYWORDS.has(keyword)) {
      const name = (words ?? splitWords(raw))[1];
      section = name === undefined ? { keyword } : { keyword, name };
      if (PROXY_SECTIONS.has(keyword) && keyword !== 'defaults') proxy = true;
      continue;
    }
    if (section === undefined) {
      return undefined; // a directive outside every section
    }
    if (keyword === 'bind' && (section.keyword === 'frontend' || section.keyword === 'listen')) {
      words ??= splitWords(raw);
      if (words.length > 1) listening(section, line, words[1], found);
    }
  }
  return proxy ? found : undefined;
}

/** The first of the words of a line without a quote, an escape or a comment. */
function firstWord(line: string): string | undefined {
  let start = 0;
  while (start < line.length && isBlank(line.charCodeAt(start))) start++;
  if (start === line.length) {
    return undefined;
  }
  let end = start + 1;
  while (end < line.length && !isBlank(line.charCodeAt(end))) end++;
  return line.slice(start, end);
}

/** A space, a tab or a carriage return: what separates words (`BLANKS`). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** The addresses one `bind` line of a frontend or listen section listens on, from its first argument. */
function listening(section: Pick<HaproxySection, 'keyword' | 'name'>, line: number, addresses: string, found: HaproxyEndpoint[]): void {
  // one bind line may list several addresses: "bind 192.0.2.1:443,[2001:db8::1]:443 ssl ..."
  for (const item of addresses.split(',')) {
    const address = bindAddress(item);
    if (address !== undefined && !isUnspecified(address)) {
      found.push({ address, where: `${describe(section)}, line ${line}: bind` });
    }
  }
}

/** `frontend https` */
function describe(section: Pick<HaproxySection, 'keyword' | 'name'>): string {
  return section.name === undefined ? section.keyword : `${section.keyword} ${section.name}`;
}

/** The IP address of one `bind` address (`[addr]:port`, `addr:port`, `ipv4@addr:port`, ...), if it names one. */
function bindAddress(item: string): string | undefined {
  let text = item.trim();
  const family = /^([a-z0-9]+)@(.*)$/i.exec(text);
  if (family) {
    const prefix = family[1].toLowerCase();
    if (prefix !== 'ipv4' && prefix !== 'ipv6' && prefix !== 'tcp' && prefix !== 'tcp4' && prefix !== 'tcp6' && prefix !== 'quic4' && prefix !== 'quic6' && prefix !== 'udp' && prefix !== 'udp4' && prefix !== 'udp6') {
      return undefined; // unix@, abns@, fd@, sockpair@, ...
    }
    text = family[2];
  }
  if (text.startsWith('/')) {
    return undefined; // a UNIX socket
  }
  const bracketed = /^\[([^\]]*)\](?::[0-9-]*)?$/.exec(text);
  if (bracketed) {
    return isIP(bracketed[1]) === 6 ? bracketed[1].toLowerCase() : undefined;
  }
  // host:port or :port: as HAProxy reads it, the last colon separates the port (also after an unbracketed IPv6 address)
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (host === '' || host === '*') {
    return undefined; // every address
  }
  return isIP(host) === 0 ? undefined : host.toLowerCase();
}

/** `0.0.0.0`, `::` and their spellings: every address of the host, not one of them. */
function isUnspecified(address: string): boolean {
  if (isIP(address) === 4) {
    return address.split('.').every((o) => Number(o) === 0);
  }
  return /^[0:]+$/.test(address);
}

const SPECIAL = /["'\\#]/;
const BLANKS = /[ \t\r]+/;

/** The words of one line: comments dropped, quotes and escapes resolved. */
function splitWords(line: string): string[] {
  if (!SPECIAL.test(line)) {
    // no quote, escape or comment: the words are the runs between blanks
    const plain = line.split(BLANKS);
    return plain[0] === '' || plain[plain.length - 1] === '' ? plain.filter((w) => w !== '') : plain;
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) {
        quote = undefined;
      } else if (c === '\\' && quote === '"' && i + 1 < line.length) {
        word += line[++i];
      } else {
        word += c;
      }
      continue;
    }
    if (c === '#') {
      break;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
    } else {
      word += c;
    }
  }
  if (inWord) {
    words.push(word);
  }
  return words;
}
