import { domainToUnicode } from 'url';
import { getDomain } from 'tldts';
import { quote } from '../errors';
import { Located, SharedFacts } from './observe';
import { ServiceTarget, Upstream } from './observer';
import { abbreviate, byCodeUnit, listed, semicolonList, shortHash } from './text';
import { AuditFinding, FindingSeverity, Observation, ObservationKind } from './types';
import { domainsNamedIn } from '../values/merge';

/** Everything the checks look at. */
export interface AuditInput {
  /** Every domain name, the default first. */
  readonly domains: readonly string[];
  /** What the public of each domain observes. */
  readonly observations: readonly Observation[];
  /** What every domain shares by design. */
  readonly shared: SharedFacts;
  /** Objects and files the audit could not attribute to a domain. */
  readonly unattributed: readonly Located[];
  /**
   * Addresses the domains' proxies forward to.
   *
   * @default none
   */
  readonly upstreams?: readonly Upstream[];
  /**
   * The pods the domains' load balancer Services send their traffic to.
   *
   * @default none
   */
  readonly serviceTargets?: readonly ServiceTarget[];
  /** Ids of findings the operator accepts. */
  readonly acknowledged: readonly string[];
}

type Draft = Omit<AuditFinding, 'acknowledged'>;

/**
 * The unlinkability checks: pure functions of what was observed. Returns the
 * findings, acknowledged ones marked, plus one warning per acknowledgement
 * that matches no finding.
 */
export function runChecks(input: AuditInput): AuditFinding[] {
  const names = new Set(input.domains);
  const drafts: Draft[] = [
    ...foreignDomains(input.observations, names),
    ...sharedIdentifiers(input.observations),
    ...nestedDomains(input.domains),
    ...mixedScripts(input.domains),
    ...sameRegistrableDomain(input.domains),
    ...calling(input.shared.calling, input.domains, names),
    ...backendDomain(input.shared.backendDomain, input.domains, names),
    ...brigEmails(input.shared.brig, input.domains, names),
    ...routedWithoutPerDomainHosts(input.shared),
    ...sharedUpstreams(input.upstreams ?? []),
    ...sharedServiceTargets(input.serviceTargets ?? []),
    ...sso(input.shared, input.domains, names),
    ...ownCertificates(input.shared),
    ...certificateTransparency(input.shared),
    ...unattributed(input.unattributed),
  ];
  const unique = new Map<string, Draft>();
  for (const d of drafts) {
    if (!unique.has(d.id)) {
      unique.set(d.id, d);
    }
  }
  const acknowledged = new Set(input.acknowledged);
  const findings: AuditFinding[] = [...unique.values()].map((d) => ({ ...d, acknowledged: acknowledged.has(d.id) }));
  for (const id of [...acknowledged].sort(byCodeUnit)) {
    if (!unique.has(id)) {
      findings.push({
        id: `stale-acknowledgement:${id}`,
        check: 'stale-acknowledgement',
        severity: FindingSeverity.WARNING,
        domains: [],
        artefact: 'acknowledgedFindings',
        value: id,
        message: `acknowledgedFindings lists ${quote(id)}, which this synthesis does not find`,
        reason: 'an acknowledgement that matches nothing is stale: the link it accepted is gone, or its id changed',
        mitigation: 'remove it from acknowledgedFindings, or correct the id from the current report',
        acknowledged: false,
      });
    }
  }
  return findings;
}

/** What an observer of one domain sees that names another. */
function foreignDomains(observations: readonly Observation[], names: ReadonlySet<string>): Draft[] {
  const found: Draft[] = [];
  for (const o of observations) {
    for (const m of domainsNamedIn(o.value, names)) {
      if (m.domain === o.domain) {
        continue;
      }
      const where = o.path === undefined ? o.artefact : `${o.artefact} at ${o.path}`;
      const email = o.kind === ObservationKind.EMAIL;
      found.push({
        id: `foreign-domain:${o.domain}:${m.domain}:${shortHash(o.artefact, o.path ?? '')}`,
        check: 'foreign-domain',
        severity: FindingSeverity.ERROR,
        domains: [o.domain, m.domain],
        artefact: o.artefact,
        value: abbreviate(o.value),
        ...(o.path === undefined ? {} : { path: o.path }),
        message: email
          ? `${o.domain} uses the e-mail address ${quote(o.value)} at ${m.domain} (${where})`
          : `${o.domain}'s ${where} names ${m.domain} (${quote(abbreviate(o.value))})`,
        reason: `whoever observes ${o.domain} sees ${m.domain} there, and learns that both are served by one backend`,
        mitigation: email
          ? `use a mailbox at ${o.domain} itself, e.g. certmasterEmail "hostmaster@{domain}"`
          : mitigationFor(o.artefact, m.token),
      });
    }
  }
  return found;
}

