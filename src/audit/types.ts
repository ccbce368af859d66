/** What kind of thing an observer of a domain sees. */
export enum ObservationKind {
  /** A host name the domain serves or presents (ingress host, certificate name, CSP source, DNS name). */
  HOST = 'host',
  /** An IP address the domain is reached at (load balancer, DNS record, edge proxy). */
  ADDRESS = 'address',
  /** An e-mail address (ACME account, contact). */
  EMAIL = 'email',
  /** A certificate or the Secret that holds it (`secret/<namespace>/<name>`, `certificate/<namespace>/<name>`). */
  CERTIFICATE = 'certificate',
  /** A cert-manager issuer (`issuer/<namespace>/<name>`, `clusterissuer/<name>`): one issuer is one ACME account. */
  ISSUER = 'issuer',
  /** Any other text that could name a domain (it contains a dot or an `@`). */
  TEXT = 'text',
}

/**
 * One thing the public of one domain can observe, collected from the emitted
 * output (release values, Kubernetes objects, files), not from the model.
 */
export interface Observation {
  /** The domain whose public observes it. */
  readonly domain: string;
  /**
   * Where it is observed, e.g. `release nginx-ingress-services-red values`,
   * `cert-manager Certificate wire/red-example-com-csr dnsNames`,
   * `file edge/red.example.com/haproxy.cfg`.
   */
  readonly artefact: string;
  /** What kind of thing it is. */
  readonly kind: ObservationKind;
  /** The value, e.g. `nginz-https.red.example.com`. */
  readonly value: string;
  /**
   * Where in the artefact, e.g. `config.dns.https` or `line 12`.
   *
   * @default - the artefact as a whole
   */
  readonly path?: string;
}

/** How bad a finding of the unlinkability audit is. */
export enum FindingSeverity {
  /** A link between domains that can be removed: fails the synthesis unless acknowledged. */
  ERROR = 'error',
  /** A link that Wire (or the option chosen) cannot avoid today, or something to look at. */
  WARNING = 'warning',
  /** Something the audit cannot check, or did not cover. */
  INFO = 'info',
}

/** One finding of the unlinkability audit. */
export interface AuditFinding {
  /**
   * Stable identifier, the same from run to run for the same output; pass it
   * in `acknowledgedFindings` to accept an error finding. For example
   * `foreign-domain:blue.example.net:red.example.com:1a2b3c4d`,
   * `shared-email:ops@example.org`, `structural:calling`.
   */
  readonly id: string;
  /**
   * The check that found it: `foreign-domain`, `shared-address`,
   * `shared-email`, `shared-certificate`, `shared-issuer`, `shared-host`,
   * `nested-domains`, `registrable-domain`, `calling-names-domain`, `backend-domain-names-domain`,
   * `structural`, `own-certificates-unverified`, `unattributed`,
   * `stale-acknowledgement`.
   */
  readonly check: string;
  /** How bad it is. */
  readonly severity: FindingSeverity;
  /**
   * The domains concerned. For `foreign-domain`, the domain whose artefact
   * it is, then the domain it names.
   */
  readonly domains: string[];
  /** The artefact(s) where it was found. */
  readonly artefact: string;
  /** The value that links the domains. */
  readonly value: string;
  /**
   * Where in the artefact.
   *
   * @default - the artefact as a whole
   */
  readonly path?: string;
  /** What was found, naming the domains and the artefact. */
  readonly message: string;
  /** Why it links the domains (or why it is reported). */
  readonly reason: string;
  /** What removes or reduces the link. */
  readonly mitigation: string;
  /** Whether the operator acknowledged it by id (`acknowledgedFindings`). */
  readonly acknowledged: boolean;
}
