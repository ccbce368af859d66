import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { DomainIngress, MultiIngressBackend, MultiIngressBackendProps, ReleaseFormat, WireApp } from '../src';
import { GUIDE, captureWarnings, tempDir, validateObjects } from './util';
import { main } from '../src/cli/main';

const ENTRY_POINTS = {
  addresses: { 'green.example.org': '203.0.113.10', 'red.example.com': '198.51.100.20', 'blue.example.net': '2001:db8::30' },
  backendAddress: '192.0.2.1',
};
const FORMATS: { [name: string]: () => ReleaseFormat } = {
  helmchart: () => ReleaseFormat.helmChart(),
  flux: () => ReleaseFormat.flux(),
  argocd: () => ReleaseFormat.argoCd({ secretValuesRepository: { repoURL: 'https://git.example.org/ops/wire-secrets.git' } }),
  values: () => ReleaseFormat.valuesFiles(),
};
/** Namespaces the engine runs in, which exist wherever it does (and every cluster's own). */
const EXISTING = ['kube-system', 'flux-system', 'argocd', 'default'];

/**
 * The guide as files: through load balancers (Services in wire.k8s.yaml) or through in-cluster edge
 * proxies (edge.k8s.yaml; a domain has one entry point).
 */
function deploy(props: Partial<MultiIngressBackendProps> = {}, via: 'load balancers' | 'edge proxies' = 'load balancers', edgeNamespace = 'wire-edge'): { wire: any[]; edge: any[] } {
  const outdir = tempDir('namespaces-');
  const app = new WireApp({ outdir });
  const edge = new Chart(app, 'edge', { namespace: edgeNamespace });
  const entry = via === 'edge proxies' ? { ...ENTRY_POINTS, loadBalancer: { enabled: false }, edgeProxyScope: edge } : ENTRY_POINTS;
  new MultiIngressBackend(new Chart(app, 'wire'), 'backend', { ...GUIDE, ...props, entryPoints: entry });
  const output = captureWarnings();
  try {
    app.synth();
  } finally {
    output.restore();
  }
  const read = (file: string) => {
    const text = path.join(outdir, file);
    return fs.existsSync(text) ? parseAllDocuments(fs.readFileSync(text, 'utf8')).map((d) => d.toJSON()) : [];
  };
  return { wire: read('wire.k8s.yaml'), edge: read('edge.k8s.yaml') };
}

const namespaceObjects = (objects: any[]) => objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace');
const usedNamespaces = (objects: any[]) =>
  [...new Set(objects.map((o) => o.metadata.namespace).filter((n) => n !== undefined && !EXISTING.includes(n)))].sort();

