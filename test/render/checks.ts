/**
 * What the Kubernetes API server accepts (apimachinery's validation), and
 * which served domains a rendered text names.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** IsDNS1123Subdomain: at most 253 characters, dot-separated DNS-1123 labels. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && s.split('.').every((l) => DNS1123_LABEL.test(l));
}

/** IsQualifiedName (label and annotation keys): an optional DNS subdomain prefix and "/", a name of at most 63 characters. */
export function isQualifiedName(s: string): boolean {
  const parts = s.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts[0].length > 0 && isDns1123Subdomain(parts[0]));
  return prefixOk && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** IsValidLabelValue: at most 63 characters, alphanumeric at both ends. */
export function isLabelValue(s: string): boolean {
  return s.length <= 63 && LABEL_VALUE.test(s);
}

/** IsConfigMapKey (ConfigMap and Secret data keys): at most 253 characters of [-._a-zA-Z0-9], not "." or "..". */
export function isConfigMapKey(s: string): boolean {
  return s.length <= 253 && CONFIG_MAP_KEY.test(s) && s !== '.' && s !== '..';
}

/** Kinds whose names must be DNS-1035 labels (Service) or DNS-1123 labels, the rest DNS-1123 subdomains. */
const NAME_RULES: { [kind: string]: (s: string) => boolean } = {
  Service: (s) => s.length <= 63 && DNS1035_LABEL.test(s),
  Namespace: (s) => s.length <= 63 && DNS1123_LABEL.test(s),
};

/** Why the API server would refuse `object`, if it would: its name, labels, annotation keys and data keys. */
export function apiServerProblems(object: any): string[] {
  const problems: string[] = [];
  const id = `${object.kind} ${object.metadata?.name}`;
  const name = object.metadata?.name;
  const nameOk = NAME_RULES[object.kind] ?? isDns1123Subdomain;
  if (typeof name !== 'string' || !nameOk(name)) problems.push(`${id}: name is not valid for a ${object.kind}`);
  const labelSets = [object.metadata?.labels, object.spec?.template?.metadata?.labels, object.spec?.selector?.matchLabels];
  for (const labels of labelSets) {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!isQualifiedName(k)) problems.push(`${id}: label key ${JSON.stringify(k)} is not valid`);
      if (typeof v !== 'string' || !isLabelValue(v)) problems.push(`${id}: label ${k} value ${JSON.stringify(v)} is not valid`);
    }
  }
  for (const annotations of [object.metadata?.annotations, object.spec?.template?.metadata?.annotations]) {
    for (const k of Object.keys(annotations ?? {})) {
      if (!isQualifiedName(k)) problems.push(`${id}: annotation key ${JSON.stringify(k)} is not valid`);
    }
  }
  if (object.kind === 'ConfigMap' || object.kind === 'Secret') {
    for (const k of [...Object.keys(object.data ?? {}), ...Object.keys(object.stringData ?? {}), ...Object.keys(object.binaryData ?? {})]) {
      if (!isConfigMapKey(k)) problems.push(`${id}: data key ${JSON.stringify(k)} (${k.length} characters) is not valid`);
    }
  }
  return problems;
}

/**
 * The served domains that `text` names: an occurrence of a domain counts
 * when it is not part of a longer label on its left (a host under it, with a
 * dot, counts) and not followed by a further label (`.<letter or digit>`) or
 * a letter or digit on its right (`<domain>-deeplink.json` counts: nginz's
 * keys put the domain there).
 */
export function domainsNamed(text: string, domains: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return domains.filter((d) => {
    for (let at = lower.indexOf(d); at >= 0; at = lower.indexOf(d, at + 1)) {
      const before = at === 0 ? '' : lower[at - 1];
      const after = lower.slice(at + d.length, at + d.length + 2);
      const leftOk = before === '' || before === '.' || !/[a-z0-9-]/.test(before);
      const rightOk = !/^[a-z0-9]/.test(after) && !/^\.[a-z0-9]/.test(after);
      if (leftOk && rightOk) return true;
    }
    return false;
  });
}
