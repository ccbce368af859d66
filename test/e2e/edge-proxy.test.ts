/**
 * The guide's verification, end to end, on loopback only: a real HAProxy
 * with the generated haproxy.cfg of each domain in front of nginx standing in
 * for the Wire backend (TLS, `/deeplink.json` per Host header with that
 * domain's deeplink from the synthesized wire-server values), queried with
 * curl.
 *
 * Only the listening ports are rewritten for the test (HAProxy binds
 * 127.0.0.x:<free port> instead of :443 and :80, the backend and certbot are
 * on free ports); addresses, certificate paths and the CA come from the
 * library's own options. Every process runs under `timeout` and is stopped in
 * afterAll.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { NginxServer, freePorts, nginxConfig, rewriteEdgeConfig, startHaproxy, startNginx } from './stack';
import { synthesize, Synthesized } from './synth';
import { Daemon, describeWithTools, freePort, makeCertificates, run, tempDir } from './tools';
import { WireDomain } from '../../src';

jest.setTimeout(60_000);

const BACKEND = '127.0.0.10';
/** The guide's domains and their entry addresses (HAProxy of each domain listens there). */
const GUIDE: { [domain: string]: string } = { 'green.example.org': '127.0.0.4', 'red.example.com': '127.0.0.2', 'blue.example.net': '127.0.0.3' };
/** Two domains, one a sub-domain of the other. */
const NESTED: { [domain: string]: string } = { 'example.com': '127.0.0.5', 'red.example.com': '127.0.0.6' };

interface Proxy {
  readonly address: string;
  readonly https: number;
  readonly http: number;
}

