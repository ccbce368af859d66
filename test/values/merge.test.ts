import { describeEdits } from '../../src/values/compose';
import {
  kindOf,
  deepMerge,
  findDomainMentions,
  findPrivateKeys,
  getPath,
  mergeLayers,
  releaseOwnedKeys,
  removeKeys,
  removeSecretSubtrees,
  withoutPath,
} from '../../src/values/merge';

describe('deepMerge', () => {
  test('objects merge key by key; scalars, arrays and null from the overlay replace', () => {
    const base = { a: { keep: 1, list: [1, 2], x: 'base' }, b: 'base', c: { d: 1 } };
    const overlay = { a: { list: [3], x: null, added: true }, c: 'flat', e: undefined };
    expect(deepMerge(base, overlay)).toEqual({ a: { keep: 1, list: [3], x: null, added: true }, b: 'base', c: 'flat' });
  });
  test('inputs are not mutated', () => {
    const base = { a: { b: 1 } };
    const overlay = { a: { c: 2 } };
    deepMerge(base, overlay);
    expect(base).toEqual({ a: { b: 1 } });
    expect(overlay).toEqual({ a: { c: 2 } });
  });
  test('later layers win', () => {
    expect(mergeLayers({ x: 1, y: 1 }, { x: 2 }, { x: 3, z: 3 })).toEqual({ x: 3, y: 1, z: 3 });
  });
});

describe('paths', () => {
  const values = { a: { b: { c: 'v' } }, n: null };
  test('getPath finds values and reports missing ones as undefined', () => {
    expect(getPath(values, ['a', 'b', 'c'])).toBe('v');
    expect(getPath(values, ['n'])).toBeNull();
    expect(getPath(values, ['a', 'x', 'c'])).toBeUndefined();
    expect(getPath(values, ['a', 'b', 'c', 'd'])).toBeUndefined();
  });
  test('withoutPath removes one key and keeps the rest', () => {
    expect(withoutPath(values, ['a', 'b', 'c'])).toEqual({ a: { b: {} }, n: null });
    expect(withoutPath(values, ['missing'])).toBe(values);
    expect(values.a.b.c).toBe('v');
  });
});

test('removeKeys removes and reports present keys only (null counts as already unset)', () => {
  const { values, edits } = removeKeys({ a: { x: 'set', y: null }, b: 1 }, [
    { path: ['a', 'x'], reason: 'rx' },
    { path: ['a', 'y'], reason: 'ry' },
    { path: ['a', 'z'], reason: 'rz' },
  ]);
  expect(values).toEqual({ a: {}, b: 1 });
  expect(edits).toEqual([{ path: 'a.x', removed: 'a string', reason: 'rx' }]);
});

test('releaseOwnedKeys reports only values that differ from the overlay', () => {
  const base = { m: { stale: 'x' }, same: ['a'], other: 1 };
  const overlay = { m: { fresh: 'y' }, same: ['a'] };
  const { values, edits } = releaseOwnedKeys(base, overlay, [['m'], ['same']]);
  expect(values).toEqual({ other: 1 });
  expect(edits.map((e) => e.path)).toEqual(['m']);
  expect(releaseOwnedKeys(base, undefined, [['same']]).edits.map((e) => e.path)).toEqual(['same']);
});

test('removeSecretSubtrees removes secrets at any depth and never repeats their content', () => {
  const { values, edits } = removeSecretSubtrees({ secrets: { k: 'top' }, brig: { secrets: { p: 'deep' }, config: { x: 1 } } }, 'hint');
  expect(values).toEqual({ brig: { config: { x: 1 } } });
  expect(edits.map((e) => e.path)).toEqual(['secrets', 'brig.secrets']);
  expect(JSON.stringify(edits)).not.toMatch(/top|deep/);
});

test('findPrivateKeys finds PEM private keys of any type, not certificates', () => {
  const values = {
    a: '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----',
    b: ['-----BEGIN EC PRIVATE KEY-----'],
    c: '-----BEGIN CERTIFICATE-----',
  };
  expect(findPrivateKeys(values)).toEqual(['a', 'b[0]']);
});

describe('findDomainMentions', () => {
  const domains = new Set(['red.example.com', 'example.org']);
  test('finds the domain itself and host names under it, on label boundaries', () => {
    const found = findDomainMentions(
      {
        a: 'https://nginz-https.red.example.com/deeplink.json',
        b: 'RED.EXAMPLE.COM',
        c: 'notred.example.com and red.example.community',
        d: { e: ['mail: ops@example.org'] },
      },
      domains,
    );
    expect(found.map((f) => [f.path, f.domain])).toEqual([
      ['a', 'red.example.com'],
      ['b', 'red.example.com'],
      ['d.e[0]', 'example.org'],
    ]);
  });
  test('placeholders and unrelated names are not mentions', () => {
    expect(findDomainMentions({ a: 'https://*.[[hostname]]', b: 'example.com', c: 'com' }, domains)).toEqual([]);
  });
});

test('a warning names the path and the kind of a removed value, never the value', () => {
  const [line] = describeEdits('wire-server', [{ path: 'a', removed: kindOf({ privateKey: 'k', id: 'x' }), reason: 'r' }]);
  expect(line).toBe('wire-server base values: removed "a" (a mapping of 2 keys): r');
});
