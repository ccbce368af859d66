import { quote } from './errors';
import { DOMAIN_PLACEHOLDER, emailTemplateProblem, isDnsSubdomain } from './settings';
import { MAX_INGRESS_NAME } from './topology';

/** Kind of the cert-manager issuer the nginx-ingress-services chart creates. */
export enum IssuerKind {
  /** A namespaced `Issuer` (the chart's default). */
  ISSUER = 'Issuer',
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
}

/** How each domain's ingress gets its TLS certificate. */
export enum TlsMode {
  /** cert-manager issues a certificate per domain (Let's Encrypt HTTP-01). */
  CERT_MANAGER = 'cert-manager',
  /** The operator provides a certificate and key per domain in a Secret. */
  OWN_CERTIFICATE = 'own-certificate',
}

/** Options for certificates issued by cert-manager. */
export interface CertManagerTlsOptions {
  /**
   * ACME account e-mail, used by Let's Encrypt for expiry notices.
   *
   * `{domain}` is replaced by each domain, e.g. `hostmaster@{domain}`: one
   * mailbox for every domain would tell Let's Encrypt (and anyone who sees
   * the account) that the domains belong together, so a fixed address with
   * more than one domain is an error finding of the unlinkability audit
   * (`shared-email:<address>`), as is an address at another domain.
   */
  readonly certmasterEmail: string;

  /**
   * Kind of issuer the chart creates. Each domain gets its own issuer,
   * named `<issuerName>-<ingressName>` (the default domain's keeps
   * `<issuerName>`), so certificates do not reveal a common origin.
   *
   * @default IssuerKind.ISSUER
   */
  readonly issuerKind?: IssuerKind;

  /**
   * Base name of the per-domain issuers.
   *
   * @default 'letsencrypt-http01'
   */
  readonly issuerName?: string;

  /**
   * Use Let's Encrypt's staging API (certificates are not trusted).
   *
   * @default false
   */
  readonly staging?: boolean;
}

/** Options for certificates the operator provides. */
export interface OwnCertificateTlsOptions {
  /**
   * Name of the Secret each domain's release reads its TLS values file
   * (`secrets.tlsWildcardCert`, `secrets.tlsWildcardKey`) from. `{release}`
   * is replaced by the domain's release name and `{domain}` by the domain.
   *
   * A name without either placeholder makes every domain read the same
   * Secret: one certificate covering several domains, which shows every
   * domain to whoever connects to one of them. The unlinkability audit
   * reports that as an error finding (`shared-certificate:...`) that you
   * must acknowledge to synthesize.
   *
   * @default '{release}-tls'
   */
  readonly secretName?: string;
}

const RELEASE_PLACEHOLDER = '{release}';
const DEFAULT_SECRET_NAME = `${RELEASE_PLACEHOLDER}-tls`;
/** The chart names issuers `<issuerName>-<ingressName>` and their keys `...-account-key`: all within 253. */
const MAX_ISSUER_NAME = 253 - '-'.length - MAX_INGRESS_NAME - '-account-key'.length;

/**
 * TLS for the per-domain ingresses: cert-manager, or certificates the
 * operator provides.
 */
export class IngressTls {
  /**
   * Certificates issued by cert-manager, one issuer and one certificate per
   * domain covering only that domain's host names. cert-manager must be
   * installed in the cluster beforehand.
   */
  public static certManager(options: CertManagerTlsOptions): IngressTls {
    const email = options?.certmasterEmail;
    const emailProblem = emailTemplateProblem(email);
    if (emailProblem !== undefined) {
      throw new Error(
        `cert-manager TLS: certmasterEmail ${quote(email)} is not valid (${emailProblem}): expected an e-mail address such as "hostmaster@{domain}" ` +
          '(Let\'s Encrypt requires it; "{domain}" is replaced by each domain)',
      );
    }
    const issuerName = options.issuerName ?? 'letsencrypt-http01';
    if (!isDnsSubdomain(issuerName) || issuerName.length > MAX_ISSUER_NAME) {
      throw new Error(
        `cert-manager TLS: issuerName ${quote(issuerName)} is not valid: expected a Kubernetes name (lower-case letters, digits, "-" and ".") ` +
          `of at most ${MAX_ISSUER_NAME} characters (the chart appends "-<ingressName>" and "-account-key")`,
      );
    }
    const issuerKind = options.issuerKind ?? IssuerKind.ISSUER;
    if (!Object.values(IssuerKind).includes(issuerKind)) {
      throw new Error(`cert-manager TLS: issuerKind ${quote(issuerKind)} is not valid: expected "Issuer" or "ClusterIssuer"`);
    }
    return new IngressTls(TlsMode.CERT_MANAGER, email, issuerKind, issuerName, options.staging ?? false);
  }

  /**
   * Certificates the operator provides. The private key is never written into
   * the output: each domain's release reads a Secret the operator creates
   * (see `expectedSecrets` of the constructs), holding a values file with
   * `secrets.tlsWildcardCert` and `secrets.tlsWildcardKey` for that domain's
   * host names only.
   */
  public static ownCertificate(options: OwnCertificateTlsOptions = {}): IngressTls {
    const secretName = options?.secretName ?? DEFAULT_SECRET_NAME;
    const sample = typeof secretName === 'string' ? fillSecretName(secretName, 'red.example.com', 'nginx-ingress-services-red') : undefined;
    if (sample === undefined || !isDnsSubdomain(sample)) {
      throw new Error(
        `own-certificate TLS: secretName ${quote(secretName)} is not valid: expected a Kubernetes Secret name (lower-case letters, digits, "-" and ".") ` +
          'in which "{release}" and "{domain}" are replaced, such as "{release}-tls"',
      );
    }
    return new IngressTls(TlsMode.OWN_CERTIFICATE, undefined, undefined, undefined, undefined, secretName);
  }

  private constructor(
    /** How certificates are obtained. */
    public readonly mode: TlsMode,
    /** ACME account e-mail template (cert-manager only). */
    public readonly certmasterEmail?: string,
    /** Issuer kind (cert-manager only). */
    public readonly issuerKind?: IssuerKind,
    /** Base issuer name (cert-manager only). */
    public readonly issuerName?: string,
    /** Let's Encrypt staging (cert-manager only). */
    public readonly staging?: boolean,
    /** Name template of the TLS values Secrets (own certificates only). */
    public readonly secretName?: string,
  ) {}

  /** The ACME e-mail for one domain (cert-manager only). */
  public emailFor(domain: string): string | undefined {
    return this.certmasterEmail?.split(DOMAIN_PLACEHOLDER).join(domain);
  }

  /** Whether the ACME e-mail is the same for every domain (cert-manager only). */
  public get sharesEmailAcrossDomains(): boolean {
    return this.mode === TlsMode.CERT_MANAGER && !this.certmasterEmail!.includes(DOMAIN_PLACEHOLDER);
  }

  /**
   * The Secret one domain's release reads its certificate from (own
   * certificates only).
   *
   * @param domain the domain
   * @param releaseName the name of its ingress release
   */
  public secretNameFor(domain: string, releaseName: string): string | undefined {
    return this.secretName === undefined ? undefined : fillSecretName(this.secretName, domain, releaseName);
  }
}

function fillSecretName(template: string, domain: string, releaseName: string): string {
  return template.split(RELEASE_PLACEHOLDER).join(releaseName).split(DOMAIN_PLACEHOLDER).join(domain);
}
