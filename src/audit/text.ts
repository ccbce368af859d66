import { createHash } from 'crypto';
import { isIP } from 'net';
import { isAsciiLetter, isAsciiLetterOrDigit } from '../values/merge';

/** E-mail addresses in a text (the local part stops at `:` so `email:ops@example.org` gives `ops@example.org`). */
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

/** Every e-mail address in `text`, lower case. */
export function emailsIn(text: string): string[] {
  return (text.match(EMAIL) ?? []).map((e) => e.toLowerCase());
}

/**
 * Whether `text` could name a domain at all: it has an `@` (an e-mail), a
 * dotted name whose label after the dot has a letter (`a.example`, not
 * `5.32.0`), a percent-encoded dot (`%2e`) or a character beyond ASCII
 * (full-width or ideographic dots, Unicode labels). One pass over the text,
 * most of which names nothing.
 */
export function couldNameDomain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 64 || c >= 0x80) {
      return true; // "@", or not ASCII
    }
    if (c === 46 && i > 0 && isLabelCharacter(text.charCodeAt(i - 1)) && labelWithLetterAt(text, i + 1)) {
      return true; // "x.a"
    }
    if (c === 37 && text.charCodeAt(i + 1) === 50 && (text.charCodeAt(i + 2) === 101 || text.charCodeAt(i + 2) === 69)) {
      return true; // "%2e", "%2E"
    }
  }
  return false;
}

/** Whether the run of label characters that starts at `start` has a letter. */
function labelWithLetterAt(text: string, start: number): boolean {
  for (let j = start; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (!isLabelCharacter(c)) {
      return false;
    }
    if (isAsciiLetter(c)) {
      return true;
    }
  }
  return false;
}

/** A letter of either case, a digit or "-". */
function isLabelCharacter(c: number): boolean {
  return isAsciiLetterOrDigit(c) || c === 45;
}

/** `value` as an IP address (brackets and a zone dropped, lower case), or undefined. */
export function asAddress(value: string): string | undefined {
  const bare = value.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return isIP(bare) === 0 ? undefined : bare;
}

/** Proxy upstreams: HAProxy `server <name> <address>[:<port>]`, nginx `server <address>[:<port>];`. */
const UPSTREAM = /^\s*server\s+(?:[A-Za-z0-9_.-]+\s+)?(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?[\s;]/gim;

/** The addresses a proxy configuration forwards to (loopback left out), lower case. */
export function upstreamsIn(text: string): string[] {
  if (!text.includes('server')) {
    return [];
  }
  const found: string[] = [];
  for (const m of `${text}\n`.matchAll(UPSTREAM)) {
    const address = asAddress(m[1]);
    if (address !== undefined && !/^127\./.test(address) && address !== '::1') {
      found.push(address);
    }
  }
  return found;
}

/** The first 8 hex digits of the SHA-256 of the parts: a short, stable part of an id. */
export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8);
}

/** Longest value shown in a finding. */
const MAX_SHOWN = 160;

/** `text` cut to a readable length. */
export function abbreviate(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 3)}...`;
}

/** `a, b and c`, or `a, b, c and 7 more` when there are more than `max`. */
export function listed(items: readonly string[], max: number = 4): string {
  if (items.length <= 1) {
    return items.join('');
  }
  if (items.length > max) {
    return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `a; b; c`, or `a; b; c; and 7 more` when there are more than `max` (for items that contain commas). */
export function semicolonList(items: readonly string[], max: number = 3): string {
  const shown = items.slice(0, max);
  return items.length > max ? `${shown.join('; ')}; and ${items.length - max} more` : shown.join('; ');
}

/** Compare strings by code unit (locale-independent, so output is the same everywhere). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
