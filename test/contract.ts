/**
 * The contract of wire-charts.md, checked on what is emitted (the HelmChart
 * manifests and the values inside them). Used by contract.test.ts and the
 * property tests.
 */
import { Emitted, ingressReleases, valuesOf } from './util';

const HOST_PREFIXES = ['nginz-https', 'nginz-ssl', 'webapp', 'assets', 'teams', 'account'];

/** Every string in a values tree. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

const patterns = new Map<string, RegExp>();
/** Whether `text` names `domain` (the domain itself or a host under it, on label boundaries). */
function names(text: string, domain: string): boolean {
  let re = patterns.get(domain);
  if (!re) {
    re = new RegExp(`(^|[^a-z0-9.-]|\\.)${domain.replace(/[.]/g, '\\.')}($|[^a-z0-9.-])`, 'i');
    patterns.set(domain, re);
  }
  return re.test(text);
}

/**
 * The domains of `domains` that `text` names: the domain itself or a host
 * under it, on label boundaries (every dot-suffix of every host-like token).
 */
function namedDomains(text: string, domains: Set<string>): string[] {
  const found = new Set<string>();
  for (const token of text.toLowerCase().match(/[a-z0-9-]+(\.[a-z0-9-]+)+/g) ?? []) {
    let rest = token;
    for (;;) {
      if (domains.has(rest)) found.add(rest);
      const dot = rest.indexOf('.');
      if (dot === -1) break;
      rest = rest.slice(dot + 1);
    }
  }
  return [...found];
}

/** The host of a URL. */
function host(url: string): string {
  return new URL(url).host;
}

function belongsTo(url: string, domain: string): boolean {
  const h = host(url);
  return h === domain || h.endsWith(`.${domain}`);
}

/** Check every rule of wire-charts.md on an emitted deployment (HelmChart format). */
export function checkContract(emitted: Emitted, def: string, additional: string[]): void {
  const all = [def, ...additional];
  const allSet = new Set(all);
  const zHosts = all.map((d) => `nginz-https.${d}`);
  const ws = valuesOf(emitted, 'wire-server');

  // galley: every domain, keyed by Z-Host, to its own account pages; conversationCodeURI unset
  const galley = ws.galley.config.settings;
  expect(Object.keys(galley.multiIngress).sort()).toEqual([...zHosts].sort());
  for (const d of all) {
    expect(galley.multiIngress[`nginz-https.${d}`]).toBe(`https://account.${d}/conversation-join/`);
  }
  expect(galley.conversationCodeURI ?? null).toBeNull();

  // cargohold: a map (not a list) with schemes, no s3DownloadEndpoint / cloudFront
  const aws = ws.cargohold.config.aws;
  expect(Array.isArray(aws.multiIngress)).toBe(false);
  expect(Object.keys(aws.multiIngress).sort()).toEqual([...zHosts].sort());
  for (const d of all) {
    expect(aws.multiIngress[`nginz-https.${d}`]).toBe(`https://assets.${d}`);
  }
  expect(aws.s3DownloadEndpoint ?? null).toBeNull();
  expect(aws.cloudFront ?? null).toBeNull();

  // cannon and nginz: the additional domains, each once, never the default
  // cannon's CORS allow-list is external_env_domain followed by the additional domains
  expect(ws.cannon.nginx_conf.external_env_domain).toBe(def);
  expect(ws.cannon.nginx_conf.additional_external_env_domains).toEqual(additional);
  const nginz = ws.nginz.nginx_conf;
  expect(nginz.external_env_domain).toBe(def);
  expect(nginz.additional_external_env_domains).toEqual(additional);
  expect(nginz.additional_external_env_domains).not.toContain(def);
  expect(new Set(nginz.additional_external_env_domains).size).toBe(additional.length);

  // deeplinks: the default one and one per additional domain, each naming only its own domain
  expect(nginz.deeplink.endpoints.backendURL).toBe(`https://nginz-https.${def}`);
  for (const url of Object.values<string>(nginz.deeplink.endpoints)) {
    expect(belongsTo(url, def)).toBe(true);
  }
  expect(Object.keys(nginz.multi_ingress_deeplink ?? {}).sort()).toEqual([...additional].sort());
  for (const d of additional) {
    const link = nginz.multi_ingress_deeplink[d];
    // nginz names the served file after backendURL's host: exactly https://nginz-https.<d>
    expect(link.endpoints.backendURL).toBe(`https://nginz-https.${d}`);
    expect(link.endpoints.backendWSURL).toBe(`https://nginz-ssl.${d}`);
    for (const url of Object.values<string>(link.endpoints)) {
      expect(belongsTo(url, d)).toBe(true);
    }
  }

  // webapp: one release, no real domain at all
  const webapp = valuesOf(emitted, 'webapp');
  expect(webapp.envVars.ENABLE_DYNAMIC_HOSTNAME).toBe('true');
  expect(webapp.ingress.enabled).toBe(false);
  expect(webapp.appendReleaseNameToResources).toBe(false);
  expect(webapp.config.externalUrls.backendRest).toBe('nginz-https.[[hostname]]');
  for (const s of strings(webapp)) {
    for (const d of all) {
      expect(names(s, d)).toBe(false);
    }
  }

  // nginx-ingress-services: one release per domain, exactly one non-additional
  const ingresses = ingressReleases(emitted);
  expect(ingresses).toHaveLength(all.length);
  const nonAdditional = ingresses.filter((r) => r.values.config.isAdditionalIngress === false);
  expect(nonAdditional).toHaveLength(1);
  expect(nonAdditional[0].name).toBe('nginx-ingress-services');
  expect(nonAdditional[0].values.ingressName).toBe('');
  expect(nonAdditional[0].values.config.dns.base).toBe(def);
  expect(new Set(ingresses.map((r) => r.name)).size).toBe(all.length);
  expect(new Set(ingresses.map((r) => r.values.ingressName)).size).toBe(all.length);

  const byBase = new Map(ingresses.map((r) => [r.values.config.dns.base, r]));
  expect([...byBase.keys()].sort()).toEqual([...all].sort());
  for (const d of all) {
    const r = byBase.get(d)!;
    expect(r.name.length).toBeLessThanOrEqual(53);
    expect(r.name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(r.values.config.renderCSPInIngress).toBe(true);
    expect(r.values.config.isAdditionalIngress).toBe(d !== def);
    if (d !== def) {
      expect(r.values.ingressName).not.toBe('');
      expect(r.name).toBe(`nginx-ingress-services-${r.values.ingressName}`);
    }
    const dns = r.values.config.dns;
    expect(Object.values(dns).sort()).toEqual([d, ...HOST_PREFIXES.map((p) => `${p}.${d}`)].sort());
    // no release names another domain, anywhere in the object
    const text = strings(r.object).join('\n');
    const leaked = namedDomains(text, allSet).filter((other) => other !== d && !other.endsWith(`.${d}`) && !d.endsWith(`.${other}`));
    expect(leaked).toEqual([]);
    expect(r.object.spec.targetNamespace).toBe('wire');
  }
  for (const o of emitted.objects.filter((x) => x.kind === 'HelmChart')) {
    expect(o.spec.targetNamespace).toBe('wire');
  }
}

