import { quote } from '../errors';
import {
  ConflictRule,
  KeyPath,
  Values,
  ValuesEdit,
  findPrivateKeys,
  isPlainObject,
  mergeLayers,
  overriddenKeys,
  releaseOwnedKeys,
  removeKeys,
  removeSecretSubtrees,
} from './merge';

/** What one chart's multi-ingress settings are made of. */
export interface ValuesPlan {
  /** Chart label for messages, e.g. `wire-server`. */
  readonly chart: string;
  /** Settings the operator's base values may override (the guide's defaults). */
  readonly defaults: Values;
  /** Multi-ingress settings, applied over the base values. */
  readonly overlay: Values;
  /** Keys the overlay sets wholesale (maps and lists replaced, not merged). */
  readonly owned: readonly KeyPath[];
  /** Keys that must not be set at all in multi-ingress, with the reason. */
  readonly conflicts: readonly ConflictRule[];
  /** Where the operator puts secret values instead. */
  readonly secretHint: string;
}

/** Base values cleaned of what multi-ingress owns or forbids, and what was removed. */
export interface CleanedBase {
  readonly values: Values;
  readonly edits: ValuesEdit[];
}

/**
 * Check and clean an operator's base values for one chart: secrets are
 * removed (never emitted), a private key anywhere is an error, conflicting
 * keys are removed and owned keys released, each reported.
 *
 * @param compareOverlay report owned keys only where they differ from this
 * overlay; without it every owned key present is reported
 */
export function cleanBase(plan: Omit<ValuesPlan, 'defaults' | 'overlay'>, base: unknown, compareOverlay?: Values): CleanedBase {
  if (base === undefined || base === null) {
    return { values: {}, edits: [] };
  }
  if (!isPlainObject(base)) {
    throw new Error(`${plan.chart} base values ${quote(base)} are not valid: expected an object of Helm values (a parsed values.yaml)`);
  }
  const secrets = removeSecretSubtrees(base, plan.secretHint);
  const keys = findPrivateKeys(secrets.values);
  if (keys.length > 0) {
    throw new Error(
      `${plan.chart} base values contain a private key at ${keys.map((k) => quote(k)).join(', ')}: ` +
        `private keys are never written into the output; ${plan.secretHint}`,
    );
  }
  const conflicts = removeKeys(secrets.values, plan.conflicts);
  const owned = releaseOwnedKeys(conflicts.values, compareOverlay, plan.owned);
  return { values: owned.values, edits: [...secrets.edits, ...conflicts.edits, ...owned.edits] };
}

/** The final values of a release: defaults, then cleaned base, then the overlay. */
export function composeValues(plan: ValuesPlan, cleanedBase: Values): Values {
  return mergeLayers(plan.defaults, cleanedBase, plan.overlay);
}

/**
 * The operator's (cleaned) base values that the multi-ingress overlay
 * replaces, as edits to report: every base value the library overrides is
 * reported, in every chart.
 */
export function overriddenByOverlay(plan: Pick<ValuesPlan, 'overlay'>, cleanedBase: Values): ValuesEdit[] {
  return overriddenKeys(cleanedBase, plan.overlay, (value) => `multi-ingress sets it to ${abbreviate(quote(value))}`);
}

/**
 * Render edits as warning lines: the path and the kind of each removed or
 * replaced value, never the value (it may be a secret); for a replaced one,
 * the library's value.
 */
export function describeEdits(chart: string, edits: readonly ValuesEdit[]): string[] {
  return edits.map((e) => `${chart} base values: ${e.replaced ? 'replaced' : 'removed'} ${quote(e.path)} (${e.removed}): ${e.reason}`);
}

/** Longest rendering of the library's value in a warning. */
const MAX_SHOWN = 120;

function abbreviate(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 3)}...`;
}
