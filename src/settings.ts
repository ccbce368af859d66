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

/** The namespace of every release (the wire-server namespace). */
export function resolveNamespace(namespace: unknown): string {
  const ns = namespace ?? 'wire';
  if (!isDnsLabel(ns)) {
    throw new Error(
      `namespace ${quote(ns)} is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-"); ` +
        'every release goes into the wire-server namespace',
    );
  }
  return ns;
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
