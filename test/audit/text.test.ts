import * as fc from 'fast-check';
import { couldNameDomain } from '../../src/audit/text';

/** What couldNameDomain tells, written as the patterns it stands for. */
function byPatterns(text: string): boolean {
  return text.includes('@') || /[a-z0-9-]\.[a-z0-9-]*[a-z][a-z0-9-]*/i.test(text) || /%2e|[\u0080-\uffff]/i.test(text);
}

const pieces = fc.oneof(
  fc.constantFrom('.', '..', '-', 'a', 'Z', '5', '0.1', 'x.y', 'a.5', '-.b', '.-a', '%2e', '%2E', '%2', '%', '2e', '@', ' ', '/', '_', '[', '`', '{', 'é', '\u0080', '\u007f', '\u3002', '\uff0e', '\ud83d'),
  fc.string({ unit: 'binary-ascii', maxLength: 4 }),
);
const texts = fc.array(pieces, { maxLength: 10 }).map((p) => p.join(''));

describe('couldNameDomain', () => {
  test('tells what the patterns tell, for any text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(couldNameDomain(text)).toBe(byPatterns(text));
      }),
      { numRuns: 5000 },
    );
  });

  test.each([
    ['a host name', 'nginz-https.red.example.com', true],
    ['an e-mail address', 'ops@', true],
    ['a version', 'haproxy 2.8.26', false],
    ['a dotted number then a name', '1.2.3 a.b', true],
    ['a dot after a character that is no label one', '_.com', false],
    ['a label of digits and hyphens only', 'a.5-5', false],
    ['a percent-encoded dot', 'red%2Eexample', true],
    ['a full-width dot', 'red\uff0eexample', true],
    ['nothing', 'timeout connect 5s', false],
    ['the letters around [ and `', 'a.[ a.`', false],
  ])('%s', (_what, text, expected) => {
    expect(couldNameDomain(text)).toBe(expected);
    expect(byPatterns(text)).toBe(expected);
  });
});
