import { domainToASCII } from 'url';
import { errorOf } from './util';
import { WireDomain } from '../src/domain';

/** The host-name prefixes Wire needs, in the order `hostNames` lists them. */
const PREFIXES = ['nginz-https', 'nginz-ssl', 'webapp', 'assets', 'teams', 'account'];
/**
 * Longest DNS name (and ConfigMap key), and the longest domain: nginz names its deeplink ConfigMap
 * keys `nginz-https.<domain>-deeplink.json` and `.html`, which must stay within 253.
 */
const MAX_NAME = 253;
const MAX_DOMAIN = MAX_NAME - 'nginz-https.'.length - '-deeplink.json'.length;

/** A valid domain of exactly `length` characters, made of 63-character labels and ending in `.com`. */
function domainOfLength(length: number): string {
  const labels: string[] = [];
  let remaining = length - 'com'.length; // each label counts with the dot after it
  const letters = 'abcdefghij';
  while (remaining > 0) {
    // a label plus its following dot; the last one may be shorter
    const size = Math.min(63, remaining - 1);
    labels.push(letters[labels.length].repeat(size));
    remaining -= size + 1;
  }
  const name = `${labels.join('.')}.com`;
  expect(name).toHaveLength(length);
  return name;
}

describe('normalisation', () => {
  test.each([
    ['  red.example.com\t', 'red.example.com'],
    ['Red.Example.COM', 'red.example.com'],
    ['red.example.com.', 'red.example.com'],
    [' RED.example.com. ', 'red.example.com'],
  ])('%j becomes %j', (input, expected) => {
    expect(WireDomain.parse(input).name).toBe(expected);
  });

  test('a domain prints as its normalised name (messages, template strings)', () => {
    const domain = WireDomain.parse(' Red.Example.COM. ');
    expect(`${domain}`).toBe('red.example.com');
    expect(String(domain)).toBe(domain.name);
  });

  test('only one trailing dot is dropped', () => {
    expect(() => WireDomain.parse('red.example.com..')).toThrow('empty label');
  });

  test('internationalised names are converted to punycode', () => {
    const expected = domainToASCII('münchen-messenger.de');
    const domain = WireDomain.parse('münchen-messenger.de');
    expect(domain.name).toBe(expected);
    expect(domain.name.startsWith('xn--mnchen-messenger-')).toBe(true);
    expect(domain.name.endsWith('.de')).toBe(true);
    expect(domain.name).toMatch(/^[a-z0-9.-]+$/);
    expect(domain.webapp).toBe(`webapp.${expected}`);
  });

  test('upper-case internationalised names give the same punycode', () => {
    expect(WireDomain.parse('MÜNCHEN-messenger.DE').name).toBe(WireDomain.parse('münchen-messenger.de').name);
  });

  test('a valid punycode name stays unchanged', () => {
    const punycode = domainToASCII('münchen-messenger.de');
    expect(WireDomain.parse(punycode).name).toBe(punycode);
  });

  test('input keeps the original text', () => {
    const input = ' Red.Example.COM. ';
    const domain = WireDomain.parse(input);
    expect(domain.input).toBe(input);
    expect(domain.name).toBe('red.example.com');
  });
});

describe('host names', () => {
  const domain = WireDomain.parse('Red.Example.com');
  const expected = PREFIXES.map((prefix) => `${prefix}.red.example.com`);

  test('are "<prefix>.<domain>" in the documented order', () => {
    expect(domain.hostNames).toEqual(expected);
  });

  test('each has its own property', () => {
    expect([domain.nginzHttps, domain.nginzSsl, domain.webapp, domain.assets, domain.teams, domain.account]).toEqual(expected);
  });
});

