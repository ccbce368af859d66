/**
 * The real HAProxy accepts every configuration the library generates
 * (`haproxy -c`), with no warning: the guide's three domains, the longest
 * domain the library allows, IPv6, without the HTTP frontend, and the
 * in-cluster variant with the key beside the certificate as its Secret
 * mounts it. shellcheck accepts every certbot.sh.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthesize, Synthesized } from './synth';
import { describeWithTools, makeCertificates, replaceExactly, run, tempDir } from './tools';
import { WireDomain } from '../../src';

jest.setTimeout(60_000);

/** The longest domain the library accepts (227 characters, so that nginz-https.<domain>-deeplink.json has 253). */
const LONG_DOMAIN = (() => {
  const labels = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63)];
  const rest = WireDomain.MAX_LENGTH - labels.join('.').length - '.example'.length - 1;
  return [...labels, 'd'.repeat(rest), 'example'].join('.');
})();

const GUIDE_DOMAINS = ['green.example.org', 'red.example.com', 'blue.example.net'];

describeWithTools(['haproxy', 'openssl', 'shellcheck', 'timeout'], 'generated configurations with the real haproxy', (tools) => {
  let dir: string;
  let guide: Synthesized;
  let long: Synthesized;
  const hosts = (d: string) => WireDomain.parse(d).hostNames;

  beforeAll(async () => {
    dir = tempDir('haproxy-check-');
    const certs = path.join(dir, 'certs');
    fs.mkdirSync(certs);
    await makeCertificates(tools.openssl, certs, Object.fromEntries([...GUIDE_DOMAINS, LONG_DOMAIN, 'v6.example.net'].map((d) => [d, hosts(d)])));
    const haproxy = { certificateDirectory: certs, caFile: path.join(certs, 'ca.crt') };
    guide = synthesize(path.join(dir, 'guide'), {
      defaultDomain: 'green.example.org',
      additionalDomains: ['red.example.com', 'blue.example.net'],
      ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
      entryPoints: {
        addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' },
        backendAddress: '192.0.2.1',
        haproxy,
      },
    });
    long = synthesize(path.join(dir, 'long'), {
      defaultDomain: LONG_DOMAIN,
      additionalDomains: ['v6.example.net'],
      entryPoints: {
        addresses: { [LONG_DOMAIN]: '203.0.113.50', 'v6.example.net': '2001:db8::50' },
        backendAddress: '2001:db8::1',
        haproxy: { ...haproxy, httpRedirect: false },
      },
    });
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `haproxy -c`: valid, and nothing to warn about. */
  async function expectValid(cfgFile: string): Promise<void> {
    const result = await run(tools.haproxy, ['-c', '-f', cfgFile]);
    const output = `${result.stdout}${result.stderr}`;
    expect({ file: cfgFile, code: result.code, output }).toEqual({ file: cfgFile, code: 0, output: expect.stringContaining('Configuration file is valid') });
    expect(output).not.toMatch(/\[(WARNING|ALERT)\]/);
  }

  test.each(GUIDE_DOMAINS)("the guide's %s: haproxy.cfg of its VPS", async (domain) => {
    await expectValid(path.join(guide.outdir, 'edge', domain, 'haproxy.cfg'));
  });

  test('the longest domain (IPv4, no HTTP frontend) and an IPv6 domain with an IPv6 backend', async () => {
    expect(LONG_DOMAIN).toHaveLength(227);
    expect(`${hosts(LONG_DOMAIN)[0]}-deeplink.json`).toHaveLength(253);
    for (const domain of [LONG_DOMAIN, 'v6.example.net']) {
      const file = path.join(long.outdir, 'edge', domain, 'haproxy.cfg');
      expect(fs.readFileSync(file, 'utf8')).not.toContain('frontend http\n');
      await expectValid(file);
    }
    expect(long.file('edge/v6.example.net/haproxy.cfg')).toContain('server backend [2001:db8::1]:443 ');
  });

  test.each(GUIDE_DOMAINS)("the guide's %s: the in-cluster edge proxy's configuration, with its Secret laid out as mounted", async (domain) => {
    // the Secret volume: tls.crt -> edge.pem, tls.key -> edge.pem.key, ca.crt -> ca.crt
    const mount = path.join(dir, `mount-${domain}`);
    fs.mkdirSync(mount);
    fs.copyFileSync(path.join(dir, 'certs', `${domain}.crt`), path.join(mount, 'edge.pem'));
    fs.copyFileSync(path.join(dir, 'certs', `${domain}.key`), path.join(mount, 'edge.pem.key'));
    fs.copyFileSync(path.join(dir, 'certs', 'ca.crt'), path.join(mount, 'ca.crt'));
    const cfg = replaceExactly(guide.edgeProxyConfig(domain), '/usr/local/etc/haproxy-edge/tls/', `${mount}/`, 4);
    const file = path.join(mount, 'haproxy.cfg');
    fs.writeFileSync(file, cfg);
    await expectValid(file);
  });

  test('shellcheck accepts every certbot.sh', async () => {
    const scripts = [
      ...GUIDE_DOMAINS.map((d) => path.join(guide.outdir, 'edge', d, 'certbot.sh')),
      ...[LONG_DOMAIN, 'v6.example.net'].map((d) => path.join(long.outdir, 'edge', d, 'certbot.sh')),
    ];
    const result = await run(tools.shellcheck, ['--shell=sh', ...scripts]);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });
});
