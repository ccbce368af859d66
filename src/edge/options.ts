import { isIP } from 'net';
import { Construct } from 'constructs';
import { Problems, quote } from '../errors';
import { emailTemplateProblem, isLabelValue, isQualifiedKey, namespaceProblem } from '../settings';
import { KNOWN_ADDRESS_ANNOTATIONS, LoadBalancerImplementation } from './load-balancer-implementation';
import { findDomainMentions } from '../values/merge';

/**
 * A `LoadBalancer` Service per domain in front of the ingress controller, at
 * the domain's own address. The same settings shape the Service of an
 * in-cluster edge proxy (there `enabled`, `namespace` and `selector` do not
 * apply).
 */
export interface LoadBalancerOptions {
  /**
   * Create a load balancer Service per domain in the deployment's chart.
   * Turn it off when the domains are reached through edge proxies only.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Namespace of the load balancer Services: where the ingress controller's
   * pods run (a Service selects pods of its own namespace only).
   *
   * @default - the deployment's namespace (Wire's charts expect the
   * controller beside wire-server)
   */
  readonly namespace?: string;

  /**
   * Labels of the ingress controller's pods.
   *
   * @default - `app.kubernetes.io/name: ingress-nginx` and
   * `app.kubernetes.io/component: controller`, the controller pods of Wire's
   * `ingress-nginx-controller` chart (which wraps the upstream ingress-nginx
   * chart)
   */
  readonly selector?: { [key: string]: string };

  /**
   * The cluster's load balancer implementation: how each Service asks for
   * its domain's address. Exactly one way is emitted (an address annotation
   * or `spec.loadBalancerIP`), the one this implementation reads.
   *
   * @default LoadBalancerImplementation.metallb() (MetalLB 0.14.9 or later:
   * the annotation `metallb.io/loadBalancerIPs`)
   */
  readonly implementation?: LoadBalancerImplementation;

  /**
   * Further annotations on every domain's Service, e.g. a provider's address
   * pool. They go to every domain, so they must not name any domain, nor
   * request an address (`implementation` does that, per domain).
   *
   * @default {}
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Client networks allowed to connect (`spec.loadBalancerSourceRanges`),
   * e.g. `['192.0.2.0/24', '2001:db8::/32']`.
   *
   * @default - every client
   */
  readonly sourceRanges?: string[];

  /**
   * Add external-dns annotations that publish exactly this domain's host
   * names (and the wildcard, with `dns.wildcard`) at its address, with the
   * TTL of `dns.ttl`.
   *
   * @default false
   */
  readonly externalDns?: boolean;
}

/** The HAProxy edge proxy of each domain (on a VPS, or in another cluster). */
export interface HaproxyOptions {
  /**
   * Directory on the VPS holding each domain's certificate chain and private
   * key as one PEM file, `<directory>/<domain>.pem` (`certbot.sh` writes it).
   *
   * @default '/etc/haproxy/certs'
   */
  readonly certificateDirectory?: string;

  /**
   * CA bundle on the VPS that verifies the backend's certificate.
   *
   * @default '/etc/ssl/certs/ca-certificates.crt' (Debian's and Ubuntu's
   * public CAs, enough for a backend with Let's Encrypt certificates)
   */
  readonly caFile?: string;

  /**
   * Answer plain HTTP on port 80: redirect to HTTPS, and pass
   * `/.well-known/acme-challenge/` to certbot on `127.0.0.1:<certbotPort>`
   * so that certificates renew while HAProxy runs. Without it, certbot needs
   * port 80 of the VPS for itself.
   *
   * @default true
   */
  readonly httpRedirect?: boolean;

  /**
   * Port on 127.0.0.1 where `certbot --standalone` answers ACME challenges
   * behind HAProxy (with `httpRedirect`).
   *
   * @default 8888
   */
  readonly certbotPort?: number;

  /**
   * ACME account e-mail in `certbot.sh`; `{domain}` is replaced by each
   * domain, so that no address is shared between domains.
   *
   * @default 'hostmaster@{domain}'
   */
  readonly acmeEmail?: string;

  /**
   * Container image of the in-cluster edge proxies, pinned to a version.
   * The proxy's certificate reloader runs in the same image (it needs only
   * its `/bin/sh`, `cat`, `cksum` and `sleep`).
   *
   * @default 'haproxy:2.8.26' (the official image, the newest release of the
   * 2.8 LTS branch in docker-library/haproxy)
   */
  readonly image?: string;

