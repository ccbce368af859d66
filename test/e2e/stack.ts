/**
 * The pieces of a loopback deployment that the end-to-end tests start: nginx
 * standing in for the Wire backend, the generated HAProxy edge proxies with
 * only their ports rewritten, and a real DNS server (BIND's named) with the
 * library's dns.zone records. Everything binds 127.0.0.0/8 (and ::1) only and runs
 * under `timeout` (see Daemon).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Daemon, freePort, replaceExactly, run, waitForPort } from './tools';
import { hostPort, parseIpAddress } from '../../src/edge/addresses';

/** One TLS server block of the stand-in backend. */
export interface NginxServer {
  /** `ip:port` */
  readonly listen: string;
  /** server_name entries; none for the default server. */
  readonly names: readonly string[];
  readonly cert: string;
  readonly key: string;
  /** nginx directives inside the server block. */
  readonly directives: string;
}

/** An nginx configuration (foreground, everything in `dir`) with these TLS servers; the first of each listen address is its default. */
export function nginxConfig(dir: string, servers: readonly NginxServer[]): string {
  fs.mkdirSync(path.join(dir, 'nginx-tmp'), { recursive: true });
  const defaults = new Set<string>();
  const blocks = servers.map((s) => {
    const first = !defaults.has(s.listen);
    defaults.add(s.listen);
    return `
  server {
    listen ${s.listen} ssl${first ? ' default_server' : ''};
    ${s.names.length > 0 ? `server_name ${s.names.join(' ')};` : ''}
    ssl_certificate ${s.cert};
    ssl_certificate_key ${s.key};
    ${s.directives}
  }`;
  });
  return `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-tmp/body;
  proxy_temp_path ${dir}/nginx-tmp/proxy;
  fastcgi_temp_path ${dir}/nginx-tmp/fastcgi;
  uwsgi_temp_path ${dir}/nginx-tmp/uwsgi;
  scgi_temp_path ${dir}/nginx-tmp/scgi;${blocks.join('')}
}
`;
}

/** Start nginx with a configuration; resolves once `address:port` accepts connections. */
export async function startNginx(nginx: string, dir: string, name: string, config: string, address: string, port: number): Promise<Daemon> {
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, config);
  const daemon = new Daemon(nginx, ['-p', dir, '-e', path.join(dir, 'nginx-error.log'), '-c', conf], path.join(dir, `${name}.log`));
  await waitForPort(address, port, 10_000, daemon, path.join(dir, 'nginx-error.log'));
  return daemon;
}

/** Where a generated haproxy.cfg listens and forwards to, for the test. */
export interface EdgePorts {
  readonly address: string;
  readonly https: number;
  readonly http: number;
  /** `ip:port` of the stand-in backend. */
  readonly backend: string;
  readonly certbotPort: number;
}

/**
 * A generated haproxy.cfg with only its ports rewritten: it binds
 * `address:https` and `address:http` instead of :443 and :80 (or
 * `[::]:443 v4v6` and `[::]:80 v4v6` for an IPv6 domain), forwards to the
 * stand-in backend and certbot on their free ports, and (not being root)
 * keeps the user it was started as.
 */
export function rewriteEdgeConfig(cfg: string, to: EdgePorts): string {
  // an IPv6 domain's proxy binds [::]:443 v4v6; the test binds its one address, bracketed when it is IPv6
  const address = parseIpAddress(to.address, 'the test address');
  let out = replaceExactly(cfg, /^    bind (?:\[::\])?:443 (?:v4v6 )?/, `    bind ${hostPort(address, to.https)} `);
  out = replaceExactly(out, /^    bind (?:\[::\])?:80(?: v4v6)?$/, `    bind ${hostPort(address, to.http)}`);
  out = replaceExactly(out, /^    server backend [0-9.]+:443 /, `    server backend ${to.backend} `);
  out = replaceExactly(out, /^    server certbot 127\.0\.0\.1:\d+$/, `    server certbot 127.0.0.1:${to.certbotPort}`);
  if (process.getuid?.() !== 0) {
    // only root can switch users
    out = replaceExactly(out, /^    (user|group) haproxy\n/, '', 2);
  }
  return out;
}

/** Start HAProxy with a configuration written to `file`; resolves once it listens on `address:port`. */
export async function startHaproxy(haproxy: string, file: string, cfg: string, address: string, port: number): Promise<Daemon> {
  fs.writeFileSync(file, cfg);
  const log = `${file}.log`;
  const daemon = new Daemon(haproxy, ['-db', '-f', file], log);
  await waitForPort(address, port, 10_000, daemon, log);
  return daemon;
}

/** A free HTTPS and HTTP port on `address`. */
export async function freePorts(address: string): Promise<{ https: number; http: number }> {
  return { https: await freePort(address), http: await freePort(address) };
}

/** The SOA and NS of a test zone. */
export interface TestSoa {
  readonly nameservers: readonly string[];
  readonly hostmaster: string;
  /** The address of the nameservers inside the zone (their glue records). */
  readonly nameserverAddress: string;
}

/** The start of a zone file for a test: SOA and NS records, then the library's dns.zone lines as they are. */
export function zoneFile(zone: string, records: string, soa: TestSoa): string {
  const ns = soa.nameservers.map((n) => `@ 3600 IN NS ${n}.`);
  const glue = soa.nameservers.filter((n) => n === zone || n.endsWith(`.${zone}`)).map((n) => `${n}. 3600 IN A ${soa.nameserverAddress}`);
  return [`$ORIGIN ${zone}.`, '$TTL 3600', `@ 3600 IN SOA ${soa.nameservers[0]}. ${soa.hostmaster}. 1 3600 600 86400 300`, ...ns, ...glue, records].join('\n');
}

/** Check a zone file with BIND's named-checkzone; throws with its output when it refuses it. */
export async function checkZone(namedCheckzone: string, zone: string, file: string): Promise<void> {
  const r = await run(namedCheckzone, ['-k', 'fail', '-n', 'fail', zone, file]);
  if (r.code !== 0) throw new Error(`named-checkzone refuses ${zone}: ${r.stdout}${r.stderr}`);
}

/**
 * Start BIND's named, authoritative only, as the current user, on
 * 127.0.0.1:<free port> (UDP and TCP), serving these zone files; resolves to
 * its port once it answers.
 */
export async function startNamed(named: string, dir: string, zones: { [zone: string]: string }): Promise<{ port: number; daemon: Daemon }> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort('127.0.0.1');
  const conf = [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${dir}/named.pid";`,
    `  session-keyfile "${dir}/session.key";`,
    `  managed-keys-directory "${dir}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  notify no;',
    '  dnssec-validation no;',
    '};',
    'controls { };',
    ...Object.entries(zones).map(([zone, file]) => `zone "${zone}" { type primary; file "${file}"; };`),
    '',
  ].join('\n');
  const file = path.join(dir, 'named.conf');
  fs.writeFileSync(file, conf);
  const log = path.join(dir, 'named.log');
  const daemon = new Daemon(named, ['-g', '-4', '-n', '1', '-c', file], log);
  await waitForPort('127.0.0.1', port, 10_000, daemon, log);
  return { port, daemon };
}
