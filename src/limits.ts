/**
 * Sizes Kubernetes refuses, and where the releases of a deployment with many
 * domains reach them. The values of wire-server grow with every domain (the
 * multi-ingress maps of galley, cargohold and nginz): these checks say, before
 * anything is written, which object would be refused and why.
 */
import { quote } from './errors';

/**
 * The most a Secret's data, or a ConfigMap's data and binaryData together,
 * may hold: 1 MiB (Kubernetes `core.MaxSecretSize`, checked by
 * `ValidateSecret` and `ValidateConfigMap` in pkg/apis/core/validation).
 */
export const MAX_DATA_BYTES = 1024 * 1024;

/**
 * The most an object's annotations may hold together: 256 KiB
 * (apimachinery's `totalAnnotationSizeLimitB`, pkg/api/validation/objectmeta.go).
 */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

/** A size in the unit an operator reads best. */
export function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * Why the helm-controller cannot install a HelmChart release whose values are
 * this large, or undefined when it can. It copies the HelmChart's
 * `valuesContent`, and the `valuesContent` of the HelmChartConfig of the same
 * name, into one Secret, `chart-values-<name>` (k3s-io/helm-controller
 * `pkg/controllers/chart/chart.go`, valuesSecret and valuesSecretAddConfig),
 * which Kubernetes refuses over 1 MiB: the install Job is never created.
 *
 * @param releaseName the HelmChart's name
 * @param valuesBytes the UTF-8 length of its valuesContent
 * @param copies how many times the Secret holds them (2 with the HelmChartConfig that repeats them)
 */
export function helmChartValuesProblem(releaseName: string, valuesBytes: number, copies: number): string | undefined {
  const total = valuesBytes * copies;
  if (total <= MAX_DATA_BYTES) {
    return undefined;
  }
  const repeated = copies > 1 ? `, and again in its HelmChartConfig (which repeats them so that they rank above the secret values): ${size(total)} in all` : '';
  return (
    `the release ${quote(releaseName)} has ${size(valuesBytes)} of values in its HelmChart${repeated}. ` +
    `The helm-controller copies them into one Secret, chart-values-${releaseName}, and Kubernetes refuses a Secret over 1 MiB, so the release would never install. ` +
    'Expected at most 1 MiB: with this many domains, use the Flux or Argo CD format (values in the release object) or the values-files format (helm reads them from a file)'
  );
}

/** The deeplink values of one domain, as nginz reads them. */
interface Deeplink {
  readonly endpoints: { readonly [key: string]: unknown };
  readonly title?: unknown;
  readonly apiProxy?: { readonly [key: string]: unknown };
}

const ENDPOINTS = ['backendURL', 'backendWSURL', 'blackListURL', 'teamsURL', 'accountsURL', 'websiteURL'];
const API_PROXY = ['host', 'port', 'needsAuthentication'];

/** The document the chart builds of a domain's deeplink values: only these keys, a missing one as null (Go's `dict`). */
function chartDeeplink(d: Deeplink): unknown {
  const pick = (from: { readonly [key: string]: unknown } | undefined, keys: string[]) => Object.fromEntries(keys.map((k) => [k, from?.[k] ?? null]));
  const apiProxy = d.apiProxy !== undefined ? { apiProxy: pick(d.apiProxy, API_PROXY) } : {};
  return { endpoints: pick(d.endpoints, ENDPOINTS), title: d.title ?? null, ...apiProxy };
}

/**
 * The UTF-8 length of Go's `json.Marshal` of `value` (sprig's toJson):
 * JSON.stringify's, with `<`, `>` and `&` escaped as `\u003c` and U+2028 and
 * U+2029 as `\u2028` (Go escapes them for HTML and JavaScript).
 */
function goJsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  let extra = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3c || c === 0x3e || c === 0x26) extra += 5;
    else if (c === 0x2028 || c === 0x2029) extra += 3;
  }
  return Buffer.byteLength(text) + extra;
}

