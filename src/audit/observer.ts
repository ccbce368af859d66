import { couldNameDomain, emailsIn, upstreamsIn } from './text';
import { Observation, ObservationKind } from './types';
import { domainsNamedIn } from '../values/merge';

/** How strings found in an artefact are scanned. */
export interface TextOptions {
  /**
   * Also record the e-mail addresses in the text as `email` observations
   * (which the audit compares across domains). Off for the per-domain entries
   * of the shared wire-server release, whose contacts are the same for every
   * domain by design and reported as a structural link instead.
   */
  readonly emails: boolean;
  /** Skip strings or subtrees for which this returns true (e.g. a rendering of values observed separately). */
  readonly skip?: (node: unknown) => boolean;
}

/** Records what the public of one domain observes. */
export interface DomainObserver {
  /** The domain. */
  readonly domain: string;
  /** One observation. */
  add(artefact: string, kind: ObservationKind, value: string, path?: string): void;
  /** A string that may name a domain (recorded only if it has a dot or an `@`). */
  text(artefact: string, value: string, path: string | undefined, options: TextOptions): void;
  /** Every string of a JSON-like tree, with its key path. */
  tree(artefact: string, node: unknown, options: TextOptions, basePath?: string): void;
}

/** An address a domain's proxy forwards to (the backend, for an edge proxy). */
export interface Upstream {
  readonly domain: string;
  readonly artefact: string;
  readonly path?: string;
  readonly address: string;
}

/** The pods a domain's load balancer Service sends its traffic to. */
export interface ServiceTarget {
  readonly domain: string;
  readonly artefact: string;
  /** `namespace` and selector of the Service, e.g. `wire {"app.kubernetes.io/name":"ingress-nginx"}`. */
  readonly target: string;
}

/**
 * Collects observations of every domain, without duplicates.
 *
 * Text observations (every string that could name a domain) are most of
 * what the audit reads: at thousands of domains they do not fit in memory
 * comfortably. Without `keepText` they are checked as they stream by, and
 * only those that name another domain (what the foreign-domain check
 * reports) are kept, in their place among the others; the checks then find
 * exactly what they find with every observation kept.
 */
export class ObservationCollector {
  /** What is recorded, by place in the output (see `at`). */
  private readonly items = new Places<Observation>();
  /** Each kept text observation, with the values its artefact shows more specifically by path. */
  private readonly texts: Array<{ item: Observation; specific: Map<string, string[]>; path: string; value: string }> = [];
  private readonly forwards = new Places<Upstream>();
  private readonly targets = new Places<ServiceTarget>();

  /**
   * @param names every domain name (only what names one of them is kept from the text observations)
   * @param keepText keep every text observation (for `observations` of the report), not only those that name another domain
   */
  public constructor(private readonly names: ReadonlySet<string>, private readonly keepText: boolean = true) {}

  /**
   * Where what is recorded next belongs in the output: the `part` of the
   * output being read (0, 1, 2, ...) and the `index` of the thing read in that
   * part. Everything collected is listed by part, then by index, then in the
   * order it was recorded: the domains can be read one after the other (and
   * what each one's observer keeps to drop repeats let go once it is done)
   * while the lists keep the order of the output.
   */
  public at(part: number, index: number): void {
    this.items.at(part, index);
    this.forwards.at(part, index);
    this.targets.at(part, index);
  }

  /** An observer for one domain. */
  public observer(domain: string): DomainObserver {
    // what this domain's observer has recorded: per artefact, the values seen per kind and path (keys stay
    // short: values can be long, and most paths hold one value); and per artefact and path the values of
    // observations that are not text ones
    const seen = new Map<string, Map<string, string[]>>();
    const specific = new Map<string, Map<string, string[]>>();
    const listAt = (maps: Map<string, Map<string, string[]>>, artefact: string, key: string): string[] => {
      let byKey = maps.get(artefact);
      if (byKey === undefined) {
        byKey = new Map();
        maps.set(artefact, byKey);
      }
      let list = byKey.get(key);
      if (list === undefined) {
        list = [];
        byKey.set(key, list);
      }
      return list;
    };
    const add = (artefact: string, kind: ObservationKind, value: string, path?: string): void => {
      const at = path ?? '';
      const isText = kind === ObservationKind.TEXT;
      if (isText && !this.keepText) {
        // streamed: kept only when it names another domain (a repeat gives the same finding, which the checks merge)
        if (domainsNamedIn(value, this.names).some((m) => m.domain !== domain)) {
          this.keep(domain, artefact, kind, value, path, specific, at);
        }
        return;
      }
      const values = listAt(seen, artefact, `${kind}\u0000${at}`);
      if (values.includes(value)) {
        return;
      }
      values.push(value);
      if (!isText) {
        listAt(specific, artefact, at).push(value);
      }
      this.keep(domain, artefact, kind, value, path, specific, at);
    };
    // a text that could name a domain
    const textThatCould = (artefact: string, value: string, path: string | undefined, options: TextOptions): void => {
      add(artefact, ObservationKind.TEXT, value, path);
      for (const address of upstreamsIn(value)) {
        this.forwards.push(path === undefined ? { domain, artefact, address } : { domain, artefact, path, address });
      }
      if (options.emails && value.includes('@')) {
        for (const email of emailsIn(value)) {
          add(artefact, ObservationKind.EMAIL, email, path);
        }
      }
    };
    const text = (artefact: string, value: string, path: string | undefined, options: TextOptions): void => {
      if (couldNameDomain(value)) {
        textThatCould(artefact, value, path, options);
      }
    };
    const tree = (artefact: string, node: unknown, options: TextOptions, basePath: string = ''): void => {
      // most strings name no domain: their key path is not even built
      walk(node, basePath === '' ? [] : [basePath], (value, keys) => {
        if (couldNameDomain(value)) {
          const p = pathOf(keys);
          textThatCould(artefact, value, p === '' ? undefined : p, options);
        }
      }, options.skip);
    };
    return { domain, add, text, tree };
  }

