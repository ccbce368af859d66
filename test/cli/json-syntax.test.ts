import * as fc from 'fast-check';
import { jsonSyntaxError } from '../../src/cli/json-syntax';

describe('jsonSyntaxError', () => {
  test.each([
    ['{\n  "a": [1, 2,],\n}', 2, 14, 'a "," before "]": JSON allows no trailing comma'],
    ['{\n  "a": 1,\n}', 3, 1, 'a "," before "}": JSON allows no trailing comma'],
    ['{"a" 1}', 1, 6, 'expected ":" after the key, found "1"'],
    ["{'a': 1}", 1, 2, 'expected a key in double quotes, found "\'"'],
    ['{"a": \'x\'}', 1, 7, 'strings are written in double quotes in JSON'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "," or "}", found "\\""'],
    ['{"a": "x\ny"}', 1, 9, 'a control character (a line break?) inside a string'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['{"a": 1', 1, 8, 'expected "," or "}", found the end of the file'],
    ['{} x', 1, 4, 'more after the end of the JSON value: "x"'],
    ['{"a": "\\q"}', 1, 8, 'an invalid escape in a string'],
    ['', 1, 1, 'expected a value, found the end of the file'],
  ])('%j: line %d, column %d: %s', (text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ line, column, message });
  });

  test('accepts what JSON.parse accepts, and finds an error wherever JSON.parse throws', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', ',', ']', '}', ':', '"', '{', '[', ' ', 'x'), (json, at, insert) => {
        expect(jsonSyntaxError(json)).toBeUndefined();
        const mutated = json.slice(0, at % (json.length + 1)) + insert + json.slice(at % (json.length + 1));
        let valid = true;
        try {
          JSON.parse(mutated);
        } catch {
          valid = false;
        }
        expect(jsonSyntaxError(mutated) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  test('deep nesting does not exhaust the call stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(99_999);
    expect(jsonSyntaxError(deep)?.message).toBe('expected "," or "]", found the end of the file');
  });
});
