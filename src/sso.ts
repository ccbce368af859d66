/** SAML contact person types accepted by spar. */
export enum SamlContactType {
  /** `ContactTechnical` */
  TECHNICAL = 'ContactTechnical',
  /** `ContactSupport` */
  SUPPORT = 'ContactSupport',
  /** `ContactAdministrative` */
  ADMINISTRATIVE = 'ContactAdministrative',
  /** `ContactBilling` */
  BILLING = 'ContactBilling',
  /** `ContactOther` */
  OTHER = 'ContactOther',
}

/** A SAML contact person published in spar's service provider metadata. */
export interface SamlContact {
  /** Contact type. */
  readonly type: SamlContactType;
  /**
   * Company name.
   * @default - not set
   */
  readonly company?: string;
  /**
   * E-mail as spar expects it: a URI, e.g. `email:support@example.com`
   * (saml2-web-sso reads the contact's e-mail as a URI; a bare address is
   * refused).
   * @default - not set
   */
  readonly email?: string;
  /**
   * Given name.
   * @default - not set
   */
  readonly givenName?: string;
  /**
   * Surname.
   * @default - not set
   */
  readonly surname?: string;
  /**
   * Phone number.
   * @default - not set
   */
  readonly phone?: string;
}

/** Single sign-on (spar) in a multi-ingress deployment. */
export interface SsoOptions {
  /**
   * SAML contacts, published for every domain. A contact that names one of
   * the domains is visible on every other domain, so prefer neutral contacts.
   */
  readonly contacts: SamlContact[];

  /**
   * SCIM base URI. It cannot be derived in a multi-ingress setup and the
   * chart fails without it.
   *
   * @default `https://nginz-https.<default domain>/scim/v2`
   */
  readonly scimBaseUri?: string;
}
