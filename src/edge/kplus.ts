import type * as kplus from 'cdk8s-plus-28';

let loaded: typeof kplus | undefined;

/**
 * cdk8s-plus-28, loaded when first used: only entry points need it, and
 * loading it costs a noticeable part of a command-line run without them.
 */
export function loadKplus(): typeof kplus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('cdk8s-plus-28') as typeof kplus;
  return loaded;
}