describe('every namespace the plain objects use is created in the same file, first', () => {
  test.each(Object.keys(FORMATS).flatMap((f) => [[f, 'load balancers'], [f, 'edge proxies']] as const))('%s, through %s', (format, via) => {
    const { wire, edge } = deploy({ releaseFormat: FORMATS[format]() }, via);
    const expectedIn = { 'wire.k8s.yaml': via === 'load balancers' ? ['wire'] : [], 'edge.k8s.yaml': via === 'edge proxies' ? ['wire-edge'] : [] };
    for (const [file, objects] of [
      ['wire.k8s.yaml', wire],
      ['edge.k8s.yaml', edge],
    ] as const) {
      const expected = expectedIn[file];
      // derived from the objects themselves: each namespace they use, but those the engine runs in
      expect({ file, used: usedNamespaces(objects) }).toEqual({ file, used: expected });
      const namespaces = namespaceObjects(objects);
      expect({ file, created: namespaces.map((n) => n.metadata.name).sort() }).toEqual({ file, created: expected });
      // first in the file: a Kustomization's dry-run of the Services, and kubectl apply, find it
      expect({ file, first: objects.slice(0, namespaces.length) }).toEqual({ file, first: namespaces });
      for (const ns of namespaces) {
        expect(ns.metadata.namespace).toBeUndefined();
        expect(ns.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false' });
      }
    }
    expect(validateObjects([...namespaceObjects(wire), ...namespaceObjects(edge)])).toEqual([]);
  });

  test('the release objects\' own namespace when the engine does not run there (HelmChart outside kube-system, Flux outside flux-system)', () => {
    const helm = deploy({ releaseFormat: ReleaseFormat.helmChart({ namespace: 'wire-helm' }) }).wire;
    expect(namespaceObjects(helm).map((n) => n.metadata.name)).toEqual(['wire', 'wire-helm']);
    const flux = deploy({ releaseFormat: ReleaseFormat.flux({ namespace: 'wire-flux' }) }).wire;
    expect(namespaceObjects(flux).map((n) => n.metadata.name)).toEqual(['wire', 'wire-flux']);
    expect(flux[0].kind).toBe('Namespace');
    expect(flux[1].kind).toBe('Namespace');
    // the Argo CD namespace is where Argo CD runs
    const argo = deploy({ releaseFormat: ReleaseFormat.argoCd({ namespace: 'gitops', secretValuesRepository: { repoURL: 'https://git.example.org/s.git' } }) }).wire;
    expect(namespaceObjects(argo).map((n) => n.metadata.name)).toEqual(['wire']);
  });

  test('a namespace used in two charts is created once in the app, in the first', () => {
    const app = Testing.app();
    const first = new Chart(app, 'first');
    const second = new Chart(app, 'second');
    new DomainIngress(first, 'red', { domain: 'red.example.com', entryPoint: { address: '198.51.100.20', backendAddress: '192.0.2.1' } });
    new DomainIngress(second, 'blue', { domain: 'blue.example.net', entryPoint: { address: '198.51.100.21', backendAddress: '192.0.2.1' } });
    const output = captureWarnings();
    try {
      expect(namespaceObjects(Testing.synth(first)).map((n) => n.metadata.name)).toEqual(['wire']);
      expect(namespaceObjects(Testing.synth(second))).toEqual([]);
    } finally {
      output.restore();
    }
  });

  test('a Namespace the app already has, in any chart, is not emitted again', () => {
    const app = Testing.app();
    const own = new Chart(app, 'namespaces');
    new ApiObject(own, 'wire', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'wire' } });
    const wire = new Chart(app, 'wire');
    new MultiIngressBackend(wire, 'backend', { ...GUIDE, entryPoints: ENTRY_POINTS });
    const output = captureWarnings();
    try {
      expect(namespaceObjects(Testing.synth(wire))).toEqual([]);
      expect(Testing.synth(wire).filter((o) => o.kind === 'Service').map((o) => o.metadata.namespace)).toEqual(['wire', 'wire', 'wire']);
    } finally {
      output.restore();
    }
  });

  test('two standalone domains in one chart share one Namespace', () => {
    const chart = Testing.chart();
    for (const [domain, address] of [['red.example.com', '198.51.100.20'], ['blue.example.net', '198.51.100.21']]) {
      new DomainIngress(chart, domain, { domain, entryPoint: { address, backendAddress: '192.0.2.1' } });
    }
    const output = captureWarnings();
    try {
      const objects = Testing.synth(chart);
      expect(namespaceObjects(objects).map((n) => n.metadata.name)).toEqual(['wire']);
      expect(objects[0].kind).toBe('Namespace');
    } finally {
      output.restore();
    }
  });

  test('emitNamespaces: false leaves them to the operator (API and command line)', () => {
    for (const via of ['load balancers', 'edge proxies'] as const) {
      const { wire, edge } = deploy({ emitNamespaces: false }, via);
      expect(namespaceObjects([...wire, ...edge])).toEqual([]);
    }

    const dir = tempDir('namespaces-cli-');
    const config = path.join(dir, 'multi-ingress.yaml');
    const text = (extra: string) =>
      'defaultDomain: green.example.org\nentryPoints:\n  addresses: { green.example.org: 203.0.113.10 }\n  backendAddress: 192.0.2.1\n' + extra;
    const kinds = (extra: string) => {
      fs.writeFileSync(config, text(extra));
      const out = path.join(dir, `out-${extra.length}`);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        expect(main(['synth', '--config', config, '--out', out, '--quiet'], () => undefined, () => undefined)).toBe(0);
      } finally {
        warn.mockRestore();
      }
      return parseAllDocuments(fs.readFileSync(path.join(out, 'wire.k8s.yaml'), 'utf8')).map((d) => d.toJSON().kind);
    };
    expect(kinds('')[0]).toBe('Namespace');
    expect(kinds('emitNamespaces: false\n')).not.toContain('Namespace');
  });
});