  private keep(
    domain: string,
    artefact: string,
    kind: ObservationKind,
    value: string,
    path: string | undefined,
    specific: Map<string, Map<string, string[]>>,
    at: string,
  ): void {
    const item: Observation = path === undefined ? { domain, artefact, kind, value } : { domain, artefact, kind, value, path };
    if (kind === ObservationKind.TEXT) {
      let bySpecific = specific.get(artefact);
      if (bySpecific === undefined) {
        bySpecific = new Map();
        specific.set(artefact, bySpecific);
      }
      this.texts.push({ item, specific: bySpecific, path: at, value });
    }
    this.items.push(item);
  }

  /** Addresses the domains' proxies forward to. */
  public upstreams(): Upstream[] {
    return this.forwards.all();
  }

  /** Record the pods a domain's load balancer sends its traffic to. */
  public serviceTarget(target: ServiceTarget): void {
    this.targets.push(target);
  }

  /** The pods the domains' load balancers send their traffic to. */
  public serviceTargets(): ServiceTarget[] {
    return this.targets.all();
  }

  /**
   * Everything collected. A text observation that repeats a more specific one
   * (same domain, artefact, path and value) is dropped.
   */
  public observations(): Observation[] {
    const repeated = new Set<Observation>();
    for (const t of this.texts) {
      if (t.specific.get(t.path)?.includes(t.value)) {
        repeated.add(t.item);
      }
    }
    const all = this.items.all();
    return repeated.size === 0 ? all : all.filter((item) => !repeated.has(item));
  }
}

/** Lists of things by place (part, then index), each in the order it was added; see `ObservationCollector.at`. */
class Places<T> {
  private readonly parts: T[][][] = [];
  private current: T[] = [];

  public constructor() {
    this.at(0, 0);
  }

  public at(part: number, index: number): void {
    const byIndex = (this.parts[part] ??= []);
    this.current = byIndex[index] ??= [];
  }

  public push(item: T): void {
    this.current.push(item);
  }

  /** Everything, by part, then index, then as added. */
  public all(): T[] {
    const all: T[] = [];
    for (const byIndex of this.parts) {
      if (byIndex === undefined) continue;
      for (const items of byIndex) {
        if (items !== undefined) for (const item of items) all.push(item);
      }
    }
    return all;
  }
}

/** Visit every string and key of a tree with the keys that lead to it (read them at once: the array changes as the walk goes on). */
function walk(
  node: unknown,
  keys: Array<string | number>,
  visit: (value: string, keys: ReadonlyArray<string | number>) => void,
  skip?: (node: unknown) => boolean,
): void {
  if (skip !== undefined && skip(node)) {
    return;
  }
  if (typeof node === 'string') {
    visit(node, keys);
  } else if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      keys.push(i);
      walk(node[i], keys, visit, skip);
      keys.pop();
    }
  } else if (node !== null && typeof node === 'object') {
    for (const key of Object.keys(node)) {
      keys.push(key);
      // a key names a domain as much as a value does (`red.example.com: x`)
      visit(key, keys);
      walk((node as { [key: string]: unknown })[key], keys, visit, skip);
      keys.pop();
    }
  }
}

/** A key path as forEachString writes it: `a.b[0].c`. */
function pathOf(keys: ReadonlyArray<string | number>): string {
  let path = '';
  for (const k of keys) {
    path = typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`;
  }
  return path;
}