function mitigationFor(artefact: string, token: string): string {
  if (artefact.startsWith('release ') && artefact.endsWith(' values')) {
    return `remove ${quote(token)} from the base values (ingressServicesValues go into every domain's release): host names come from the domain list`;
  }
  if (artefact.startsWith('file ')) {
    return `write into this file only what belongs to its own domain (${quote(token)} does not)`;
  }
  return `remove ${quote(token)} from this artefact: what a domain serves must name only that domain`;
}

const SHARED: Array<{ kind: ObservationKind; noun: string; reason: string; mitigation: string }> = [
  {
    kind: ObservationKind.ADDRESS,
    noun: 'address',
    reason: 'whoever resolves or connects to one of these domains reaches the same address as for the others: one service',
    mitigation: "give each domain its own public address (its own load balancer or edge proxy), different from every other domain's and from the backend's",
  },
  {
    kind: ObservationKind.EMAIL,
    noun: 'e-mail address',
    reason: 'one ACME account (or contact) for several domains: Let\'s Encrypt, and anyone who sees the account or the address, links them',
    mitigation: 'use a mailbox at each domain itself: certmasterEmail "hostmaster@{domain}"',
  },
  {
    kind: ObservationKind.CERTIFICATE,
    noun: 'certificate',
    reason: 'one certificate (or TLS Secret) for several domains lists all of them to anyone who connects to one',
    mitigation: 'give each domain its own certificate for its own host names: own certificates with the default secretName "{release}-tls", or cert-manager',
  },
  {
    kind: ObservationKind.ISSUER,
    noun: 'cert-manager issuer',
    reason: 'one issuer is one ACME account: the certificate authority sees one account ask for certificates of all of them',
    mitigation: 'keep the chart\'s issuer per domain (it appends the ingressName); do not point several domains at one issuer',
  },
  {
    kind: ObservationKind.HOST,
    noun: 'host name',
    reason: 'one host name served for several domains is one service',
    mitigation: 'serve each host name for one domain only',
  },
];

/** Identifiers that several domains show. */
function sharedIdentifiers(observations: readonly Observation[]): Draft[] {
  const found: Draft[] = [];
  for (const rule of SHARED) {
    const groups = new Map<string, Observation[]>();
    for (const o of observations) {
      if (o.kind === rule.kind) {
        const key = o.value.toLowerCase();
        const group = groups.get(key);
        if (group) {
          group.push(o);
        } else {
          groups.set(key, [o]);
        }
      }
    }
    for (const [value, group] of groups) {
      if (group.every((o) => o.domain === group[0].domain)) {
        continue; // shown by one domain only (the common case: checked before anything is sorted)
      }
      const domains = [...new Set(group.map((o) => o.domain))].sort(byCodeUnit);
      // one place per domain first, so that the message names where each domain shows it
      const all = [...new Set(group.map((o) => `${o.domain}: ${o.artefact}${o.path === undefined ? '' : ` at ${o.path}`}`))].sort(byCodeUnit);
      const first = domains.map((d) => all.find((a) => a.startsWith(`${d}: `))!);
      const artefacts = [...first, ...all.filter((a) => !first.includes(a))];
      found.push({
        id: `shared-${rule.kind}:${value}`,
        check: `shared-${rule.kind}`,
        severity: FindingSeverity.ERROR,
        domains,
        artefact: semicolonList(artefacts),
        value,
        message: `${listed(domains)} show the same ${rule.noun} ${quote(value)} (${semicolonList(artefacts)})`,
        reason: rule.reason,
        mitigation: rule.mitigation,
      });
    }
  }
  return found;
}

/** Domains whose names contain one another. */
function nestedDomains(domains: readonly string[]): Draft[] {
  const names = new Set(domains);
  const found: Draft[] = [];
  for (const child of domains) {
    const labels = child.split('.');
    for (let i = 1; i < labels.length - 1; i++) {
      const parent = labels.slice(i).join('.');
      if (names.has(parent)) {
        found.push({
          id: `nested-domains:${parent}:${child}`,
          check: 'nested-domains',
          severity: FindingSeverity.WARNING,
          domains: [child, parent],
          artefact: 'the domain list',
          value: child,
          message: `${child} is a sub-domain of ${parent}: its name shows ${parent}`,
          reason: 'anyone who sees the sub-domain\'s name knows its parent and can look at what the parent serves',
          mitigation: 'serve domains that do not contain one another where unlinkability matters',
        });
      }
    }
  }
  return found;
}

