import { hostPort } from './addresses';
import { DomainEdge } from './model';
import { commentText, haproxyWord } from '../quoting';

/** Where a configuration runs: differences between a VPS and a container. */
export interface HaproxyTarget {
  /** Port of the HTTPS frontend. */
  readonly httpsPort: number;
  /** Port of the HTTP frontend (redirects), if any. */
  readonly httpPort?: number;
  /** PEM file with the domain's certificate chain (and key, or a `.key` file beside it). */
  readonly certificate: string;
  /** CA bundle that verifies the backend's certificate. */
  readonly caFile: string;
  /** `127.0.0.1:<port>` of certbot, if ACME challenges are passed on. */
  readonly certbot?: string;
  /** A VPS logs to syslog and drops root privileges; a container logs to stdout. */
  readonly system: boolean;
  /** Where the comment says the configuration runs. */
  readonly description: string;
}

/** Where the in-cluster edge proxy mounts its TLS Secret. */
export const CONTAINER_TLS_DIR = '/usr/local/etc/haproxy-edge/tls';
/** Where the in-cluster edge proxy mounts its configuration. */
export const CONTAINER_CONFIG_DIR = '/usr/local/etc/haproxy-edge/config';
/** Unprivileged ports of the in-cluster edge proxy (the image runs as a normal user). */
export const CONTAINER_HTTPS_PORT = 8443;
export const CONTAINER_HTTP_PORT = 8080;

/** Where the in-cluster edge proxy's HAProxy master writes its process id (an emptyDir shared with the reloader). */
export const CONTAINER_RUN_DIR = '/run/haproxy-edge';
export const CONTAINER_PID_FILE = `${CONTAINER_RUN_DIR}/haproxy.pid`;
/** Seconds between two looks of the reloader at the mounted certificate. */
export const RELOAD_CHECK_SECONDS = 10;

/** The script, once per process: every edge proxy's Deployment holds the same text. */
let reloadScript: string | undefined;

/**
 * The certificate reloader of the in-cluster edge proxy, a POSIX shell
 * script run by the image's `/bin/sh` in a container beside HAProxy (same
 * image, same user, one process namespace for the pod).
 *
 * The kubelet replaces the files of a mounted Secret when the Secret
 * changes (cert-manager renewing it, or the operator), but HAProxy reads
 * its certificate only when it starts. So every few seconds the script
 * checksums the certificate, key and CA files; when the checksum changes it
 * sends SIGUSR2 to the HAProxy master (`-W`, its process id in the pid
 * file), which starts new workers with the new files and lets the old ones
 * finish their connections. A certificate HAProxy cannot load leaves the
 * running workers serving the previous one (the master logs why).
 *
 * Its text is constant: nothing from a configuration is in it.
 */
export function certificateReloadScript(): string {
  return (reloadScript ??= reloadScriptText());
}

function reloadScriptText(): string {
  const files = ['edge.pem', 'edge.pem.key', 'ca.crt'].map((f) => `"$tls/${f}"`).join(' ');
  return [
    'set -u',
    `tls=${CONTAINER_TLS_DIR}`,
    `pidfile=${CONTAINER_PID_FILE}`,
    `sum() { cat ${files} 2>/dev/null | cksum; }`,
    'last=$(sum)',
    `while sleep ${RELOAD_CHECK_SECONDS}; do`,
    '  now=$(sum)',
    '  [ "$now" = "$last" ] && continue',
    '  if [ -s "$pidfile" ] && kill -USR2 "$(cat "$pidfile")"; then',
    '    last=$now',
    '    echo "certificate changed: haproxy reloads it"',
    '  fi',
    'done',
    '',
  ].join('\n');
}

/** The PEM file of a domain's certificate on its VPS. */
export function vpsCertificatePath(edge: DomainEdge): string {
  return `${edge.settings.haproxy.certificateDirectory}/${edge.domain.name}.pem`;
}

/** The configuration of a domain's VPS: ports 443 and 80, certbot behind it. */
export function vpsTarget(edge: DomainEdge): HaproxyTarget {
  const hp = edge.settings.haproxy;
  return {
    httpsPort: 443,
    httpPort: hp.httpRedirect ? 80 : undefined,
    certificate: vpsCertificatePath(edge),
    caFile: hp.caFile,
    certbot: hp.httpRedirect ? `127.0.0.1:${hp.certbotPort}` : undefined,
    system: true,
    description: `the VPS of ${edge.domain.name}`,
  };
}

/** The configuration of the in-cluster edge proxy: unprivileged ports, TLS from a Secret. */
export function containerTarget(edge: DomainEdge): HaproxyTarget {
  return {
    httpsPort: CONTAINER_HTTPS_PORT,
    httpPort: edge.settings.haproxy.httpRedirect ? CONTAINER_HTTP_PORT : undefined,
    certificate: `${CONTAINER_TLS_DIR}/edge.pem`,
    caFile: `${CONTAINER_TLS_DIR}/ca.crt`,
    system: false,
    description: `the in-cluster edge proxy ${edge.edgeProxyName}`,
  };
}

