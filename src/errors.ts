import { privateKeyIn } from './values/merge';

/**
 * Errors raised for invalid operator input.
 *
 * Every message names the offending value and what was expected, in the
 * operator's terms, and all problems found in one configuration are reported
 * together so that one run shows everything to fix.
 */

/** Quote a value for an error message (JSON quoting makes whitespace visible). */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value === undefined) {
    return 'undefined';
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Longest excerpt of an operator's text (a file, a value) that a message quotes. */
export const MAX_EXCERPT = 40;

/**
 * A short, redacted rendering of a text read from a file, for a message: a
 * private key is never shown, a text longer than `MAX_EXCERPT` is cut (with
 * its length), so that no message prints a file.
 */
export function excerpt(text: string): string {
  if (privateKeyIn(text) !== undefined) {
    return `(${privateKeyIn(text)}, not shown)`;
  }
  const chars = [...text];
  return chars.length <= MAX_EXCERPT ? quote(text) : `${quote(chars.slice(0, MAX_EXCERPT).join(''))}... (${chars.length} characters)`;
}

/** Collects problems and throws them together. */
export class Problems {
  private readonly items: string[] = [];

  /** Record a problem (a full sentence without a trailing period). */
  public add(message: string): void {
    this.items.push(message);
  }

  /** Run `fn`, recording its error message instead of throwing. */
  public capture<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      const listed = (e as { problems?: unknown }).problems;
      if (Array.isArray(listed)) {
        listed.forEach((p) => this.add(String(p)));
      } else {
        this.add(e instanceof Error ? e.message : String(e));
      }
      return undefined;
    }
  }

  /** Throw one error listing every recorded problem, if there are any. */
  public throwIfAny(context: string): void {
    if (this.items.length === 0) {
      return;
    }
    const message =
      this.items.length === 1
        ? `${context}: ${this.items[0]}`
        : `${context}: ${this.items.length} problems\n${this.items.map((p) => `  - ${p}`).join('\n')}`;
    // the list travels with the error, so that an outer Problems can merge it into its own
    throw Object.assign(new Error(message), { problems: [...this.items] });
  }
}
