import * as fc from 'fast-check';
import { DomainMention, domainsNamedIn } from '../../src/values/merge';

/**
 * What domainsNamedIn finds in an ASCII text, written the plain way: every
 * host-like token of the lower-case text, and for each the longest of the
 * names that it is or ends in on whole labels.
 */
function spelledOut(text: string, names: ReadonlySet<string>): DomainMention[] {
  const found: DomainMention[] = [];
  for (const token of text.toLowerCase().match(/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/g) ?? []) {
    const labels = token.split('.');
    for (let i = 0; i < labels.length; i++) {
      const rest = labels.slice(i).join('.');
      if (names.has(rest)) {
        found.push({ domain: rest, token });
        break;
      }
    }
  }
  return found;
}

// names with shared and nested suffixes, a name under another, one-letter labels, and (for the fallback) a name
// without a dot
const NAMES = ['red.example.com', 'example.com', 'a.b', 'b', 'x-1.co.uk', 'co.uk', 'chat.d2.de', 'd2.de', '1.2', 'site0.com'];
const pieces = fc.oneof(
  // no "%": a percent-encoded text is read decoded, by the reading of other spellings (test/audit/spellings.test.ts)
  fc.constantFrom(...NAMES, ...NAMES.map((n) => n.toUpperCase()), 'haproxy.cfg', '.', '..', '-', '.-', ' ', '/', ':', '_', '@', '\n', '\t', 'com', 'UK', 'de.'),
  fc.stringMatching(/^[a-zA-Z0-9.\-_ /:]{0,6}$/),
);
const texts = fc.array(pieces, { maxLength: 12 }).map((p) => p.join(''));
const nameSets = fc.subarray(NAMES, { minLength: 1 });

describe('domainsNamedIn on ASCII texts', () => {
  test('finds what the plain reading finds, token for token and in order', () => {
    fc.assert(
      fc.property(texts, nameSets, (text, names) => {
        const set = new Set(names);
        expect(domainsNamedIn(text, set)).toEqual(spelledOut(text, set));
      }),
      { numRuns: 5000 },
    );
  });

  test.each([
    ['a token with dots and hyphens at its ends', '-.Red.Example.COM.-', ['red.example.com']],
    ['a run that goes on past the name', 'red.example.com.pem red.example.com-x red.example.community', []],
    ['a name inside a path and a URL', '/etc/haproxy/certs/red.example.com.pem https://nginz-https.red.example.com:443/x', ['red.example.com']],
    ['the longest name owns a nested host', 'a.red.example.com www.example.com', ['red.example.com', 'example.com']],
    ['a name without a dot', 'b x.b a.b', ['b', 'b', 'a.b']],
  ])('%s', (_what, text, expected) => {
    const names = new Set(['red.example.com', 'example.com', 'a.b', 'b']);
    expect(domainsNamedIn(text, names).map((m) => m.domain)).toEqual(expected);
    expect(domainsNamedIn(text, names)).toEqual(spelledOut(text, names));
  });

  test('a set that grew between two readings is read anew', () => {
    const names = new Set(['red.example.com']);
    expect(domainsNamedIn('blue.example.org', names)).toEqual([]);
    names.add('blue.example.org');
    expect(domainsNamedIn('blue.example.org', names).map((m) => m.domain)).toEqual(['blue.example.org']);
  });
});