  /**
   * Replicas of each in-cluster edge proxy.
   *
   * @default 2
   */
  readonly replicas?: number;
}

/** The DNS records of each domain. */
export interface DnsOptions {
  /**
   * TTL of the records, in seconds.
   *
   * @default 3600
   */
  readonly ttl?: number;

  /**
   * Also publish `*.<domain>` at the domain's address (the guide asks for
   * it; the six host names are always published one by one).
   *
   * @default false
   */
  readonly wildcard?: boolean;
}

/** How each domain's public entry points are built. */
export interface EntryPointSettings {
  /**
   * The load balancer Service per domain.
   *
   * @default - a Service per domain with the defaults of `LoadBalancerOptions`
   */
  readonly loadBalancer?: LoadBalancerOptions;

  /**
   * The HAProxy edge proxies (`haproxy.cfg` per domain, and the in-cluster
   * edge proxies when `edgeProxyScope` is given).
   *
   * @default - the defaults of `HaproxyOptions`
   */
  readonly haproxy?: HaproxyOptions;

  /**
   * The DNS records per domain.
   *
   * @default - the defaults of `DnsOptions`
   */
  readonly dns?: DnsOptions;

  /**
   * Where to create the in-cluster edge proxies (a Deployment of HAProxy, a
   * ConfigMap and a LoadBalancer Service per domain): a Chart synthesized for
   * the cluster that runs them, not the backend's chart.
   *
   * @default - no in-cluster edge proxies; the `haproxy.cfg` files for VPSs
   * are written regardless
   */
  readonly edgeProxyScope?: Construct;
}

/** Entry points of every domain of a deployment. */
export interface EdgeOptions extends EntryPointSettings {
  /**
   * Each domain's own public address (IPv4 or IPv6), keyed by domain: the
   * address of its load balancer or its edge proxy, where its DNS records
   * point. Every domain needs one, and no two domains may share one.
   */
  readonly addresses: { [domain: string]: string };

  /**
   * The backend's public address the edge proxies forward to on port 443
   * (e.g. the address of the ingress controller's existing load balancer).
   * No domain's entry address may equal it.
   */
  readonly backendAddress: string;
}

/** Entry points of one domain. */
export interface DomainEntryPointOptions extends EntryPointSettings {
  /** The domain's own public address (IPv4 or IPv6). */
  readonly address: string;

  /** The backend's public address the edge proxy forwards to on port 443. */
  readonly backendAddress: string;
}

/** Selector of the controller pods of Wire's `ingress-nginx-controller` chart. */
export const INGRESS_NGINX_SELECTOR: { readonly [key: string]: string } = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};
/** Official HAProxy image, pinned. */
export const HAPROXY_IMAGE = 'haproxy:2.8.26';

/** Load balancer settings with defaults applied. */
export interface ResolvedLoadBalancer {
  readonly enabled: boolean;
  readonly namespace: string;
  readonly selector: { readonly [key: string]: string };
  readonly implementation: LoadBalancerImplementation;
  /** Whether `spec.loadBalancerIP` gets the address (from `implementation`). */
  readonly setLoadBalancerIp: boolean;
  /** Annotation keys that get the address (from `implementation`). */
  readonly addressAnnotations: readonly string[];
  readonly annotations: { readonly [key: string]: string };
  readonly sourceRanges: readonly string[];
  readonly externalDns: boolean;
}

/** HAProxy settings with defaults applied. */
export interface ResolvedHaproxy {
  readonly certificateDirectory: string;
  readonly caFile: string;
  readonly httpRedirect: boolean;
  readonly certbotPort: number;
  readonly acmeEmail: string;
  readonly image: string;
  readonly replicas: number;
}

/** DNS settings with defaults applied. */
export interface ResolvedDns {
  readonly ttl: number;
  readonly wildcard: boolean;
}

/** Entry point settings with defaults applied. */
export interface ResolvedEntryPointSettings {
  readonly loadBalancer: ResolvedLoadBalancer;
  readonly haproxy: ResolvedHaproxy;
  readonly dns: ResolvedDns;
}

/** A path HAProxy can read without quoting. */
const PLAIN_PATH = /^\/[A-Za-z0-9._+@=,-]+(?:\/[A-Za-z0-9._+@=,-]+)*\/?$/;
const MAX_TTL = 2147483647;

/**
 * Apply defaults to the shared entry point settings and check them. All
 * problems are reported together.
 *
 * @param namespace the deployment's namespace (default of the load balancers')
 * @param domains every domain of the deployment: shared annotations must not name one
 */
