import { DomainObserver } from './observer';
import { ObservationKind } from './types';
import { Values, getPath } from '../values/merge';
import { chartCertificateName, chartIssuerName } from '../values/nginx-ingress-services';

const CHART_NAME = 'nginx-ingress-services';
/** Helm truncates full names to 63 characters. */
const MAX_FULLNAME = 63;

/**
 * What the nginx-ingress-services chart renders from one release's values, as
 * far as the public can see it: the Ingress hosts and their CSP, the TLS
 * Secret, the cert-manager Certificate with its DNS names and the Issuer with
 * its ACME e-mail. It follows the chart's templates (5.14 to 5.32), so the
 * audit sees what the cluster will serve, computed from the values as they
 * are emitted.
 */
export function observeIngressChart(o: DomainObserver, values: Values, releaseName: string, namespace: string): void {
  const dns = (key: string): string | undefined => {
    const v = getPath(values, ['config', 'dns', key]);
    return typeof v === 'string' ? v : undefined;
  };
  const enabled = (key: string, byDefault: boolean): boolean => {
    const v = getPath(values, [key, 'enabled']);
    return typeof v === 'boolean' ? v : byDefault;
  };
  const ingressName = typeof values.ingressName === 'string' ? values.ingressName : '';
  const suffix = ingressName === '' ? '' : `-${ingressName}`;
  const useCertManager = getPath(values, ['tls', 'useCertManager']) === true;
  const tlsEnabled = getPath(values, ['tls', 'enabled']) !== false;

  // the main Ingress: its hosts, its TLS Secret and (renderCSPInIngress) its CSP
  const ingress = `Ingress ${namespace}/nginx-ingress${suffix}`;
  const hosts: Array<[string, boolean]> = [
    ['https', true],
    ['ssl', enabled('websockets', true)],
    ['webapp', enabled('webapp', true)],
    ['teamSettings', enabled('teamSettings', false)],
    ['accountPages', enabled('accountPages', false)],
  ];
  for (const [key, on] of hosts) {
    const host = dns(key);
    if (on && host !== undefined) {
      o.add(`${ingress} hosts`, ObservationKind.HOST, host, `config.dns.${key}`);
    }
  }
  const secret = `secret/${namespace}/${tlsSecretName(values, releaseName, useCertManager)}`;
  o.add(`${ingress} TLS`, ObservationKind.CERTIFICATE, secret, 'tls.secretName');
  if (getPath(values, ['config', 'renderCSPInIngress']) === true) {
    const csp = `${ingress} Content-Security-Policy`;
    const https = dns('https');
    const ssl = dns('ssl');
    const base = dns('base');
    if (https !== undefined) o.add(csp, ObservationKind.HOST, `https://${https}`, 'config.dns.https');
    if (ssl !== undefined && enabled('websockets', true)) o.add(csp, ObservationKind.HOST, `wss://${ssl}`, 'config.dns.ssl');
    if (base !== undefined) o.add(csp, ObservationKind.HOST, `https://*.${base}`, 'config.dns.base');
  }

  // the minio (fake S3) Ingress
  const fakeS3 = dns('fakeS3');
  if (enabled('fakeS3', true) && fakeS3 !== undefined) {
    const minio = `Ingress ${namespace}/minio-ingress${suffix}`;
    o.add(`${minio} hosts`, ObservationKind.HOST, fakeS3, 'config.dns.fakeS3');
    o.add(`${minio} TLS`, ObservationKind.CERTIFICATE, secret, 'tls.secretName');
  }

  if (!tlsEnabled || !useCertManager) {
    return;
  }
  // cert-manager: one Certificate for the zone of config.dns.https, one Issuer per ingressName
  const https = dns('https');
  const issuerBase = getPath(values, ['tls', 'issuer', 'name']);
  const issuerKind = getPath(values, ['tls', 'issuer', 'kind']) === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer';
  const issuerName = typeof issuerBase === 'string' ? chartIssuerName(issuerBase, ingressName) : undefined;
  const issuerId = issuerName === undefined ? undefined : issuerKind === 'ClusterIssuer' ? `clusterissuer/${issuerName}` : `issuer/${namespace}/${issuerName}`;
  if (https !== undefined) {
    const name = chartCertificateName(https.split('.').slice(1).join('.'));
    const certificate = `cert-manager Certificate ${namespace}/${name}`;
    o.add(certificate, ObservationKind.CERTIFICATE, `certificate/${namespace}/${name}`, 'metadata.name');
    const dnsNames: Array<[string, boolean]> = [
      ['https', true],
      ['ssl', enabled('websockets', true)],
      ['webapp', enabled('webapp', true)],
      ['fakeS3', enabled('fakeS3', true)],
      ['teamSettings', enabled('teamSettings', false)],
      ['accountPages', enabled('accountPages', false)],
    ];
    for (const [key, on] of dnsNames) {
      const host = dns(key);
      if (on && host !== undefined) {
        o.add(`${certificate} dnsNames`, ObservationKind.HOST, host, `config.dns.${key}`);
      }
    }
    if (issuerId !== undefined) {
      o.add(certificate, ObservationKind.ISSUER, issuerId, 'spec.issuerRef');
    }
  }
  if (issuerId !== undefined && getPath(values, ['tls', 'createIssuer']) !== false) {
    const issuer = `cert-manager ${issuerKind} ${issuerKind === 'Issuer' ? `${namespace}/` : ''}${issuerName} ACME account`;
    o.add(issuer, ObservationKind.ISSUER, issuerId, 'tls.issuer.name');
    const email = getPath(values, ['certManager', 'certmasterEmail']);
    if (typeof email === 'string') {
      o.add(issuer, ObservationKind.EMAIL, email.toLowerCase(), 'certManager.certmasterEmail');
    }
  }
}

/** The chart's TLS Secret: `<release>-<nameOverride|chart>` (63 characters at most) + `-managed|-wildcard` + `-tls-certificate`. */
function tlsSecretName(values: Values, releaseName: string, useCertManager: boolean): string {
  const name = typeof values.nameOverride === 'string' && values.nameOverride !== '' ? values.nameOverride : CHART_NAME;
  const fullname = `${releaseName}-${name}`.slice(0, MAX_FULLNAME).replace(/-$/, '');
  return `${fullname}-${useCertManager ? 'managed' : 'wildcard'}-tls-certificate`;
}