describe('validation', () => {
  test.each([
    ['single label', 'localhost', 'expected at least two labels'],
    ['empty label', 'a..b.com', 'empty label'],
    ['leading dot', '.example.com', 'empty label'],
    ['label starting with a hyphen', '-red.example.com', 'do not start or end with a hyphen'],
    ['label ending with a hyphen', 'red-.example.com', 'do not start or end with a hyphen'],
    ['underscore in a label', 'red_team.example.com', 'only letters, digits and hyphens'],
    ['wildcard', '*.example.com', 'wildcards are not allowed'],
    ['IPv4 address', '1.2.3.4', 'IP address'],
    ['IPv6 address', '::1', 'IP address'],
    ['bracketed IPv6 address', '[2001:db8::1]', 'IP address'],
    ['scheme', 'https://red.example.com', 'scheme'],
    ['path', 'red.example.com/foo', 'path'],
    ['port', 'red.example.com:443', 'port'],
    ['white space inside', 'red example.com', 'white space'],
    ['e-mail address', 'admin@red.example.com', 'e-mail'],
    ['empty string', '', 'empty'],
    ['only white space', '   ', 'empty'],
    ['numeric top-level label', 'example.123', 'top-level label is numeric'],
    ['invalid punycode', 'xn--zz.com', 'not a valid internationalised domain name'],
    // Node 24's domainToASCII passes these through; our own decoder refuses them on every Node line
    ['punycode of plain ASCII', 'xn--abc-.com', 'not a valid internationalised domain name'],
    ['punycode with nothing encoded', 'xn--a.com', 'not a valid internationalised domain name'],
    ['invalid punycode in a later label', 'xn--bcher-kva.xn--zz.com', 'not a valid internationalised domain name'],
  ])('rejects %s (%j)', (_rule, input, expected) => {
    const message = errorOf(() => WireDomain.parse(input));
    expect(message).toContain(JSON.stringify(input));
    expect(message).toContain(expected);
  });

  test('rejects a non-string', () => {
    expect(() => WireDomain.parse(123 as any)).toThrow(`${JSON.stringify(123)} is not a valid DNS name: expected a string`);
  });

  test('accepts a label of 63 characters and rejects one of 64', () => {
    const ok = `${'a'.repeat(63)}.com`;
    const tooLong = `${'a'.repeat(64)}.com`;
    expect(WireDomain.parse(ok).name).toBe(ok);
    const message = errorOf(() => WireDomain.parse(tooLong));
    expect(message).toContain(JSON.stringify(tooLong));
    expect(message).toContain('at most 63');
  });

  test(`accepts a domain of ${MAX_DOMAIN} characters, whose host names and deeplink ConfigMap keys stay within ${MAX_NAME}`, () => {
    const name = domainOfLength(MAX_DOMAIN);
    const domain = WireDomain.parse(name);
    expect(domain.name).toBe(name);
    expect(WireDomain.MAX_LENGTH).toBe(MAX_DOMAIN);
    for (const host of domain.hostNames) {
      expect(host.length).toBeLessThanOrEqual(MAX_NAME);
    }
    for (const suffix of ['-deeplink.json', '-deeplink.html']) {
      expect(`${domain.nginzHttps}${suffix}`).toHaveLength(MAX_NAME);
    }
  });

  test(`rejects a domain of ${MAX_DOMAIN + 1} characters, naming the ConfigMap key that would be too long`, () => {
    const name = domainOfLength(MAX_DOMAIN + 1);
    const message = errorOf(() => WireDomain.parse(name));
    expect(message).toContain(JSON.stringify(name));
    expect(message).toContain(`it is ${MAX_DOMAIN + 1} characters long`);
    expect(message).toContain('nginz-https.<domain>-deeplink.json');
    expect(message).toContain(`would be ${MAX_NAME + 1} characters, over the limit of ${MAX_NAME}`);
    expect(message).toContain(`at most ${MAX_DOMAIN} are allowed`);
  });

  test.each([241, MAX_NAME, MAX_NAME + 1])('rejects a domain of %d characters', (length) => {
    const name = domainOfLength(length);
    const message = errorOf(() => WireDomain.parse(name));
    expect(message).toContain(JSON.stringify(name));
    expect(message).toContain(`at most ${length > MAX_NAME ? MAX_NAME : MAX_DOMAIN} are allowed`);
  });
});

describe('the "what" parameter', () => {
  test('names the value at the start of the message', () => {
    expect(errorOf(() => WireDomain.parse('a..b', 'additional domain #2')).startsWith('additional domain #2 "a..b"')).toBe(true);
  });

  test('defaults to "domain"', () => {
    expect(errorOf(() => WireDomain.parse('a..b')).startsWith('domain "a..b"')).toBe(true);
  });
});

test('ideographic and full-width full stops are dots, as in IDNA', () => {
  expect(WireDomain.parse('red\u3002example\uff0ecom\u3002').name).toBe('red.example.com');
  expect(() => WireDomain.parse('a\u3002\u3002b.com')).toThrow('empty label');
});
