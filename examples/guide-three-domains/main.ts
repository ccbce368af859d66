/**
 * The guide's three-domain deployment: green.example.org is the default
 * domain, red.example.com and blue.example.net are additional domains with
 * the short ingress names the guide uses.
 *
 * Each domain gets its own public entry point (addresses from the
 * documentation ranges), where its DNS records point: a load balancer Service
 * in front of the ingress controller (wire.k8s.yaml), its address requested
 * as MetalLB 0.14.9+ reads it. The haproxy.cfg, certbot.sh and DNS records of
 * a VPS per domain (edge/<domain>/) are written too, for serving a domain
 * through a VPS instead. (In-cluster edge proxies instead of the load
 * balancers: `loadBalancer: { enabled: false }` and `edgeProxyScope`, a chart
 * of their own for the edge cluster.)
 *
 * Usage: main.ts [OUTDIR]   (default: synth-out/guide)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { LoadBalancerImplementation, MultiIngressBackend, WireApp } from '../../src';

const outdir = process.argv[2] ?? 'synth-out/guide';

const app = new WireApp({ outdir });
const chart = new Chart(app, 'wire');
let backend: MultiIngressBackend;
try {
  backend = new MultiIngressBackend(chart, 'backend', {
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com', 'blue.example.net'],
    ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
    entryPoints: {
      addresses: {
        'green.example.org': '203.0.113.10',
        'red.example.com': '198.51.100.20',
        'blue.example.net': '2001:db8::30',
      },
      // the backend's own address (its ingress controller's load balancer), where the edge proxies forward to
      backendAddress: '192.0.2.1',
      loadBalancer: { implementation: LoadBalancerImplementation.metallb() },
    },
  });
} catch (e) {
  // validation failed: nothing was written
  console.error((e as Error).message);
  process.exit(1);
}
try {
  app.synth();
} catch (e) {
  // the unlinkability audit (or another validation) failed: nothing was written
  console.error((e as Error).message);
  process.exit(1);
}

for (const file of (fs.readdirSync(outdir, { recursive: true }) as string[]).sort()) {
  const stat = fs.statSync(path.join(outdir, file));
  if (stat.isFile()) {
    console.log(`wrote ${path.join(outdir, file)} (${stat.size} bytes)`);
  }
}
const report = backend.audit();
console.log(
  `unlinkability audit: ${report.passed ? 'passed' : 'failed'}, ${report.warnings.length} warning(s): ` +
    report.warnings.map((w) => w.id).join(', '),
);
console.log('releases:');
for (const obj of [...backend.releaseObjects, ...backend.domainIngresses.flatMap((d) => d.releaseObjects)]) {
  console.log(`  ${obj.kind} ${obj.metadata.namespace}/${obj.name}`);
}
console.log('entry points:');
for (const d of backend.domainIngresses) {
  console.log(`  ${d.domain.name} at ${d.entryAddress}: Service ${d.loadBalancerService?.name}, edge proxy ${d.edgeProxy?.name}`);
}
console.log('Secrets to create before the releases install:');
for (const s of backend.expectedSecrets) {
  console.log(`  ${s.namespace}/${s.name} (key ${s.key}) for ${s.releaseName}`);
}
