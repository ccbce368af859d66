import { edgeOf } from './fixtures';
import { WireDomain } from '../../src/domain';
import { publishedNames, renderCertbotScript, renderZoneSnippet } from '../../src/edge/dns';
import { renderHaproxyConfig, vpsTarget } from '../../src/edge/haproxy';

/** The resource records of a zone snippet: [name, ttl, class, type, data]. */
function records(zone: string): string[][] {
  return zone
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith(';'))
    .map((l) => l.split(/\s+/));
}

/** The `-d` host names of a certbot command. */
function certbotDomains(script: string): string[] {
  return [...script.matchAll(/^\s+-d (\S+) \\$/gm)].map((m) => m[1]);
}

describe('DNS records', () => {
  test('the six host names as absolute names, each an A record of the IPv4 entry address with its TTL', () => {
    const zone = renderZoneSnippet(edgeOf('red.example.com', '198.51.100.20'));
    expect(records(zone)).toEqual(WireDomain.parse('red.example.com').hostNames.map((h) => [`${h}.`, '3600', 'IN', 'A', '198.51.100.20']));
  });

  test('AAAA records for an IPv6 entry address, the TTL and wildcard from the options', () => {
    const edge = edgeOf('blue.example.net', '2001:DB8::30', { dns: { ttl: 300, wildcard: true } });
    const rr = records(renderZoneSnippet(edge));
    expect(rr).toHaveLength(7);
    expect(rr[6]).toEqual(['*.blue.example.net.', '300', 'IN', 'AAAA', '2001:db8::30']);
    expect(rr.every((r) => r[1] === '300' && r[3] === 'AAAA' && r[4] === '2001:db8::30')).toBe(true);
    expect(publishedNames(edge)).toEqual([...edge.domain.hostNames, '*.blue.example.net']);
  });

  test('every name is fully qualified and belongs to the domain', () => {
    for (const [name] of records(renderZoneSnippet(edgeOf('red.example.com', '198.51.100.20', { dns: { wildcard: true } })))) {
      expect(name).toMatch(/\.red\.example\.com\.$/);
    }
  });

  test('no $ORIGIN or $TTL directive that would change the rest of the zone file', () => {
    expect(renderZoneSnippet(edgeOf('red.example.com', '198.51.100.20'))).not.toMatch(/^\$/m);
  });
});

describe('certbot.sh', () => {
  const red = edgeOf('red.example.com', '198.51.100.20');
  const script = renderCertbotScript(red);

  test('asks for the six host names of its domain and nothing else', () => {
    expect(certbotDomains(script)).toEqual(red.domain.hostNames);
    expect(script).toContain('--cert-name red.example.com');
    expect(script).not.toMatch(/blue|green/);
  });

  test('answers the challenge where HAProxy sends it', () => {
    const cfg = renderHaproxyConfig(red, vpsTarget(red));
    expect(cfg).toContain('server certbot 127.0.0.1:8888');
    expect(script).toContain('--standalone');
    expect(script).toContain('--http-01-address 127.0.0.1 --http-01-port 8888');
  });

  test('writes the PEM file haproxy.cfg reads, through a deploy hook that also runs on renewals', () => {
    const cfg = renderHaproxyConfig(red, vpsTarget(red));
    const pem = '/etc/haproxy/certs/red.example.com.pem';
    expect(cfg).toContain(`crt ${pem} `);
    expect(script).toMatch(new RegExp(`--deploy-hook '.*fullchain\\.pem.*privkey\\.pem" > ${pem.replace(/\./g, '\\.')} && systemctl reload-or-restart haproxy'`));
    expect(script).toContain(`pem=${pem}`);
  });

  test('one ACME e-mail per domain by default', () => {
    expect(script).toContain('--email hostmaster@red.example.com');
    expect(renderCertbotScript(edgeOf('red.example.com', '198.51.100.20', { haproxy: { acmeEmail: 'ops+{domain}@example.org' } }))).toContain(
      '--email ops+red.example.com@example.org',
    );
  });

  test('without the HTTP frontend, certbot answers on port 80 itself and no placeholder is made', () => {
    const own = renderCertbotScript(edgeOf('red.example.com', '198.51.100.20', { haproxy: { httpRedirect: false } }));
    expect(own).not.toContain('--http-01-port');
    expect(own).not.toContain('openssl');
    expect(certbotDomains(own)).toEqual(red.domain.hostNames);
  });

  test('contains no key material: keys are made on the VPS', () => {
    expect(script).not.toContain('PRIVATE KEY');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
  });
});