/** Scripts a label's letters are told apart by (the ones homoglyphs come from, and the common others). */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Devanagari', 'Thai', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo'].map(
  (name) => ({ name, re: new RegExp(`\\p{Script=${name}}`, 'u') }),
);
/** Scripts that are written together (UTS #39 "highly restrictive": Latin with the CJK sets). */
const WRITTEN_TOGETHER = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Hangul']),
  new Set(['Latin', 'Han', 'Bopomofo']),
];

/** The scripts of the letters of a label, in the order of SCRIPTS (`Other` for the rest). */
export function scriptsOf(label: string): string[] {
  const found = new Set<string>();
  for (const c of label) {
    if (!/\p{L}/u.test(c)) continue;
    found.add(SCRIPTS.find((s) => s.re.test(c))?.name ?? 'Other');
  }
  return [...found];
}

/**
 * Domains with a label that mixes scripts (`exаmple.com` with a Cyrillic
 * "а"): such a name looks like another one, and an operator rarely means it.
 */
function mixedScripts(domains: readonly string[]): Draft[] {
  const found: Draft[] = [];
  for (const domain of domains) {
    if (!domain.includes('xn--')) continue;
    const unicode = domainToUnicode(domain);
    for (const label of unicode.split('.')) {
      const scripts = scriptsOf(label);
      if (scripts.length < 2 || WRITTEN_TOGETHER.some((set) => scripts.every((s) => set.has(s)))) continue;
      found.push({
        id: `mixed-script:${domain}`,
        check: 'mixed-script',
        severity: FindingSeverity.WARNING,
        domains: [domain],
        artefact: 'the domain list',
        value: unicode,
        message: `${domain} is written ${quote(unicode)}: its label ${quote(label)} mixes ${listed(scripts)} letters`,
        reason: 'a name that mixes scripts looks like another name (a homoglyph), and is rarely meant: it may be a typo, or it imitates a domain',
        mitigation: 'check the domain list: write each label in one script, or acknowledge the finding if the name is meant',
      });
      break;
    }
  }
  return found;
}

/**
 * The registrable domain of a name (the label below its public suffix), by
 * the Public Suffix List, private suffixes included (`a.github.io` and
 * `b.github.io` belong to different registrants); none for a public suffix
 * itself or a name under no known suffix rule.
 */
export function registrableDomain(name: string): string | undefined {
  return getDomain(name, { allowPrivateDomains: true }) ?? undefined;
}

function nests(a: string, b: string): boolean {
  return a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/**
 * Domains under one registrable domain (`a.example.com` and `b.example.com`;
 * `x.example.co.uk` and `y.example.co.uk`): one zone, one registration, one
 * registrant. One finding per pair, so that adding a domain does not change
 * the ids of the others; a pair where one contains the other is the
 * `nested-domains` finding.
 */
function sameRegistrableDomain(domains: readonly string[]): Draft[] {
  const byRegistrable = new Map<string, string[]>();
  for (const d of domains) {
    const r = registrableDomain(d);
    if (r !== undefined) byRegistrable.set(r, [...(byRegistrable.get(r) ?? []), d]);
  }
  const found: Draft[] = [];
  for (const [registrable, group] of byRegistrable) {
    const members = sorted(group);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i], members[j]];
        if (nests(a, b)) continue;
        found.push({
          id: `registrable-domain:${registrable}:${a}:${b}`,
          check: 'registrable-domain',
          severity: FindingSeverity.ERROR,
          domains: [a, b],
          artefact: 'the domain list',
          value: registrable,
          message: `${a} and ${b} are both under the registrable domain ${registrable} (Public Suffix List)`,
          reason: `both names live in the zone of ${registrable}, with its one registration (WHOIS/RDAP), its nameservers and its SOA: whoever looks up either domain finds the same registrant`,
          mitigation: 'serve domains registered separately (their own registrable domains, nameservers and registrant) where unlinkability matters',
        });
      }
    }
  }
  return found;
}

