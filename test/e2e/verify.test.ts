/**
 * `verify` against a live deployment on loopback: BIND's named serving each
 * domain's zone (SOA and NS written by the test, then the library's own
 * dns.zone records as synthesized; every zone passes named-checkzone), the
 * generated HAProxy of each domain (ports rewritten only) in front of nginx
 * standing in for the Wire backend (each domain's deeplink from the
 * synthesized values, its own certificate from a test CA). The command line
 * synthesizes the configuration, then verifies it.
 *
 * The honest deployment passes, for the guide's three domains and for 20;
 * each injected fault is caught and named, with the domain and the evidence.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { NginxServer, checkZone, freePorts, nginxConfig, rewriteEdgeConfig, startHaproxy, startNamed, startNginx, zoneFile } from './stack';
import { Daemon, describeIf, describeWithTools, freePort, makeCertificates, replaceExactly, tempDir } from './tools';
import { WireDomain } from '../../src';
import { main } from '../../src/cli/main';
import { hostPort, parseIpAddress } from '../../src/edge/addresses';
import { runVerify } from '../../src/verify/command';
import { REPORT_FILES } from '../../src/verify/report';
import { VerifyFinding } from '../../src/verify/verify';
import { captureWarnings } from '../util';

jest.setTimeout(120_000);

const BACKEND = '127.0.0.10';
const GUIDE: { [domain: string]: string } = { 'green.example.org': '127.0.3.1', 'red.example.com': '127.0.3.2', 'blue.example.net': '127.0.3.3' };
/** 20 domains, each under its own registrable domain, at 127.0.4.1 to 127.0.4.20. */
const TWENTY: { [domain: string]: string } = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`site${i}.verify-${i}.${['com', 'net', 'org', 'de'][i % 4]}`, `127.0.4.${i + 1}`]));
/**
 * A domain on IPv6 (the loopback ::1, the one IPv6 address every machine
 * has) beside one on IPv4: its records are AAAA, its proxy binds [::]:443.
 */
const SIX = 'chat.six-only.org';
const FOUR = 'chat.four-only.net';
const DUAL: { [domain: string]: string } = { [SIX]: '::1', [FOUR]: '127.0.5.1' };
const IPV6_LOOPBACK = Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === '::1'));
const RED = 'red.example.com';
const BLUE = 'blue.example.net';
const GREEN = 'green.example.org';

interface Proxy {
  readonly address: string;
  readonly https: number;
  readonly http: number;
}

