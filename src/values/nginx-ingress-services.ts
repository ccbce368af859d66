import { IngressTls, TlsMode } from '../tls';
import { DomainEntry } from '../topology';
import { ValuesPlan } from './compose';
import { Values } from './merge';

/** Options of one domain's nginx-ingress-services release. */
export interface IngressValuesOptions {
  readonly tls: IngressTls;
  /** Explicit choice (wins over base values); unset means on unless base values say otherwise. */
  readonly teamSettings?: boolean;
  /** Explicit choice (wins over base values); unset means on unless base values say otherwise. */
  readonly accountPages?: boolean;
}

/**
 * How the operator's nginx-ingress-services values are cleaned: the same for
 * every domain, so a MultiIngressBackend cleans them once for all releases.
 */
export const INGRESS_BASE_RULES: Omit<ValuesPlan, 'defaults' | 'overlay'> = {
  chart: 'nginx-ingress-services',
  // keys multi-ingress sets per domain
  owned: [
    ['ingressName'],
    ['config', 'dns'],
    ['config', 'isAdditionalIngress'],
    ['config', 'renderCSPInIngress'],
    ['tls', 'useCertManager'],
    ['tls', 'issuer'],
    ['certManager', 'certmasterEmail'],
    ['certManager', 'inTestMode'],
  ],
  conflicts: [],
  secretHint: 'give each domain its own certificate through the TLS values Secret its release reads (see expectedSecrets)',
};

/** The chart's issuer name: `tls.issuer.name`, plus `-<ingressName>` for an additional release. */
export function chartIssuerName(issuer: string, ingressName: string): string {
  return ingressName === '' ? issuer : `${issuer}-${ingressName}`;
}

/** The chart's Certificate name: the zone of `config.dns.https` with dots as hyphens, plus `-csr`. */
export function chartCertificateName(zone: string): string {
  return `${zone.replace(/\./g, '-')}-csr`;
}

/** The cert-manager issuer of a domain, as the chart names it. */
export function issuerName(tls: IngressTls, entry: DomainEntry): string | undefined {
  return tls.mode === TlsMode.CERT_MANAGER ? chartIssuerName(tls.issuerName!, entry.ingressName) : undefined;
}

/** The cert-manager Certificate of a domain, as the chart names it (its zone is the domain). */
export function certificateName(tls: IngressTls, entry: DomainEntry): string | undefined {
  return tls.mode === TlsMode.CERT_MANAGER ? chartCertificateName(entry.domain.name) : undefined;
}

/**
 * nginx-ingress-services values for one domain, per `wire-charts.md`: that
 * domain's host names only, `config.dns.base` for the CSP, the one
 * non-additional release for the default domain, per-domain TLS.
 */
export function ingressServicesPlan(entry: DomainEntry, options: IngressValuesOptions): ValuesPlan {
  const d = entry.domain;
  const tls: Values = { enabled: true, useCertManager: options.tls.mode === TlsMode.CERT_MANAGER };
  const overlay: Values = {
    ...(options.teamSettings === undefined ? {} : { teamSettings: { enabled: options.teamSettings } }),
    ...(options.accountPages === undefined ? {} : { accountPages: { enabled: options.accountPages } }),
    ingressName: entry.ingressName,
    tls,
    config: {
      dns: {
        base: d.name,
        https: d.nginzHttps,
        ssl: d.nginzSsl,
        webapp: d.webapp,
        fakeS3: d.assets,
        teamSettings: d.teams,
        accountPages: d.account,
      },
      renderCSPInIngress: true,
      isAdditionalIngress: !entry.isDefault,
    },
  };
  if (options.tls.mode === TlsMode.CERT_MANAGER) {
    tls.issuer = { name: options.tls.issuerName, kind: options.tls.issuerKind };
    overlay.certManager = { certmasterEmail: options.tls.emailFor(d.name), inTestMode: options.tls.staging };
  }
  return {
    ...INGRESS_BASE_RULES,
    // the guide's choice; the chart's own default is off
    defaults: { teamSettings: { enabled: true }, accountPages: { enabled: true } },
    overlay,
  };
}
