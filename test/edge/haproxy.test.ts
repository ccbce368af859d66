import { edgeOf } from './fixtures';
import { WireDomain } from '../../src/domain';
import { containerTarget, renderHaproxyConfig, vpsTarget } from '../../src/edge/haproxy';

/** The lines of one section (`frontend https`, `backend wire`, ...), without comments. */
function section(cfg: string, header: string): string[] {
  const lines = cfg.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    if (!line.trim().startsWith('#')) body.push(line.trim());
  }
  return body;
}

/** The host names a frontend accepts: the strings of its `own_host` ACL. */
function acceptedHosts(cfg: string, frontend: string): string[] {
  return section(cfg, `frontend ${frontend}`)
    .filter((l) => l.startsWith('acl own_host '))
    .map((l) => {
      const m = /^acl own_host var\(txn\.host\) -m str (\S+)$/.exec(l);
      if (!m) throw new Error(`unexpected own_host ACL: ${l}`);
      return m[1];
    });
}

/** What the configuration does with a Host header, read from its rules (HAProxy itself is tested in test/e2e). */
function accepts(cfg: string, frontend: string, host: string): boolean {
  expect(section(cfg, `frontend ${frontend}`)).toContain('http-request set-var(txn.host) req.hdr(host),field(1,:),lower');
  return acceptedHosts(cfg, frontend).includes(host.split(':')[0].toLowerCase());
}

const red = edgeOf('red.example.com', '198.51.100.20');
const redCfg = renderHaproxyConfig(red, vpsTarget(red));

describe('haproxy.cfg of a VPS', () => {
  test('terminates TLS on 443 with the domain\'s own certificate, HTTP/2 and HTTP/1.1', () => {
    expect(section(redCfg, 'frontend https')[0]).toBe('bind :443 ssl crt /etc/haproxy/certs/red.example.com.pem alpn h2,http/1.1');
  });

  test('accepts exactly the six host names of its domain, matched exactly', () => {
    for (const frontend of ['https', 'http']) {
      expect(acceptedHosts(redCfg, frontend)).toEqual(WireDomain.parse('red.example.com').hostNames);
      expect(section(redCfg, `frontend ${frontend}`)).toContain('http-request deny deny_status 403 unless one_host own_host');
      expect(section(redCfg, `frontend ${frontend}`)).toContain('acl one_host req.hdr_cnt(host) eq 1');
    }
    // no suffix, substring or regex matching anywhere
    expect(redCfg).not.toMatch(/hdr_end|hdr_sub|hdr_reg|-m (end|sub|reg|beg) .*example/);
  });

  test('the Host header is compared without its port and case-insensitively', () => {
    expect(accepts(redCfg, 'https', 'NGINZ-HTTPS.Red.Example.com:443')).toBe(true);
    expect(accepts(redCfg, 'https', 'nginz-https.blue.example.net')).toBe(false);
    expect(accepts(redCfg, 'https', 'nginz-https.x.red.example.com')).toBe(false);
    expect(accepts(redCfg, 'https', 'red.example.com')).toBe(false);
  });

  test('forwards to the backend on 443 over TLS, verifying its certificate, with the checked host as SNI', () => {
    expect(section(redCfg, 'backend wire')).toEqual([
      'server backend 192.0.2.1:443 ssl verify required ca-file /etc/ssl/certs/ca-certificates.crt sni var(txn.host)',
    ]);
    expect(section(redCfg, 'frontend https')).toContain('default_backend wire');
  });

  test('an IPv6 backend is written in brackets; an IPv6 entry address binds on [::] for both families', () => {
    const blue = edgeOf('blue.example.net', '2001:db8::30', {}, '2001:db8::1');
    const cfg = renderHaproxyConfig(blue, vpsTarget(blue));
    expect(section(cfg, 'backend wire')[0]).toMatch(/^server backend \[2001:db8::1\]:443 ssl /);
    expect(section(cfg, 'frontend https')[0]).toMatch(/^bind \[::\]:443 v4v6 ssl crt /);
    expect(section(cfg, 'frontend http')[0]).toBe('bind [::]:80 v4v6');
  });

  test('has timeouts for connections, requests and long-lived websockets, and logs HTTP requests', () => {
    const defaults = section(redCfg, 'defaults');
    for (const t of ['connect', 'client', 'server', 'tunnel', 'http-request']) {
      expect(defaults.some((l) => l.startsWith(`timeout ${t} `))).toBe(true);
    }
    expect(defaults).toContain('timeout tunnel 1h');
    expect(defaults).toContain('option httplog');
    expect(section(redCfg, 'global')).toContain('log /dev/log local0');
    expect(section(redCfg, 'global')).toContain('user haproxy');
  });

  test('HTTP on port 80 redirects to HTTPS and passes ACME challenges to certbot on 127.0.0.1', () => {
    const http = section(redCfg, 'frontend http');
    expect(http[0]).toBe('bind :80');
    expect(http).toContain('acl acme_challenge path_beg /.well-known/acme-challenge/');
    expect(http).toContain('http-request redirect code 301 location https://%[var(txn.host)]%[pathq] unless acme_challenge');
    expect(http).toContain('default_backend certbot');
    expect(section(redCfg, 'backend certbot')).toEqual(['server certbot 127.0.0.1:8888']);
  });

  test('certbotPort and the paths are taken from the options', () => {
    const edge = edgeOf('red.example.com', '198.51.100.20', { haproxy: { certbotPort: 9999, certificateDirectory: '/srv/tls', caFile: '/srv/backend-ca.pem' } });
    const cfg = renderHaproxyConfig(edge, vpsTarget(edge));
    expect(section(cfg, 'backend certbot')).toEqual(['server certbot 127.0.0.1:9999']);
    expect(section(cfg, 'frontend https')[0]).toContain('crt /srv/tls/red.example.com.pem ');
    expect(section(cfg, 'backend wire')[0]).toContain('ca-file /srv/backend-ca.pem ');
  });

  test('without httpRedirect there is no port 80 and no certbot backend', () => {
    const edge = edgeOf('red.example.com', '198.51.100.20', { haproxy: { httpRedirect: false } });
    const cfg = renderHaproxyConfig(edge, vpsTarget(edge));
    expect(section(cfg, 'frontend http')).toEqual([]);
    expect(section(cfg, 'backend certbot')).toEqual([]);
    expect(cfg).not.toContain(':80');
  });

  test('names no other domain and holds no key material', () => {
    const names = redCfg.match(/[a-z0-9.-]*example\.[a-z]+/g)!;
    expect(names.length).toBeGreaterThan(6);
    expect(names.filter((n) => n !== 'red.example.com' && !n.endsWith('.red.example.com'))).toEqual([]);
    expect(redCfg).not.toContain('PRIVATE KEY');
  });

  test('is the same for the same input', () => {
    expect(renderHaproxyConfig(edgeOf('red.example.com', '198.51.100.20'), vpsTarget(red))).toBe(redCfg);
  });
});