/**
 * The HAProxy configuration of one domain's edge proxy.
 *
 * It terminates TLS with the domain's certificate and accepts a request only
 * when its Host header (port removed, lower-cased) is exactly one of the
 * domain's six host names: an exact match, so that a domain that is a
 * sub-domain of another one (`red.example.com` under `example.com`) can never
 * pass the other's proxy, unlike the guide's suffix match
 * (`hdr_end(host) -i .red.example.com`). Accepted requests go to the backend
 * on port 443 over TLS, with the host name as SNI and the backend's
 * certificate verified against the CA file (HAProxy checks the certificate's
 * name against the SNI). Everything else is answered 403.
 */
export function renderHaproxyConfig(edge: DomainEdge, target: HaproxyTarget): string {
  const d = edge.domain;
  const anyAddress = edge.address.family === 6 ? '[::]' : '';
  const v4v6 = edge.address.family === 6 ? ' v4v6' : '';
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);

  add(
    ...[
      `# HAProxy edge proxy of ${d.name}, for ${target.description}.`,
      '# Generated by cdk8s-wire-multi-ingress from the domain list; regenerate instead of editing.',
      '#',
      `# Clients reach ${d.name} at ${edge.address.text} (its DNS records point there).`,
      '# Requests whose Host is exactly one of its six host names go to the Wire backend',
      `# at ${hostPort(edge.backend, 443)} over TLS (the host name as SNI, the certificate verified);`,
      '# every other request is answered 403.',
      '#',
      `# Needs ${target.certificate}: the certificate chain and private key for the six host names`,
      `# of ${d.name} only${target.system ? ' (certbot.sh writes it)' : ''}; ${target.caFile}: the CAs of the backend's certificate.`,
    ].map(commentText),
    '',
    'global',
  );
  if (target.system) {
    add('    log /dev/log local0', '    log /dev/log local1 notice', '    user haproxy', '    group haproxy');
  } else {
    add('    log stdout format raw local0');
  }
  add(
    '    maxconn 4096',
    '    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets',
    '    ssl-default-server-options ssl-min-ver TLSv1.2 no-tls-tickets',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    option dontlognull',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 60s',
    '    timeout http-request 10s',
    '    timeout http-keep-alive 10s',
    '    timeout client-fin 30s',
    '    # websockets (nginz-ssl) stay open much longer than a request',
    '    timeout tunnel 1h',
    '',
    'frontend https',
    `    bind ${anyAddress}:${port(target.httpsPort)}${v4v6} ssl crt ${haproxyWord(target.certificate)} alpn h2,http/1.1`,
    ...hostCheck(d.hostNames),
    '    # the backend sees the client, not the proxy, and only as told here',
    '    http-request del-header x-forwarded-for',
    '    option forwardfor',
    '    http-request set-header x-forwarded-proto https',
    '    default_backend wire',
  );
  if (target.httpPort !== undefined) {
    add('', 'frontend http', `    bind ${anyAddress}:${port(target.httpPort)}${v4v6}`, ...hostCheck(d.hostNames));
    if (target.certbot) {
      add(
        '    acl acme_challenge path_beg /.well-known/acme-challenge/',
        `    http-request redirect code 301 location ${HTTPS_LOCATION} unless acme_challenge`,
        '    default_backend certbot',
      );
    } else {
      add(`    http-request redirect code 301 location ${HTTPS_LOCATION}`);
    }
  }
  add(
    '',
    'backend wire',
    `    server backend ${haproxyWord(hostPort(edge.backend, 443))} ssl verify required ca-file ${haproxyWord(target.caFile)} sni var(txn.host)`,
  );
  if (target.httpPort !== undefined && target.certbot) {
    add('', 'backend certbot', `    server certbot ${haproxyWord(target.certbot)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A port as a haproxy.cfg word: a whole number, or refused. */
function port(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`port ${JSON.stringify(value)} cannot be written into a haproxy.cfg: expected 1-65535`);
  }
  return String(value);
}

/** The same URL over HTTPS on the default port (the checked host name, without the port the client gave). */
const HTTPS_LOCATION = 'https://%[var(txn.host)]%[pathq]';

/** Deny every request that does not carry exactly one Host header naming one of the domain's hosts. */
function hostCheck(hosts: readonly string[]): string[] {
  return [
    '    # the Host header without its port, lower-cased, matched exactly (never by suffix)',
    '    http-request set-var(txn.host) req.hdr(host),field(1,:),lower',
    // one host per line (ACLs of one name are ORed): short lines even for the longest domains
    ...hosts.map((h) => `    acl own_host var(txn.host) -m str ${haproxyWord(h)}`),
    '    acl one_host req.hdr_cnt(host) eq 1',
    '    http-request deny deny_status 403 unless one_host own_host',
  ];
}
