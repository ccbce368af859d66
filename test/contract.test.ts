/**
 * The contract of wire-charts.md, checked on what is emitted (the HelmChart
 * manifests and the values inside them) for 1, 3 and 50 domains, and for
 * hundreds of domains written the way operators write them.
 */
import { domainToASCII } from 'url';
import { Emitted, domains, ingressReleases, synth, valuesOf } from './util';

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

/** The host of a URL. */
function host(url: string): string {
  return new URL(url).host;
}

function belongsTo(url: string, domain: string): boolean {
  const h = host(url);
  return h === domain || h.endsWith(`.${domain}`);
}

function checkContract(emitted: Emitted, def: string, additional: string[]): void {
  const all = [def, ...additional];
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
    const leaked = all.filter((other) => other !== d && !other.endsWith(`.${d}`) && !d.endsWith(`.${other}`) && names(text, other));
    expect(leaked).toEqual([]);
    expect(r.object.spec.targetNamespace).toBe('wire');
  }
  for (const o of emitted.objects) {
    expect(o.spec.targetNamespace).toBe('wire');
  }
}

describe.each([
  ['1 domain', 0],
  ['3 domains', 2],
  ['50 domains', 49],
])('wire-charts.md contract for %s', (_label, extra) => {
  const all = domains(extra + 1);
  const [def, ...additional] = all;
  const emitted = synth({ defaultDomain: def, additionalDomains: additional });

  test('every rule holds on the emitted values', () => {
    checkContract(emitted, def, additional);
  });

  test('releases: wire-server, webapp and one ingress per domain, nothing else', () => {
    expect(emitted.objects.map((o) => o.metadata.name).sort()).toEqual(
      ['wire-server', 'webapp', ...ingressReleases(emitted).map((r) => r.name)].sort(),
    );
    expect(emitted.objects).toHaveLength(all.length + 2);
  });
});

test("the guide's three domains with its short ingress names", () => {
  const emitted = synth({
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com', 'blue.example.net'],
    ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
  });
  checkContract(emitted, 'green.example.org', ['red.example.com', 'blue.example.net']);
  expect(ingressReleases(emitted).map((r) => r.name)).toEqual([
    'nginx-ingress-services',
    'nginx-ingress-services-red',
    'nginx-ingress-services-blue',
  ]);
});

test('hundreds of domains as operators write them: upper case, trailing dots, IDN, long labels', () => {
  const long = (i: number) => `${'l'.repeat(60)}${String(i).padStart(3, '0')}.${'k'.repeat(63)}.example`;
  const raw = Array.from({ length: 300 }, (_, i) => {
    switch (i % 4) {
      case 0: return `  Team${i}.Example.COM. `;
      case 1: return `bücher${i}.münchen.de`;
      case 2: return long(i);
      default: return `svc-${i}.corp${i % 9}.net.`;
    }
  });
  const normalised = raw.map((r) => domainToASCII(r.trim().replace(/\.$/, '').toLowerCase()));
  const emitted = synth({ defaultDomain: 'Green.Example.ORG.', additionalDomains: raw });
  checkContract(emitted, 'green.example.org', normalised);
  expect(normalised.filter((d) => d.includes('xn--')).length).toBe(75);
});