/** cert-manager asks for every domain's certificate when the releases are applied: at the same moment, in public CT logs. */
function certificateTransparency(shared: SharedFacts): Draft[] {
  if (shared.certManager.length < 2) {
    return [];
  }
  const domains = sorted(shared.certManager);
  return [
    {
      id: 'structural:certificate-transparency',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains,
      artefact: 'the cert-manager Certificates of the ingress releases (tls.useCertManager)',
      value: 'duration 2160h, renewBefore 360h (fixed by the nginx-ingress-services chart)',
      message: `cert-manager issues the certificates of ${domains.length} domains when their releases are applied, all at once, and renews them all at once 75 days later; Certificate Transparency logs show every issuance publicly, with its time`,
      reason:
        'certificates of unrelated domains issued within the same minutes, again and again at each renewal, are a timing pattern anyone can read from the public CT logs; the nginx-ingress-services chart sets duration and renewBefore itself (certificate.yaml), so they cannot be set per domain through its values',
      mitigation:
        'spread the issuance: add domains to the deployment (or first apply their releases) on different days, and the renewals, 75 days after each issuance, stay spread; or renew a domain early on a day of its own (cmctl renew <certificate>); or use certificates you provide (IngressTls.ownCertificate) issued at times of your choosing',
    },
  ];
}

/** Domains named by any of the values, with the values naming each. */
function named(values: readonly Located[], names: ReadonlySet<string>): Map<string, Located[]> {
  const byDomain = new Map<string, Located[]>();
  for (const v of values) {
    for (const m of domainsNamedIn(v.value, names)) {
      const list = byDomain.get(m.domain) ?? [];
      if (!list.includes(v)) {
        list.push(v);
      }
      byDomain.set(m.domain, list);
    }
  }
  return byDomain;
}

function sorted(domains: readonly string[]): string[] {
  return [...domains].sort(byCodeUnit);
}

function others(domains: readonly string[], except: string): string {
  const rest = domains.filter((d) => d !== except);
  return rest.length === 0 ? 'no other domain yet' : listed(rest);
}

function located(values: readonly Located[]): string {
  return semicolonList(values.map((v) => `${v.path}: ${quote(v.value)}`));
}

/** Calling is shared by every domain; an endpoint under one domain shows it to the others. */
function calling(endpoints: readonly Located[], domains: readonly string[], names: ReadonlySet<string>): Draft[] {
  const values = [...new Set(endpoints.map((e) => e.value))];
  const found: Draft[] = [
    {
      id: 'structural:calling',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains: sorted(domains),
      artefact: 'release wire-server values (brig turnStatic, turn, optSettings.setSftStaticUrl, sft)',
      value: values.length === 0 ? '(not set in the values multi-ingress emits)' : values.join(', '),
      message:
        values.length === 0
          ? 'all domains share one calling infrastructure; it is not set in the values multi-ingress emits (no calling option, no TURN or SFT settings in wireServerValues), so whatever you configure elsewhere is shared'
          : `all domains share one calling infrastructure: every client gets ${listed(values.map((v) => quote(v)))}`,
      reason:
        'coturn and SFT cannot be split per domain: Wire hands the same TURN servers and SFT to every client, so whoever watches calling traffic sees one infrastructure for all domains',
      mitigation:
        "point calling at one publicly known service whose host names name none of the domains, such as Wire's cloud calling service (as the guide recommends); set it once with the calling option",
    },
  ];
  for (const [domain, where] of named(endpoints, names)) {
    found.push({
      id: `calling-names-domain:${domain}`,
      check: 'calling-names-domain',
      severity: FindingSeverity.ERROR,
      domains: [domain],
      artefact: 'release wire-server values',
      value: where.map((w) => w.value).join(', '),
      message: `calling endpoints name ${domain} (${located(where)}), and every domain's clients get them, including ${others(domains, domain)}`,
      reason: `whoever uses calling on any other domain learns ${domain}`,
      mitigation: 'use calling endpoints whose host names name none of the domains (or IP addresses)',
    });
  }
  return found;
}

