import fc from 'fast-check';

/**
 * JSON-like trees (what Helm values and manifests hold): strings from `text`
 * as values and keys, booleans, null, integers, finite doubles (without -0
 * when `negativeZero` is false), lists of up to 4 and mappings of up to 5
 * keys, nested a few levels.
 */
export function valueTrees(text: fc.Arbitrary<string>, options: { readonly negativeZero?: boolean } = {}) {
  const double = fc.double({ noNaN: true, noDefaultInfinity: true });
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.boolean(),
      fc.constant(null),
      fc.integer(),
      options.negativeZero === false ? double.filter((d) => !Object.is(d, -0)) : double,
      fc.array(tie('value'), { maxLength: 4 }),
      tie('mapping'),
    ),
    mapping: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
  }));
}
