/**
 * Pure helpers for Helm values: merging the operator's base values under the
 * multi-ingress settings, removing keys that conflict, and scanning values.
 *
 * Values are plain JSON-like data (objects, arrays, strings, numbers,
 * booleans, null). Nothing here mutates its input.
 */

export type Values = { [key: string]: any };

/** A key path inside a values tree, e.g. `['galley', 'config', 'settings']`. */
export type KeyPath = readonly string[];

/** Something the library changed in the operator's base values, to report. */
export interface ValuesEdit {
  /** Dotted key path, e.g. `cargohold.config.aws.s3DownloadEndpoint`. */
  readonly path: string;
  /** The operator's value that was dropped. */
  readonly previous: unknown;
  /** Why it was removed or replaced. */
  readonly reason: string;
}

/** A key path the library removes from base values, and why. */
export interface ConflictRule {
  readonly path: KeyPath;
  readonly reason: string;
}

export function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Set `key` on `obj` as an own, enumerable property. Plain assignment of
 * `__proto__` would change the object's prototype instead (and the key would
 * vanish from the values).
 */
export function setOwn(obj: Values, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** `obj[key]` if `obj` has it itself (not from its prototype: `constructor`, `__proto__`). */
export function ownValue(obj: Values, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function dotted(path: KeyPath): string {
  return path.join('.');
}

/**
 * Merge `overlay` onto `base`: objects are merged key by key, everything else
 * (scalars, arrays, null) in `overlay` replaces what `base` has. Keys of
 * `base` come first, in their order, then new keys of `overlay`.
 */
export function deepMerge(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) {
      continue;
    }
    const current = ownValue(out, key);
    setOwn(out, key, isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value);
  }
  return out;
}

/** Merge any number of layers, later ones winning. */
export function mergeLayers(...layers: Values[]): Values {
  return layers.reduce((acc, layer) => deepMerge(acc, layer), {});
}

export function getPath(values: Values, path: KeyPath): unknown {
  let node: unknown = values;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}

/** A copy of `values` without the key at `path` (parents are kept, even when empty). */
export function withoutPath(values: Values, path: KeyPath): Values {
  const [head, ...rest] = path;
  if (!Object.prototype.hasOwnProperty.call(values, head)) {
    return values;
  }
  const out: Values = { ...values };
  if (rest.length === 0) {
    delete out[head];
  } else if (isPlainObject(out[head])) {
    setOwn(out, head, withoutPath(out[head], rest));
  }
  return out;
}

/**
 * Remove every key listed in `rules` that is present (with a non-null value)
 * in `values`. Returns the cleaned values and one edit per removed key.
 */
export function removeKeys(values: Values, rules: readonly ConflictRule[]): { values: Values; edits: ValuesEdit[] } {
  let out = values;
  const edits: ValuesEdit[] = [];
  for (const rule of rules) {
    const previous = getPath(out, rule.path);
    if (previous === undefined) {
      continue;
    }
    out = withoutPath(out, rule.path);
    if (previous !== null) {
      edits.push({ path: dotted(rule.path), previous, reason: rule.reason });
    }
  }
  return { values: out, edits };
}

/**
 * Remove the keys at `paths` that the multi-ingress overlay owns outright, so
 * that the overlay replaces them instead of being merged into stale entries.
 * A removed value that differs from what the overlay puts there is reported.
 */
export function releaseOwnedKeys(values: Values, overlay: Values | undefined, paths: readonly KeyPath[]): { values: Values; edits: ValuesEdit[] } {
  let out = values;
  const edits: ValuesEdit[] = [];
  for (const path of paths) {
    const previous = getPath(out, path);
    if (previous === undefined) {
      continue;
    }
    out = withoutPath(out, path);
    const same = overlay !== undefined && JSON.stringify(previous) === JSON.stringify(getPath(overlay, path));
    if (previous !== null && !same) {
      edits.push({ path: dotted(path), previous, reason: 'multi-ingress sets this key itself, for every domain' });
    }
  }
  return { values: out, edits };
}

/**
 * Remove every `secrets` key, at any depth: secret material must never be
 * written into an emitted manifest or values file. The operator provides it
 * through a Secret the release references instead.
 */
export function removeSecretSubtrees(values: Values, secretHint: string): { values: Values; edits: ValuesEdit[] } {
  const edits: ValuesEdit[] = [];
  const walk = (node: Values, path: string[]): Values => {
    const out: Values = {};
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (key === 'secrets' && value !== null && value !== undefined) {
        edits.push({ path: dotted(here), previous: '<redacted>', reason: `secret values are never written into the output; ${secretHint}` });
        continue;
      }
      setOwn(out, key, isPlainObject(value) ? walk(value, here) : value);
    }
    return out;
  };
  return { values: walk(values, []), edits };
}

/** Visit every string in a values tree with its key path. */
export function forEachString(values: unknown, visit: (value: string, path: string) => void, path: string = ''): void {
  if (typeof values === 'string') {
    visit(values, path);
  } else if (Array.isArray(values)) {
    values.forEach((v, i) => forEachString(v, visit, `${path}[${i}]`));
  } else if (isPlainObject(values)) {
    for (const [key, value] of Object.entries(values)) {
      forEachString(value, visit, path === '' ? key : `${path}.${key}`);
    }
  }
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Paths of strings that hold PEM private keys. */
export function findPrivateKeys(values: Values): string[] {
  const found: string[] = [];
  forEachString(values, (value, path) => {
    if (PRIVATE_KEY.test(value)) {
      found.push(path);
    }
  });
  return found;
}

const HOST_TOKEN = /[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/gi;

/** A host-like token of a text and the domain that owns it. */
export interface DomainMention {
  /** The owning domain (one of the names looked for). */
  readonly domain: string;
  /** The host-like token as found (lower case), e.g. `minio.red.example.com`. */
  readonly token: string;
}

/**
 * The domains (from a set of normalised names) that a text names: each
 * host-like token is owned by the longest of the names that it is or ends in,
 * on whole labels, so with nested domains `nginz-https.red.example.com` names
 * `red.example.com`, not `example.com`. One entry per token, in order.
 */
export function domainsNamedIn(text: string, domains: ReadonlySet<string>): DomainMention[] {
  const found: DomainMention[] = [];
  if (!text.includes('.')) {
    return found; // no host name without a dot
  }
  for (const token of text.toLowerCase().match(HOST_TOKEN) ?? []) {
    // the token, then each suffix after a dot, longest first
    for (let rest = token, dot = 0; dot !== -1; dot = rest.indexOf('.'), rest = rest.slice(dot + 1)) {
      if (domains.has(rest)) {
        found.push({ domain: rest, token });
        break;
      }
    }
  }
  return found;
}

/**
 * Find where strings in a values tree mention one of `domains` (a set of
 * normalised names): as the name itself or as a host name under it, matched
 * on whole labels. Linear in the size of the values, whatever the number of
 * domains.
 */
export function findDomainMentions(values: unknown, domains: ReadonlySet<string>): Array<{ path: string; domain: string; value: string }> {
  const found: Array<{ path: string; domain: string; value: string }> = [];
  forEachString(values, (value, path) => {
    for (const m of domainsNamedIn(value, domains)) {
      found.push({ path, domain: m.domain, value });
    }
  });
  return found;
}