/**
 * The data of the ConfigMap `nginz-deeplink` that wire-server's nginz chart
 * renders (5.29.5, `charts/nginz/templates/configmap.yaml`): for the default
 * domain and for every domain of `multi_ingress_deeplink` that is among
 * `additional_external_env_domains`, `<host>-deeplink.json` (the deeplink as
 * JSON and a line break) and
 * `<host>-deeplink.html` (a page linking to it). `test/render` checks the
 * count against helm's own rendering.
 */
export function nginzDeeplinkBytes(nginxConf: { [key: string]: any }): number {
  const page = (title: string, backendURL: string) =>
    `<html>\n  <head>${title}</head>\n  <body>\n    <a href="wire://access/?config=${backendURL}/deeplink.json">Click here for access</a>\n  </body>\n</html>\n`;
  let total = 0;
  const deeplink = nginxConf.deeplink as Deeplink | undefined;
  if (deeplink !== undefined && nginxConf.external_env_domain !== undefined) {
    total += goJsonBytes(chartDeeplink(deeplink)) + 1 + Buffer.byteLength(page('', String(deeplink.endpoints?.backendURL)));
  }
  const additional = new Set<string>(nginxConf.additional_external_env_domains ?? []);
  for (const [domain, d] of Object.entries((nginxConf.multi_ingress_deeplink ?? {}) as { [domain: string]: Deeplink })) {
    if (!additional.has(domain)) continue;
    // the template adds a line break after the document, which the block scalar's clipping takes away again
    total += goJsonBytes(chartDeeplink(d)) + 1 + Buffer.byteLength(page(`\n    <title>Deeplink for ${domain}</title>\n  `, String(d.endpoints?.backendURL)));
  }
  return total;
}

/**
 * Warnings for a deployment whose objects near or pass what Kubernetes
 * accepts: the ConfigMap nginz-deeplink that the wire-server chart renders
 * (every format), and a release object too large for a client-side
 * `kubectl apply` (the formats whose releases are objects).
 *
 * @param wireServerValues the values of the wire-server release
 * @param releaseObject the wire-server release object's kind and name, when the format writes one
 */
export function sizeWarnings(wireServerValues: { [key: string]: any }, releaseObject: string | undefined): string[] {
  const warnings: string[] = [];
  const nginxConf = wireServerValues.nginz?.nginx_conf;
  const deeplinks = nginxConf === undefined ? 0 : nginzDeeplinkBytes(nginxConf);
  const rendered =
    `the wire-server chart's nginz renders the ConfigMap nginz-deeplink with about ${size(deeplinks)} of data, one deeplink document and page per domain ` +
    '(wire-server 5.29.5, charts/nginz/templates/configmap.yaml)';
  if (deeplinks > MAX_DATA_BYTES) {
    warnings.push(
      `${rendered}, and Kubernetes refuses a ConfigMap over 1 MiB: helm would fail to install or upgrade wire-server. ` +
        'Serve fewer domains from one wire-server, or check that your chart version renders it differently',
    );
  } else if (deeplinks > 0.9 * MAX_DATA_BYTES) {
    const perDomain = deeplinks / Math.max(1, Object.keys(nginxConf.multi_ingress_deeplink ?? {}).length + 1);
    warnings.push(`${rendered}: Kubernetes refuses a ConfigMap over 1 MiB, about ${Math.floor((MAX_DATA_BYTES - deeplinks) / perDomain)} more domain(s) like these`);
  }
  if (releaseObject !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(wireServerValues));
    if (bytes > MAX_ANNOTATION_BYTES) {
      warnings.push(
        `the release object ${releaseObject} holds about ${size(bytes)} of values, more than the 256 KiB Kubernetes allows an object's annotations: ` +
          'a client-side kubectl apply keeps a copy of the whole object in the annotation kubectl.kubernetes.io/last-applied-configuration and is refused ' +
          '("metadata.annotations: Too long"). Apply it with kubectl apply --server-side; Flux applies server-side, Argo CD needs the sync option ' +
          "ServerSideApply=true on the application that syncs these Applications, and k3s's manifests folder keeps only a shortened copy, so it is not affected",
      );
    }
  }
  return warnings;
}