describeWithTools(['haproxy', 'nginx', 'openssl', 'curl', 'timeout'], 'edge proxies in front of a stand-in backend (haproxy, nginx, curl)', (tools) => {
  let dir: string;
  let guide: Synthesized;
  let nested: Synthesized;
  let backendPort: number;
  let certbotPort: number;
  let certbot: http.Server | undefined;
  const daemons: Daemon[] = [];
  const proxies = new Map<string, Proxy>(); // by "<deployment>/<domain>"
  const hosts = (d: string) => WireDomain.parse(d).hostNames;

  /** nginx as the Wire backend: per domain a TLS server for its host names, /deeplink.json is that domain's document. */
  function nginxConf(deeplinks: { [domain: string]: unknown }): string {
    const certs = path.join(dir, 'certs');
    const listen = `${BACKEND}:${backendPort}`;
    const servers: NginxServer[] = Object.entries(deeplinks).map(([domain, deeplink]) => {
      const file = path.join(dir, `deeplink-${domain}.json`);
      fs.writeFileSync(file, JSON.stringify(deeplink));
      return {
        listen,
        // teams.red.example.com presents blue's certificate: the proxy must refuse it
        names: hosts(domain).filter((h) => h !== 'teams.red.example.com'),
        cert: `${certs}/${domain}.crt`,
        key: `${certs}/${domain}.key`,
        directives: `add_header X-Seen-Host $host always;
    add_header X-Seen-Sni $ssl_server_name always;
    location = /deeplink.json { default_type application/json; alias ${file}; }
    location / { return 200 "backend of ${domain}\\n"; }`,
      };
    });
    return nginxConfig(dir, [
      { listen, names: [], cert: `${certs}/green.example.org.crt`, key: `${certs}/green.example.org.key`, directives: 'return 421;' },
      { listen, names: ['teams.red.example.com'], cert: `${certs}/blue.example.net.crt`, key: `${certs}/blue.example.net.key`, directives: 'return 200 "wrong certificate\\n";' },
      ...servers,
    ]);
  }

  /** Start the generated HAProxy of one domain, its ports rewritten for the test. */
  async function startProxy(deployment: string, synthesized: Synthesized, domain: string, address: string): Promise<void> {
    const proxy: Proxy = { address, ...(await freePorts(address)) };
    const cfg = rewriteEdgeConfig(synthesized.file(`edge/${domain}/haproxy.cfg`), { ...proxy, backend: `${BACKEND}:${backendPort}`, certbotPort });
    daemons.push(await startHaproxy(tools.haproxy, path.join(dir, `haproxy-${deployment}-${domain}.cfg`), cfg, address, proxy.https));
    proxies.set(`${deployment}/${domain}`, proxy);
  }

  beforeAll(async () => {
    dir = tempDir('edge-e2e-');
    fs.mkdirSync(path.join(dir, 'certs'));
    const certs = path.join(dir, 'certs');
    const all = [...new Set([...Object.keys(GUIDE), ...Object.keys(NESTED)])];
    await makeCertificates(tools.openssl, certs, Object.fromEntries(all.map((d) => [d, hosts(d)])));
    const entryPoints = (addresses: { [domain: string]: string }) => ({
      addresses,
      backendAddress: BACKEND,
      haproxy: { certificateDirectory: certs, caFile: path.join(certs, 'ca.crt') },
    });
    guide = synthesize(path.join(dir, 'guide'), {
      defaultDomain: 'green.example.org',
      additionalDomains: ['red.example.com', 'blue.example.net'],
      ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
      entryPoints: entryPoints(GUIDE),
    });
    nested = synthesize(path.join(dir, 'nested'), { defaultDomain: 'example.com', additionalDomains: ['red.example.com'], entryPoints: entryPoints(NESTED) });

    backendPort = await freePort(BACKEND);
    certbotPort = await freePort('127.0.0.1');
    // stands in for `certbot certonly --standalone` behind HAProxy
    certbot = http.createServer((req, res) => res.end(`certbot answers ${req.headers.host}${req.url}`));
    await new Promise<void>((resolve) => certbot!.listen(certbotPort, '127.0.0.1', resolve));

    const deeplinks: { [domain: string]: unknown } = {};
    for (const d of Object.keys(GUIDE)) deeplinks[d] = guide.deeplink(d);
    deeplinks['example.com'] = nested.deeplink('example.com');
    daemons.push(await startNginx(tools.nginx, dir, 'nginx', nginxConf(deeplinks), BACKEND, backendPort));

    for (const [domain, address] of Object.entries(GUIDE)) await startProxy('guide', guide, domain, address);
    await startProxy('nested', nested, 'example.com', NESTED['example.com']);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await new Promise<void>((resolve) => (certbot ? certbot.close(() => resolve()) : resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A curl request to `https://<url host>:<port><path>` through the proxy of `key`, resolved to its address only. */
  async function curl(key: string, urlHost: string, urlPath: string, extra: string[] = [], scheme: 'https' | 'http' = 'https') {
    const proxy = proxies.get(key)!;
    const port = scheme === 'https' ? proxy.https : proxy.http;
    const result = await run(
      tools.curl,
      [
        '--silent',
        '--show-error',
        '--max-time',
        '5',
        '--cacert',
        path.join(dir, 'certs', 'ca.crt'),
        '--resolve',
        `${urlHost}:${port}:${proxy.address}`,
        '--dump-header',
        '-',
        ...extra,
        `${scheme}://${urlHost}:${port}${urlPath}`,
      ],
      { timeoutMs: 10_000 },
    );
    if (result.code !== 0) throw new Error(`curl failed (${result.code}): ${result.stderr}`);
    const [head, ...body] = result.stdout.split(/\r\n\r\n/);
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)![1]);
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim();
    return { status, header, body: body.join('\r\n\r\n') };
  }

  test.each(Object.keys(GUIDE))("%s: its own proxy serves its own deeplink (the guide's first curl)", async (domain) => {
    const host = `nginz-https.${domain}`;
    // as the guide asks: an explicit Host header; and as a browser does: the URL's host with its port
    for (const extra of [['-H', `Host: ${host}`], []]) {
      const res = await curl(`guide/${domain}`, host, '/deeplink.json', extra);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual(guide.deeplink(domain));
      expect((guide.deeplink(domain) as any).endpoints.backendURL).toBe(`https://${host}`);
      // HAProxy sent the checked host name as SNI, and nginx saw it as Host
      expect(res.header('x-seen-sni')).toBe(host);
      expect(res.header('x-seen-host')).toBe(host);
    }
  });

  test.each(Object.keys(GUIDE))("%s: another domain's Host header gets 403 (the guide's second curl)", async (domain) => {
    for (const other of Object.keys(GUIDE).filter((d) => d !== domain)) {
      const res = await curl(`guide/${domain}`, `nginz-https.${domain}`, '/deeplink.json', ['-H', `Host: nginz-https.${other}`]);
      expect({ other, status: res.status }).toEqual({ other, status: 403 });
      expect(res.body).toContain('403 Forbidden');
      expect(res.body).not.toContain(other);
    }
  });

  test.each([
    ['an unknown host', 'evil.example.com'],
    ['a sub-domain of the domain', 'nginz-https.x.red.example.com'],
    ["a host that ends like another domain's", 'nginz-https.red.example.com.blue.example.net'],
    ['the bare domain', 'red.example.com'],
    ["a host name of Wire's that is not served", 'federator.red.example.com'],
  ])('%s gets 403', async (_what, host) => {
    const res = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/deeplink.json', ['-H', `Host: ${host}`]);
    expect(res.status).toBe(403);
  });

  test('a sub-domain that is another domain of the backend cannot pass the parent domain\'s proxy', async () => {
    const own = await curl('nested/example.com', 'nginz-https.example.com', '/deeplink.json');
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toEqual(nested.deeplink('example.com'));
    for (const host of hosts('red.example.com')) {
      const res = await curl('nested/example.com', 'nginz-https.example.com', '/deeplink.json', ['-H', `Host: ${host}`]);
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
    }
  });

  test('HTTP/2 clients get the same answers', async () => {
    const own = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/deeplink.json', ['--http2']);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toEqual(guide.deeplink('red.example.com'));
    const other = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/deeplink.json', ['--http2', '-H', 'Host: nginz-https.blue.example.net']);
    expect(other.status).toBe(403);
  });

  test("a request line naming another domain's host is not forwarded", async () => {
    const res = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/deeplink.json', [
      '--http1.1',
      '--request-target',
      'https://nginz-https.blue.example.net/deeplink.json',
    ]);
    expect([400, 403]).toContain(res.status);
    expect(res.body).not.toContain('blue.example.net');
  });

  test("the backend's certificate is verified against the host name: a certificate of another domain is refused", async () => {
    const res = await curl('guide/red.example.com', 'teams.red.example.com', '/');
    expect(res.status).toBe(503);
    expect(res.body).not.toContain('wrong certificate');
    const fine = await curl('guide/red.example.com', 'webapp.red.example.com', '/');
    expect(fine.body).toBe('backend of red.example.com\n');
  });

  test('plain HTTP redirects its own hosts to HTTPS, refuses others, and passes ACME challenges to certbot', async () => {
    const redirect = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/deeplink.json?x=1', [], 'http');
    expect(redirect.status).toBe(301);
    expect(redirect.header('location')).toBe('https://nginz-https.red.example.com/deeplink.json?x=1');
    const other = await curl('guide/red.example.com', 'nginz-https.red.example.com', '/', ['-H', 'Host: nginz-https.blue.example.net'], 'http');
    expect(other.status).toBe(403);
    const challenge = await curl('guide/red.example.com', 'webapp.red.example.com', '/.well-known/acme-challenge/token-1', [], 'http');
    expect(challenge.status).toBe(200);
    expect(challenge.body).toBe(`certbot answers webapp.red.example.com:${proxies.get('guide/red.example.com')!.http}/.well-known/acme-challenge/token-1`);
    const foreignChallenge = await curl('guide/red.example.com', 'webapp.red.example.com', '/.well-known/acme-challenge/token-2', ['-H', 'Host: webapp.blue.example.net'], 'http');
    expect(foreignChallenge.status).toBe(403);
  });
});