describeWithTools(['haproxy', 'nginx', 'openssl', 'named', 'named-checkzone', 'timeout'], 'verify against a live loopback deployment (named, haproxy, nginx)', (tools) => {
  let dir: string;
  let certs: string;
  const daemons: Daemon[] = [];
  const ports: { [name: string]: number } = {};
  /** The proxies by name: `<domain>`, or `<fault>` for red's faulty proxies. */
  const proxies = new Map<string, Proxy>();
  /** The DNS servers by name: honest, wrong-record, shared-ns. */
  const dns = new Map<string, number>();
  const configs: { [name: string]: string } = {};
  const hosts = (d: string) => WireDomain.parse(d).hostNames;

  /** Write a configuration file and synthesize it with the command line, as an operator does. */
  function synthConfig(name: string, addresses: { [domain: string]: string }): string {
    const [defaultDomain, ...additionalDomains] = Object.keys(addresses);
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        defaultDomain,
        additionalDomains,
        entryPoints: { addresses, backendAddress: BACKEND, haproxy: { certificateDirectory: certs, caFile: path.join(certs, 'ca.crt') } },
      }),
    );
    const errors: string[] = [];
    const output = captureWarnings();
    let code: number;
    try {
      code = main(['synth', '--config', file, '--out', path.join(dir, name), '--quiet'], () => undefined, (s) => errors.push(s));
    } finally {
      output.restore();
    }
    if (code !== 0) throw new Error(`synth of ${name} failed: ${errors.join('')}`);
    return file;
  }
  const synthesized = (name: string, relative: string) => fs.readFileSync(path.join(dir, name, ...relative.split('/')), 'utf8');
  /** The document nginz serves for a domain: the synthesized wire-server values' (written by beforeAll). */
  const deeplinkFile = (domain: string) => path.join(dir, `deeplink-${domain}.json`);

  beforeAll(async () => {
    dir = tempDir('verify-e2e-');
    certs = path.join(dir, 'certs');
    fs.mkdirSync(certs);
    await makeCertificates(tools.openssl, certs, {
      ...Object.fromEntries([...Object.keys(GUIDE), ...Object.keys(TWENTY), ...Object.keys(DUAL)].map((d) => [d, hosts(d)])),
      // a fault: red's certificate also carries one of blue's names
      'red-foreign-name': [...hosts(RED), `nginz-https.${BLUE}`],
      // a fault: red's certificate also carries a name of no served domain
      'red-outside-name': [...hosts(RED), 'cdn.shared-edge.test'],
    });
    configs.guide = synthConfig('guide', GUIDE);
    configs.twenty = synthConfig('twenty', TWENTY);
    configs.dual = synthConfig('dual', DUAL);

    // the deeplink documents, from the synthesized wire-server values
    const deployments: { [name: string]: { [domain: string]: string } } = { guide: GUIDE, twenty: TWENTY, ...(IPV6_LOOPBACK ? { dual: DUAL } : {}) };
    for (const [name, addresses] of Object.entries(deployments)) {
      const ws = parseAllDocuments(synthesized(name, 'wire.k8s.yaml')).map((d) => d.toJSON()).find((o) => o.kind === 'HelmChart' && o.metadata.name === 'wire-server');
      const nginz = parse(ws.spec.valuesContent).nginz.nginx_conf;
      for (const d of Object.keys(addresses)) {
        fs.writeFileSync(deeplinkFile(d), JSON.stringify(d === nginz.external_env_domain ? nginz.deeplink : nginz.multi_ingress_deeplink[d]));
      }
    }

    // the stand-in backend: the honest one, and two with a fault in red's answers
    for (const p of ['honest', 'csp', 'deeplink']) ports[p] = await freePort(BACKEND);
    ports.certbot = await freePort('127.0.0.1');
    const server = (port: string, d: string, extra = '', deeplinkOf = d): NginxServer => ({
      listen: `${BACKEND}:${ports[port]}`,
      names: hosts(d),
      cert: path.join(certs, `${d}.crt`),
      key: path.join(certs, `${d}.key`),
      directives: `${extra}
    location = /deeplink.json { default_type application/json; alias ${deeplinkFile(deeplinkOf)}; }
    location = /config.js { default_type application/javascript; return 200 "window.wire = { env: { BACKEND_REST: 'https://nginz-https.${d}' } };\\n"; }
    location / { default_type text/html; return 200 "<html>webapp of ${d}</html>\\n"; }`,
    });
    const fallback = (port: string): NginxServer => ({ listen: `${BACKEND}:${ports[port]}`, names: [], cert: path.join(certs, `${GREEN}.crt`), key: path.join(certs, `${GREEN}.key`), directives: 'return 421;' });
    const servers = [
      fallback('honest'),
      ...Object.values(deployments).flatMap((addresses) => Object.keys(addresses).map((d) => server('honest', d))),
      fallback('csp'),
      server(
        'csp',
        RED,
        `add_header Content-Security-Policy "default-src 'self'; connect-src https://nginz-https.${RED} https://nginz-https.${BLUE}" always;
    add_header Access-Control-Allow-Origin $http_origin always;
    add_header Via "1.1 wire-backend-1" always;
    add_header Server "nginx (wire backend)" always;`,
      ),
      fallback('deeplink'),
      server('deeplink', RED, '', BLUE),
    ];
    daemons.push(await startNginx(tools.nginx, dir, 'nginx', nginxConfig(dir, servers), BACKEND, ports.honest));

    // the generated edge proxies, and red's faulty ones
    const startProxy = async (name: string, cfg: string, address: string, backendPort: number = ports.honest) => {
      const proxy: Proxy = { address, ...(await freePorts(address)) };
      const rewritten = rewriteEdgeConfig(cfg, { ...proxy, backend: `${BACKEND}:${backendPort}`, certbotPort: ports.certbot });
      daemons.push(await startHaproxy(tools.haproxy, path.join(dir, `haproxy-${name}.cfg`), rewritten, address, proxy.https));
      proxies.set(name, proxy);
    };
    for (const [name, addresses] of Object.entries(deployments)) {
      for (const [d, address] of Object.entries(addresses)) await startProxy(d, synthesized(name, `edge/${d}/haproxy.cfg`), address);
    }
    const red = synthesized('guide', `edge/${RED}/haproxy.cfg`);
    const redPem = `crt ${path.join(certs, `${RED}.pem`)} `;
    await startProxy('foreign-host', replaceExactly(red, `    acl own_host var(txn.host) -m str nginz-https.${RED}\n`, `$&    acl own_host var(txn.host) -m str nginz-https.${BLUE}\n`, 2), GUIDE[RED]);
    await startProxy('foreign-name', replaceExactly(red, redPem, `crt ${path.join(certs, 'red-foreign-name.pem')} `), GUIDE[RED]);
    await startProxy('outside-name', replaceExactly(red, redPem, `crt ${path.join(certs, 'red-outside-name.pem')} `), GUIDE[RED]);
    // red's proxy also holds blue's certificate, and picks it for blue's SNI
    await startProxy('foreign-sni', replaceExactly(red, redPem, `${redPem}crt ${path.join(certs, `${BLUE}.pem`)} `), GUIDE[RED]);
    await startProxy('shared-certificate', replaceExactly(red, redPem, `crt ${path.join(certs, `${BLUE}.pem`)} `), GUIDE[RED]);
    await startProxy('csp', red, GUIDE[RED], ports.csp);
    await startProxy('deeplink', red, GUIDE[RED], ports.deeplink);

    // DNS: each domain's zone with its own NS and SOA contact, then its dns.zone records as synthesized
    const zonesOf = (name: string, faults: { [domain: string]: (zone: string) => string } = {}) => {
      const served = name === 'honest' ? deployments : name.startsWith('dual-') ? { dual: DUAL } : { guide: GUIDE };
      const all = Object.fromEntries(Object.entries(served).flatMap(([deployment, addresses]) => Object.keys(addresses).map((d) => [d, deployment])));
      const files: { [zone: string]: string } = {};
      for (const [d, deployment] of Object.entries(all)) {
        const text = zoneFile(d, synthesized(deployment, `edge/${d}/dns.zone`), { nameservers: [`ns1.${d}`], hostmaster: `hostmaster.${d}`, nameserverAddress: '127.0.0.1' });
        files[d] = path.join(dir, `zones-${name}`, `${d}.zone`);
        fs.mkdirSync(path.dirname(files[d]), { recursive: true });
        fs.writeFileSync(files[d], (faults[d] ?? ((z) => z))(text));
      }
      return files;
    };
    const sharedNs = (d: string) => (z: string) => replaceExactly(replaceExactly(z, `ns1.${d}. 3600 IN A 127.0.0.1\n`, ''), `ns1.${d}.`, 'ns.shared-dns.test.', 2);
    const zoneSets: { [name: string]: { [zone: string]: string } } = {
      'honest': zonesOf('honest'),
      // red's API name points at blue's entry address
      'wrong-record': zonesOf('wrong-record', { [RED]: (z) => replaceExactly(z, /^(nginz-https\.red\.example\.com\. +3600 IN A +)127\.0\.3\.2$/, `$1${GUIDE[BLUE]}`) }),
      // green's and red's zones are served by one nameserver
      'shared-ns': zonesOf('shared-ns', { [GREEN]: sharedNs(GREEN), [RED]: sharedNs(RED) }),
      // a dual-stack slip: the IPv4 domain's API name also gets an AAAA record, the IPv6 domain's address
      ...(IPV6_LOOPBACK ? { 'dual-aaaa': zonesOf('dual-aaaa', { [FOUR]: (z) => replaceExactly(z, /^(nginz-https\.chat\.four-only\.net\. +3600 IN A +127\.0\.5\.1)$/, `$1\nnginz-https.${FOUR}. 3600 IN AAAA ::1`) }) } : {}),
    };
    for (const [name, zones] of Object.entries(zoneSets)) {
      for (const [zone, file] of Object.entries(zones)) await checkZone(tools['named-checkzone'], zone, file);
      const named = await startNamed(tools.named, path.join(dir, `named-${name}`), zones);
      daemons.push(named.daemon);
      dns.set(name, named.port);
    }
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Run `verify --json` against a deployment, with red's entry point replaced by a faulty proxy if asked. */
  async function verifyRun(config: string, domains: readonly string[], options: { dns?: string; red?: string; report?: string } = {}) {
    const args = ['--config', configs[config], '--json', '--ca', path.join(certs, 'ca.crt'), '--dns-server', `127.0.0.1:${dns.get(options.dns ?? 'honest')}`, '--timeout', '5'];
    for (const d of domains) {
      const p = proxies.get(d === RED && options.red ? options.red : d)!;
      const address = parseIpAddress(p.address, 'the test address');
      args.push('--connect', `${d}=${hostPort(address, p.https)}`, '--connect', `${d}:80=${hostPort(address, p.http)}`);
    }
    if (options.report) args.push('--report', options.report);
    let stdout = '';
    let stderr = '';
    const code = await runVerify(args, (s) => (stdout += s), (s) => (stderr += s));
    const report = JSON.parse(stdout) as { passed: boolean; findings: VerifyFinding[]; probes: { dns: number; tls: number; http: number } };
    return { code, report, stderr, errors: report.findings.filter((f) => f.severity === 'error') };
  }

  test("the guide's three domains pass every check, and the report says what was probed", async () => {
    const report = path.join(dir, 'report-guide');
    const r = await verifyRun('guide', Object.keys(GUIDE), { report });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    // per domain: 6 host names (A/AAAA) + NS/SOA; 6 own names + 2 foreign SNIs; deeplink, 2 foreign + 1 unknown Host, 2 webapp, 2 redirects
    expect(r.report.probes).toEqual({ dns: 3 * 8, tls: 3 * 8, http: 3 * 8 });
    expect(fs.readFileSync(path.join(report, REPORT_FILES.markdown), 'utf8')).toContain('Passed: 3 domain(s), 0 error finding(s)');
    expect(JSON.parse(fs.readFileSync(path.join(report, REPORT_FILES.json), 'utf8'))).toEqual(r.report);
  });

  test('20 domains pass, with progress on stderr', async () => {
    const r = await verifyRun('twenty', Object.keys(TWENTY));
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('verify: 20/20 domains probed');
  });

  const only = (findings: VerifyFinding[], id: string | RegExp) => findings.filter((f) => (typeof id === 'string' ? f.id === id : id.test(f.id)));

  test("a proxy that also accepts another domain's Host header", async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'foreign-host' });
    expect(r.code).toBe(1);
    const [f] = only(r.errors, `foreign-host:${RED}:${BLUE}`);
    expect(f.domains).toEqual([RED, BLUE]);
    expect(f.evidence).toMatch(/^status 200, body /);
    expect(f.message).toContain(`answers 200 for the Host nginz-https.${BLUE}`);
  });

  test("a certificate that carries another domain's name", async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'foreign-name' });
    expect(r.code).toBe(1);
    const found = r.errors.filter((f) => f.check === 'foreign-domain' && f.probe === `TLS certificate of nginz-https.${RED}`);
    // on a mismatch, the failure shows every error finding of the run
    expect({ domains: found.map((f) => f.domains), errors: found.length === 1 ? [] : r.errors.map((f) => `${f.id}: ${f.evidence}`) }).toEqual({ domains: [[RED, BLUE]], errors: [] });
    expect(found[0].evidence).toContain(`nginz-https.${BLUE}`);
  });

  test('a certificate that carries a name of no served domain', async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'outside-name' });
    expect(r.code).toBe(1);
    expect(r.errors.map((f) => [f.id, f.domains])).toEqual([[`tls-outside-name:${RED}:cdn.shared-edge.test`, [RED]]]);
  });

  test("another domain's SNI at this domain's address gets that domain's certificate", async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'foreign-sni' });
    expect(r.code).toBe(1);
    expect(r.errors.map((f) => [f.id, f.domains])).toEqual([[`foreign-sni:${RED}:${BLUE}`, [RED, BLUE]]]);
    expect(r.errors[0].evidence).toContain(`nginz-https.${BLUE}`);
  });

  test('one certificate shared by two domains', async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'shared-certificate' });
    expect(r.code).toBe(1);
    const shared = only(r.errors, /^shared-certificate:/);
    expect(shared.map((f) => f.domains)).toEqual([[BLUE, RED]]);
    expect(only(r.errors, /^shared-key:/).map((f) => f.domains)).toEqual([[BLUE, RED]]);
    expect(only(r.errors, `tls-name:nginz-https.${RED}`)).toHaveLength(1);
  });

  test("a zone record that points at another domain's address", async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { dns: 'wrong-record' });
    expect(r.code).toBe(1);
    const [f] = only(r.errors, `shared-address:${GUIDE[BLUE]}`);
    expect(f.domains).toEqual([RED, BLUE]);
    expect(f.evidence).toBe(`nginz-https.${RED} -> ${GUIDE[BLUE]}`);
    expect(f.message).toContain(`the entry address of ${BLUE}`);
  });

  test('a shared NS set', async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { dns: 'shared-ns' });
    expect(r.code).toBe(1);
    expect(r.errors.map((f) => [f.id, f.domains])).toEqual([['shared-nameserver:ns.shared-dns.test', [GREEN, RED]]]);
  });

  test('a CSP header naming another domain; an Origin of another domain allowed; a Via header; a Server header beyond a product name', async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'csp' });
    expect(r.code).toBe(1);
    const found = r.errors.filter((f) => f.check === 'foreign-domain' && f.evidence.startsWith('header content-security-policy: '));
    // red's backend adds it to every answer: the deeplink, the webapp's page and its config.js
    expect(found.map((f) => [f.probe, f.domains]).sort()).toEqual([
      [`HTTPS GET https://nginz-https.${RED}/deeplink.json`, [RED, BLUE]],
      [`HTTPS GET https://webapp.${RED}/`, [RED, BLUE]],
      [`HTTPS GET https://webapp.${RED}/config.js`, [RED, BLUE]],
    ]);
    expect(found[0].evidence).toContain(`https://nginz-https.${BLUE}`);
    // the deeplink is asked for with the Origin of another domain's webapp (the first other domain: green)
    const cors = r.errors.filter((f) => f.check === 'foreign-domain' && f.evidence.startsWith('header access-control-allow-origin: '));
    expect(cors.map((f) => [f.domains, f.evidence])).toEqual([[[RED, GREEN], `header access-control-allow-origin: "https://webapp.${GREEN}"`]]);
    expect(only(r.errors, `via-header:${RED}`).map((f) => f.evidence)).toEqual(['via: 1.1 wire-backend-1']);
    expect(only(r.errors, `server-header:${RED}`).map((f) => f.evidence)).toEqual(['server: nginx (wire backend)']);
  });

  test('a deeplink document of another domain', async () => {
    const r = await verifyRun('guide', Object.keys(GUIDE), { red: 'deeplink' });
    expect(r.code).toBe(1);
    const [f] = only(r.errors, `deeplink:${RED}`);
    expect(f.domains).toEqual([RED]);
    expect(f.evidence).toContain(`nginz-https.${BLUE}`);
    expect(r.errors.filter((x) => x.check === 'foreign-domain' && x.evidence.startsWith('body: ')).map((x) => x.domains)).toEqual([[RED, BLUE]]);
  });

  describeIf(IPV6_LOOPBACK, 'needs the IPv6 loopback address ::1 on this machine', 'a domain on IPv6 beside one on IPv4', () => {
    test('both pass every check: the IPv6 domain\'s names resolve by AAAA to its address, and its proxy answers there', async () => {
      const r = await verifyRun('dual', Object.keys(DUAL));
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(0);
      // per domain: 6 host names (A/AAAA) + NS/SOA; 6 own names + 1 foreign SNI; deeplink, 1 foreign + 1 unknown Host, 2 webapp, 2 redirects
      expect(r.report.probes).toEqual({ dns: 2 * 8, tls: 2 * 7, http: 2 * 7 });
    });

    test("an AAAA record of the IPv4 domain that points at the IPv6 domain's address", async () => {
      const r = await verifyRun('dual', Object.keys(DUAL), { dns: 'dual-aaaa' });
      expect(r.code).toBe(1);
      const [f] = only(r.errors, 'shared-address:::1');
      expect(f.domains).toEqual([FOUR, SIX]);
      expect(f.evidence).toBe(`nginz-https.${FOUR} -> 127.0.5.1, ::1`);
      expect(f.message).toContain(`the entry address of ${SIX}`);
    });
  });
});