/** Every domain's API shows the one backend (federation) domain. */
function backendDomain(values: readonly Located[], domains: readonly string[], names: ReadonlySet<string>): Draft[] {
  const distinct = [...new Set(values.map((v) => v.value))];
  const found: Draft[] = [
    {
      id: 'structural:backend-domain',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains: sorted(domains),
      artefact: 'release wire-server values (brig optSettings.setFederationDomain, galley and cargohold settings.federationDomain)',
      value: distinct.length === 0 ? '(not set in the values multi-ingress emits)' : distinct.join(', '),
      message:
        distinct.length === 0
          ? "every domain's API shows the same backend (federation) domain, in /api-version and in every qualified user and conversation ID; it is not set in the values multi-ingress emits, so check the one you set elsewhere names none of the domains"
          : `every domain's API shows the same backend (federation) domain ${listed(distinct.map((v) => quote(v)))}, in /api-version and in every qualified user and conversation ID`,
      reason: 'wire-server has one backend domain, whatever the number of DNS domains it is served under',
      mitigation: 'choose a backend domain that names none of the served domains when you first deploy (it cannot be changed later)',
    },
  ];
  for (const [domain, where] of named(values, names)) {
    found.push({
      id: `backend-domain-names-domain:${domain}`,
      check: 'backend-domain-names-domain',
      severity: FindingSeverity.ERROR,
      domains: [domain],
      artefact: 'release wire-server values',
      value: where.map((w) => w.value).join(', '),
      message: `the backend (federation) domain names ${domain} (${located(where)}): the API of ${others(domains, domain)} shows it in /api-version and in qualified IDs`,
      reason: `whoever queries any other domain's API learns ${domain}`,
      mitigation:
        `choose a backend domain that names none of the served domains when you first deploy; it cannot be changed later, so in an existing deployment the link stays as long as ${domain} is served`,
    });
  }
  return found;
}

/** brig sends e-mails with one set of links. */
function brigEmails(values: readonly Located[], domains: readonly string[], names: ReadonlySet<string>): Draft[] {
  const linked = [...named(values, names).keys()].sort(byCodeUnit);
  const message =
    values.length === 0
      ? "brig's e-mails (activation, password reset, invitations) link to one domain for the users of every domain; brig.config.externalUrls and emailSMS are not set in the values multi-ingress emits, so they come from elsewhere"
      : linked.length === 0
        ? "brig's e-mails (activation, password reset, invitations) use one set of links and one sender for the users of every domain; they name none of the domains"
        : `brig's e-mails (activation, password reset, invitations) link to ${listed(linked)} for the users of every domain`;
  return [
    {
      id: 'structural:brig-emails',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains: sorted(domains),
      artefact: 'release wire-server values (brig.config.externalUrls, brig.config.emailSMS)',
      value: values.length === 0 ? '(not set in the values multi-ingress emits)' : located(values),
      message,
      reason: 'brig has no multi-ingress support: one set of URLs and one sender address for every domain',
      mitigation:
        'point brig.config.externalUrls and emailSMS at hosts that name none of the served domains (e.g. a separate accounts domain) with a neutral sender, or accept that a user who receives such an e-mail sees that domain',
    },
  ];
}

/** The edge proxies of several domains forward to one backend address. */
function sharedUpstreams(upstreams: readonly Upstream[]): Draft[] {
  const byAddress = new Map<string, Set<string>>();
  for (const u of upstreams) {
    byAddress.set(u.address, (byAddress.get(u.address) ?? new Set()).add(u.domain));
  }
  const shared = [...byAddress].filter(([, domains]) => domains.size > 1).sort(([a], [b]) => byCodeUnit(a, b));
  if (shared.length === 0) {
    return [];
  }
  const domains = sorted([...new Set(shared.flatMap(([, d]) => [...d]))]);
  const addresses = shared.map(([a]) => a);
  return [
    {
      id: 'structural:backend-address',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains,
      artefact: 'the edge proxy configurations (haproxy.cfg, edge proxy ConfigMaps)',
      value: addresses.join(', '),
      message: `the edge proxies of ${domains.length} domains forward to the same backend address ${listed(addresses.map((a) => quote(a)))}`,
      reason: "one backend serves every domain: whoever watches the edge proxies' outgoing traffic, or the backend's incoming traffic, sees them meet",
      mitigation: 'carry the traffic between the edge proxies and the backend over a network an observer of the domains cannot see (a private network or tunnel)',
    },
  ];
}

/** The load balancers of several domains lead to the same pods (the one ingress controller). */
function sharedServiceTargets(targets: readonly ServiceTarget[]): Draft[] {
  const byTarget = new Map<string, ServiceTarget[]>();
  for (const t of targets) {
    const group = byTarget.get(t.target);
    if (group) {
      group.push(t);
    } else {
      byTarget.set(t.target, [t]);
    }
  }
  const shared = [...byTarget.values()].filter((group) => new Set(group.map((t) => t.domain)).size > 1);
  if (shared.length === 0) {
    return [];
  }
  const all = shared.flat();
  const domains = sorted([...new Set(all.map((t) => t.domain))]);
  return [
    {
      id: 'structural:shared-ingress-controller',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains,
      artefact: semicolonList(all.map((t) => `${t.domain}: ${t.artefact}`).sort(byCodeUnit)),
      value: shared.map((group) => group[0].target).join(', '),
      message: `the load balancers of ${domains.length} domains lead to the same pods (the one ingress controller), which answers for every domain on every address`,
      reason:
        "whoever connects to one domain's address and asks for another domain's host name gets that domain's certificate and answer: active probing links them",
      mitigation: "put each domain's own edge proxy in front (it answers only its own domain) where active probing matters",
    },
  ];
}

