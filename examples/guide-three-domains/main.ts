/**
 * The guide's three-domain deployment: green.example.org is the default
 * domain, red.example.com and blue.example.net are additional domains with
 * the short ingress names the guide uses.
 *
 * Usage: main.ts [OUTDIR]   (default: synth-out/guide)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { MultiIngressBackend, WireApp } from '../../src';

const outdir = process.argv[2] ?? 'synth-out/guide';

const app = new WireApp({ outdir });
const chart = new Chart(app, 'wire');
let backend: MultiIngressBackend;
try {
  backend = new MultiIngressBackend(chart, 'backend', {
    defaultDomain: 'green.example.org',
    additionalDomains: ['red.example.com', 'blue.example.net'],
    ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
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
console.log('Secrets to create before the releases install:');
for (const s of backend.expectedSecrets) {
  console.log(`  ${s.namespace}/${s.name} (key ${s.key}) for ${s.releaseName}`);
}