export function resolveEntryPointSettings(
  settings: EntryPointSettings,
  namespace: string,
  domains: ReadonlySet<string>,
): ResolvedEntryPointSettings {
  const problems = new Problems();
  const lb = settings.loadBalancer ?? {};
  const hp = settings.haproxy ?? {};
  const dns = settings.dns ?? {};
  const bool = (what: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') problems.add(`${what} ${quote(value)} is not valid: expected true or false`);
    return value === true;
  };

  // --- load balancer
  const lbNamespace = lb.namespace ?? namespace;
  const lbNamespaceProblem = namespaceProblem('loadBalancer.namespace', lbNamespace);
  if (lbNamespaceProblem !== undefined) {
    problems.add(`${lbNamespaceProblem}: the namespace of the ingress controller`);
  }
  const selector = lb.selector ?? INGRESS_NGINX_SELECTOR;
  if (typeof selector !== 'object' || selector === null || Object.keys(selector).length === 0) {
    problems.add(`loadBalancer.selector ${quote(selector)} is not valid: expected at least one label of the ingress controller's pods`);
  } else {
    for (const [key, value] of Object.entries(selector)) {
      if (!isQualifiedKey(key) || !isLabelValue(value)) {
        problems.add(`loadBalancer.selector ${quote(key)}: ${quote(value)} is not valid: expected a Kubernetes label key and value`);
      }
    }
  }
  const implementation = lb.implementation ?? LoadBalancerImplementation.metallb();
  for (const removed of ['setLoadBalancerIp', 'addressAnnotations']) {
    if ((lb as { [key: string]: unknown })[removed] !== undefined) {
      problems.add(
        `loadBalancer.${removed} is no longer an option: choose how the address is requested with loadBalancer.implementation ` +
          '(LoadBalancerImplementation.metallb(), .metallbLegacy(), .kubeVip(), .specLoadBalancerIp() or .annotations([...]))',
      );
    }
  }
  let addressAnnotations: string[] = [];
  if (!(implementation instanceof LoadBalancerImplementation)) {
    problems.add(
      `loadBalancer.implementation ${quote(implementation)} is not valid: expected a LoadBalancerImplementation such as LoadBalancerImplementation.metallb()`,
    );
  } else {
    addressAnnotations = Array.isArray(implementation.addressAnnotations) ? [...implementation.addressAnnotations] : [];
    if (!Array.isArray(implementation.addressAnnotations) || (!implementation.setsLoadBalancerIp && addressAnnotations.length === 0)) {
      problems.add(
        `loadBalancer.implementation annotations ${quote(implementation.addressAnnotations)} are not valid: expected at least one annotation key that gets the address`,
      );
    }
    for (const key of addressAnnotations.filter((k) => !isQualifiedKey(k))) {
      problems.add(`loadBalancer.implementation annotation ${quote(key)} is not valid: expected an annotation key such as "lb.example.com/address"`);
    }
    if (new Set(addressAnnotations).size !== addressAnnotations.length) {
      problems.add(`loadBalancer.implementation annotations ${quote(addressAnnotations)} are not valid: a key is listed twice`);
    }
  }
  const annotations = lb.annotations ?? {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedKey(key) || typeof value !== 'string') {
      problems.add(`loadBalancer.annotations ${quote(key)}: ${quote(value)} is not valid: expected an annotation key and a string value`);
    }
  }
  // an address in the annotations every domain shares would be every domain's, and a second way of requesting it
  const addressKeys = new Set([...KNOWN_ADDRESS_ANNOTATIONS, ...addressAnnotations].map((k) => k.toLowerCase()));
  for (const key of Object.keys(annotations)) {
    if (addressKeys.has(key.toLowerCase()) || /loadbalancerips?$/i.test(key)) {
      const chosen = implementation instanceof LoadBalancerImplementation ? implementation.description : 'the implementation';
      problems.add(
        `loadBalancer.annotations set ${quote(key)}, which requests a load balancer address: each domain's address is requested by ` +
          `loadBalancer.implementation (${chosen}), once, and an annotation shared by every domain's Service would give them all ` +
          'one address (and MetalLB refuses a Service that asks twice); remove it',
      );
    }
  }
  for (const m of findDomainMentions(annotations, domains)) {
    problems.add(
      `loadBalancer.annotations mention ${quote(m.domain)} at ${quote(m.path)} (${quote(m.value)}): these annotations go on every ` +
        "domain's Service, so the other domains would reveal it",
    );
  }
  const sourceRanges = lb.sourceRanges ?? [];
  if (!Array.isArray(sourceRanges)) {
    problems.add(`loadBalancer.sourceRanges ${quote(sourceRanges)} is not valid: expected a list of networks such as "192.0.2.0/24"`);
  } else {
    for (const range of sourceRanges.filter((r) => !isCidr(r))) {
      problems.add(`loadBalancer.sourceRanges entry ${quote(range)} is not valid: expected a network such as "192.0.2.0/24" or "2001:db8::/32"`);
    }
  }

  // --- haproxy
  const certificateDirectory = (hp.certificateDirectory ?? '/etc/haproxy/certs').replace(/(.)\/$/, '$1');
  if (!PLAIN_PATH.test(certificateDirectory)) {
    problems.add(
      `haproxy.certificateDirectory ${quote(hp.certificateDirectory)} is not valid: expected an absolute path of letters, digits and "._+@=,-"`,
    );
  }
  const caFile = hp.caFile ?? '/etc/ssl/certs/ca-certificates.crt';
  if (!PLAIN_PATH.test(caFile) || caFile.endsWith('/')) {
    problems.add(`haproxy.caFile ${quote(caFile)} is not valid: expected the absolute path of a file, of letters, digits and "._+@=,-"`);
  }
  const certbotPort = hp.certbotPort ?? 8888;
  if (!Number.isInteger(certbotPort) || certbotPort < 1024 || certbotPort > 65535) {
    problems.add(`haproxy.certbotPort ${quote(certbotPort)} is not valid: expected a port from 1024 to 65535 (80 and 443 belong to HAProxy)`);
  }
  const acmeEmail = hp.acmeEmail ?? 'hostmaster@{domain}';
  const acmeEmailProblem = emailTemplateProblem(acmeEmail, domains.size > 0 ? domains : undefined);
  if (acmeEmailProblem !== undefined) {
    problems.add(`haproxy.acmeEmail ${quote(acmeEmail)} is not valid (${acmeEmailProblem}): expected an e-mail address such as "hostmaster@{domain}"`);
  }
  const image = hp.image ?? HAPROXY_IMAGE;
  const imageProblem = pinnedImageProblem(image);
  if (imageProblem) {
    problems.add(`haproxy.image ${quote(image)} is not valid: ${imageProblem}`);
  }
  const replicas = hp.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) {
    problems.add(`haproxy.replicas ${quote(replicas)} is not valid: expected a whole number of at least 1`);
  }

  // --- dns
  const ttl = dns.ttl ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) {
    problems.add(`dns.ttl ${quote(ttl)} is not valid: expected whole seconds from 0 to ${MAX_TTL}`);
  }

  const resolved: ResolvedEntryPointSettings = {
    loadBalancer: {
      enabled: bool('loadBalancer.enabled', lb.enabled, true),
      namespace: lbNamespace,
      selector: { ...selector },
      implementation,
      setLoadBalancerIp: implementation instanceof LoadBalancerImplementation && implementation.setsLoadBalancerIp,
      addressAnnotations,
      annotations: { ...annotations },
      sourceRanges: Array.isArray(sourceRanges) ? [...sourceRanges] : [],
      externalDns: bool('loadBalancer.externalDns', lb.externalDns, false),
    },
    haproxy: {
      certificateDirectory,
      caFile,
      httpRedirect: bool('haproxy.httpRedirect', hp.httpRedirect, true),
      certbotPort,
      acmeEmail,
      image,
      replicas,
    },
    dns: { ttl, wildcard: bool('dns.wildcard', dns.wildcard, false) },
  };
  problems.throwIfAny('Invalid entry point settings');
  return resolved;
}

/** Whether `value` is an IPv4 or IPv6 network in CIDR notation. */
export function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1]);
  const bits = Number(m[2]);
  return (family === 4 && bits <= 32) || (family === 6 && !m[1].includes('%') && bits <= 128);
}

/** Why an image reference is not pinned to a version, if it is not. */
function pinnedImageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image === '' || /\s/.test(image)) {
    return 'expected an image reference such as "haproxy:2.8.26"';
  }
  if (/@sha256:[0-9a-f]{64}$/.test(image)) {
    return undefined;
  }
  const tag = /:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(image.slice(image.lastIndexOf('/') + 1));
  if (!tag) {
    return 'expected a pinned version, e.g. "haproxy:2.8.26" (an untagged image is "latest")';
  }
  if (tag[1] === 'latest') {
    return 'expected a pinned version instead of "latest"';
  }
  return undefined;
}
