/**
 * WireApp writes its manifests with the library's own YAML writer; a plain
 * cdk8s App with cdk8s' (the `yaml` library). Switching from one to the other
 * must change no byte of a manifest file, or a GitOps repository would see a
 * diff for nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { MultiIngressBackend, WireApp } from '../src';
import { captureWarnings, GUIDE, tempDir } from './util';
import { edgeProxyNamespace, loadConfig, toProps } from '../src/cli/config';

const FORMATS = ['helmchart', 'flux', 'argocd', 'values'] as const;

/** A configuration with every option set (entry points with in-cluster edge proxies, cert-manager, SSO, calling, values). */
const EVERYTHING = `defaultDomain: green.example.org
additionalDomains:
  - red.example.com
  - blue.example.net
ingressNames:
  red.example.com: red
  blue.example.net: blue
namespace: wire
wireServerChart: { repository: https://charts.example.org/wire, version: 5.32.0 }
webappChart: { repository: oci://registry.example.org/charts, version: 0.8.0-pre.1 }
ingressServicesChart: { repository: https://charts.example.org/wire, version: "5.32.0" }
wireServerValues:
  galley: { config: { settings: { maxTeamSize: 500 } } }
  note: "yes"
  ratio: 0.5
  octal: "010"
  motd: "line one\\nline two\\n"
  empty: ""
  date: "2001-12-14"
webappValues: { replicaCount: 2, envVars: { FEATURE_ENABLE_DEBUG: "false", APP_NAME: Wire (test) } }
ingressServicesValues: { config: { renderCSPInIngress: true } }
wireServerSecretName: wire-server-secrets
teamSettings: true
accountPages: true
tls:
  mode: cert-manager
  certmasterEmail: hostmaster@{domain}
  issuerKind: ClusterIssuer
  issuerName: letsencrypt-http01
  staging: true
sso:
  contacts:
    - { type: ContactTechnical, company: Example Ltd., email: "email:ops@example.org", givenName: Zoë, surname: O'Brien, phone: "+49 30 1234567" }
  scimBaseUri: https://nginz-https.green.example.org/scim/v2
calling:
  turnUris: ["turn:turn.calling.example:3478", "turns:turn.calling.example:5349?transport=tcp"]
  sftUrl: https://sft.calling.example:443
emitNamespaces: true
entryPoints:
  backendAddress: 192.0.2.1
  addresses:
    green.example.org: 203.0.113.10
    red.example.com: 198.51.100.20
    blue.example.net: 2001:db8::30
  edgeProxies: true
  edgeProxyNamespace: wire-edge
  loadBalancer:
    enabled: false
  haproxy:
    httpRedirect: true
    certbotPort: 8080
    acmeEmail: hostmaster@{domain}
    replicas: 2
  dns:
    ttl: 300
    wildcard: true
`;

/** The format's own options, on. */
const FORMAT_OPTIONS: { [format: string]: string } = {
  helmchart: 'format:\n  type: helmchart\n  namespace: kube-system\n  createNamespace: true\n  timeout: 15m0s\n  failurePolicy: abort\n  backOffLimit: 3\n',
  flux: 'format:\n  type: flux\n  namespace: flux-system\n  interval: 10m\n  repositoryInterval: 1h\n  timeout: 15m0s\n  retries: 3\n  driftDetection: warn\n',
  argocd: 'format:\n  type: argocd\n  namespace: argocd\n  project: wire\n  destinationServer: https://kubernetes.default.svc\n  automatedSync: true\n  prune: true\n  resourcesFinalizer: true\n  secretValuesRepository:\n    repoURL: https://git.example.org/ops/wire-secrets.git\n    targetRevision: main\n    path: wire-secrets\n',
  values: 'format:\n  type: values\n  secretsFolder: wire-secrets\n',
};

/** The manifest files (`*.k8s.yaml`) an app writes, by name. */
function manifests(dir: string): { [file: string]: string } {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.k8s.yaml'))
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** Synthesize the same deployment with `new Kind({ outdir })`; the manifest files written. */
function synthWith(Kind: typeof App, build: (app: App) => void): { [file: string]: string } {
  const outdir = tempDir('app-bytes-');
  const app = new Kind({ outdir });
  build(app);
  const warned = captureWarnings();
  try {
    app.synth();
  } finally {
    warned.restore();
  }
  return manifests(outdir);
}

describe('WireApp and a plain cdk8s App write the same manifest bytes', () => {
  test('the guide example', () => {
    const build = (app: App) => new MultiIngressBackend(new Chart(app, 'wire'), 'backend', GUIDE);
    const wire = synthWith(WireApp, build);
    expect(Object.keys(wire)).toEqual(['wire.k8s.yaml']);
    expect(wire).toEqual(synthWith(App, build));
  });

  test.each(FORMATS)('every option on, in the %s format', (format) => {
    const dir = tempDir('app-bytes-config-');
    const file = path.join(dir, 'multi-ingress.yaml');
    fs.writeFileSync(file, EVERYTHING + FORMAT_OPTIONS[format]);
    const config = loadConfig(file);
    const build = (app: App) => {
      const namespace = edgeProxyNamespace(config);
      const edge = namespace === undefined ? undefined : new Chart(app, 'edge', { namespace });
      new MultiIngressBackend(new Chart(app, 'wire'), 'backend', toProps(config, { edgeProxyScope: edge }));
    };
    const wire = synthWith(WireApp, build);
    // the edge proxies' chart and the deployment's, each in its file
    expect(Object.keys(wire)).toEqual(['edge.k8s.yaml', 'wire.k8s.yaml']);
    const plain = synthWith(App, build);
    for (const name of Object.keys(wire)) {
      // compared line by line first: a difference shows where it is
      expect({ name, lines: wire[name].split('\n') }).toEqual({ name, lines: plain[name].split('\n') });
    }
    expect(wire).toEqual(plain);
  });
});
