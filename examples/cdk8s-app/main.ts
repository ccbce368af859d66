// A minimal cdk8s app: the guide's three domains, HelmChart objects for k3s/RKE2.
// `npm run synth` writes synth-out/wire.k8s.yaml and the audit report synth-out/audit/.
import { Chart } from 'cdk8s';
// eslint-disable-next-line import/no-unresolved -- installed from the registry (or the packed tarball) in the app's own folder
import { MultiIngressBackend, WireApp } from 'cdk8s-wire-multi-ingress';

// WireApp is a cdk8s App that also writes the non-manifest files (the audit report);
// cdk8s synth tells the app where to write through CDK8S_OUTDIR
const app = new WireApp();
const chart = new Chart(app, 'wire');
new MultiIngressBackend(chart, 'backend', {
  defaultDomain: 'green.example.org',
  additionalDomains: ['red.example.com', 'blue.example.net'],
  ingressNames: { 'red.example.com': 'red', 'blue.example.net': 'blue' },
});
app.synth();