describe('a domain that is a sub-domain of another one', () => {
  const parent = edgeOf('example.com', '203.0.113.1');
  const child = edgeOf('red.example.com', '203.0.113.2');
  const parentCfg = renderHaproxyConfig(parent, vpsTarget(parent));
  const childCfg = renderHaproxyConfig(child, vpsTarget(child));

  test("cannot pass the other's proxy in either direction", () => {
    for (const host of child.domain.hostNames) {
      expect(accepts(parentCfg, 'https', host)).toBe(false);
      expect(accepts(parentCfg, 'http', host)).toBe(false);
    }
    for (const host of parent.domain.hostNames) {
      expect(accepts(childCfg, 'https', host)).toBe(false);
    }
    expect(accepts(parentCfg, 'https', 'nginz-https.example.com')).toBe(true);
  });
});

describe('haproxy.cfg of the in-cluster edge proxy', () => {
  const cfg = renderHaproxyConfig(red, containerTarget(red));

  test('listens on unprivileged ports and reads its certificate and CA from the mounted Secret', () => {
    expect(section(cfg, 'frontend https')[0]).toBe('bind :8443 ssl crt /usr/local/etc/haproxy-edge/tls/edge.pem alpn h2,http/1.1');
    expect(section(cfg, 'frontend http')[0]).toBe('bind :8080');
    expect(section(cfg, 'backend wire')[0]).toContain('ca-file /usr/local/etc/haproxy-edge/tls/ca.crt ');
  });

  test('logs to stdout, keeps the container user, and redirects HTTP without certbot', () => {
    expect(section(cfg, 'global')).toContain('log stdout format raw local0');
    expect(cfg).not.toMatch(/^\s+(user|group) /m);
    expect(section(cfg, 'backend certbot')).toEqual([]);
    expect(section(cfg, 'frontend http')).toContain('http-request redirect code 301 location https://%[var(txn.host)]%[pathq]');
  });

  test('applies the same host rules as the VPS', () => {
    expect(acceptedHosts(cfg, 'https')).toEqual(acceptedHosts(redCfg, 'https'));
    expect(section(cfg, 'backend wire')[0]).toMatch(/^server backend 192\.0\.2\.1:443 ssl verify required ca-file \S+ sni var\(txn\.host\)$/);
  });
});
