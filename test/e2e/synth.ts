import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { MultiIngressBackend, MultiIngressBackendProps, WireApp } from '../../src';
import { captureWarnings } from '../util';

/** What a deployment synthesized with WireApp wrote. */
export interface Synthesized {
  readonly outdir: string;
  readonly backend: MultiIngressBackend;
  /** Every object of the backend chart (`wire.k8s.yaml`). */
  readonly objects: any[];
  /** Every object of the edge chart (`edge.k8s.yaml`). */
  readonly edgeObjects: any[];
  /** A file below the output folder. */
  file(relative: string): string;
  /** The deeplink document nginz serves for a domain, from the emitted wire-server values. */
  deeplink(domain: string): unknown;
  /** The configuration of a domain's in-cluster edge proxy, from its emitted ConfigMap. */
  edgeProxyConfig(domain: string): string;
}

/**
 * Synthesize a deployment into `outdir`, as an operator would; with entry points, each domain's is an
 * in-cluster edge proxy in an edge chart of its own (no load balancers: a domain has one entry point).
 */
export function synthesize(outdir: string, props: MultiIngressBackendProps): Synthesized {
  const app = new WireApp({ outdir });
  const edge = new Chart(app, 'edge', { namespace: 'wire-edge' });
  const backend = new MultiIngressBackend(new Chart(app, 'wire'), 'backend', {
    ...props,
    entryPoints: props.entryPoints && {
      ...props.entryPoints,
      loadBalancer: { ...props.entryPoints.loadBalancer, enabled: false },
      edgeProxyScope: edge,
    },
  });
  const output = captureWarnings();
  try {
    app.synth();
  } finally {
    output.restore();
  }
  const read = (relative: string) => fs.readFileSync(path.join(outdir, ...relative.split('/')), 'utf8');
  const objectsOf = (file: string) => parseAllDocuments(read(file)).map((d) => d.toJSON());
  const objects = objectsOf('wire.k8s.yaml');
  const edgeObjects = props.entryPoints ? objectsOf('edge.k8s.yaml') : [];
  const wireServer = objects.find((o) => o.kind === 'HelmChart' && o.metadata.name === 'wire-server');
  const nginz = parse(wireServer.spec.valuesContent).nginz.nginx_conf;
  return {
    outdir,
    backend,
    objects,
    edgeObjects,
    file: read,
    deeplink: (domain) => (domain === nginz.external_env_domain ? nginz.deeplink : nginz.multi_ingress_deeplink[domain]),
    edgeProxyConfig: (domain) => {
      const name = backend.domainIngresses.find((d) => d.domain.name === domain)!.edgeProxy!.name;
      return edgeObjects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-haproxy`).data['haproxy.cfg'];
    },
  };
}
