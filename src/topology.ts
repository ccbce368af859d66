import { createHash } from 'crypto';
import { WireDomain } from './domain';
import { Problems, quote } from './errors';

/** Helm release name of the default domain's nginx-ingress-services (Wire's own tooling uses it). */
export const DEFAULT_INGRESS_RELEASE = 'nginx-ingress-services';
/**
 * Release names are at most 50 characters, in every format (switching formats
 * must not rename a release): Helm allows 53, but the k3s / RKE2
 * helm-controller runs each release as a Job named `helm-install-<release>`,
 * and that name is also a label value, at most 63 characters.
 */
export const MAX_RELEASE_NAME = 50;
/** Why release names are at most `MAX_RELEASE_NAME` characters, for error messages. */
export const RELEASE_NAME_REASON =
  `at most ${MAX_RELEASE_NAME} characters in every release format: the k3s / RKE2 helm-controller runs each release as a Job ` +
  'named "helm-install-<release name>", a label value of at most 63 characters';
const RELEASE_PREFIX = `${DEFAULT_INGRESS_RELEASE}-`;
/** Longest ingress name that keeps `nginx-ingress-services-<name>` within `MAX_RELEASE_NAME` characters (27). */
export const MAX_INGRESS_NAME = MAX_RELEASE_NAME - RELEASE_PREFIX.length;
const INGRESS_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const HASH_LENGTH = 8;

/** One domain of the deployment with the names of its ingress release. */
export interface DomainEntry {
  readonly domain: WireDomain;
  /** The default domain's release is the one non-additional release. */
  readonly isDefault: boolean;
  /** `ingressName` of its nginx-ingress-services release (`""` for the default domain). */
  readonly ingressName: string;
  /** Helm release name of its nginx-ingress-services release. */
  readonly releaseName: string;
}

/** The validated domain list: the default domain first, then the additional ones in the given order. */
export interface Topology {
  readonly defaultDomain: DomainEntry;
  readonly additional: readonly DomainEntry[];
  readonly all: readonly DomainEntry[];
  /** Every normalised domain name, for look-ups. */
  readonly names: ReadonlySet<string>;
}

/** The release name for an ingress name. */
export function ingressReleaseName(ingressName: string): string {
  return ingressName === '' ? DEFAULT_INGRESS_RELEASE : `${RELEASE_PREFIX}${ingressName}`;
}

/**
 * The ingress name of an additional domain when the operator chose none:
 * the domain with dots as hyphens (`red.example.com` -> `red-example-com`),
 * or, when that is longer than 27 characters, its first 18 characters and 8
 * hex digits of the SHA-256 of the whole domain. It depends on the domain
 * alone, so adding or removing other domains never renames a release.
 */
export function deriveIngressName(domain: string): string {
  const slug = domain.replace(/\./g, '-');
  if (slug.length <= MAX_INGRESS_NAME) {
    return slug;
  }
  const hash = createHash('sha256').update(domain).digest('hex').slice(0, HASH_LENGTH);
  return `${slug.slice(0, MAX_INGRESS_NAME - HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
}

/** Check an ingress name chosen by the operator. */
export function checkIngressName(name: unknown, domain: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_INGRESS_NAME || !INGRESS_NAME.test(name)) {
    throw new Error(
      `ingress name ${quote(name)} for ${quote(domain)} is not valid: expected 1-${MAX_INGRESS_NAME} lower-case letters, digits ` +
        `and hyphens, starting and ending with a letter or digit (it becomes the release name "${RELEASE_PREFIX}<name>", ${RELEASE_NAME_REASON})`,
    );
  }
  return name;
}

/** One domain entry. */
export function domainEntry(domain: WireDomain, isDefault: boolean, ingressName?: string): DomainEntry {
  if (isDefault && ingressName !== undefined && ingressName !== '') {
    throw new Error(
      `ingress name ${quote(ingressName)} for the default domain ${quote(domain.name)} is not allowed: its release keeps ingressName "" ` +
        `and the name "${DEFAULT_INGRESS_RELEASE}" (renaming it would break existing installs)`,
    );
  }
  const name = isDefault ? '' : ingressName === undefined ? deriveIngressName(domain.name) : checkIngressName(ingressName, domain.name);
  return { domain, isDefault, ingressName: name, releaseName: ingressReleaseName(name) };
}

/**
 * Parse, normalise and validate the domain list, and name each domain's
 * ingress release. All problems are reported together.
 *
 * @param ingressNames optional ingress names chosen by the operator, keyed by
 * additional domain (as written or normalised)
 */
export function buildTopology(
  defaultDomain: string,
  additionalDomains: readonly string[] | undefined,
  ingressNames: { [domain: string]: string } | undefined,
): Topology {
  const problems = new Problems();
  const def = problems.capture(() => WireDomain.parse(defaultDomain, 'default domain'));

  const additionalInput = additionalDomains ?? [];
  if (!Array.isArray(additionalInput)) {
    problems.add(`additionalDomains ${quote(additionalInput)} is not valid: expected a list of domains`);
  }
  const seen = new Map<string, string>();
  if (def) {
    seen.set(def.name, 'the default domain');
  }
  const parsed: WireDomain[] = [];
  (Array.isArray(additionalInput) ? additionalInput : []).forEach((input, i) => {
    const what = `additional domain #${i + 1}`;
    const domain = problems.capture(() => WireDomain.parse(input, what));
    if (!domain) {
      return;
    }
    const earlier = seen.get(domain.name);
    if (earlier !== undefined) {
      problems.add(`${what} ${quote(input)} is a duplicate: it normalises to ${quote(domain.name)}, the same as ${earlier}`);
      return;
    }
    seen.set(domain.name, `${what} ${quote(input)}`);
    parsed.push(domain);
  });

  const chosen = new Map<string, string>();
  for (const [key, name] of Object.entries(ingressNames ?? {})) {
    const domain = problems.capture(() => WireDomain.parse(key, 'ingressNames key'));
    if (!domain) {
      continue;
    }
    if (def && domain.name === def.name) {
      problems.add(
        `ingressNames has an entry for the default domain ${quote(key)}: its release keeps ingressName "" and the name ` +
          `"${DEFAULT_INGRESS_RELEASE}" (renaming it would break existing installs); name only additional domains`,
      );
    } else if (!seen.has(domain.name)) {
      problems.add(`ingressNames has an entry for ${quote(key)}, which is not one of the additional domains`);
    } else if (chosen.has(domain.name)) {
      problems.add(`ingressNames has two entries for ${quote(domain.name)} (one of them written as ${quote(key)}); give one name per domain`);
    } else {
      chosen.set(domain.name, name);
    }
  }

  const additional: DomainEntry[] = [];
  const byIngressName = new Map<string, string>();
  for (const domain of parsed) {
    const entry = problems.capture(() => domainEntry(domain, false, chosen.get(domain.name)));
    if (!entry) {
      continue;
    }
    const clash = byIngressName.get(entry.ingressName);
    if (clash !== undefined) {
      problems.add(
        `domains ${quote(clash)} and ${quote(domain.name)} would both get the ingress name ${quote(entry.ingressName)}: ` +
          'choose a different one for one of them with ingressNames',
      );
      continue;
    }
    byIngressName.set(entry.ingressName, domain.name);
    additional.push(entry);
  }

  problems.throwIfAny('Invalid multi-ingress domains');
  const defaultEntry = domainEntry(def!, true);
  const all = [defaultEntry, ...additional];
  return { defaultDomain: defaultEntry, additional, all, names: new Set(all.map((e) => e.domain.name)) };
}
