/**
 * A renewed certificate reaches the in-cluster edge proxy, with real
 * programs on loopback: HAProxy runs the generated haproxy.cfg the way the
 * image runs it (`haproxy -W -db` plus the Deployment's args), the reloader
 * runs the Deployment's own script with `sh`, and the certificate folder is
 * laid out and replaced the way the kubelet updates a mounted Secret (files
 * are links through `..data`, which is swapped atomically).
 *
 * Rewritten for the test only: the folders (below a temporary one), the
 * listening ports (127.0.0.x:<free port> instead of :8443 and :8080) and the
 * reloader's interval (1 s instead of 10 s).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tls from 'tls';
import { Chart, Testing } from 'cdk8s';
import { Daemon, describeWithTools, freePort, makeCertificates, replaceExactly, tempDir, waitForPort } from './tools';
import { EdgeProxy, WireDomain } from '../../src';
import { CONTAINER_CONFIG_DIR, CONTAINER_PID_FILE, CONTAINER_TLS_DIR, RELOAD_CHECK_SECONDS } from '../../src/edge/haproxy';

jest.setTimeout(60_000);

const DOMAIN = 'red.example.com';
const HOST = '127.0.0.7';

/** The serial number of the certificate served for `servername`. */
function servedSerial(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: HOST, port, servername, rejectUnauthorized: false }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.once('error', reject);
  });
}

async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithTools(['haproxy', 'openssl', 'sh', 'timeout'], 'a renewed certificate reaches the in-cluster edge proxy (haproxy, sh)', (tools) => {
  let dir: string;
  const daemons: Daemon[] = [];

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the reloader makes HAProxy serve the new certificate; without it HAProxy keeps the old one', async () => {
    dir = tempDir('wire-reload-');
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'wire-edge' });
    const proxy = new EdgeProxy(chart, 'red', { domain: DOMAIN, address: '198.51.100.20', backendAddress: '192.0.2.1' });
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    const [haproxyContainer, reloader] = deployment.spec.template.spec.containers;

    // a certificate now and its renewal (serials 2 and 3), for the domain's host names, one CA
    const certs = path.join(dir, 'certs');
    fs.mkdirSync(certs);
    const hosts = WireDomain.parse(DOMAIN).hostNames;
    await makeCertificates(tools.openssl, certs, { [DOMAIN]: hosts, renewed: hosts });

    // the Secret's volume as the kubelet writes it: <dir>/..<timestamp>/files, ..data -> it, file -> ..data/file
    const tlsDir = path.join(dir, 'tls');
    fs.mkdirSync(tlsDir);
    const secretVersion = (name: string, certificate: string) => {
      const version = path.join(tlsDir, name);
      fs.mkdirSync(version);
      fs.copyFileSync(path.join(certs, `${certificate}.crt`), path.join(version, 'edge.pem'));
      fs.copyFileSync(path.join(certs, `${certificate}.key`), path.join(version, 'edge.pem.key'));
      fs.copyFileSync(path.join(certs, 'ca.crt'), path.join(version, 'ca.crt'));
      fs.symlinkSync(name, path.join(tlsDir, '..data_tmp'));
      fs.renameSync(path.join(tlsDir, '..data_tmp'), path.join(tlsDir, '..data')); // atomic, as the kubelet does
    };
    secretVersion('..2026_01_01_00_00_00.1', DOMAIN);
    for (const f of ['edge.pem', 'edge.pem.key', 'ca.crt']) fs.symlinkSync(path.join('..data', f), path.join(tlsDir, f));

    // two proxies on the same Secret: one with the reloader, one without
    const runDir = path.join(dir, 'run');
    fs.mkdirSync(runDir);
    const start = async (name: string) => {
      const https = await freePort(HOST);
      const http = await freePort(HOST);
      let config = replaceExactly(proxy.haproxyConfig, CONTAINER_TLS_DIR, tlsDir, 4); // two in the comment, crt and ca-file;
      config = replaceExactly(config, /^(\s*bind) :8443 /, `$1 ${HOST}:${https} `);
      config = replaceExactly(config, /^(\s*bind) :8080$/, `$1 ${HOST}:${http}`);
      fs.writeFileSync(path.join(dir, `${name}.cfg`), config);
      const pidFile = path.join(runDir, `${name}.pid`);
      // the image's entrypoint: haproxy -W -db <args>
      const args = haproxyContainer.args.map((a: string) => a.replace(`${CONTAINER_CONFIG_DIR}/haproxy.cfg`, path.join(dir, `${name}.cfg`)).replace(CONTAINER_PID_FILE, pidFile));
      expect(args).toEqual(['-f', path.join(dir, `${name}.cfg`), '-p', pidFile]);
      const log = path.join(dir, `${name}.log`);
      const daemon = new Daemon(tools.haproxy, ['-W', '-db', ...args], log, 50);
      daemons.push(daemon);
      await waitForPort(HOST, https, 10_000, daemon, log);
      await eventually(`${name} writes its pid file`, 5_000, async () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '');
      return { https, pidFile };
    };
    const watched = await start('watched');
    const unwatched = await start('unwatched');

    let script: string = reloader.command[2];
    script = replaceExactly(script, `tls=${CONTAINER_TLS_DIR}`, `tls=${tlsDir}`);
    script = replaceExactly(script, `pidfile=${CONTAINER_PID_FILE}`, `pidfile=${watched.pidFile}`);
    script = replaceExactly(script, `sleep ${RELOAD_CHECK_SECONDS}`, 'sleep 1');
    const reloaderLog = path.join(dir, 'reloader.log');
    daemons.push(new Daemon(tools.sh, ['-c', script], reloaderLog, 50));

    const sni = `nginz-https.${DOMAIN}`;
    expect(await servedSerial(watched.https, sni)).toBe('02');
    expect(await servedSerial(unwatched.https, sni)).toBe('02');
    await new Promise((r) => setTimeout(r, 1500)); // the reloader has taken its first checksum

    // cert-manager renews: the kubelet swaps the Secret's files
    secretVersion('..2026_02_01_00_00_00.2', 'renewed');
    expect(fs.readFileSync(path.join(tlsDir, 'edge.pem'))).toEqual(fs.readFileSync(path.join(certs, 'renewed.crt')));

    await eventually('the watched proxy serves the renewed certificate', 20_000, async () => (await servedSerial(watched.https, sni)) === '03');
    expect(fs.readFileSync(reloaderLog, 'utf8')).toContain('certificate changed: haproxy reloads it');
    // HAProxy itself does not look at the files again: the unwatched one still serves the old certificate
    expect(await servedSerial(unwatched.https, sni)).toBe('02');
    // and the same master still runs (reloaded, not restarted)
    expect(fs.readFileSync(path.join(dir, 'watched.log'), 'utf8')).toMatch(/Reloading HAProxy/);
  });
});
