import { quote } from './errors';

/** A DNS-1123 label: namespaces (at most 63 characters). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain: most object names, e.g. Secrets and issuers (at most 253 characters). */
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

/** Whether `name` is a valid Kubernetes namespace name. */
export function isDnsLabel(name: unknown): name is string {
  return typeof name === 'string' && DNS_LABEL.test(name);
}

/** Whether `name` is a valid Kubernetes object name (Secret, Issuer, ...). */
export function isDnsSubdomain(name: unknown): name is string {
  return typeof name === 'string' && DNS_SUBDOMAIN.test(name);
}

/**
 * The problem with a namespace name, in one wording for every namespace the
 * library writes (a release's, a load balancer's, an edge proxy chart's), or
 * undefined when it is valid.
 */
export function namespaceProblem(what: string, name: unknown): string | undefined {
  return isDnsLabel(name)
    ? undefined
    : `${what} ${quote(name)} is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-", starting and ending with a letter or digit)`;
}

/** The namespace of every release (the wire-server namespace). */
export function resolveNamespace(namespace: unknown): string {
  const ns = namespace ?? 'wire';
  const problem = namespaceProblem('namespace', ns);
  if (problem !== undefined) {
    throw new Error(`${problem}; every release goes into the wire-server namespace`);
  }
  return ns as string;
}

/** The name part of a label or annotation key, and a label value (at most 63 characters). */
const QUALIFIED_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/**
 * Whether `key` is a valid label or annotation key: an optional DNS-subdomain
 * prefix and "/", then a name of at most 63 letters, digits, "-", "_" and ".".
 */
export function isQualifiedKey(key: unknown): key is string {
  if (typeof key !== 'string') {
    return false;
  }
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  return (prefix === undefined || isDnsSubdomain(prefix)) && QUALIFIED_NAME.test(name);
}

/** Whether `value` is a valid label value (may be empty). */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && (value === '' || QUALIFIED_NAME.test(value));
}

/** `atext` of RFC 5322 (section 3.2.3): what a dot-atom local part is made of. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `address` is not an e-mail address an ACME server takes, or undefined
 * when it is one: a dot-atom local part (RFC 5322, at most 64 characters),
 * `@`, and a DNS host name of at least two labels (letters, digits and
 * hyphens; at most 253 characters). No quoted local parts, no comments, no
 * address literals, nothing but ASCII: the one validator of every e-mail
 * address the library accepts.
 */
export function emailAddressProblem(address: unknown): string | undefined {
  if (typeof address !== 'string') return 'expected a string';
  const at = address.lastIndexOf('@');
  if (at < 0) return 'it has no "@"';
  const local = address.slice(0, at);
  const host = address.slice(at + 1);
  if (local === '' || local.length > 64 || !LOCAL_PART.test(local)) {
    return 'the part before "@" must be 1-64 letters, digits and !#$%&\'*+/=?^_`{|}~- in dot-separated words';
  }
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    return 'the part after "@" must be a domain such as "example.com" (letters, digits and "-" in dot-separated labels)';
  }
  return undefined;
}

/** Placeholder of e-mail templates, replaced by each domain. */
export const DOMAIN_PLACEHOLDER = '{domain}';

/**
 * Why an e-mail template (where `{domain}` stands for each domain) is not
 * valid for every one of `domains`, or undefined when it is.
 */
export function emailTemplateProblem(template: unknown, domains: Iterable<string> = ['example.com']): string | undefined {
  if (typeof template !== 'string') return 'expected a string';
  for (const domain of domains) {
    const problem = emailAddressProblem(template.split(DOMAIN_PLACEHOLDER).join(domain));
    if (problem) return problem;
  }
  return undefined;
}
