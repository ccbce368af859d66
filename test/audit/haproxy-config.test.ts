import * as fc from 'fast-check';
import { passes } from './helpers';
import { LoadBalancerImplementation, ObservationKind } from '../../src';
import { haproxyConfigOf, isHaproxyConfig, listeningAddresses, listeningAddressesOf, parseHaproxyConfig } from '../../src/audit/haproxy-config';

describe('an HAProxy configuration, by its sections and directives', () => {
  const CONFIG = [
    '# bind 198.51.100.99:443 is only a comment',
    'global',
    '    log stdout format raw local0',
    '',
    'frontend https',
    '    bind [::]:443 v4v6 ssl crt /etc/haproxy/certs/a.pem',
    '    bind 203.0.113.10:443,[2001:DB8::30]:443 ssl crt "/etc/haproxy/my certs/a.pem" # comment',
    '    bind :80',
    '    bind *:8080',
    '    bind 0.0.0.0:8443',
    '    bind unix@/run/haproxy.sock',
    '    bind ipv6@2001:db8::31:9443',
    '    acl own_host var(txn.host) -m str "bind 198.51.100.98:1"',
    '',
    'backend wire',
    '    server backend [2001:db8::1]:443 ssl verify required',
  ].join('\n');

  test('sections with their directives; quotes, escapes and comments as HAProxy reads them', () => {
    const config = parseHaproxyConfig(CONFIG);
    expect(config.outside).toEqual([]);
    expect(config.sections.map((s) => [s.keyword, s.name, s.line])).toEqual([
      ['global', undefined, 2],
      ['frontend', 'https', 5],
      ['backend', 'wire', 15],
    ]);
    const second = config.sections[1].directives[1];
    expect(second).toEqual({
      keyword: 'bind',
      args: ['203.0.113.10:443,[2001:DB8::30]:443', 'ssl', 'crt', '/etc/haproxy/my certs/a.pem'],
      line: 7,
    });
    expect(parseHaproxyConfig('a "b\\"c" d\\ e \'f#g\' # h').outside[0]).toEqual({ keyword: 'a', args: ['b"c', 'd e', 'f#g'], line: 1 });
  });

  test('the specific addresses the frontends listen on; wildcards, sockets, comments and ACL strings are none', () => {
    expect(listeningAddresses(parseHaproxyConfig(CONFIG)).map((b) => [b.address, b.where])).toEqual([
      ['203.0.113.10', 'frontend https, line 7: bind'],
      ['2001:db8::30', 'frontend https, line 7: bind'],
      ['2001:db8::31', 'frontend https, line 12: bind'],
    ]);
  });

  test('is told from other files', () => {
    expect(isHaproxyConfig(CONFIG)).toBe(true);
    expect(isHaproxyConfig('$ORIGIN example.com.\nnginz-https 3600 IN A 203.0.113.10\n')).toBe(false);
    expect(isHaproxyConfig('#!/bin/sh\nset -eu\ncertbot certonly --standalone\n')).toBe(false);
  });
});

describe('IPv6 entry addresses', () => {
  const V6 = {
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com', 'blue.example.net'],
    ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
  };

  test('two or more IPv6 domains pass: the wildcard "bind [::]:443" of each haproxy.cfg is no shared address', () => {
    const addresses = { 'green.example.org': '2001:db8::10', 'red.example.com': '2001:db8::20', 'blue.example.net': '2001:db8::30' };
    const { report } = passes({ ...V6, entryPoints: { addresses, backendAddress: '2001:db8::1' } });
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.id).filter((id) => id.startsWith('shared-address'))).toEqual([]);
  });

  test("with one IPv6 domain, its haproxy.cfg shows the domain's real address, never \"::\"", () => {
    const addresses = { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' };
    const { report } = passes({ ...V6, entryPoints: { addresses, backendAddress: '192.0.2.1' } });
    const shown = report
      .observationsOf('blue.example.net')
      .filter((o) => o.kind === ObservationKind.ADDRESS)
      .map((o) => o.value);
    expect(shown).toContain('2001:db8::30');
    expect(shown).not.toContain('::');
    expect(report.observationsOf('blue.example.net').filter((o) => o.artefact === 'file edge/blue.example.net/haproxy.cfg' && o.kind === ObservationKind.ADDRESS)).toEqual([]);
  });
});

describe('the address of a load balancer implementation of ones own', () => {
  test('is observed from its annotation, so a shared one is caught', () => {
    const implementation = LoadBalancerImplementation.annotations(['lb.example.com/address']);
    const addresses = { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' };
    const props = {
      defaultDomain: 'green.example.org',
      additionalDomains: ['red.example.com', 'blue.example.net'],
      entryPoints: { addresses, backendAddress: '192.0.2.1', loadBalancer: { implementation } },
    };
    const { report } = passes(props);
    expect(report.observationsOf('red.example.com')).toContainEqual({
      domain: 'red.example.com',
      artefact: 'Service wire/wire-entry-red-example-com',
      kind: ObservationKind.ADDRESS,
      value: '198.51.100.20',
      path: 'metadata.annotations["lb.example.com/address"]',
    });
  });
});

describe('the listening addresses read in one pass over the lines', () => {
  const lines = fc.oneof(
    fc.constantFrom(
      'global', 'defaults', 'frontend https', 'frontend', 'listen stats', 'backend wire', 'userlist u', '  frontend  "a b"',
      '    bind :443 ssl', '    bind 203.0.113.10:443', 'bind [2001:db8::30]:443,192.0.2.7:80', '\tbind\t192.0.2.8:1 # x', 'bind "192.0.2.9:443"',
      'bind', '  bind ', 'b"ind" 192.0.2.10:1', 'bi\\nd 192.0.2.11:1', "bind '192.0.2.12:1'", '# bind 192.0.2.13:1', 'bind#192.0.2.14:1',
      '    server backend 192.0.2.1:443', '    acl own_host var(txn.host) -m str "bind 198.51.100.98:1"', '', '   ', '\r', 'timeout connect 5s',
      'bind ipv6@2001:db8::31:9443', 'bind unix@/run/x.sock', 'bind 0.0.0.0:80', 'frontend\tx', 'frontend x\r', '"frontend" y', 'fr\\ontend z',
    ),
    fc.stringMatching(/^[a-z "'\\#:.\t0-9]{0,12}$/),
  );
  const configs = fc.array(lines, { maxLength: 14 }).map((ls) => ls.join('\n'));

  test('as the parsed configuration gives them, or none for a text that is no HAProxy configuration', () => {
    fc.assert(
      fc.property(configs, (text) => {
        const parsed = haproxyConfigOf(text);
        expect(listeningAddressesOf(text)).toEqual(parsed === undefined ? undefined : listeningAddresses(parsed));
      }),
      { numRuns: 5000 },
    );
  });

  test('of the configuration above', () => {
    expect(listeningAddressesOf(['frontend https', '    bind 203.0.113.10:443,[2001:DB8::30]:443 ssl', '', 'backend b', '    bind 192.0.2.1:1'].join('\n'))).toEqual([
      { address: '203.0.113.10', where: 'frontend https, line 2: bind' },
      { address: '2001:db8::30', where: 'frontend https, line 2: bind' },
    ]);
    expect(listeningAddressesOf('bind 192.0.2.1:1\nfrontend https\n')).toBeUndefined();
    expect(listeningAddressesOf('global\ndefaults\n')).toBeUndefined();
  });
});