/** team-settings and account-pages have no dependable per-domain host names. */
function routedWithoutPerDomainHosts(shared: SharedFacts): Draft[] {
  const found: Draft[] = [];
  const apps: Array<[string, string, readonly string[], string]> = [
    ['team-settings', 'teams', shared.teamSettings, 'teamSettings'],
    ['account-pages', 'account', shared.accountPages, 'accountPages'],
  ];
  for (const [app, host, domains, option] of apps) {
    if (domains.length === 0) {
      continue;
    }
    found.push({
      id: `structural:${app}`,
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains: sorted(domains),
      artefact: `the ingress releases (${option}.enabled)`,
      value: `${host}.<domain>`,
      message: `${app} is routed on ${host}.<domain> for ${domains.length} domain(s), but it has no dependable per-domain host names: one ${app} release is configured for one set of links`,
      reason: `${app} has no dependable multi-domain support yet: unlike webapp it does not take its host names from the request`,
      mitigation: `switch it off (${option}: false) where it is not needed, or configure ${app} with links that name none of the served domains`,
    });
  }
  return found;
}

/** SSO: one SCIM base URI and the same SAML contacts for every domain. */
function sso(shared: SharedFacts, domains: readonly string[], names: ReadonlySet<string>): Draft[] {
  if (shared.sso === undefined) {
    return [];
  }
  const scim = shared.sso.value;
  const scimNames = domainsNamedIn(scim, names).map((m) => m.domain);
  return [
    {
      id: 'structural:sso',
      check: 'structural',
      severity: FindingSeverity.WARNING,
      domains: sorted(domains),
      artefact: 'release wire-server values (spar.config)',
      value: scim,
      message:
        `SSO is configured: spar has one SCIM base URI for every domain (${quote(scim)}` +
        `${scimNames.length === 0 ? '' : `, which names ${listed(scimNames)}`}) and shows the same SAML contacts on every domain`,
      reason: 'spar serves SAML per domain (domainConfigs) but has one SCIM base URI, and the contacts are the same for every domain; team admins who set up SSO or SCIM see them',
      mitigation: 'set sso.scimBaseUri to a host that names none of the served domains and use neutral SAML contacts',
    },
  ];
}

/** Certificates the operator provides are not visible to the audit. */
function ownCertificates(shared: SharedFacts): Draft[] {
  if (shared.ownCertificates.length === 0) {
    return [];
  }
  const domains = sorted([...new Set(shared.ownCertificates.map((c) => c.domain))]);
  const secrets = [...new Set(shared.ownCertificates.map((c) => c.secret))];
  return [
    {
      id: 'own-certificates-unverified',
      check: 'own-certificates-unverified',
      severity: FindingSeverity.INFO,
      domains,
      artefact: 'TLS values Secrets (expectedSecrets)',
      value: listed(secrets),
      message: `${domains.length} domain(s) use certificates you provide (${listed(secrets)}); the audit cannot see what they cover`,
      reason: 'a certificate whose names cover several domains (a shared SAN or wildcard certificate) shows all of them to anyone who connects to one',
      mitigation: "make each Secret hold a certificate for its own domain's host names only (nginz-https, nginz-ssl, webapp, assets, teams, account)",
    },
  ];
}

/** Objects and files the audit could not attribute. */
function unattributed(items: readonly Located[]): Draft[] {
  return items.map((u) => ({
    id: `unattributed:${shortHash(u.artefact, u.path)}`,
    check: 'unattributed',
    severity: FindingSeverity.INFO,
    domains: [],
    artefact: u.artefact,
    value: u.path,
    message: `${u.artefact} (construct ${u.path}) belongs to no domain the audit can tell, so it was not audited`,
    reason: 'the audit attributes objects by their DomainIngress or a construct whose id is the domain, and files by a path segment naming the domain',
    mitigation: "create per-domain objects inside the domain's DomainIngress or under a construct whose id is the domain, and write per-domain files under a folder named after the domain (e.g. edge/<domain>/)",
  }));
}
