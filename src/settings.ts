import { quote } from './errors';

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The namespace of every release (the wire-server namespace). */
export function resolveNamespace(namespace: unknown): string {
  const ns = namespace ?? 'wire';
  if (typeof ns !== 'string' || !DNS_LABEL.test(ns)) {
    throw new Error(
      `namespace ${quote(ns)} is not valid: expected a Kubernetes namespace name (1-63 lower-case letters, digits and "-"); ` +
        'every release goes into the wire-server namespace',
    );
  }
  return ns;
}
